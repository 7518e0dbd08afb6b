import { join } from "node:path"
import { sqlIdent, sqlString, sqlStringList } from "#io"
import type { ConfigEntry, Manifest } from "./manifest.ts"

/** One config of one version as a query, with a `split` column taken from which files a row is in. */
export const configSelect = (versionPath: string, entry: ConfigEntry): string =>
  Object.entries(entry.splits)
    .map(([split, s]) => `SELECT ${sqlString(split)} AS split, * FROM read_parquet(${sqlStringList(s.files.map((f) => join(versionPath, f.path)))})`)
    .join(" UNION ALL BY NAME ")

export interface ViewDef {
  /** `sft` (the chosen version), `sft_v0003` (one version), `sft_all` (every version, with a `version` column). */
  readonly name: string
  readonly sql: string
  /** The versions and config whose shards the view reads. */
  readonly covers: ReadonlyArray<{ readonly version: string; readonly config: string }>
}

/**
 * The views over a dataset's versions. `versions` are published manifests, oldest first; `current`
 * is the version the unsuffixed views show. Versions whose schemas differ are unioned by column name.
 */
export const datasetViews = (datasetPath: string, versions: ReadonlyArray<Manifest>, current: string): ReadonlyArray<ViewDef> => {
  const views: Array<ViewDef> = []
  const configs = [...new Set(versions.flatMap((m) => Object.keys(m.configs)))].sort()
  for (const config of configs) {
    const having = versions.filter((m) => m.configs[config] !== undefined)
    const select = (m: Manifest) => configSelect(join(datasetPath, m.version), m.configs[config]!)
    const chosen = having.find((m) => m.version === current)
    if (chosen !== undefined) views.push({ name: config, sql: select(chosen), covers: [{ version: chosen.version, config }] })
    for (const m of having) views.push({ name: `${config}_${m.version}`, sql: select(m), covers: [{ version: m.version, config }] })
    views.push({
      name: `${config}_all`,
      covers: having.map((m) => ({ version: m.version, config })),
      sql: having.map((m) => `SELECT ${sqlString(m.version)} AS version, * FROM (${select(m)})`).join(" UNION ALL BY NAME ")
    })
  }
  return views
}

export const createViewSql = (view: ViewDef, schema?: string, temp = false): string =>
  `CREATE OR REPLACE ${temp ? "TEMP " : ""}VIEW ${schema === undefined ? "" : `${sqlIdent(schema)}.`}${sqlIdent(view.name)} AS ${view.sql}`
