import { readFileSync, renameSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import { Cause, Deferred, Effect, Schema, SchemaAST, Semaphore, Stream } from "effect"
import { hashValue, rngFor } from "#core"
import { acquireLock, DuckDb, ensureDir, fileSize, readJsonIfExists, removePath, tookOverMessage, writeFileAtomic, type DuckDbError, type LockTimeout, type MaterialiseError } from "#io"
import { StageFailed, StageSkipped, type PlanError } from "./errors.ts"
import { finishedParts, keyColumnsOf, partName, readParts, writePart, type KeyColumn, type PartStats, type Reject } from "./parts.ts"
import { memoDir, openMemo, readsHold, rowHash, type Memo, type MemoEntry } from "./memo.ts"
import { plan } from "./plan.ts"
import { compileRowGuard } from "./row-guard.ts"
import { Progress } from "./progress.ts"
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_PART_ROWS,
  DEFAULT_WINDOW,
  MAX_PART_REJECTS,
  NO_ROW,
  REORDER_WINDOWS,
  rowIdOf,
  type MapStage,
  type RowStage,
  type Stage,
  type StageContext,
  type StageRequirements,
  type StreamStage
} from "./stage.ts"
import { addCounts, sortedCounts, type RunSummary, type StageFigures } from "./summary.ts"

export interface RunOptions<S extends Stage<any> = Stage> {
  readonly pipeline: string
  readonly stages: ReadonlyArray<S>
  readonly seed: number
  /** Root of runs/ and cache/ (the repository's data/ by default). */
  readonly dataDir: string
  /** Pipeline-level configuration: with the seed it names the run, so the same command resumes the same run. */
  readonly config?: unknown
  readonly runId?: string
  /**
   * How long to wait for another live process running the same run (default 0: fail at once, naming
   * it). A lock left by a killed run is taken over, so a resumed run never waits for a dead one.
   */
  readonly lockTimeoutMs?: number
  /** Figures of services the stages used (a language model's usage), read when the run ends, kept in its summary. */
  readonly reports?: Effect.Effect<Readonly<Record<string, unknown>>>
  /**
   * A fingerprint of the code that computes the stages (e.g. a hash of its sources), part of every stage key
   * and memo identity: a stage whose code changed never serves output an older version of it computed,
   * even when nobody bumped its `version`.
   */
  readonly code?: string
}

/** A finished stage's output: its part files in order, with counts; what the next stage reads. */
export interface StageOutput {
  readonly stage: string
  readonly key: string
  readonly dir: string
  readonly files: ReadonlyArray<string>
  readonly rows: number
}

export interface StageManifest {
  readonly stage: string
  readonly version: number
  readonly key: string
  readonly config: unknown
  readonly inputs: Readonly<Record<string, string>>
  readonly parts: ReadonlyArray<{ readonly file: string; readonly rows: number; readonly bytes: number }>
  readonly rows_in: number
  readonly rows: number
  readonly rejects: Readonly<Record<string, number>>
  readonly counters: Readonly<Record<string, number>>
}

export interface RunResult {
  readonly runId: string
  readonly runDir: string
  readonly summary: RunSummary
  readonly outputs: ReadonlyMap<string, StageOutput>
}

export type RunError = PlanError | StageFailed | StageSkipped | MaterialiseError | DuckDbError | LockTimeout

export const runIdFor = (pipeline: string, seed: number, config: unknown): string =>
  `${pipeline}-s${seed}-${hashValue({ pipeline, seed, config }).slice(0, 12)}`

/**
 * Runs a pipeline's stages: plans the graph, runs each stage as soon as its inputs are finished (so
 * independent stages run concurrently), reuses any stage whose cache key finished before, and resumes
 * unfinished stages batch by batch. Fails with the first failed stage, after the others have stopped.
 */
export const runPipeline = <S extends Stage<any> = Stage>(options: RunOptions<S>): Effect.Effect<RunResult, RunError, DuckDb | Progress | StageRequirements<S>> =>
  runStages(options as RunOptions<Stage<any>>) as Effect.Effect<RunResult, RunError, DuckDb | Progress | StageRequirements<S>>

const runStages = (options: RunOptions<Stage<any>>): Effect.Effect<RunResult, RunError, DuckDb | Progress> =>
  Effect.gen(function* () {
    const planned = yield* plan(options.stages)
    const progress = yield* Progress
    const runId = options.runId ?? runIdFor(options.pipeline, options.seed, options.config ?? null)
    const runDir = join(options.dataDir, "runs", runId)
    const cacheDir = join(options.dataDir, "cache", "stages")
    yield* ensureDir(runDir)
    yield* ensureDir(cacheDir)
    // Two processes must not write one run's parts at once; the lock is held until the run ends.
    const held = yield* acquireLock(join(runDir, ".lock"), { purpose: `run ${runId}`, timeoutMs: options.lockTimeoutMs ?? 0 })
    const took = tookOverMessage(held)
    const uses = usesRecorder(options.dataDir, runDir)
    const startedAt = new Date()

    const done = new Map<string, Deferred.Deferred<StageOutput, StageFailed | StageSkipped>>()
    for (const s of planned.order) done.set(s.name, yield* Deferred.make<StageOutput, StageFailed | StageSkipped>())
    const figures = new Map<string, StageFigures>()

    const runOne = (stage: Stage<any>) =>
      Effect.gen(function* () {
        const inputs = new Map<string, StageOutput>()
        for (const name of stage.inputs) {
          const result = yield* Effect.result(Deferred.await(done.get(name)!))
          if (result._tag === "Failure") {
            return yield* new StageSkipped({ stage: stage.name, because: `its input "${name}" did not finish` })
          }
          inputs.set(name, result.success)
        }
        return yield* executeStage(stage, inputs, { runDir, cacheDir, dataDir: options.dataDir, seed: options.seed, code: options.code, uses }, figures)
      }).pipe(
        Effect.catchCause((cause) => {
          const error = toStageError(stage.name, cause)
          progress.finish(stage.name, error._tag === "StageSkipped" ? "skipped" : "failed")
          if (!figures.has(stage.name)) {
            figures.set(stage.name, {
              ...emptyFigures(stage.name),
              status: error._tag === "StageSkipped" ? "skipped" : "failed",
              error: error._tag === "StageSkipped" ? `skipped: ${error.because}` : error.message
            })
          }
          return Effect.fail(error)
        }),
        Effect.exit,
        Effect.flatMap((exit) => Deferred.done(done.get(stage.name)!, exit))
      )

    yield* Effect.forEach(planned.order, runOne, { concurrency: "unbounded", discard: true })
    progress.close()

    const outputs = new Map<string, StageOutput>()
    let failure: StageFailed | StageSkipped | undefined
    for (const s of planned.order) {
      const r = yield* Effect.result(Deferred.await(done.get(s.name)!))
      if (r._tag === "Success") outputs.set(s.name, r.success)
      else if (failure === undefined || (failure._tag === "StageSkipped" && r.failure._tag === "StageFailed")) failure = r.failure
    }
    const finishedAt = new Date()
    const reports = options.reports === undefined ? undefined : yield* options.reports
    const stages = planned.order.map((s) => figures.get(s.name) ?? emptyFigures(s.name))
    const summary: RunSummary = {
      run_id: runId,
      pipeline: options.pipeline,
      seed: options.seed,
      config_hash: hashValue(options.config ?? null),
      status: failure === undefined ? "succeeded" : "failed",
      started_at: startedAt.toISOString(),
      finished_at: finishedAt.toISOString(),
      duration_ms: finishedAt.getTime() - startedAt.getTime(),
      stages,
      totals: {
        cache_hits: stages.filter((s) => s.cache === "hit").length,
        rejects: stages.reduce((n, s) => n + Object.values(s.rejects).reduce((a, b) => a + b, 0), 0)
      },
      ...(took === undefined ? {} : { notes: [took] }),
      ...(reports === undefined || Object.keys(reports).length === 0 ? {} : { reports }),
      ...(failure === undefined ? {} : { error: describeFailure(failure) })
    }
    yield* writeFileAtomic(join(runDir, "summary.json"), JSON.stringify(summary, null, 2) + "\n")
    if (failure !== undefined) return yield* Effect.fail(failure)
    return { runId, runDir, summary, outputs }
  }).pipe(Effect.scoped)

interface RunPaths {
  readonly runDir: string
  readonly cacheDir: string
  readonly dataDir: string
  readonly seed: number
  readonly code: string | undefined
  /** Records a folder outside the run that it reads (see usesRecorder). */
  readonly uses: (path: string) => void
}

const emptyFigures = (name: string): StageFigures => ({
  name,
  status: "skipped",
  cache: "none",
  rows_in: 0,
  rows_out: 0,
  rejects: {},
  counters: {},
  parts: 0,
  parts_reused: 0,
  rows_reused: 0,
  duration_ms: 0
})

export const describeFailure = (e: StageFailed | StageSkipped): string =>
  e._tag === "StageSkipped"
    ? `stage "${e.stage}" was skipped: ${e.because}`
    : `stage "${e.stage}" failed${e.batch === undefined ? "" : ` in batch ${e.batch}`}${e.record === undefined ? "" : ` at record ${e.record}`}: ${e.message}`

const toStageError = (stage: string, cause: unknown): StageFailed | StageSkipped => {
  const error = squash(cause)
  if (error instanceof StageFailed || error instanceof StageSkipped) return error
  return new StageFailed({ stage, message: messageOf(error) })
}

const squash = (cause: unknown): unknown => (Cause.isCause(cause) ? Cause.squash(cause) : cause)

export const messageOf = (error: unknown): string => {
  if (error instanceof Error) return error.message || String(error)
  if (typeof error === "object" && error !== null) {
    const e = error as Record<string, unknown>
    if (typeof e["message"] === "string") return e["message"]
    if (typeof e["_tag"] === "string") return `${e["_tag"]}: ${JSON.stringify(e)}`
  }
  return String(error)
}

/** The record a typed error names as its own: the `record` field of a RecordError, or of a stage's own tagged error. */
const recordOfError = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && typeof (error as { readonly _tag?: unknown })._tag === "string" && typeof (error as { readonly record?: unknown }).record === "string"
    ? (error as { readonly record: string }).record
    : undefined

/**
 * A stage's error as the run's: the stage, the batch where there is one, and the record, which the error
 * names itself (recordOfError) or else the engine names from the row it knows failed (`row`), if any.
 */
const stageFailure = (stage: string, error: unknown, where: { readonly batch?: number; readonly row?: () => string | undefined }): StageFailed => {
  if (error instanceof StageFailed) return error
  const record = recordOfError(error) ?? where.row?.()
  return new StageFailed({
    stage,
    ...(where.batch === undefined ? {} : { batch: where.batch }),
    ...(record === undefined ? {} : { record }),
    message: messageOf(error)
  })
}

/** Reuse, resume or compute one stage; returns where its output lies. */
const executeStage = (stage: Stage<any>, inputs: ReadonlyMap<string, StageOutput>, paths: RunPaths, figures: Map<string, StageFigures>) =>
  Effect.gen(function* () {
    const progress = yield* Progress
    const started = Date.now()
    const inputKeys = Object.fromEntries(stage.inputs.map((i) => [i, inputs.get(i)!.key]))
    // The seed is part of every key: any stage may draw from ctx.rng, and a reused draw would be wrong.
    // Key columns change the part files, so they are part of the key (only when declared: other stages keep theirs).
    const keyColumns = stage.keyColumns === undefined || stage.keyColumns.length === 0 ? {} : { keyColumns: stage.keyColumns }
    const key = hashValue({ name: stage.name, version: stage.version, seed: paths.seed, config: stage.config ?? null, inputs: inputKeys, ...keyColumns, ...(paths.code === undefined ? {} : { code: paths.code }) })
    const dir = join(paths.runDir, stage.name)
    const cacheEntry = join(paths.cacheDir, `${key}.json`)

    const reusable = yield* findFinished(dir, key, paths.dataDir, cacheEntry)
    if (reusable !== undefined) {
      if (reusable.dir !== dir) paths.uses(reusable.dir)
      progress.start(stage.name)
      progress.advance(stage.name, reusable.manifest.rows_in, reusable.manifest.rows)
      progress.finish(stage.name, "cached")
      figures.set(stage.name, {
        ...figuresOf(stage.name, reusable.manifest, relative(paths.dataDir, reusable.dir)),
        status: "cached",
        cache: "hit",
        parts_reused: reusable.manifest.parts.length,
        rows_reused: reusable.manifest.rows_in,
        duration_ms: Date.now() - started
      })
      return outputOf(stage.name, reusable.dir, reusable.manifest)
    }

    // A folder left by another version of this stage is stale as a whole.
    const previousKey = yield* readJsonIfExists<{ key: string }>(join(dir, "key.json"))
    if (previousKey !== undefined && previousKey.key !== key) yield* removePath(dir)
    yield* ensureDir(dir)
    if (previousKey?.key !== key) yield* writeFileAtomic(join(dir, "key.json"), JSON.stringify({ key }) + "\n")
    const finished = yield* finishedParts(dir)

    const primary = stage.kind === "stream" ? undefined : inputs.get(stage.inputs[0]!)!
    progress.start(stage.name, primary?.rows)
    const db = yield* DuckDb
    const ctxBase = {
      stage: stage.name,
      seed: paths.seed,
      config: stage.config,
      rng: (recordId: string) => rngFor(paths.seed, stage.name, recordId),
      input: (name: string) => {
        const out = inputs.get(name)
        if (out === undefined) {
          return Stream.fail(new StageFailed({ stage: stage.name, message: `reads "${name}", which is not among its declared inputs` }))
        }
        return readParts(out.files).pipe(Stream.provideService(DuckDb, db))
      },
      inputRows: (name: string) => inputs.get(name)?.rows ?? 0
    }
    // What a row of a row-independent stage may read besides itself, as its memo entry records it.
    const readNow = (read: string): string | number => {
      const [kind, name] = [read.slice(0, read.indexOf(":")), read.slice(read.indexOf(":") + 1)]
      const out = inputs.get(name)
      return out === undefined ? "" : kind === "rows" ? out.rows : out.key
    }
    const memoFolder =
      stage.kind === "map" && stage.rowIndependent === true
        ? memoDir(paths.dataDir, { name: stage.name, version: stage.version, seed: paths.seed, config: stage.config ?? null, keyColumns: stage.keyColumns ?? [], ...(paths.code === undefined ? {} : { code: paths.code }) })
        : undefined
    // Recorded before the memo is opened, so a collection that runs meanwhile sees it is in use.
    if (memoFolder !== undefined) paths.uses(memoFolder)
    const memo = memoFolder === undefined ? undefined : { memo: yield* openMemo(memoFolder), readNow }
    const stats =
      stage.kind === "map"
        ? memo === undefined
          ? yield* runMapStage(stage, primary!, dir, finished, ctxBase)
          : yield* runMemoMapStage(stage, primary!, dir, finished, ctxBase, memo)
        : stage.kind === "rows"
          ? yield* runRowStage(stage, primary!, dir, finished, ctxBase)
          : yield* runStreamStage(stage, dir, finished, ctxBase)

    const parts: Array<StageManifest["parts"][number]> = []
    const rejects: Record<string, number> = {}
    const counters: Record<string, number> = {}
    let rows = 0
    let rowsIn = stage.kind === "stream" ? [...inputs.values()].reduce((n, o) => n + o.rows, 0) : 0
    for (const s of stats) {
      const file = partName(s.index, "part", "parquet")
      parts.push({ file, rows: s.rows, bytes: yield* fileSize(join(dir, file)) })
      rows += s.rows
      if (stage.kind !== "stream") rowsIn += s.rows_in
      addCounts(rejects, s.rejects)
      addCounts(counters, s.counters)
    }
    const manifest: StageManifest = {
      stage: stage.name,
      version: stage.version,
      key,
      config: stage.config ?? null,
      inputs: inputKeys,
      parts,
      rows_in: rowsIn,
      rows,
      rejects: sortedCounts(rejects),
      counters: sortedCounts(counters)
    }
    yield* writeFileAtomic(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n")
    yield* writeFileAtomic(cacheEntry, JSON.stringify({ dir: relative(paths.dataDir, dir) }) + "\n")
    progress.finish(stage.name, "done")
    const reused = stats.filter((s) => finished.has(s.index)).length
    const rowsReused = stats.reduce((n, s) => n + (finished.has(s.index) ? s.rows_in : (s.rows_reused ?? 0)), 0)
    figures.set(stage.name, {
      ...figuresOf(stage.name, manifest, relative(paths.dataDir, dir)),
      ...(memoFolder === undefined ? {} : { memo: relative(paths.dataDir, memoFolder) }),
      status: "done",
      cache: reused > 0 ? "resumed" : "miss",
      parts_reused: reused,
      rows_reused: rowsReused,
      duration_ms: Date.now() - started
    })
    return outputOf(stage.name, dir, manifest)
  })

const figuresOf = (name: string, m: StageManifest, dir: string): Omit<StageFigures, "status" | "cache" | "parts_reused" | "rows_reused" | "duration_ms"> => ({
  name,
  key: m.key,
  dir,
  rows_in: m.rows_in,
  rows_out: m.rows,
  rejects: m.rejects,
  counters: m.counters,
  parts: m.parts.length
})

const outputOf = (stage: string, dir: string, m: StageManifest): StageOutput => ({
  stage,
  key: m.key,
  dir,
  files: m.parts.map((p) => join(dir, p.file)),
  rows: m.rows
})

/** A finished output with this key: in this run's folder, or in an earlier run's (via the cache index). */
const findFinished = (dir: string, key: string, dataDir: string, cacheEntry: string) =>
  Effect.gen(function* () {
    const own = yield* readJsonIfExists<StageManifest>(join(dir, "manifest.json"))
    if (own !== undefined && own.key === key) return { dir, manifest: own }
    const entry = yield* readJsonIfExists<{ dir: string }>(cacheEntry)
    if (entry === undefined) return undefined
    const other = join(dataDir, entry.dir)
    const manifest = yield* readJsonIfExists<StageManifest>(join(other, "manifest.json"))
    return manifest !== undefined && manifest.key === key ? { dir: other, manifest } : undefined
  })

type CtxBase = Omit<StageContext<unknown>, "reject" | "count">

/** Per-batch tallies: what a batch rejected and counted is saved with its part, never shared. */
const tallies = () => {
  const rejects: Array<Reject> = []
  const counters: Record<string, number> = {}
  return {
    rejects,
    counters,
    reject: (reason: string, record: { readonly id?: string; readonly detail?: unknown }) => {
      rejects.push({ reason, ...(record.id === undefined ? {} : { id: record.id }), ...(record.detail === undefined ? {} : { detail: record.detail }) })
    },
    count: (counter: string, n = 1) => {
      counters[counter] = (counters[counter] ?? 0) + n
    }
  }
}

const countReasons = (rejects: ReadonlyArray<Reject>): Record<string, number> => {
  const out: Record<string, number> = {}
  for (const r of rejects) out[r.reason] = (out[r.reason] ?? 0) + 1
  return sortedCounts(out)
}

/** Checks each row against the stage's schema and gives its encoded (plain JSON) form. */
const encoderFor = (stage: Stage<any>) => {
  const schema = stage.schema as Schema.Codec<unknown, unknown>
  const encode = Schema.encodeUnknownSync(schema)
  // A row the compiled guard accepts encodes to itself, so it is written as it is; anything else goes
  // through the full encoder, which either accepts it or words the error.
  const guard = SchemaAST.toEncoded(schema.ast) === schema.ast ? compileRowGuard(schema.ast) : undefined
  return (row: unknown, batch: number): unknown => {
    try {
      if (guard !== undefined && guard(row)) return row
      return encode(row)
    } catch (e) {
      // The row is the stage's output, named by its own `id` field when it has one.
      const record = rowIdOf(row)
      throw new StageFailed({
        stage: stage.name,
        batch,
        ...(record === undefined ? {} : { record }),
        message: `a row does not match the stage's output schema: ${messageOf(e)}`
      })
    }
  }
}

/**
 * A batch's output, encoded: one newline-joined JSON text, its key columns and its figures. The row
 * objects are dropped once encoded, so the parts waiting to be written hold only their text (this is
 * what keeps memory flat).
 */
interface EncodedPart {
  readonly stats: PartStats
  readonly text: string
  readonly keys: ReadonlyArray<KeyColumn>
  readonly rejects: ReadonlyArray<Reject>
  /** New memo entries of the part's rows, recorded once the part is written. */
  readonly memo?: { readonly memo: Memo; readonly hashes: ReadonlyArray<string>; readonly entries: ReadonlyArray<MemoEntry> }
}

/** Parts are written this many at a time while the next batches are computed. */
const WRITE_CONCURRENCY = 2

const encodePart = (
  encode: (row: unknown, batch: number) => unknown,
  keyColumns: ReadonlyArray<string>,
  rows: ReadonlyArray<unknown>,
  index: number,
  rowsIn: number,
  t: ReturnType<typeof tallies>
): Effect.Effect<EncodedPart, StageFailed> =>
  Effect.try({
    try: () => {
      const encoded = new Array<unknown>(rows.length)
      for (let i = 0; i < rows.length; i++) encoded[i] = encode(rows[i], index)
      const stats: PartStats = { index, rows_in: rowsIn, rows: rows.length, rejects: countReasons(t.rejects), counters: sortedCounts(t.counters) }
      return { stats, text: encoded.map((row) => JSON.stringify(row)).join("\n"), keys: keyColumnsOf(encoded, keyColumns), rejects: t.rejects }
    },
    catch: (e) => e as StageFailed
  })

/** Writes encoded parts in order of arrival (each to its own file), skipping those finished before. */
const writeParts = (stage: string, dir: string) =>
  Effect.gen(function* () {
    const progress = yield* Progress
    return (part: EncodedPart | PartStats) =>
      "text" in part
        ? writePart(dir, part.stats, part.text, part.rejects, part.keys).pipe(
            // After the part: a part whose memo entries were lost to a kill is still finished, and they are recomputed once.
            Effect.tap(() => (part.memo === undefined ? Effect.void : part.memo.memo.record(part.memo.hashes, part.memo.entries))),
            Effect.tap(() => Effect.sync(() => progress.advance(stage, part.stats.rows_in, part.stats.rows))),
            Effect.as(part.stats)
          )
        : Effect.sync(() => {
            progress.advance(stage, part.rows_in, part.rows)
            return part
          })
  })

const runMapStage = (
  stage: MapStage<string, unknown, unknown, unknown, unknown, unknown>,
  primary: StageOutput,
  dir: string,
  finished: ReadonlyMap<number, PartStats>,
  ctxBase: CtxBase
) =>
  Effect.gen(function* () {
    const encode = encoderFor(stage as Stage<any>)
    const batchSize = stage.batchSize ?? DEFAULT_BATCH_SIZE
    const write = yield* writeParts(stage.name, dir)
    const nameOf = stage.recordId ?? rowIdOf
    const processBatch = (batch: ReadonlyArray<unknown>, index: number) => {
      const t = tallies()
      const ctx: StageContext<unknown> = { ...ctxBase, reject: t.reject, count: t.count }
      // Which row of a batch failed is known only when the batch has one row (or the error says).
      const row = () => (batch.length === 1 ? nameOf(batch[0]) : undefined)
      return (stage.process(batch, ctx) as Effect.Effect<ReadonlyArray<unknown>, unknown>).pipe(
        Effect.mapError((e) => stageFailure(stage.name, e, { batch: index, row })),
        Effect.flatMap((out) => encodePart(encode, stage.keyColumns ?? [], out, index, batch.length, t))
      )
    }
    const db = yield* DuckDb
    return yield* writeBatches(readParts(primary.files).pipe(Stream.provideService(DuckDb, db)), batchSize, finished, stage.concurrency ?? 1, processBatch, write)
  })

/**
 * Cuts a map stage's input into batches (batch k becomes part k), computes the batches whose parts did
 * not finish before a resume (`concurrency` at a time, in order), and writes the parts as they come.
 */
const writeBatches = <A, E, R, E2, R2>(
  items: Stream.Stream<A, E, R>,
  batchSize: number,
  finished: ReadonlyMap<number, PartStats>,
  concurrency: number,
  partOf: (batch: ReadonlyArray<A>, index: number) => Effect.Effect<EncodedPart, StageFailed>,
  write: (part: EncodedPart | PartStats) => Effect.Effect<PartStats, E2, R2>
) =>
  items.pipe(
    Stream.grouped(batchSize),
    Stream.zipWithIndex,
    Stream.mapEffect(
      ([batch, index]): Effect.Effect<EncodedPart | PartStats, StageFailed> => {
        const before = finished.get(index)
        return before === undefined ? partOf(batch, index) : Effect.succeed(before)
      },
      { concurrency }
    ),
    Stream.mapEffect(write, { concurrency: WRITE_CONCURRENCY }),
    Stream.runCollect
  )

/** Input rows looked up in a memo together: one DuckDB query per chunk, not per batch. */
const MEMO_LOOKUP_ROWS = 4096

/** An input row of a row-independent stage with its memo name and the entries recorded for it. */
interface MemoItem {
  readonly row: unknown
  readonly hash: string
  readonly entries: ReadonlyArray<MemoEntry>
}

/**
 * Runs a row-independent map stage through its memo: rows are read and looked up a chunk at a time,
 * cut into the same batches (writeBatches) as runMapStage, and within a batch each row's outcome
 * comes from the memo when an entry's reads still hold, or from `process([row])`. A batch's part is
 * assembled from its rows' outcomes in row order, so rows, rejects and counters are those of a full
 * recompute; new outcomes are recorded after the part is written.
 */
const runMemoMapStage = (
  stage: MapStage<string, unknown, unknown, unknown, unknown, unknown>,
  primary: StageOutput,
  dir: string,
  finished: ReadonlyMap<number, PartStats>,
  ctxBase: CtxBase,
  m: { readonly memo: Memo; readonly readNow: (read: string) => string | number }
) =>
  Effect.gen(function* () {
    const encode = encoderFor(stage as Stage<any>)
    const batchSize = stage.batchSize ?? DEFAULT_BATCH_SIZE
    const keyColumns = stage.keyColumns ?? []
    const write = yield* writeParts(stage.name, dir)
    const nameOf = stage.recordId ?? rowIdOf
    const db = yield* DuckDb
    const lookup = (chunk: ReadonlyArray<readonly [unknown, number]>) => {
      // Rows of parts finished before a resume are not processed again: no need to look them up.
      const items = chunk.map(([row, i]): MemoItem => ({ row, hash: finished.has(Math.floor(i / batchSize)) ? "" : rowHash(row), entries: [] }))
      return m.memo.lookup(items.flatMap((x) => (x.hash === "" ? [] : [x.hash]))).pipe(
        Effect.map((found) => items.map((x) => ({ ...x, entries: found.get(x.hash) ?? [] })))
      )
    }
    const outcomeOf = (item: MemoItem, index: number): Effect.Effect<{ readonly entry: MemoEntry; readonly fresh: boolean }, StageFailed> => {
      const hit = item.entries.find((e) => readsHold(e, m.readNow))
      if (hit !== undefined) return Effect.succeed({ entry: hit, fresh: false })
      const t = tallies()
      const reads: Record<string, string | number> = {}
      const ctx: StageContext<unknown> = {
        ...ctxBase,
        reject: t.reject,
        count: t.count,
        inputRows: (name) => {
          reads[`rows:${name}`] = m.readNow(`rows:${name}`)
          return ctxBase.inputRows(name)
        },
        input: (name) => {
          reads[`input:${name}`] = m.readNow(`input:${name}`)
          return ctxBase.input(name)
        }
      }
      return (Effect.suspend(() => stage.process([item.row], ctx)) as Effect.Effect<ReadonlyArray<unknown>, unknown>).pipe(
        Effect.mapError((e) => stageFailure(stage.name, e, { batch: index, row: () => nameOf(item.row) })),
        Effect.flatMap((out) =>
          Effect.try({
            try: () => ({ entry: { rows: out.map((row) => encode(row, index)), rejects: t.rejects, counters: sortedCounts(t.counters), reads: sortedCounts(reads as Record<string, number>) }, fresh: true }),
            catch: (e) => e as StageFailed
          })
        )
      )
    }
    const partOf = (items: ReadonlyArray<MemoItem>, index: number): Effect.Effect<EncodedPart, StageFailed> =>
      Effect.forEach(items, (item) => outcomeOf(item, index)).pipe(
        Effect.map((done): EncodedPart => {
          const rows: Array<unknown> = []
          const rejects: Array<Reject> = []
          const counters: Record<string, number> = {}
          const hashes: Array<string> = []
          const entries: Array<MemoEntry> = []
          done.forEach(({ entry, fresh }, i) => {
            for (const row of entry.rows) rows.push(row)
            for (const r of entry.rejects) rejects.push(r)
            addCounts(counters, entry.counters)
            if (fresh) {
              hashes.push(items[i]!.hash)
              entries.push(entry)
            }
          })
          const stats: PartStats = {
            index,
            rows_in: items.length,
            rows: rows.length,
            rejects: countReasons(rejects),
            counters: sortedCounts(counters),
            rows_reused: items.length - entries.length
          }
          return {
            stats,
            text: rows.map((row) => JSON.stringify(row)).join("\n"),
            keys: keyColumnsOf(rows, keyColumns),
            rejects,
            ...(entries.length === 0 ? {} : { memo: { memo: m.memo, hashes, entries } })
          }
        })
      )
    const looked = readParts(primary.files).pipe(
      Stream.provideService(DuckDb, db),
      Stream.zipWithIndex,
      Stream.grouped(MEMO_LOOKUP_ROWS),
      Stream.mapEffect((chunk) => lookup(chunk).pipe(Effect.provideService(DuckDb, db))),
      Stream.flattenIterable
    )
    return yield* writeBatches(looked, batchSize, finished, stage.concurrency ?? 1, partOf, write)
  })

/** One row's outcome in a row stage: its output rows and what it rejected and counted. */
interface RowDone {
  readonly batch: number
  readonly size: number
  readonly rows: ReadonlyArray<unknown>
  readonly tallies: ReturnType<typeof tallies>
}

/**
 * Runs a row stage: rows of finished batches are not read again (their parts are replayed); the others
 * go through a bounded window (a semaphore of `window` permits) inside an ordered stream whose
 * concurrency is the reorder buffer, so rows finish in any order but are committed in input order, a
 * batch at a time. A row's rejects and counts are its own, merged in row order into its batch's part.
 */
const runRowStage = (
  stage: RowStage<string, unknown, unknown, unknown, unknown, unknown>,
  primary: StageOutput,
  dir: string,
  finished: ReadonlyMap<number, PartStats>,
  ctxBase: CtxBase
) =>
  Effect.gen(function* () {
    const encode = encoderFor(stage as Stage<any>)
    const batchSize = stage.batchSize ?? DEFAULT_BATCH_SIZE
    const window = Math.max(1, Math.floor(stage.window ?? DEFAULT_WINDOW))
    const reorder = Math.max(window + 2, Math.floor(stage.reorderRows ?? window * REORDER_WINDOWS))
    const slots = yield* Semaphore.make(window)
    const write = yield* writeParts(stage.name, dir)
    const db = yield* DuckDb
    const nameOf = stage.recordId ?? rowIdOf
    const processRow = (row: unknown, batch: number, size: number): Effect.Effect<RowDone, StageFailed> => {
      const t = tallies()
      const ctx: StageContext<unknown> = { ...ctxBase, reject: t.reject, count: t.count }
      // The permit was taken when the row was handed over (see below); it is given back as the row ends.
      return Effect.suspend(() => stage.process(row, ctx)).pipe(
        Effect.ensuring(slots.release(1)),
        Effect.mapError((e) => stageFailure(stage.name, e, { batch, row: () => nameOf(row) })),
        Effect.map((rows) => ({ batch, size, rows, tallies: t }))
      ) as Effect.Effect<RowDone, StageFailed>
    }
    // Gathers a batch's rows (they arrive in order) and hands it on when its last row is in.
    const gather = (acc: Array<RowDone>, done: RowDone | PartStats): readonly [Array<RowDone>, ReadonlyArray<Array<RowDone> | PartStats>] => {
      if (!("batch" in done)) return [acc, [done]]
      acc.push(done)
      return acc.length === done.size ? [[], [acc]] : [acc, []]
    }
    const partOf = (group: Array<RowDone> | PartStats): Effect.Effect<EncodedPart | PartStats, StageFailed> => {
      if (!Array.isArray(group)) return Effect.succeed(group)
      const t = tallies()
      const rows: Array<unknown> = []
      for (const r of group) {
        for (const row of r.rows) rows.push(row)
        for (const x of r.tallies.rejects) t.rejects.push(x)
        for (const [k, n] of Object.entries(r.tallies.counters)) t.count(k, n)
      }
      return encodePart(encode, stage.keyColumns ?? [], rows, group[0]!.batch, group.length, t)
    }
    return yield* readParts(primary.files).pipe(
      Stream.provideService(DuckDb, db),
      Stream.grouped(batchSize),
      Stream.zipWithIndex,
      Stream.flatMap(([rows, index]) => {
        const before = finished.get(index)
        return before !== undefined ? Stream.succeed<RowDone | PartStats | { row: unknown; batch: number; size: number }>(before) : Stream.fromIterable(rows.map((row) => ({ row, batch: index, size: rows.length })))
      }),
      // A row is handed to the ordered stage below only once it has a window permit, so the rows waiting
      // for one wait here, as a stream that is not pulled, not as thousands of parked fibers (waking one of
      // those costs a scan of them all).
      Stream.tap((item) => ("row" in item ? slots.take(1) : Effect.void)),
      Stream.mapEffect((item): Effect.Effect<RowDone | PartStats, StageFailed> => ("row" in item ? processRow(item.row, item.batch, item.size) : Effect.succeed(item as PartStats)), {
        concurrency: reorder
      }),
      Stream.mapAccum((): Array<RowDone> => [], gather),
      Stream.mapEffect(partOf),
      Stream.mapEffect(write, { concurrency: WRITE_CONCURRENCY }),
      Stream.runCollect
    )
  })

const runStreamStage = (stage: StreamStage<string, unknown, unknown, unknown, unknown>, dir: string, finished: ReadonlyMap<number, PartStats>, ctxBase: CtxBase) =>
  Effect.gen(function* () {
    const encode = encoderFor(stage as Stage<any>)
    const partRows = stage.partRows ?? DEFAULT_PART_ROWS
    const write = yield* writeParts(stage.name, dir)
    // A stream stage is sequential, so what it rejects while producing a part's rows is attributed to
    // that part the same way on every run; that keeps resumed totals equal to uninterrupted ones.
    // Tallies are handed over (and rows encoded) in that sequential part of the stream; only the
    // writes overlap with producing the next part.
    let t = tallies()
    const ctx: StageContext<unknown> = { ...ctxBase, reject: (r, x) => t.reject(r, x), count: (c, n) => t.count(c, n) }
    const takeTallies = () => {
      const current = t
      t = tallies()
      return current
    }
    type Cut = readonly [ReadonlyArray<unknown>, ReturnType<typeof tallies>]
    const partOf = (rows: ReadonlyArray<unknown>, index: number, current: ReturnType<typeof tallies>): Effect.Effect<EncodedPart | PartStats, StageFailed> => {
      const before = finished.get(index)
      return before === undefined ? encodePart(encode, stage.keyColumns ?? [], rows, index, 0, current) : Effect.succeed(before)
    }
    const stats = yield* (stage.run(ctx) as Stream.Stream<unknown, unknown>).pipe(
      Stream.mapError((e) => stageFailure(stage.name, e, {})),
      // Parts of `partRows` rows, or fewer when MAX_PART_REJECTS rejects piled up first (NO_ROW marks a
      // rejected record), each with the tallies recorded up to its cut: the cut depends only on the
      // stream's sequence, so a resumed run cuts and attributes the same.
      Stream.mapAccum(
        (): Array<unknown> => [],
        (rows: Array<unknown>, item: unknown): readonly [Array<unknown>, ReadonlyArray<Cut>] => {
          if (item !== NO_ROW) rows.push(item)
          return rows.length >= partRows || t.rejects.length >= MAX_PART_REJECTS ? [[], [[rows, takeTallies()]]] : [rows, []]
        },
        { onHalt: (rows: Array<unknown>): ReadonlyArray<Cut> => (rows.length > 0 ? [[rows, takeTallies()]] : []) }
      ),
      Stream.zipWithIndex,
      Stream.mapEffect(([[rows, taken], index]) => partOf(rows, index, taken)),
      Stream.mapEffect(write, { concurrency: WRITE_CONCURRENCY }),
      Stream.runCollect
    )
    // Rejects or counts after the last row (or from a stage that kept no row) get a part of their own.
    if (t.rejects.length > 0 || Object.keys(t.counters).length > 0) stats.push(yield* Effect.flatMap(partOf([], stats.length, takeTallies()), write))
    return stats
  })

/**
 * What a run reads from outside its folder (another run's finished stage, a memo folder), kept in
 * `<run>/uses.json` from the moment it starts reading, so that `collectRuns` keeps those folders while the
 * run goes on, and after, should it stop unfinished. Written synchronously: the file is tiny, and two
 * stages adding at once must not race their renames.
 */
const usesRecorder = (dataDir: string, runDir: string): ((path: string) => void) => {
  const file = join(runDir, "uses.json")
  const known = new Set<string>()
  try {
    for (const p of (JSON.parse(readFileSync(file, "utf8")) as { paths?: Array<string> }).paths ?? []) known.add(p)
  } catch {
    // No record yet (or a torn one, which a fresh start replaces).
  }
  return (path) => {
    const rel = relative(dataDir, path)
    if (known.has(rel)) return
    known.add(rel)
    writeFileSync(`${file}.tmp`, JSON.stringify({ paths: [...known].sort() }) + "\n")
    renameSync(`${file}.tmp`, file)
  }
}
