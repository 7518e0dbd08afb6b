import { Effect } from "effect"
import { acquireLock, DuckDb, tookOverMessage, writeFileAtomic } from "#io"
import { refreshCatalog } from "./catalog.ts"
import { UnknownVersion, ValidationFailed, type StoreError } from "./errors.ts"
import { DEFAULT_LOCK_TIMEOUT_MS, latestPath, lockPath, normaliseVersion, publishedVersions, readLatest } from "./layout.ts"
import { validateVersion } from "./validate.ts"

export interface RollbackResult {
  readonly dataset: string
  /** What LATEST held before. */
  readonly previous: string
  /** What LATEST holds now. */
  readonly latest: string
  /** "unchanged" when the version asked for already was LATEST. */
  readonly status: "moved" | "unchanged"
  readonly message: string
  readonly notes: ReadonlyArray<string>
}

/**
 * Moves LATEST to another version of the dataset (older, or newer after an earlier rollback), the way a
 * publish moves it: under the dataset's lock, temp file, fsync, rename. The target is validated first
 * (sha256 and size of every shard, row counts, schema, card); a version that fails is refused with the
 * reasons. No version is removed or changed; the next publish takes a number above every version and
 * records the LATEST it was built on as its parent. The catalog is rebuilt afterwards.
 */
export const rollback = (
  dataDir: string,
  name: string,
  version: string,
  lockTimeoutMs = DEFAULT_LOCK_TIMEOUT_MS
): Effect.Effect<RollbackResult, StoreError, DuckDb> =>
  Effect.scoped(
    Effect.gen(function* () {
      const { latest: before, versions } = yield* publishedVersions(dataDir, name)
      const target = normaliseVersion(version)
      if (target === undefined || !versions.includes(target)) {
        return yield* new UnknownVersion({
          dataset: name,
          version,
          message: `dataset "${name}" has no version "${version}"; versions: ${versions.join(", ")} (LATEST is ${before}); see \`autodidact versions ${name}\``
        })
      }
      const held = yield* acquireLock(lockPath(dataDir, name), { purpose: `rollback of dataset "${name}" to ${target}`, timeoutMs: lockTimeoutMs })
      const notes: Array<string> = []
      const took = tookOverMessage(held)
      if (took !== undefined) notes.push(took)
      // Read again under the lock: a publish may have moved it while we waited.
      const previous = (yield* readLatest(dataDir, name)) ?? before
      const report = yield* validateVersion(dataDir, name, target)
      if (report.problems.length > 0) {
        return yield* new ValidationFailed({
          dataset: name,
          version: target,
          file: report.problems[0]!.file,
          problems: report.problems.length,
          message:
            `refused to roll "${name}" back to ${target}: it failed validation (${report.problems.length} problem${report.problems.length === 1 ? "" : "s"}: ` +
            report.problems.map((p) => `${p.file}: ${p.problem.split("\n")[0]}`).join("; ") +
            `). LATEST is still ${previous}; see \`autodidact versions ${name}\` for the others`
        })
      }
      if (previous !== target) yield* writeFileAtomic(latestPath(dataDir, name), target + "\n")
      // Also when LATEST already was the target: so this command mends a catalog an earlier step could not update.
      yield* refreshCatalog(dataDir, lockTimeoutMs).pipe(
        Effect.catch((e) => Effect.sync(() => void notes.push(`the catalog was not updated (${e.message}); LATEST moved all the same: run \`autodidact rollback ${name} ${target}\` again to refresh it`)))
      )
      if (previous === target) {
        return { dataset: name, previous, latest: target, status: "unchanged" as const, message: `dataset "${name}": LATEST already is ${target}; nothing changed (the catalog was rebuilt)`, notes }
      }
      return {
        dataset: name,
        previous,
        latest: target,
        status: "moved" as const,
        message: `dataset "${name}": LATEST was ${previous}, is now ${target} (validated: ${report.files} files, ${report.rows} rows); ${previous} is kept, and the next build publishes above every version`,
        notes
      }
    })
  )
