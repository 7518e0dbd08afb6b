import { basename, dirname, join } from "node:path"
import { Effect, Layer, Option, Schema } from "effect"
import { Command, Flag } from "effect/cli"
import { collectRuns, Progress } from "#dag"
import { acquireLock, ensureDir, errorMessage, LockTimeout, writeFileAtomic } from "#io"
import { gcVersions, readLatest } from "#store"
import { pipelines } from "#pipelines/registry.ts"
import { buildFlags, checkBuildFlags, pipelineNames, runBuild, type BuildFlagValues } from "../build-run.ts"
import { codeFingerprint } from "../code-fingerprint.ts"
import { UsageError } from "../errors.ts"
import { onSchedule, parseCron } from "../refresh-schedule.ts"

/** How refresh lines are written: for people (`human`), or one JSON object per line (`json`). */
type LogFormat = "human" | "json"

const logLine = (format: LogFormat) => (event: string, text: string, fields: Record<string, unknown> = {}) =>
  Effect.sync(() => {
    const time = new Date().toISOString()
    process.stdout.write(format === "json" ? JSON.stringify({ time, event, ...fields }) + "\n" : `${time} ${text}\n`)
  })

/** Another refresh of the same pipeline holds the lock (without --wait): exit 1, nothing built. */
export class RefreshBusy extends Schema.TaggedError<RefreshBusy>()("RefreshBusy", { message: Schema.String }) {}

/** A refresh whose build or publish failed; LATEST is as it was. */
export class RefreshFailed extends Schema.TaggedError<RefreshFailed>()("RefreshFailed", { message: Schema.String }) {}

const busyMessage = (pipeline: string, e: LockTimeout) =>
  `another refresh of ${pipeline} is running (${e.holder}); this one stops without building. Pass --wait to wait for it, ` +
  `or if that process is gone, delete ${e.lockFile}`

interface RefreshRecord {
  readonly pipeline: string
  readonly started_at: string
  readonly finished_at: string
  readonly status: "published" | "unchanged" | "failed" | "busy"
  readonly version?: string
  readonly latest?: string
  readonly error?: string
  readonly run_id?: string
  readonly summary?: unknown
  readonly collected?: unknown
}

/**
 * One refresh: under the pipeline's refresh lock, build with the stage and response caches (so only what
 * changed is computed), publish only new content, collect old versions and runs with --keep, and leave
 * a record of what happened in <out>/refresh/<pipeline>/. A failed build publishes nothing: LATEST stays.
 */
const refreshOnce = (
  flags: BuildFlagValues & { readonly keep: Option.Option<number>; readonly wait: boolean; readonly logFormat: LogFormat },
  log: ReturnType<typeof logLine>,
  display: Layer.Layer<Progress>,
  logFailures: boolean
) =>
  Effect.scoped(
    Effect.gen(function* () {
      const pipeline = flags.pipeline
      const records = join(flags.out, "refresh", pipeline)
      yield* ensureDir(records)
      const startedAt = new Date().toISOString()
      const record = (r: Omit<RefreshRecord, "pipeline" | "started_at" | "finished_at">) =>
        writeFileAtomic(
          join(records, `${startedAt.replace(/[:.]/g, "-")}.json`),
          JSON.stringify({ pipeline, started_at: startedAt, finished_at: new Date().toISOString(), ...r } satisfies RefreshRecord, null, 2) + "\n"
        )
      const lockFile = join(flags.out, "refresh", `${pipeline}.lock`)
      yield* acquireLock(lockFile, { purpose: `refresh of ${pipeline}`, timeoutMs: flags.wait ? 24 * 3_600_000 : 0, pollMs: 500 }).pipe(
        Effect.catchTag("LockTimeout", (e) =>
          Effect.gen(function* () {
            const message = busyMessage(pipeline, e)
            // A scheduled refresh that finds another one running is recorded and logged, not skipped in silence.
            yield* record({ status: "busy", error: message })
            if (logFailures) yield* log("refresh.busy", message, { pipeline, holder: e.holder })
            return yield* new RefreshBusy({ message })
          })
        )
      )
      yield* log("refresh.start", `refresh of ${pipeline} started`, { pipeline })
      const outcome = yield* Effect.result(runBuild({ ...flags, dryRun: false }, () => display))
      if (outcome._tag === "Failure" || outcome.success.kind !== "built") {
        const error = outcome._tag === "Failure" ? outcome.failure : undefined
        const latest = yield* readLatest(flags.out, pipeline).pipe(Effect.orElseSucceed(() => undefined))
        const message = errorMessage(error)
        const said = `refresh of ${pipeline} failed: ${message}; ${latest === undefined ? "nothing was published before" : `LATEST is still ${latest}`}`
        yield* record({ status: "failed", error: message, ...(latest === undefined ? {} : { latest }) })
        // With --once in human form the error line says it; a schedule or a JSON log needs the line itself.
        if (logFailures) yield* log("refresh.failed", said, { pipeline, error: message, latest: latest ?? null })
        // A usage error (a bad flag value found by the build) keeps its exit code 2.
        return yield* Effect.fail(error instanceof UsageError ? error : new RefreshFailed({ message: said }))
      }
      const { run, published } = outcome.success
      const dataset = basename(dirname(published.dir))
      const done = { status: published.status, version: published.version, run_id: run.runId, summary: run.summary }
      // Recorded before --keep collects anything: a collection that fails cannot hide what was published.
      yield* record(done)
      const parts = run.summary.stages.reduce((a, s) => a + s.parts, 0)
      const reused = run.summary.stages.reduce((a, s) => a + s.parts_reused, 0)
      // Rows computed by the stages that did not come whole from the cache: with --per-seed, one new seed's rows.
      const computed = run.summary.stages.filter((s) => s.cache !== "hit").map((s) => ({ stage: s.name, rows_in: s.rows_in, rows_reused: s.rows_reused ?? 0 }))
      const rowsIn = computed.reduce((a, s) => a + s.rows_in, 0)
      const rowsReused = computed.reduce((a, s) => a + s.rows_reused, 0)
      yield* log(
        published.status === "published" ? "refresh.published" : "refresh.unchanged",
        `${published.status === "published" ? `published ${dataset} ${published.version}` : `${dataset}: content unchanged, LATEST stays ${published.version}; nothing published`} ` +
          `(${run.summary.totals.cache_hits} of ${run.summary.stages.length} stages cached, ${reused} of ${parts} parts reused` +
          `${rowsReused === 0 ? "" : `; the other stages computed ${(rowsIn - rowsReused).toLocaleString("en-US")} of ${rowsIn.toLocaleString("en-US")} input rows, reusing the rest`})`,
        {
          pipeline,
          dataset,
          status: published.status,
          version: published.version,
          run_id: run.runId,
          cached_stages: run.summary.totals.cache_hits,
          parts,
          parts_reused: reused,
          rows_reused: rowsReused,
          stage_rows: computed,
          rows: published.rows
        }
      )
      if (flags.logFormat === "human") {
        for (const s of computed) {
          if (s.rows_reused > 0) yield* log("refresh.stage", `  ${s.stage}: ${(s.rows_in - s.rows_reused).toLocaleString("en-US")} of ${s.rows_in.toLocaleString("en-US")} rows computed, ${s.rows_reused.toLocaleString("en-US")} reused`)
        }
      }
      if (flags.logFormat === "human" && published.warnings !== undefined) for (const w of published.warnings) yield* log("refresh.warning", `warning: ${w}`)
      if (Option.isNone(flags.keep)) return
      const keep = flags.keep.value
      const collection = yield* Effect.result(
        Effect.gen(function* () {
          const versions = yield* gcVersions(flags.out, dataset, keep)
          const runs = yield* collectRuns(flags.out, pipeline, keep)
          return { versions: versions.removed, runs: runs.removed, cache_entries: runs.cacheEntries, memo_folders: runs.memoFolders }
        })
      )
      if (collection._tag === "Failure") {
        const message = `${dataset} ${published.version} is ${published.status === "published" ? "published" : "unchanged"}, but --keep ${keep} failed: ${errorMessage(collection.failure)}`
        yield* record({ ...done, error: message })
        yield* log("refresh.collect_failed", message, { pipeline, error: errorMessage(collection.failure) })
        return yield* new RefreshFailed({ message })
      }
      const collected = collection.success
      yield* record({ ...done, collected })
      if (collected.versions.length + collected.runs.length + collected.memo_folders > 0) {
        yield* log(
          "refresh.collected",
          `--keep ${keep}: removed versions [${collected.versions.join(", ")}], run folders [${collected.runs.join(", ")}], ${collected.memo_folders} memo folder${collected.memo_folders === 1 ? "" : "s"}`,
          { pipeline, ...collected }
        )
      }
    })
  )


export const refreshCommand = Command.make(
  "refresh",
  {
    ...buildFlags,
    once: Flag.Boolean("once").pipe(Flag.withDescription("build now, once, and exit (for a host's own cron, a systemd timer or CI)"), Flag.withDefault(false)),
    cron: Flag.String("cron").pipe(
      Flag.withDescription('keep running and build at each time the cron expression names, e.g. "0 3 * * *" (03:00 every day, UTC); the next time is printed'),
      Flag.optional
    ),
    keep: Flag.Int("keep").pipe(Flag.withDescription("after each refresh, remove versions and finished run folders beyond the newest N (LATEST, locked versions and the runs they reuse are kept)"), Flag.optional),
    wait: Flag.Boolean("wait").pipe(Flag.withDescription("when another refresh of this pipeline is running, wait for it instead of exiting"), Flag.withDefault(false)),
    logFormat: Flag.Literals("log-format", ["human", "json"] as const).pipe(
      Flag.withDescription("refresh lines for people (human, the default) or one JSON object per line (json); stage progress stays on stderr"),
      Flag.withDefault("human" as const)
    )
  },
  (flags) =>
    Effect.gen(function* () {
      if (pipelines[flags.pipeline] === undefined) return yield* new UsageError({ message: `unknown pipeline "${flags.pipeline}"; known pipelines: ${pipelineNames()}` })
      if (flags.once === Option.isSome(flags.cron)) return yield* new UsageError({ message: "refresh takes one of --once (build now) and --cron EXPR (build on a schedule)" })
      if (flags.dryRun) return yield* new UsageError({ message: "refresh does not dry-run: use `autodidact build --dry-run` to see what a model build would send" })
      if (Option.isSome(flags.keep) && flags.keep.value < 1) return yield* new UsageError({ message: `--keep must be at least 1 (got ${flags.keep.value}); LATEST is always kept` })
      // Bad flags fail now, not at every scheduled time; and the code is fingerprinted as it was when this
      // process loaded it, so a `git pull` while the schedule waits cannot label old code's output as new.
      yield* checkBuildFlags({ ...flags, dryRun: false })
      codeFingerprint()
      const log = logLine(flags.logFormat)
      // JSON logs are for machines: stage progress would interleave with them on a terminal, so it goes quiet.
      const display = flags.logFormat === "json" ? Progress.silent : process.stderr.isTTY ? Progress.tty(process.stderr) : Progress.plain((line) => process.stderr.write(line + "\n"), 30_000)
      if (Option.isNone(flags.cron)) return yield* refreshOnce(flags, log, display, flags.logFormat === "json")
      const cron = yield* parseCron(flags.cron.value)
      // A failed or busy refresh is logged and recorded; the schedule goes on (the next one may succeed).
      const job = refreshOnce(flags, log, display, true).pipe(Effect.catch(() => Effect.void))
      return yield* onSchedule(cron, job, (next) => log("refresh.next", `next refresh of ${flags.pipeline} at ${next.toISOString()}`, { pipeline: flags.pipeline, next: next.toISOString() }))
    })
).pipe(
  Command.withDescription(
    "Rebuild a dataset now (--once) or on a cron schedule (--cron), publishing a new version only when the content changed. " +
      "Unchanged stages come from the stage cache and model answers from the response cache, so a refresh computes only what changed. " +
      "One refresh per pipeline at a time (a second exits, or waits with --wait); a failed refresh leaves LATEST as it was; " +
      "SIGTERM stops at a batch boundary and the next refresh resumes. Takes every build flag."
  )
)
