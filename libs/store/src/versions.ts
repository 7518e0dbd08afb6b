import { stat } from "node:fs/promises"
import { join } from "node:path"
import { Effect } from "effect"
import { listDir } from "#io"
import { StoreIoError } from "./errors.ts"
import { exists } from "./fsutil.ts"
import { datasetDir, isVersionName, pinPath, publishedVersions, versionDir, versionNumber } from "./layout.ts"
import { allFiles, readManifest, type Manifest } from "./manifest.ts"

/**
 * What the cheap check (every file manifest.json lists is there with its recorded size) says of a
 * version: "complete", or "damaged" with the problems. Checksums are `validate`'s job.
 */
export type VersionState = "complete" | "damaged"

/** Something in the dataset's folder that is not a version: a publish's or gc's leftover, or a version folder without manifest. */
export interface Leftover {
  /** Name inside the dataset's folder. */
  readonly folder: string
  readonly what: string
}

export interface VersionInfo {
  readonly version: string
  readonly latest: boolean
  /** A `vNNNN.lock` file pins it: gc keeps it. */
  readonly locked: boolean
  readonly created_at: string
  readonly parent: string | null
  readonly content_hash: string
  readonly rows: Readonly<Record<string, number>>
  readonly state: VersionState
  /** What the cheap check found wrong (empty when complete). */
  readonly problems: ReadonlyArray<string>
  readonly manifest: Manifest
}

/** The cheap check: each listed file exists with the size manifest.json records. */
export const checkSizes = (dir: string, manifest: Manifest): Effect.Effect<ReadonlyArray<string>> =>
  Effect.promise(async () => {
    const problems: Array<string> = []
    for (const f of allFiles(manifest)) {
      const size = await stat(join(dir, f.path)).then(
        (st) => st.size,
        () => undefined
      )
      if (size === undefined) problems.push(`${f.path} is missing`)
      else if (size !== f.bytes) problems.push(`${f.path} has ${size} bytes, manifest.json says ${f.bytes}`)
    }
    return problems
  })

/** What a non-version entry of a dataset's folder is, or undefined for the files that belong there. */
export const leftoverKind = (entry: string): string | undefined => {
  if (entry.startsWith(".staging-")) return "a publish's staging folder (left by a publish that stopped before finishing; the next publish or gc removes it)"
  if (entry.startsWith(".trash-")) return "a version gc was removing (the next publish or gc removes it)"
  if (/^\.LATEST\..*\.tmp$/.test(entry)) return "a temp file of a LATEST update that stopped (the next publish or gc removes it)"
  return undefined
}

/**
 * Every version of a dataset (each version folder with a manifest.json, whatever its number), oldest
 * first, each with its state by the cheap check; and the leftovers seen beside them: staging and trash
 * folders, and version folders without manifest.json, which are not versions and are never removed by
 * a publish.
 */
export const listVersions = (dataDir: string, name: string) =>
  Effect.gen(function* () {
    const { latest, versions } = yield* publishedVersions(dataDir, name)
    const out: Array<VersionInfo> = []
    const leftovers: Array<Leftover> = []
    const entries = yield* listDir(datasetDir(dataDir, name)).pipe(Effect.mapError((e) => new StoreIoError({ path: e.path, message: e.message })))
    for (const entry of [...entries].sort()) {
      const what = isVersionName(entry)
        ? versions.includes(entry)
          ? undefined
          : "a version folder without manifest.json: not a version (no publish made it complete); inspect it and remove it by hand"
        : leftoverKind(entry)
      if (what !== undefined) leftovers.push({ folder: entry, what })
    }
    for (const version of versions) {
      const manifest = yield* readManifest(dataDir, name, version).pipe(Effect.result)
      if (manifest._tag === "Failure") {
        leftovers.push({ folder: version, what: `a version folder whose manifest.json cannot be read (${manifest.failure.message}): not a version; inspect it and remove it by hand` })
        continue
      }
      const problems = yield* checkSizes(versionDir(dataDir, name, version), manifest.success)
      out.push({
        version,
        latest: version === latest,
        locked: yield* exists(pinPath(dataDir, name, version)),
        created_at: manifest.success.created_at,
        parent: manifest.success.parent,
        content_hash: manifest.success.content_hash,
        rows: Object.fromEntries(Object.entries(manifest.success.configs).map(([c, e]) => [c, e.rows])),
        state: problems.length === 0 ? "complete" : "damaged",
        problems,
        manifest: manifest.success
      })
    }
    leftovers.sort((a, b) => (versionNumber(a.folder) ?? -1) - (versionNumber(b.folder) ?? -1) || a.folder.localeCompare(b.folder))
    return { latest, versions: out as ReadonlyArray<VersionInfo>, leftovers: leftovers as ReadonlyArray<Leftover> }
  })
