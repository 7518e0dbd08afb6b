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
  /** Memo folders (cache/memo/) removed because no run left reads them. */
  readonly memoFolders: number
}

interface RunFolder {
  readonly name: string
  readonly summary: RunSummary | undefined
  /** Folders outside the run it read (other runs' stages, memo folders), from its uses.json. */
  readonly uses: ReadonlyArray<string>
}

/** The run folder (under runs/) a stage's output lives in, from its `dir` ("runs/<run>/<stage>"). */
const runOf = (dir: string | undefined): string | undefined => /^runs\/([^/]+)\//.exec(`${dir ?? ""}/`)?.[1]

const newestFirst = (a: RunFolder, b: RunFolder): number =>
  b.summary!.finished_at < a.summary!.finished_at ? -1 : b.summary!.finished_at > a.summary!.finished_at ? 1 : a.name < b.name ? -1 : 1

/** Whether a live process holds the run's lock (one on another host cannot be checked, so it counts as live). */
const lockedNow = (runsDir: string, name: string) =>
  readJsonIfExists<LockInfo>(join(runsDir, name, ".lock")).pipe(
    Effect.orElseSucceed(() => undefined),
    Effect.map((lock) => lock !== undefined && (lock.host !== hostname() || pidAlive(lock.pid)))
  )

const readRun = (runsDir: string, name: string) =>
  Effect.gen(function* () {
    const summary = yield* readJsonIfExists<RunSummary>(join(runsDir, name, "summary.json")).pipe(Effect.orElseSucceed(() => undefined))
    const uses = yield* readJsonIfExists<{ paths?: Array<string> }>(join(runsDir, name, "uses.json")).pipe(Effect.orElseSucceed(() => undefined))
    return { name, summary, uses: uses?.paths ?? [] } satisfies RunFolder
  })

/** Everything a run reads outside its own folder: its stages' folders and memo folders, by summary and uses.json. */
const readsOf = (f: RunFolder): Array<{ readonly path: string; readonly stage?: string }> => [
  ...(f.summary?.stages ?? []).flatMap((s) => [...(s.dir === undefined ? [] : [{ path: s.dir, stage: s.name }]), ...(s.memo === undefined ? [] : [{ path: s.memo, stage: s.name }])]),
  ...f.uses.map((path) => ({ path }))
]

/**
 * Removes the finished run folders of `pipeline` beyond the newest `keep`, and its failed ones beyond the
 * newest `keep` failed, with the stage cache entries that pointed into them. A run reuses stages from an
 * earlier run's folder (a cache hit), so every folder a kept run reads from is kept too: by its summary
 * once finished, by its uses.json while it runs (written before it reads). A run that did not finish
 * (the same build resumes it), or whose lock a live process holds, is never removed; the lock is checked
 * again right before each removal. Removal renames first, so a crash leaves no half folder under a run's
 * name. Then, when no run of any pipeline is live, the memo folders no remaining run reads are removed.
 */
export const collectRuns = (dataDir: string, pipeline: string, keep: number): Effect.Effect<CollectedRuns, MaterialiseError> =>
  Effect.gen(function* () {
    const runsDir = join(dataDir, "runs")
    const all: Array<RunFolder & { readonly locked: boolean }> = []
    for (const name of yield* listDir(runsDir)) {
      // What an earlier collection renamed and did not get to remove.
      if (name.startsWith(".trash-")) {
        yield* removePath(join(runsDir, name))
        continue
      }
      all.push({ ...(yield* readRun(runsDir, name)), locked: yield* lockedNow(runsDir, name) })
    }
    const folders = all.filter((f) => f.name.startsWith(`${pipeline}-`))
    const why = new Map<string, string>()
    const finished = folders.filter((f) => f.summary?.status === "succeeded").sort(newestFirst)
    for (const f of finished.slice(0, keep)) why.set(f.name, `one of the newest ${keep} finished runs`)
    const failed = folders.filter((f) => f.summary !== undefined && f.summary.status !== "succeeded").sort(newestFirst)
    for (const f of failed.slice(0, keep)) why.set(f.name, "failed, one of the newest: the same build resumes it")
    for (const f of folders) {
      if (why.has(f.name)) continue
      if (f.locked) why.set(f.name, "a live process holds its lock")
      else if (f.summary === undefined) why.set(f.name, "unfinished: the same build resumes it")
    }
    // Every run kept so far, and every run of another pipeline, may read from a folder of this pipeline.
    const readers = all.filter((f) => why.has(f.name) || !f.name.startsWith(`${pipeline}-`))
    for (const r of readers) {
      for (const read of readsOf(r)) {
        const used = runOf(read.path)
        if (used === undefined || used === r.name || why.has(used) || !folders.some((f) => f.name === used)) continue
        why.set(used, `${r.name} ${r.summary === undefined ? "reads" : "reuses"} ${read.stage === undefined ? "a stage of it" : `its ${read.stage} stage`}`)
      }
    }
    const removed: Array<string> = []
    for (const f of folders) {
      if (why.has(f.name)) continue
      // A build may have started in this folder since it was read.
      if (yield* lockedNow(runsDir, f.name)) {
        why.set(f.name, "a live process holds its lock")
        continue
      }
      const trash = join(runsDir, `.trash-${f.name}`)
      yield* Effect.tryPromise({ try: () => rename(join(runsDir, f.name), trash), catch: fileError(join(runsDir, f.name)) })
      yield* removePath(trash)
      removed.push(f.name)
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
    const memoFolders = yield* collectMemos(dataDir, all.filter((f) => !removed.includes(f.name)))
    return {
      removed,
      kept: folders.filter((f) => why.has(f.name)).map((f) => ({ run: f.name, why: why.get(f.name)! })),
      cacheEntries,
      memoFolders
    }
  })

/**
 * Removes memo folders that no remaining run reads (a memo of an older code fingerprint, config or seed
 * count is never read again). Only when no run is live: a starting run records its memo in uses.json
 * just before it opens it, and that moment must not fall between reading the records and removing.
 */
const collectMemos = (dataDir: string, remaining: ReadonlyArray<RunFolder & { readonly locked: boolean }>) =>
  Effect.gen(function* () {
    if (remaining.some((f) => f.locked)) return 0
    const memoRoot = join(dataDir, "cache", "memo")
    const live = new Set(remaining.flatMap((f) => readsOf(f).map((r) => r.path)))
    let n = 0
    for (const name of yield* listDir(memoRoot)) {
      if (live.has(join("cache", "memo", name))) continue
      const trash = join(memoRoot, name.startsWith(".trash-") ? name : `.trash-${name}`)
      if (!name.startsWith(".trash-")) {
        yield* Effect.tryPromise({ try: () => rename(join(memoRoot, name), trash), catch: fileError(join(memoRoot, name)) })
        n += 1
      }
      yield* removePath(trash)
    }
    return n
  })
