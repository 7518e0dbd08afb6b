import { rename } from "node:fs/promises"
import { hostname } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { fileError, listDir, pidAlive, readJsonIfExists, removePath, type LockInfo, type MaterialiseError } from "#io"
import type { RunSummary } from "./summary.ts"

export interface CollectedRuns {
  /** Run folders removed (names under runs/). */
  readonly removed: ReadonlyArray<string>
  /** Run folders kept, each with why. */
  readonly kept: ReadonlyArray<{ readonly run: string; readonly why: string }>
  /** Stage cache entries removed because the output they named went with its run. */
  readonly cacheEntries: number
}

interface RunFolder {
  readonly name: string
  readonly summary: RunSummary | undefined
  readonly locked: boolean
}

/** The run folder (under runs/) a stage's output lives in, from its `dir` ("runs/<run>/<stage>"). */
const runOf = (dir: string | undefined): string | undefined => /^runs\/([^/]+)\//.exec(`${dir ?? ""}/`)?.[1]

/**
 * Removes the finished run folders of `pipeline` beyond the newest `keep`, with the stage cache entries
 * that pointed into them. A later run reuses a stage from an earlier run's folder (a cache hit), so every
 * folder a kept run still reads from is kept too; a run that did not finish (it may be resumed), or whose
 * lock is held by a live process, is never removed. Removal renames first, so a crash leaves no half folder
 * under a run's name.
 */
export const collectRuns = (dataDir: string, pipeline: string, keep: number): Effect.Effect<CollectedRuns, MaterialiseError> =>
  Effect.gen(function* () {
    const runsDir = join(dataDir, "runs")
    const folders: Array<RunFolder> = []
    for (const name of yield* listDir(runsDir)) {
      // What an earlier collection renamed and did not get to remove.
      if (name.startsWith(`.trash-${pipeline}-`)) yield* removePath(join(runsDir, name))
      if (!name.startsWith(`${pipeline}-`)) continue
      const summary = yield* readJsonIfExists<RunSummary>(join(runsDir, name, "summary.json")).pipe(Effect.orElseSucceed(() => undefined))
      const lock = yield* readJsonIfExists<LockInfo>(join(runsDir, name, ".lock")).pipe(Effect.orElseSucceed(() => undefined))
      folders.push({ name, summary, locked: lock !== undefined && (lock.host !== hostname() || pidAlive(lock.pid)) })
    }
    const finished = folders
      .filter((f) => f.summary?.status === "succeeded")
      .sort((a, b) => (b.summary!.finished_at < a.summary!.finished_at ? -1 : b.summary!.finished_at > a.summary!.finished_at ? 1 : a.name < b.name ? -1 : 1))
    const why = new Map<string, string>()
    for (const f of finished.slice(0, keep)) why.set(f.name, `one of the newest ${keep} finished runs`)
    for (const f of finished.slice(0, keep)) {
      for (const s of f.summary!.stages) {
        const used = runOf(s.dir)
        if (used !== undefined && !why.has(used)) why.set(used, `${f.name} reuses its ${s.name} stage`)
      }
    }
    for (const f of folders) {
      if (why.has(f.name)) continue
      if (f.locked) why.set(f.name, "a live process holds its lock")
      else if (f.summary?.status !== "succeeded") why.set(f.name, f.summary === undefined ? "unfinished: the same build resumes it" : "failed: the same build resumes it")
    }
    const removed = folders.filter((f) => !why.has(f.name)).map((f) => f.name)
    for (const name of removed) {
      const trash = join(runsDir, `.trash-${name}`)
      yield* Effect.tryPromise({ try: () => rename(join(runsDir, name), trash), catch: fileError(join(runsDir, name)) })
      yield* removePath(trash)
    }
    let cacheEntries = 0
    if (removed.length > 0) {
      const gone = new Set(removed)
      const cacheDir = join(dataDir, "cache", "stages")
      for (const file of yield* listDir(cacheDir)) {
        if (!file.endsWith(".json")) continue
        const entry = yield* readJsonIfExists<{ dir?: string }>(join(cacheDir, file)).pipe(Effect.orElseSucceed(() => undefined))
        const run = runOf(entry?.dir)
        if (run === undefined || !gone.has(run)) continue
        yield* removePath(join(cacheDir, file))
        cacheEntries += 1
      }
    }
    return {
      removed,
      kept: folders.filter((f) => why.has(f.name)).map((f) => ({ run: f.name, why: why.get(f.name)! })),
      cacheEntries
    }
  })
