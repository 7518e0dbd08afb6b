import { join } from "node:path"
import { Effect, Stream } from "effect"
import { canonicalJson } from "#core"
import { DuckDb, sqlString, type DuckDbError } from "./duckdb.ts"
import { commitFile, listDir, readJsonIfExists, removePath, writeFileAtomic } from "./files.ts"
import type { MaterialiseError } from "./errors.ts"

/**
 * A stage's output on disk, one batch per part:
 *   part-00000.parquet     the rows, one JSON column `row` (ZSTD, written by DuckDB)
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
}

export interface Reject {
  readonly reason: string
  readonly id?: string
  readonly detail?: unknown
}

export const partName = (index: number, kind: "part" | "rejects", ext: "parquet" | "json") =>
  `${kind}-${String(index).padStart(5, "0")}.${ext}`

/**
 * Writes rows (JSON texts) as a Parquet file with one VARCHAR column `row`, committed atomically.
 * The rows cross into DuckDB as ONE newline-joined string that DuckDB splits itself: per-string
 * transfers through vectors cost several times more than the whole write (measured in tools/bench).
 * JSON.stringify escapes every control character, so a JSON text never holds a raw newline.
 * With `select`, the file gets the columns that SQL derives from the JSON value `j` instead.
 */
export const writeJsonParquet = (
  path: string,
  json: ReadonlyArray<string>,
  select = "j::VARCHAR AS row"
): Effect.Effect<void, DuckDbError | MaterialiseError, DuckDb> => writeJsonLines(path, json.length === 0 ? undefined : json.join("\n"), select)

/** The same, from JSON texts already joined by newlines (`undefined` for no rows). */
export const writeJsonLines = (
  path: string,
  lines: string | undefined,
  select = "j::VARCHAR AS row"
): Effect.Effect<void, DuckDbError | MaterialiseError, DuckDb> =>
  Effect.gen(function* () {
    const db = yield* DuckDb
    const tmp = `${path}.tmp`
    yield* db.use(`write ${path}`, async (c) => {
      const rows = lines === undefined ? "SELECT NULL::VARCHAR AS j WHERE false" : "SELECT unnest(string_split($1, chr(10))) AS j"
      // One statement, no temp table: DuckDB splits the string and writes the file in insertion order.
      await c.run(`COPY (SELECT ${select} FROM (${rows})) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`, lines === undefined ? [] : [lines])
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
  rejects: ReadonlyArray<Reject>
): Effect.Effect<void, DuckDbError | MaterialiseError, DuckDb> =>
  Effect.gen(function* () {
    yield* writeJsonLines(join(dir, partName(stats.index, "part", "parquet")), stats.rows === 0 ? undefined : rows)
    if (rejects.length > 0) {
      yield* writeJsonParquet(
        join(dir, partName(stats.index, "rejects", "parquet")),
        rejects.map((r) => canonicalJson({ reason: r.reason, id: r.id ?? null, detail: r.detail ?? null })),
        "j::JSON->>'reason' AS reason, j::JSON->>'id' AS id, (j::JSON->'detail')::VARCHAR AS detail"
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
