import { Effect } from "effect"
import { QueryError } from "./errors.ts"
import { DuckDb, errorMessage } from "#dag"
import { datasetDir, resolveVersion } from "./layout.ts"
import { listVersions } from "./versions.ts"
import { createViewSql, datasetViews } from "./views.ts"

/** DuckDB gives 64-bit integers as strings in JSON; counts and sums fit a JS number almost always. */
const safeNumber = (v: unknown): unknown => {
  if (typeof v !== "string") return v
  const n = Number(v)
  return Number.isSafeInteger(n) ? n : v
}

export interface QueryResult {
  readonly dataset: string
  readonly version: string
  readonly views: ReadonlyArray<string>
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>
  /** JSON-safe values (big integers beyond 2^53 and decimals come as strings). */
  readonly rows: ReadonlyArray<Record<string, unknown>>
}

/**
 * Runs SQL against a dataset with temporary views: `<config>` for the chosen version (LATEST by
 * default), `<config>_<version>` for each version, `<config>_all` over all versions with a `version` column.
 */
export const queryDataset = (dataDir: string, name: string, sql: string, version?: string) =>
  Effect.gen(function* () {
    const chosen = yield* resolveVersion(dataDir, name, version)
    const { versions } = yield* listVersions(dataDir, name)
    const views = datasetViews(datasetDir(dataDir, name), versions.map((v) => v.manifest), chosen)
    const db = yield* DuckDb
    return yield* db
      .use(`query ${name}`, async (c) => {
          for (const v of views) await c.run(createViewSql(v, undefined, true))
          try {
            const result = await c.runAndReadAll(sql)
            const names = result.columnNames()
            const types = result.columnTypes().map((t) => t.toString())
            const integer = new Set(names.filter((_, i) => /^(U?(BIG|HUGE)INT)$/.test(types[i]!)))
            const rows = (result.getRowObjectsJson() as Array<Record<string, unknown>>).map((row) => {
              for (const n of integer) row[n] = safeNumber(row[n])
              return row
            })
            return { ok: true as const, columns: names.map((n, i) => ({ name: n, type: types[i]! })), rows }
          } catch (e) {
            return { ok: false as const, error: errorMessage(e) }
          }
        })
      .pipe(
      Effect.flatMap((r) =>
        r.ok
          ? Effect.succeed({ dataset: name, version: chosen, views: views.map((v) => v.name), columns: r.columns, rows: r.rows } satisfies QueryResult)
          : Effect.fail(
              new QueryError({
                dataset: name,
                version: chosen,
                message: `query on dataset "${name}" ${chosen} failed: ${r.error}. Views you can use: ${views.map((v) => v.name).join(", ")}`
              })
            )
      )
    )
  })
