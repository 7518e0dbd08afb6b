import { join } from "node:path"
import { Effect, Stream } from "effect"
import { canonicalJson } from "#core"
import { commitFile, DuckDb, listDir, readJsonIfExists, removePath, sqlIdent, sqlString, writeFileAtomic, type DuckDbError, type MaterialiseError } from "#io"

/**
 * A stage's output on disk, one batch per part:
 *   part-00000.parquet     the rows, one JSON column `row` and the stage's key columns (ZSTD, written by DuckDB)
 *   rejects-00000.parquet  rejected records with their reason (only when there are some)
 *   part-00000.json        the batch's figures; written last, it marks the batch as finished
 * A part whose .json is missing is unfinished: its files are deleted and the batch redone.
 */
export interface PartStats {
  readonly index: number
  readonly rows_in: number
  readonly rows: number
  readonly rejects: Readonly<Record<string, number>>
  readonly counters: Readonly<Record<string, number>>
  /** Input rows whose outcome came from the stage's memo (absent in parts written before the memo). */
  readonly rows_reused?: number
}

export interface Reject {
  readonly reason: string
  readonly id?: string
  readonly detail?: unknown
}

export const partName = (index: number, kind: "part" | "rejects", ext: "parquet" | "json") =>
  `${kind}-${String(index).padStart(5, "0")}.${ext}`

/**
 * A column written beside `row` holding one top-level field of each row, so that a reader needing
 * only that field (the store's split and shuffle keys) skips parsing the JSON. `lines` holds each
 * row's value as JSON text (JSON.stringify of it, "null" when absent), newline-joined; DuckDB turns
 * it into the same VARCHAR that json_extract_string(row, '$.<name>') gives: strings as they are,
 * other values as their JSON text, absent or null as NULL.
 */
export interface KeyColumn {
  readonly name: string
  readonly lines: string
}

/** The key columns `names` of rows (plain JSON values, as they are written). */
export const keyColumnsOf = (rows: ReadonlyArray<unknown>, names: ReadonlyArray<string>): Array<KeyColumn> =>
  names.map((name) => ({
    name,
    lines: rows
      .map((row) => JSON.stringify(typeof row === "object" && row !== null && Object.hasOwn(row, name) ? (row as Record<string, unknown>)[name] : undefined) ?? "null")
      .join("\n")
  }))

export interface JsonParquetOptions {
  /** The file's columns as SQL over the JSON text `j` (default: the text itself, as `row`). */
  readonly select?: string
  readonly keys?: ReadonlyArray<KeyColumn>
}

/**
 * Writes rows (JSON texts) as a Parquet file with one VARCHAR column `row` (and any key columns),
 * committed atomically. The rows cross into DuckDB as ONE newline-joined string that DuckDB splits
 * itself: per-string transfers through vectors cost several times more than the whole write (measured
 * in tools/bench). JSON.stringify escapes every control character, so a JSON text never holds a raw newline.
 */
export const writeJsonParquet = (
  path: string,
  json: ReadonlyArray<string>,
  options: JsonParquetOptions = {}
): Effect.Effect<void, DuckDbError | MaterialiseError, DuckDb> => writeJsonLines(path, json.length === 0 ? undefined : json.join("\n"), options)

/** The same, from JSON texts already joined by newlines (`undefined` for no rows). */
export const writeJsonLines = (
  path: string,
  lines: string | undefined,
  options: JsonParquetOptions = {}
): Effect.Effect<void, DuckDbError | MaterialiseError, DuckDb> =>
  Effect.gen(function* () {
    const db = yield* DuckDb
    const tmp = `${path}.tmp`
    const keys = options.keys ?? []
    const columns = [options.select ?? "j::VARCHAR AS row", ...keys.map((k, i) => `k${i}::JSON->>'$' AS ${sqlIdent(k.name)}`)].join(", ")
    // Unnests in one SELECT list advance together, so line n of every string lands in row n.
    const rows =
      lines === undefined
        ? `SELECT ${["NULL::VARCHAR AS j", ...keys.map((_, i) => `NULL::VARCHAR AS k${i}`)].join(", ")} WHERE false`
        : `SELECT ${["unnest(string_split($1, chr(10))) AS j", ...keys.map((_, i) => `unnest(string_split($${i + 2}, chr(10))) AS k${i}`)].join(", ")}`
    const params = lines === undefined ? [] : [lines, ...keys.map((k) => k.lines)]
    yield* db.use(`write ${path}`, async (c) => {
      // One statement, no temp table: DuckDB splits the strings and writes the file in insertion order.
      await c.run(`COPY (SELECT ${columns} FROM (${rows})) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`, params)
    })
    // The folder is synced once, after the part's marker (writePart): a marker that survives a crash
    // without its data file is caught by finishedParts, which checks that the files exist.
    yield* commitFile(tmp, path, { syncDir: false })
  })

/** Persists one finished batch (rows as newline-joined JSON): rows, rejects, then the file that marks it finished. */
export const writePart = (
  dir: string,
  stats: PartStats,
  rows: string,
  rejects: ReadonlyArray<Reject>,
  keys: ReadonlyArray<KeyColumn> = []
): Effect.Effect<void, DuckDbError | MaterialiseError, DuckDb> =>
  Effect.gen(function* () {
    yield* writeJsonLines(join(dir, partName(stats.index, "part", "parquet")), stats.rows === 0 ? undefined : rows, { keys })
    if (rejects.length > 0) {
      yield* writeJsonParquet(
        join(dir, partName(stats.index, "rejects", "parquet")),
        rejects.map((r) => canonicalJson({ reason: r.reason, id: r.id ?? null, detail: r.detail ?? null })),
        { select: "j::JSON->>'reason' AS reason, j::JSON->>'id' AS id, (j::JSON->'detail')::VARCHAR AS detail" }
      )
    }
    yield* writeFileAtomic(join(dir, partName(stats.index, "part", "json")), JSON.stringify(stats) + "\n")
  })

/** The finished parts of a stage folder, by index; leftovers of unfinished parts are deleted. */
export const finishedParts = (dir: string): Effect.Effect<ReadonlyMap<number, PartStats>, MaterialiseError> =>
  Effect.gen(function* () {
    const names = yield* listDir(dir)
    const done = new Map<number, PartStats>()
    const present = new Set(names)
    for (const name of names) {
      const m = /^part-(\d{5})\.json$/.exec(name)
      if (!m) continue
      const stats = yield* readJsonIfExists<PartStats>(join(dir, name))
      const index = Number(m[1])
      const complete =
        stats !== undefined &&
        present.has(partName(index, "part", "parquet")) &&
        (Object.keys(stats.rejects).length === 0 || present.has(partName(index, "rejects", "parquet")))
      if (complete) done.set(index, stats)
      else yield* removePath(join(dir, name))
    }
    for (const name of names) {
      const m = /^(?:part|rejects)-(\d{5})\.parquet$/.exec(name)
      const leftover = name.endsWith(".tmp") || (m !== null && !done.has(Number(m[1])))
      if (leftover) yield* removePath(join(dir, name))
    }
    return done
  })

/** Rows per block when reading parts back: one string crosses from DuckDB per block, not per row. */
const READ_BLOCK = 4096

/** The rows of a list of part files, in order, parsed from JSON. */
export const readParts = (files: ReadonlyArray<string>): Stream.Stream<unknown, DuckDbError, DuckDb> =>
  Stream.fromIterable(files).pipe(
    Stream.flatMap(
      (file) =>
        Stream.unwrap(
          Effect.gen(function* () {
            const db = yield* DuckDb
            const sql =
              `SELECT string_agg(row, chr(10) ORDER BY file_row_number) AS block ` +
              `FROM read_parquet(${sqlString(file)}, file_row_number = true) ` +
              `GROUP BY file_row_number // ${READ_BLOCK} ORDER BY file_row_number // ${READ_BLOCK}`
            return db.stream(sql).pipe(Stream.flatMap((r) => Stream.fromIterable((r["block"] as string).split("\n").map((line) => JSON.parse(line) as unknown))))
          })
        ),
      { concurrency: 1 }
    )
  )
