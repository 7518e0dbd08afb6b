import { DuckDBInstance, JSDuckDBValueConverter, type DuckDBResult } from "@duckdb/node-api"
import { Effect, Option, Stream } from "effect"
import { stat } from "node:fs/promises"
import { sqlString } from "#io"
import { SeedFileError, type SeedHeaderError } from "./errors.ts"
import type { SeedRow } from "./raw-row.ts"

// All DuckDB use for seed reading lives here, so swapping in a shared DuckDB service later
// touches one module: replace `openConnection` with the service's connection.

/** CSV columns are all read as text so decoding, not DuckDB's type sniffing, decides what a field means. */
export const rowsQuery = (path: string, kind: "csv" | "parquet"): string =>
  kind === "csv"
    ? `SELECT * FROM read_csv(${sqlString(path)}, header = true, all_varchar = true)`
    : `SELECT * FROM read_parquet(${sqlString(path)})`

const duckdbError = (path: string, action: string) => (error: unknown) =>
  new SeedFileError({ file: path, reason: `${action}: ${error instanceof Error ? error.message : String(error)}` })

const openConnection = (path: string) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        const instance = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false" })
        try {
          return { instance, connection: await instance.connect() }
        } catch (error) {
          instance.closeSync()
          throw error
        }
      },
      catch: duckdbError(path, "cannot start DuckDB")
    }),
    ({ instance, connection }) =>
      Effect.sync(() => {
        connection.closeSync()
        instance.closeSync()
      })
  )

const chunkRows = (result: DuckDBResult, columns: ReadonlyArray<string>, path: string, firstLine: number) =>
  Effect.tryPromise({
    try: async () => {
      const chunk = await result.fetchChunk()
      if (chunk === null || chunk.rowCount === 0) return [] as Array<SeedRow>
      return chunk.convertRows(JSDuckDBValueConverter).map((values, index): SeedRow => ({
        line: firstLine + index,
        row: Object.fromEntries(columns.map((column, c) => [column, values[c] ?? null]))
      }))
    },
    catch: duckdbError(path, "read failed")
  })

/**
 * Rows of a .csv (header row required; `line` = data row + 1) or .parquet (`line` = row number)
 * file, fetched one DuckDB chunk (about 2,048 rows) at a time. The connection closes when the
 * stream ends, fails or is interrupted. `checkColumns` sees the column names once, before any row,
 * and may fail the stream; an empty (0-byte) file has no rows.
 */
export const duckdbRows = (
  path: string,
  kind: "csv" | "parquet",
  checkColumns: (columns: ReadonlyArray<string>) => SeedHeaderError | undefined = () => undefined
): Stream.Stream<SeedRow, SeedFileError | SeedHeaderError> =>
  Stream.unwrap(
    Effect.gen(function*() {
      const size = yield* Effect.tryPromise({
        try: async () => (await stat(path)).size,
        catch: (error) => new SeedFileError({ file: path, reason: `cannot open: ${String(error)}` })
      })
      if (size === 0) return Stream.empty
      const { connection } = yield* openConnection(path)
      const result = yield* Effect.tryPromise({
        try: () => connection.stream(rowsQuery(path, kind)),
        catch: duckdbError(path, `cannot read as ${kind}`)
      })
      const columns = result.deduplicatedColumnNames()
      const wrong = checkColumns(columns)
      if (wrong !== undefined) return yield* wrong
      const firstLine = kind === "csv" ? 2 : 1
      return Stream.paginate(firstLine, (line) =>
        Effect.map(chunkRows(result, columns, path, line), (rows) =>
          [rows, rows.length === 0 ? Option.none() : Option.some(line + rows.length)] as const))
    })
  )
