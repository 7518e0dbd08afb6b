import { Effect, Stream } from "effect"
import { extname } from "node:path"
import { duckdbRows } from "./duckdb-rows.ts"
import { BadSeedRow, DEFAULT_BAD_ROW_HINT, SeedFileError, type SeedHeaderError, WHOLE_ROW } from "./errors.ts"
import { checkSeedColumns, type SeedFormat } from "./header.ts"
import { jsonArrayRows } from "./json-rows.ts"
import { jsonlRows } from "./jsonl-rows.ts"
import { isMalformed, type RawRow, type SeedRow } from "./raw-row.ts"

export * from "./raw-row.ts"

export const SUPPORTED_EXTENSIONS = [".jsonl", ".json", ".csv", ".parquet"] as const

/**
 * Every row of a seed file, malformed ones included, so a caller can decide per row whether to
 * fail or skip. Rows are read lazily: .jsonl line by line, .csv and .parquet in DuckDB chunks.
 */
export const readRawRows = (
  path: string,
  options: {
    /** The formats the file may hold: a CSV header or Parquet schema without the columns of any of them fails at once. */
    readonly formats?: ReadonlyArray<SeedFormat>
  } = {}
): Stream.Stream<RawRow, SeedFileError | SeedHeaderError> => {
  const extension = extname(path).toLowerCase()
  const checkColumns = (columns: ReadonlyArray<string>) => checkSeedColumns(path, columns, options.formats ?? [])
  switch (extension) {
    case ".jsonl":
      return jsonlRows(path)
    case ".json":
      return jsonArrayRows(path)
    case ".csv":
      return duckdbRows(path, "csv", checkColumns)
    case ".parquet":
      return duckdbRows(path, "parquet", checkColumns)
    default:
      return Stream.fail(
        new SeedFileError({
          file: path,
          reason: `unsupported file extension "${extension || "(none)"}"; seed files must end in ` +
            `${SUPPORTED_EXTENSIONS.join(", ")}`
        })
      )
  }
}

/**
 * The rows of a seed file as `{ line, row }`, failing with `BadSeedRow` at the first row that is
 * not a JSON object. `line` is the 1-based file line for .jsonl (blank lines skipped but counted),
 * the 1-based array index for .json, the data row number + 1 (the header is line 1) for .csv, and
 * the 1-based row number for .parquet.
 */
export const readRows = (path: string): Stream.Stream<SeedRow, SeedFileError | SeedHeaderError | BadSeedRow> =>
  readRawRows(path).pipe(
    Stream.mapEffect((raw) =>
      isMalformed(raw)
        ? Effect.fail(
          new BadSeedRow({
            file: path,
            line: raw.line,
            field: WHOLE_ROW,
            reason: raw.malformed,
            hint: DEFAULT_BAD_ROW_HINT
          })
        )
        : Effect.succeed(raw)
    )
  )
