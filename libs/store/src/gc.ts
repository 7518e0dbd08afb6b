import { writeFile } from "node:fs/promises"
import { hostname } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { acquireLock, commitFile, DuckDb, removePath, tookOverMessage } from "#io"
import { refreshCatalog } from "./catalog.ts"
import type { StoreError } from "./errors.ts"
import { io } from "./fsutil.ts"
import { datasetDir, DEFAULT_LOCK_TIMEOUT_MS, isVersionName, lockPath, pinPath, publishedVersions, resolveVersion, versionDir } from "./layout.ts"
import { listVersions, type Leftover } from "./versions.ts"

export interface GcResult {
  readonly dataset: string
  readonly removed: ReadonlyArray<string>
  readonly kept: ReadonlyArray<{ readonly version: string; readonly why: string }>
  /** Staging and trash folders (and LATEST temp files) of stopped publishes and gcs, removed under the lock. */
  readonly cleaned: ReadonlyArray<string>
  /** Version folders that are not versions (no readable manifest.json): never counted or removed; a person decides. */
  readonly leftovers: ReadonlyArray<Leftover>
  readonly notes: ReadonlyArray<string>
}

/**
 * Removes old versions, keeping the newest `keep`, LATEST, and every locked (pinned) version. A version
 * is a folder with manifest.json, complete or damaged, whatever its number (versions newer than LATEST
 * after a rollback count too). Holds the publish lock so it never races a publisher; under it, what a
 * stopped publish or gc left (.staging-*, .trash-*, a LATEST temp file) is dead and removed. Version
 * folders without manifest.json are not counted as versions and never removed: they are reported.
 * Each version is renamed aside before it is deleted, so a crash mid-delete never leaves something that
 * looks like a version.
 */
export const gcVersions = (dataDir: string, name: string, keep: number, lockTimeoutMs = DEFAULT_LOCK_TIMEOUT_MS): Effect.Effect<GcResult, StoreError, DuckDb> =>
  Effect.scoped(
    Effect.gen(function* () {
      // Before the lock, whose file would need the dataset's folder: an unknown name is UnknownDataset.
      yield* publishedVersions(dataDir, name)
      const held = yield* acquireLock(lockPath(dataDir, name), { purpose: `gc of dataset "${name}"`, timeoutMs: lockTimeoutMs })
      const notes: Array<string> = []
      const took = tookOverMessage(held)
      if (took !== undefined) notes.push(took)
      const { versions, leftovers: seen } = yield* listVersions(dataDir, name)
      const cleaned: Array<string> = []
      const leftovers: Array<Leftover> = []
      for (const l of seen) {
        if (isVersionName(l.folder)) leftovers.push(l)
        else {
          yield* removePath(join(datasetDir(dataDir, name), l.folder))
          cleaned.push(l.folder)
        }
      }
      // Not slice(-keep): slice(-0) would keep every version.
      const newest = new Set(versions.slice(Math.max(0, versions.length - Math.max(0, keep))).map((v) => v.version))
      const removed: Array<string> = []
      const kept: Array<{ version: string; why: string }> = []
      for (const v of versions) {
        const why = v.latest ? "LATEST" : v.locked ? `locked (${pinPath(dataDir, name, v.version)})` : newest.has(v.version) ? `one of the newest ${keep}` : undefined
        if (why !== undefined) {
          kept.push({ version: v.version, why: v.state === "damaged" ? `${why}; damaged: ${v.problems.join("; ")}` : why })
          continue
        }
        const trash = join(datasetDir(dataDir, name), `.trash-${v.version}-${process.pid}`)
        yield* commitFile(versionDir(dataDir, name, v.version), trash)
        yield* removePath(trash)
        removed.push(v.version)
      }
      if (removed.length > 0) {
        yield* refreshCatalog(dataDir, lockTimeoutMs).pipe(
          Effect.catch((e) => Effect.sync(() => void notes.push(`the catalog was not updated (${e.message})`)))
        )
      }
      return { dataset: name, removed, kept, cleaned, leftovers, notes }
    })
  )

/** Pins a version so gc keeps it (e.g. while a training run reads it): writes `<dataset>/vNNNN.lock`. */
export const lockVersion = (dataDir: string, name: string, version: string, reason: string) =>
  Effect.gen(function* () {
    const v = yield* resolveVersion(dataDir, name, version)
    const path = pinPath(dataDir, name, v)
    yield* io(path, () => writeFile(path, JSON.stringify({ reason, pid: process.pid, host: hostname(), at: new Date().toISOString() }) + "\n"))
    return path
  })

export const unlockVersion = (dataDir: string, name: string, version: string) =>
  Effect.gen(function* () {
    const v = yield* resolveVersion(dataDir, name, version)
    yield* removePath(pinPath(dataDir, name, v))
  })
