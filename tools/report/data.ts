import { join } from "node:path"
import { Effect } from "effect"
import { DuckDb, sqlStringList } from "#io"
import { chooseVersion, diffVersions, publishedVersions, readManifest, versionDir, versionNumber, type DatasetDiff, type Manifest } from "#store"

/** One earlier (or the reported) version's rows per config and split, for the history chart. */
export interface VersionRows {
  readonly version: string
  readonly created_at: string
  readonly rows: Readonly<Record<string, Readonly<Record<string, number>>>>
}

/** Everything the report page shows, read from the store: it never reads a run folder, which gc may have removed. */
export interface ReportData {
  readonly dataset: string
  readonly version: string
  readonly latest: string
  readonly manifest: Manifest
  /** The versions up to and including the reported one, oldest first. */
  readonly history: ReadonlyArray<VersionRows>
  /** Against the parent version, when it is still there. */
  readonly diff?: DatasetDiff
  /** A few rows of each config's train split (test when train is empty), in shard order. */
  readonly samples: Readonly<Record<string, ReadonlyArray<Readonly<Record<string, unknown>>>>>
  /** Things the page could not show and why (a damaged older manifest, a parent that was removed). */
  readonly notes: ReadonlyArray<string>
}

export const SAMPLE_ROWS = 3

const rowsOf = (m: Manifest): VersionRows => ({
  version: m.version,
  created_at: m.created_at,
  rows: Object.fromEntries(Object.entries(m.configs).map(([name, c]) => [name, Object.fromEntries(Object.entries(c.splits).map(([s, e]) => [s, e.rows]))]))
})

export const reportData = (dataDir: string, name: string, at?: string) =>
  Effect.gen(function* () {
    const published = yield* publishedVersions(dataDir, name)
    const { latest, versions } = published
    const version = yield* chooseVersion(name, published, at)
    const manifest = yield* readManifest(dataDir, name, version)
    const notes: Array<string> = []
    const history: Array<VersionRows> = []
    for (const v of versions.filter((v) => versionNumber(v)! < versionNumber(version)!)) {
      const m = yield* readManifest(dataDir, name, v).pipe(
        Effect.catch((e) => Effect.sync(() => void notes.push(`${v} is left out of the history: ${e.message}`)))
      )
      if (m !== undefined) history.push(rowsOf(m))
    }
    history.push(rowsOf(manifest))
    let diff: DatasetDiff | undefined
    if (manifest.parent !== null) {
      // A damaged parent (a missing shard, a broken manifest) costs the diff, not the report.
      if (versions.includes(manifest.parent)) {
        diff = yield* diffVersions(dataDir, name, manifest.parent, version).pipe(
          Effect.catch((e) => Effect.sync(() => void notes.push(`no diff against the parent ${manifest.parent}: ${e.message}`)))
        )
      } else notes.push(`the parent version ${manifest.parent} is no longer in the store, so there is no diff against it`)
    }
    const db = yield* DuckDb
    const dir = versionDir(dataDir, name, version)
    const samples: Record<string, ReadonlyArray<Record<string, unknown>>> = {}
    for (const [config, c] of Object.entries(manifest.configs)) {
      const split = (c.splits["train"]?.rows ?? 0) > 0 ? c.splits["train"]! : c.splits["test"]
      const files = (split?.files ?? []).filter((f) => f.rows > 0).map((f) => join(dir, f.path))
      if (files.length === 0) continue
      samples[config] = yield* db.use(`report sample ${name} ${version} ${config}`, async (conn) =>
        (await conn.runAndReadAll(`SELECT * FROM read_parquet(${sqlStringList(files)}) LIMIT ${SAMPLE_ROWS}`)).getRowObjectsJson() as Array<Record<string, unknown>>
      )
    }
    return { dataset: name, version, latest, manifest, history, ...(diff === undefined ? {} : { diff }), samples, notes } satisfies ReportData
  })
