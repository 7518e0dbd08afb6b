import { readFile, stat } from "node:fs/promises"
import { join } from "node:path"
import { Effect } from "effect"
import { listDir } from "#io"
import { StoreIoError, UnknownDataset, UnknownVersion } from "./errors.ts"
import { ioError } from "./fsutil.ts"

/**
 * Where things live:
 *   <dataDir>/catalog.duckdb
 *   <dataDir>/datasets/<name>/LATEST          the current version's name
 *   <dataDir>/datasets/<name>/.lock           the publisher's lock (pid, host, start time)
 *   <dataDir>/datasets/<name>/vNNNN/          one immutable version
 *   <dataDir>/datasets/<name>/vNNNN.lock      a pinned ("locked") version: gc never removes it
 *   <dataDir>/datasets/<name>/.staging-vNNNN-<pid>/   a version being written (left over after a crash)
 */
export const datasetsDir = (dataDir: string) => join(dataDir, "datasets")
export const datasetDir = (dataDir: string, name: string) => join(dataDir, "datasets", name)
export const versionDir = (dataDir: string, name: string, version: string) => join(dataDir, "datasets", name, version)
export const catalogPath = (dataDir: string) => join(dataDir, "catalog.duckdb")
export const latestPath = (dataDir: string, name: string) => join(datasetDir(dataDir, name), "LATEST")
export const lockPath = (dataDir: string, name: string) => join(datasetDir(dataDir, name), ".lock")
export const pinPath = (dataDir: string, name: string, version: string) => join(datasetDir(dataDir, name), `${version}.lock`)

/** How long a publish, gc or catalog refresh waits for another live holder of its lock. */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000

export const DATASET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
export const CONFIG_NAME = /^[a-z][a-z0-9_]*$/
const VERSION = /^v(\d{4,})$/

export const versionName = (n: number): string => `v${String(n).padStart(4, "0")}`
export const versionNumber = (name: string): number | undefined => {
  const m = VERSION.exec(name)
  return m ? Number(m[1]) : undefined
}
export const isVersionName = (name: string): boolean => VERSION.test(name)

/** Accepts "v3", "3" or "v0003" from a user and gives the folder name. */
export const normaliseVersion = (input: string): string | undefined => {
  const m = /^v?(\d+)$/.exec(input.trim())
  return m ? versionName(Number(m[1])) : undefined
}


/** The name in LATEST, or undefined when the dataset has never been published. */
export const readLatest = (dataDir: string, name: string): Effect.Effect<string | undefined, StoreIoError> =>
  Effect.tryPromise({
    try: async () => {
      try {
        const text = (await readFile(latestPath(dataDir, name), "utf8")).trim()
        return text === "" ? undefined : text
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined
        throw e
      }
    },
    catch: ioError(latestPath(dataDir, name))
  })

/** Version folders on disk, oldest first (including any that a crash left newer than LATEST). */
export const versionFolders = (dataDir: string, name: string) =>
  listDir(datasetDir(dataDir, name)).pipe(
    Effect.map((names) => names.filter(isVersionName).sort((a, b) => versionNumber(a)! - versionNumber(b)!)),
    Effect.mapError((e) => new StoreIoError({ path: e.path, message: e.message }))
  )

/**
 * The versions of a dataset, oldest first: every version folder holding a manifest.json, whatever its
 * number (after a rollback, versions newer than LATEST are still versions). Fails when the dataset does
 * not exist. A folder without manifest.json is not a version (see listVersions' `leftovers`).
 */
export const publishedVersions = (dataDir: string, name: string) =>
  Effect.gen(function* () {
    const latest = yield* readLatest(dataDir, name)
    if (latest === undefined) {
      const known = yield* knownDatasets(dataDir)
      return yield* new UnknownDataset({
        dataset: name,
        dataDir,
        message:
          `no published dataset "${name}" in ${datasetsDir(dataDir)}` +
          (known.length > 0 ? `; published datasets: ${known.join(", ")}` : "; nothing has been published there yet (run `autodidact build`)") +
          `, or pass --data-dir`
      })
    }
    const folders = yield* versionFolders(dataDir, name)
    const versions: Array<string> = []
    for (const v of folders) if (yield* hasManifest(dataDir, name, v)) versions.push(v)
    return { latest, versions }
  })

const hasManifest = (dataDir: string, name: string, version: string) =>
  Effect.promise(() =>
    stat(join(versionDir(dataDir, name, version), "manifest.json")).then(
      (st) => st.isFile(),
      () => false
    )
  )

/** Datasets that have a LATEST file. */
export const knownDatasets = (dataDir: string) =>
  Effect.gen(function* () {
    const names = yield* listDir(datasetsDir(dataDir)).pipe(Effect.mapError((e) => new StoreIoError({ path: e.path, message: e.message })))
    const out: Array<string> = []
    for (const n of names) if ((yield* readLatest(dataDir, n)) !== undefined) out.push(n)
    return out
  })

/** Resolves a user's --at (default LATEST) to a published version's folder name. */
export const resolveVersion = (dataDir: string, name: string, requested?: string) =>
  Effect.flatMap(publishedVersions(dataDir, name), (published) => chooseVersion(name, published, requested))

/** `resolveVersion` over versions already listed by `publishedVersions`. */
export const chooseVersion = (name: string, { latest, versions }: { readonly latest: string; readonly versions: ReadonlyArray<string> }, requested?: string) =>
  Effect.gen(function* () {
    if (requested === undefined) return latest
    const v = normaliseVersion(requested)
    if (v === undefined || !versions.includes(v)) {
      return yield* new UnknownVersion({
        dataset: name,
        version: requested,
        message: `dataset "${name}" has no version "${requested}"; versions: ${versions.join(", ")} (LATEST is ${latest}); see \`autodidact versions ${name}\``
      })
    }
    return v
  })
