import { join } from "node:path"
import { Effect } from "effect"
import { DuckDb, sqlIdent, sqlStringList } from "#io"
import { resolveVersion, versionDir } from "./layout.ts"
import { readManifest, type ConfigEntry, type Manifest } from "./manifest.ts"

export interface ConfigDiff {
  readonly config: string
  /** "both", or only in the newer ("added") or older ("removed") version. */
  readonly presence: "both" | "added" | "removed"
  readonly rows_a: number
  readonly rows_b: number
  /** Row ids only in B. */
  readonly added: number
  /** Row ids only in A. */
  readonly removed: number
  /** Ids in both whose values differ (over the columns both versions have). */
  readonly changed: number
  readonly unchanged: number
  readonly columns_added: ReadonlyArray<string>
  readonly columns_removed: ReadonlyArray<string>
  /** Up to 3 ids of each kind, smallest first. */
  readonly examples: { readonly added: ReadonlyArray<string>; readonly removed: ReadonlyArray<string>; readonly changed: ReadonlyArray<string> }
}

export interface FigureDelta {
  readonly figure: string
  readonly a: number | null
  readonly b: number | null
  readonly delta: number
}

export interface DatasetDiff {
  readonly dataset: string
  readonly a: string
  readonly b: string
  readonly configs: ReadonlyArray<ConfigDiff>
  readonly figures: ReadonlyArray<FigureDelta>
}

const files = (dir: string, c: ConfigEntry) => Object.values(c.splits).flatMap((s) => s.files.map((f) => join(dir, f.path)))

/** Rows per config and split, and each stage's figures, from a manifest: what `diff` compares. */
export const manifestFigures = (m: Manifest): Map<string, number> => {
  const out = new Map<string, number>()
  for (const [name, c] of Object.entries(m.configs)) {
    out.set(`rows.${name}`, c.rows)
    for (const [split, s] of Object.entries(c.splits)) out.set(`rows.${name}.${split}`, s.rows)
  }
  for (const s of m.run.stages) {
    out.set(`stage.${s.name}.rows_in`, s.rows_in)
    out.set(`stage.${s.name}.rows_out`, s.rows_out)
    for (const [k, v] of Object.entries(s.rejects)) out.set(`stage.${s.name}.rejects.${k}`, v)
    for (const [k, v] of Object.entries(s.counters)) out.set(`stage.${s.name}.${k}`, v)
  }
  return out
}

export const figureDeltas = (a: Manifest, b: Manifest): ReadonlyArray<FigureDelta> => {
  const fa = manifestFigures(a)
  const fb = manifestFigures(b)
  const keys = [...new Set([...fa.keys(), ...fb.keys()])].sort()
  return keys.map((k) => {
    const x = fa.get(k) ?? null
    const y = fb.get(k) ?? null
    return { figure: k, a: x, b: y, delta: (y ?? 0) - (x ?? 0) }
  })
}

/** Compares two versions row by row (by row id) per config, in DuckDB. */
export const diffVersions = (dataDir: string, name: string, versionA: string, versionB: string) =>
  Effect.gen(function* () {
    const a = yield* resolveVersion(dataDir, name, versionA)
    const b = yield* resolveVersion(dataDir, name, versionB)
    const ma = yield* readManifest(dataDir, name, a)
    const mb = yield* readManifest(dataDir, name, b)
    const db = yield* DuckDb
    const configs: Array<ConfigDiff> = []
    const names = [...new Set([...Object.keys(ma.configs), ...Object.keys(mb.configs)])].sort()
    for (const config of names) {
      const ca = ma.configs[config]
      const cb = mb.configs[config]
      const colsA = ca?.columns.map((c) => c.name) ?? []
      const colsB = cb?.columns.map((c) => c.name) ?? []
      const base = {
        config,
        rows_a: ca?.rows ?? 0,
        rows_b: cb?.rows ?? 0,
        columns_added: colsB.filter((c) => !colsA.includes(c)),
        columns_removed: colsA.filter((c) => !colsB.includes(c))
      }
      if (ca === undefined || cb === undefined) {
        configs.push({
          ...base,
          presence: ca === undefined ? "added" : "removed",
          added: cb?.rows ?? 0,
          removed: ca?.rows ?? 0,
          changed: 0,
          unchanged: 0,
          examples: { added: [], removed: [], changed: [] }
        })
        continue
      }
      const common = colsA.filter((c) => colsB.includes(c))
      const rowHash = `md5(to_json(struct_pack(${common.map((c) => `${sqlIdent(c)} := ${sqlIdent(c)}`).join(", ")}))::VARCHAR)`
      const side = (dir: string, c: ConfigEntry) => `SELECT "id" AS id, ${rowHash} AS h FROM read_parquet(${sqlStringList(files(dir, c))})`
      const result = yield* db.use(`diff ${name} ${a} ${b} ${config}`, async (c) => {
        await c.run(
          `CREATE TEMP TABLE diff_rows AS
           SELECT CASE WHEN a.id IS NULL THEN 'added' WHEN b.id IS NULL THEN 'removed' WHEN a.h <> b.h THEN 'changed' ELSE 'unchanged' END AS kind,
                  coalesce(a.id, b.id) AS id
           FROM (${side(versionDir(dataDir, name, a), ca)}) a FULL OUTER JOIN (${side(versionDir(dataDir, name, b), cb)}) b ON a.id = b.id`
        )
        try {
          const counts = (await c.runAndReadAll("SELECT kind, count(*) AS n FROM diff_rows GROUP BY kind")).getRowObjectsJS()
          const examples = (
            await c.runAndReadAll(
              "SELECT kind, id FROM (SELECT kind, id, row_number() OVER (PARTITION BY kind ORDER BY id) AS r FROM diff_rows WHERE kind <> 'unchanged') WHERE r <= 3 ORDER BY kind, id"
            )
          ).getRowObjectsJS()
          return { counts, examples }
        } finally {
          await c.run("DROP TABLE IF EXISTS diff_rows")
        }
      })
      const n = (kind: string) => Number(result.counts.find((r) => r["kind"] === kind)?.["n"] ?? 0)
      const ex = (kind: string) => result.examples.filter((r) => r["kind"] === kind).map((r) => String(r["id"]))
      configs.push({
        ...base,
        presence: "both",
        added: n("added"),
        removed: n("removed"),
        changed: n("changed"),
        unchanged: n("unchanged"),
        examples: { added: ex("added"), removed: ex("removed"), changed: ex("changed") }
      })
    }
    return { dataset: name, a, b, configs, figures: figureDeltas(ma, mb) } satisfies DatasetDiff
  })
