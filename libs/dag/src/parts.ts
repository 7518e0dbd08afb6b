import { DuckDBDataChunk, VARCHAR } from "@duckdb/node-api"
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

const CHUNK = 2048

/** Writes JSON strings as a one-column Parquet file via a DuckDB temp table (DataChunk appends, STACK.md). */
export const writeJsonParquet = (
  path: string,
  json: ReadonlyArray<string>,
  columns: ReadonlyArray<string> = ["row"]
): Effect.Effect<void, DuckDbError | MaterialiseError, DuckDb> =>
  Effect.gen(function* () {
    const db = yield* DuckDb
    const tmp = `${path}.tmp`
    yield* db.use(`write ${path}`, async (c) => {
      // Temp tables belong to this connection only, so concurrent writers never collide.
      await c.run(`CREATE OR REPLACE TEMP TABLE part_rows (${columns.map((n) => `"${n}" VARCHAR`).join(", ")})`)
      const appender = await c.createAppender("part_rows")
      const width = columns.length
      for (let offset = 0; offset < json.length; offset += CHUNK * width) {
        const n = Math.min(CHUNK, (json.length - offset) / width)
        const chunk = DuckDBDataChunk.create(columns.map(() => VARCHAR), n)
        const cols: Array<Array<string>> = columns.map(() => new Array<string>(n))
        for (let i = 0; i < n; i++) for (let k = 0; k < width; k++) cols[k]![i] = json[offset + i * width + k]!
        chunk.setColumns(cols)
        appender.appendDataChunk(chunk)
      }
      appender.flushSync()
      appender.closeSync()
      await c.run(`COPY part_rows TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`)
      await c.run("DROP TABLE part_rows")
    })
    yield* commitFile(tmp, path)
  })

/** Persists one finished batch: rows, rejects, then the figures file that marks it finished. */
export const writePart = (
  dir: string,
  stats: PartStats,
  rows: ReadonlyArray<string>,
  rejects: ReadonlyArray<Reject>
): Effect.Effect<void, DuckDbError | MaterialiseError, DuckDb> =>
  Effect.gen(function* () {
    yield* writeJsonParquet(join(dir, partName(stats.index, "part", "parquet")), rows)
    if (rejects.length > 0) {
      const flat: Array<string> = []
      for (const r of rejects) flat.push(r.reason, r.id ?? "", r.detail === undefined ? "null" : canonicalJson(r.detail))
      yield* writeJsonParquet(join(dir, partName(stats.index, "rejects", "parquet")), flat, ["reason", "id", "detail"])
    }
    yield* writeFileAtomic(join(dir, partName(stats.index, "part", "json")), JSON.stringify(stats) + "\n")
  })

/** The finished parts of a stage folder, by index; leftovers of unfinished parts are deleted. */
export const finishedParts = (dir: string): Effect.Effect<ReadonlyMap<number, PartStats>, MaterialiseError> =>
  Effect.gen(function* () {
    const names = yield* listDir(dir)
    const done = new Map<number, PartStats>()
    for (const name of names) {
      const m = /^part-(\d{5})\.json$/.exec(name)
      if (!m) continue
      const stats = yield* readJsonIfExists<PartStats>(join(dir, name))
      if (stats !== undefined) done.set(Number(m[1]), stats)
    }
    for (const name of names) {
      const m = /^(?:part|rejects)-(\d{5})\.parquet$/.exec(name)
      const leftover = name.endsWith(".tmp") || (m !== null && !done.has(Number(m[1])))
      if (leftover) yield* removePath(join(dir, name))
    }
    return done
  })

/** The rows of a list of part files, in order, parsed from JSON. */
export const readParts = (files: ReadonlyArray<string>): Stream.Stream<unknown, DuckDbError, DuckDb> =>
  Stream.fromIterable(files).pipe(
    Stream.flatMap(
      (file) =>
        Stream.unwrap(
          Effect.gen(function* () {
            const db = yield* DuckDb
            return db.stream(`SELECT row FROM read_parquet(${sqlString(file)})`).pipe(Stream.map((r) => JSON.parse(r["row"] as string)))
          })
        ),
      { concurrency: 1 }
    )
  )
