import { open, type FileHandle } from "node:fs/promises"
import { extname } from "node:path"
import { Effect, Schema, Stream } from "effect"
import { describeJsonValue, isMalformed, isRowObject, malformedReason, readRawRows } from "#math"

/*
 * Row files for the dedup methods: the rows the `dedup` and `decontaminate` commands filter, and the
 * benchmark files that the commands and the math pipeline's decontaminate stage index. Parquet goes
 * through the seed readers of libs/math (`readRawRows`), which is why this is the one module of
 * libs/dedup that imports #math.
 */

/** A row file (`dedup`, `decontaminate`) cannot be read, or one of its rows is unusable: exit code 1, naming file and line. */
export class RowFileError extends Schema.TaggedError<RowFileError>()("RowFileError", { message: Schema.String }) {}

/** One input row: where it is (1-based line of a JSONL file, row number of a Parquet file), the object, and its JSON as written back. */
export interface InputRow {
  readonly line: number
  readonly row: Record<string, unknown>
  /** The JSONL line as it was (so kept rows are written unchanged); for Parquet, the row as JSON. */
  readonly json: string
}

export const ROW_FILE_EXTENSIONS = [".jsonl", ".parquet"] as const

/** BIGINT columns come back from DuckDB as bigint: written as numbers when exact, else as strings. */
export const jsonOf = (row: Record<string, unknown>): string =>
  JSON.stringify(row, (_, v) => (typeof v === "bigint" ? (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : v))

/** JSON Lines, in batches of the lines in each 64 kB read; blank lines are skipped but counted. */
async function* jsonlBatches(path: string, handle: FileHandle): AsyncGenerator<ReadonlyArray<InputRow>> {
  let line = 0
  let rest = ""
  const decoder = new TextDecoder("utf-8")
  const parse = (text: string, at: number): InputRow => {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      throw new RowFileError({ message: `${path}:${at}: ${malformedReason("not valid JSON", error)}; every line must be one JSON object` })
    }
    if (!isRowObject(value)) throw new RowFileError({ message: `${path}:${at}: expected a JSON object, got ${describeJsonValue(value)}` })
    return { line: at, row: value, json: text }
  }
  for await (const chunk of handle.createReadStream({ autoClose: false, highWaterMark: 1 << 16 })) {
    const text = rest + decoder.decode(chunk as Buffer, { stream: true })
    const lines = text.split("\n")
    rest = lines.pop()!
    const batch: Array<InputRow> = []
    for (const raw of lines) {
      line++
      const t = (line === 1 ? raw.replace(/^\uFEFF/, "") : raw).replace(/\r$/, "")
      if (t.trim() !== "") batch.push(parse(t, line))
    }
    if (batch.length > 0) yield batch
  }
  rest += decoder.decode()
  line++
  const last = (line === 1 ? rest.replace(/^\uFEFF/, "") : rest).replace(/\r$/, "")
  if (last.trim() !== "") yield [parse(last, line)]
}

/**
 * The rows of a .jsonl or .parquet file, in order, as a stream of batches (a read's lines, a DuckDB chunk).
 * A line that is not a JSON object fails the stream naming the file and line; Parquet goes through the seed
 * readers' DuckDB path (`readRawRows`), rows numbered from 1.
 */
export const readRowBatches = (path: string): Stream.Stream<ReadonlyArray<InputRow>, RowFileError> => {
  const extension = extname(path).toLowerCase()
  if (extension === ".parquet") {
    return readRawRows(path).pipe(
      Stream.mapError((e) => new RowFileError({ message: e.message })),
      Stream.mapEffect((raw) =>
        isMalformed(raw)
          ? Effect.fail(new RowFileError({ message: `${path}:${raw.line}: ${raw.malformed}` }))
          : Effect.succeed<InputRow>({ line: raw.line, row: raw.row, json: jsonOf(raw.row) })),
      Stream.grouped(2048)
    )
  }
  if (extension !== ".jsonl") {
    return Stream.fail(new RowFileError({ message: `${path}: unsupported file extension "${extension || "(none)"}"; use ${ROW_FILE_EXTENSIONS.join(" or ")}` }))
  }
  return Stream.unwrap(
    Effect.gen(function* () {
      const handle = yield* Effect.acquireRelease(
        Effect.tryPromise({ try: () => open(path, "r"), catch: (e) => new RowFileError({ message: `${path}: cannot open (${(e as Error).message})` }) }),
        (h) => Effect.promise(() => h.close())
      )
      return Stream.fromAsyncIterable(jsonlBatches(path, handle), (e) =>
        e instanceof RowFileError ? e : new RowFileError({ message: `${path}: read failed (${e instanceof Error ? e.message : String(e)})` }))
    })
  )
}

/**
 * The text of `field` in a row, or a RowFileError naming the file, line and field. Numbers are taken as their
 * text. `flag` is the option that chooses the field, named when it is missing.
 */
export const fieldText = (path: string, input: InputRow, field: string, flag = "--field"): string => {
  const value = input.row[field]
  if (typeof value === "string") return value
  if (typeof value === "number" || typeof value === "bigint") return String(value)
  if (value === undefined) {
    const have = Object.keys(input.row)
    throw new RowFileError({ message: `${path}:${input.line}: field "${field}" is missing (the row has ${have.length === 0 ? "no fields" : have.map((k) => `"${k}"`).join(", ")}); choose the field with ${flag}` })
  }
  throw new RowFileError({ message: `${path}:${input.line}: field "${field}" is ${describeJsonValue(value)}, not text` })
}
