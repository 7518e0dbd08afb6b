import { execFileSync } from "node:child_process"
import { join } from "node:path"
import { Effect, Layer, Option } from "effect"
import { Argument, Flag } from "effect/cli"
import { Progress, runIdFor, runPipeline, type RunResult, type RunSummary } from "#dag"
import { DuckDb, defaultMemoryLimit } from "#io"
import { DECONTAMINATION_NGRAM } from "#dedup"
import { LanguageModel, type ModelUsage, type Prices } from "#llm"
import { pipelines } from "#pipelines/registry.ts"
import type { DecontaminateOptions, DryRun, Published } from "#pipelines/pipeline.ts"
import { UsageError } from "./errors.ts"
import { RunWhereabouts, trackedProgress } from "./interrupt.ts"
import { requireWritableDir } from "./paths.ts"
import { codeFingerprint } from "./code-fingerprint.ts"
import { liveLine, modelFlags, modelReport, modelSetup, usageLine, type ModelFlagValues } from "./model-flags.ts"
import packageJson from "../../package.json" with { type: "json" }

/**
 * One build of a pipeline, from flags to a published version: what `build` runs once and `refresh` runs
 * on a schedule. Both take the same flags, so a refresh builds exactly what the same `build` would.
 */

const names = () => Object.keys(pipelines).join(", ")
const sizes = () =>
  Object.values(pipelines)
    .map((p) => `${p.name}: ${p.sizeMeaning}, default ${p.defaultSize}`)
    .join("; ")

const perSeedSizes = () =>
  Object.values(pipelines)
    .flatMap((p) => (p.perSeedMeaning === undefined ? [] : [`${p.name}: ${p.perSeedMeaning}`]))
    .join("; ")

export const pipelineNames = names

export const buildFlags = {
    pipeline: Argument.String("pipeline").pipe(
      Argument.withDescription(`the pipeline to build (${names()}); default math`),
      Argument.withDefault("math")
    ),
    seed: Flag.Int("seed").pipe(Flag.withDescription("run seed (default 0): the same seed, size and seed file give byte-identical shards"), Flag.withDefault(0)),
    size: Flag.Int("size").pipe(Flag.withDescription(`how many tasks to make (${sizes()})`), Flag.optional),
    perSeed: Flag.Int("per-seed").pipe(
      Flag.withDescription(
        `instead of --size: how many tasks each seed problem contributes at most (${perSeedSizes()}); ` +
          "a seed added to the file then adds its own rows and changes no other's, so a refresh computes only the new seed's rows"
      ),
      Flag.optional
    ),
    seeds: Flag.String("seeds").pipe(
      Flag.withDescription("seed file to use instead of the pipeline's own (.jsonl, .json, .csv or .parquet, GSM8K format for math)"),
      Flag.optional
    ),
    out: Flag.String("out").pipe(Flag.withDescription("data folder for runs/, cache/, datasets/ and catalog.duckdb (default data)"), Flag.withDefault("data")),
    onBadRows: Flag.Literals("on-bad-rows", ["fail", "skip"] as const).pipe(
      Flag.withDescription("a bad seed row stops the build (fail, the default) or is counted and kept with its reason in the seeds stage's rejects (skip)"),
      Flag.withDefault("fail" as const)
    ),
    decontaminateAgainst: Flag.String("decontaminate-against").pipe(
      Flag.withDescription(
        "benchmark file(s) to decontaminate against (.jsonl or .parquet; repeat the flag or separate with commas): every task whose question " +
          `shares a run of --decontaminate-ngram normalised words with a benchmark row is removed before the per-family quota (default: none)`
      ),
      Flag.atLeast(0)
    ),
    decontaminateField: Flag.String("decontaminate-field").pipe(Flag.withDescription("the benchmark rows' text field (default question)"), Flag.optional),
    decontaminateNgram: Flag.Int("decontaminate-ngram").pipe(
      Flag.withDescription(`n-gram size in words for --decontaminate-against (default ${DECONTAMINATION_NGRAM}); benchmark rows shorter than this are not compared`),
      Flag.optional
    ),
    dryRun: Flag.Boolean("dry-run").pipe(
      Flag.withDescription("with --llm: run the stages that need no model, then print what the model stages would send (requests, tokens, cost, the first request) and stop; nothing is sent or published"),
      Flag.withDefault(false)
    ),
    memoryLimit: Flag.String("memory-limit").pipe(
      Flag.withDescription(
        `DuckDB's memory limit, e.g. 2GB or 1536MiB (default a tenth of this machine's memory, ${defaultMemoryLimit()}): ` +
          "past it the publish's sort and tables spill to <out>/cache/duckdb-tmp instead of growing the process"
      ),
      Flag.optional
    ),
    ...modelFlags
  }

export interface BuildFlagValues extends ModelFlagValues {
  readonly pipeline: string
  readonly seed: number
  readonly size: Option.Option<number>
  readonly perSeed: Option.Option<number>
  readonly seeds: Option.Option<string>
  readonly out: string
  readonly onBadRows: "fail" | "skip"
  readonly decontaminateAgainst: ReadonlyArray<string>
  readonly decontaminateField: Option.Option<string>
  readonly decontaminateNgram: Option.Option<number>
  readonly dryRun: boolean
  readonly memoryLimit: Option.Option<string>
}

/** What one build did: a dry run's estimates, or a finished run and what its publish did. */
export type BuildOutcome =
  | { readonly kind: "dry-run"; readonly run: RunResult; readonly estimates: ReadonlyArray<DryRun>; readonly prices: Prices | undefined }
  | { readonly kind: "built"; readonly run: RunResult; readonly published: Published }

/**
 * Every check of the build flags that needs no run: the pipeline, sizing, decontamination, --out, the model
 * flags and --memory-limit. `refresh --cron` calls it before it schedules anything, so a bad flag is a
 * usage error at once rather than a failure at every scheduled time.
 */
export const checkBuildFlags = (flags: BuildFlagValues) =>
  Effect.gen(function* () {
    const definition = pipelines[flags.pipeline]
    if (definition === undefined) {
      return yield* new UsageError({ message: `unknown pipeline "${flags.pipeline}"; known pipelines: ${names()}` })
    }
    const size = Option.getOrElse(flags.size, () => definition.defaultSize)
    if (size < 1) return yield* new UsageError({ message: `--size must be at least 1 (got ${size})` })
    const perSeed = Option.getOrUndefined(flags.perSeed)
    if (perSeed !== undefined) {
      if (Option.isSome(flags.size)) return yield* new UsageError({ message: "--size and --per-seed size the build two ways: pass one of them" })
      if (definition.perSeedMeaning === undefined) return yield* new UsageError({ message: `pipeline "${definition.name}" does not size per seed: use --size` })
      if (perSeed < 1) return yield* new UsageError({ message: `--per-seed must be at least 1 (got ${perSeed})` })
    }
    const decontaminate = yield* decontaminateOptions(flags)
    yield* memoryLimitOf(flags)
    yield* requireWritableDir("--out", flags.out)
    const model = yield* modelSetup(flags, flags.out)
    return { definition, size, perSeed, decontaminate, model }
  })

/**
 * Runs the pipeline the flags name and publishes it. `display` shows the stages' progress (given the
 * model's live line, when a model is used); the default draws on a TTY and writes plain lines elsewhere.
 */
export const runBuild = (flags: BuildFlagValues, display: (extra: () => ReadonlyArray<string>) => Layer.Layer<Progress> = progressLayer) =>
  Effect.gen(function* () {
    const { definition, size, perSeed, decontaminate, model } = yield* checkBuildFlags(flags)
    const where = yield* RunWhereabouts
    where.phase = "starting"
    const options = {
      seed: flags.seed,
      size,
      perSeed,
      dataDir: flags.out,
      onBadRows: flags.onBadRows,
      seeds: Option.getOrUndefined(flags.seeds),
      codeVersion: codeVersion(),
      model: model.options,
      decontaminate
    }
    const { stages, config } = yield* definition.stages(options)
    if (flags.dryRun) {
      if (model.options === undefined) return yield* new UsageError({ message: "--dry-run estimates what a model build would send: pass --llm URL and --model NAME" })
      const offline = withoutModelStages(stages, definition.modelStages)
      const run = yield* runPipeline({ code: codeFingerprint(), pipeline: definition.name, stages: offline, seed: flags.seed, dataDir: flags.out, config }).pipe(
        // No stage left asks a model: the layer that says so if one did.
        Effect.provide(Layer.merge(trackedProgress(display(() => [])), LanguageModel.none))
      )
      const estimates = yield* definition.estimate(run, options).pipe(Effect.provide(model.cache))
      return { kind: "dry-run", run, estimates, prices: model.prices } satisfies BuildOutcome
    }
    // A wrong URL, key or model name fails here, before any stage runs.
    yield* model.check
    where.beginRun(join(flags.out, "runs", runIdFor(definition.name, flags.seed, config ?? null)), stages)
    // The progress display shows the model's traffic under the stages once the model is there.
    let extra: () => ReadonlyArray<string> = () => []
    const run = yield* Effect.gen(function* () {
      const lm = yield* LanguageModel
      extra = () => liveLine(lm)
      const reports = modelReport.pipe(Effect.provideService(LanguageModel, lm))
      return yield* runPipeline({ code: codeFingerprint(), pipeline: definition.name, stages, seed: flags.seed, dataDir: flags.out, config, reports })
    }).pipe(Effect.provide(Layer.merge(trackedProgress(display(() => extra())), model.layer)))
    where.phase = "publishing"
    // A large publish takes a while: its phases show in a display of their own, under the stages'.
    const published = yield* definition.publish(run, { ...options, config }).pipe(Effect.provide(closing(display(() => []))))
    where.phase = "done"
    return { kind: "built", run, published } satisfies BuildOutcome
  }).pipe(Effect.provide(buildDuckDb(flags)))

/** `display`, closed (its timer stopped, its last state drawn) when what it is provided to ends. */
const closing = (display: Layer.Layer<Progress>): Layer.Layer<Progress> =>
  Layer.effect(
    Progress,
    Effect.gen(function* () {
      const shown = yield* Progress
      return yield* Effect.acquireRelease(Effect.succeed(shown), (p) => Effect.sync(() => p.close()))
    })
  ).pipe(Layer.provide(display))

/** DuckDB's size units, as --memory-limit takes them. */
const MEMORY_SIZE = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i

/**
 * The build's own DuckDB, closed when the build ends: it spills under <out>/cache/duckdb-tmp, on the
 * data's disk rather than in a /tmp that may be small or in memory, within --memory-limit. Each build
 * spills into a folder of its own there (DuckDb.layer), so builds of two pipelines never share one.
 */
/** --memory-limit as DuckDB takes it, or a usage error. */
const memoryLimitOf = (flags: BuildFlagValues): Effect.Effect<string | undefined, UsageError> => {
  const limit = Option.getOrUndefined(flags.memoryLimit)?.trim()
  return limit !== undefined && !MEMORY_SIZE.test(limit)
    ? Effect.fail(new UsageError({ message: `--memory-limit takes a size such as 2GB or 1536MiB (got "${limit}")` }))
    : Effect.succeed(limit)
}

const buildDuckDb = (flags: BuildFlagValues) =>
  Layer.unwrap(
    Effect.gen(function* () {
      const limit = yield* memoryLimitOf(flags)
      yield* requireWritableDir("--out", flags.out)
      return DuckDb.layer({ tempDirectory: join(flags.out, "cache", "duckdb-tmp"), ...(limit === undefined ? {} : { memoryLimit: limit }) })
    })
  )

/** The benchmark files and settings of --decontaminate-against, or undefined when none was named. */
const decontaminateOptions = (flags: {
  readonly decontaminateAgainst: ReadonlyArray<string>
  readonly decontaminateField: Option.Option<string>
  readonly decontaminateNgram: Option.Option<number>
}): Effect.Effect<DecontaminateOptions | undefined, UsageError> =>
  Effect.gen(function* () {
    const files = flags.decontaminateAgainst.flatMap((f) => f.split(",")).map((f) => f.trim()).filter((f) => f !== "")
    if (files.length === 0) {
      const stray = Option.isSome(flags.decontaminateField) ? "--decontaminate-field" : Option.isSome(flags.decontaminateNgram) ? "--decontaminate-ngram" : undefined
      if (stray !== undefined) return yield* new UsageError({ message: `${stray} needs --decontaminate-against FILE (the benchmark to decontaminate against)` })
      return undefined
    }
    const ngram = Option.getOrElse(flags.decontaminateNgram, () => DECONTAMINATION_NGRAM)
    if (ngram < 1) return yield* new UsageError({ message: `--decontaminate-ngram takes a whole number of at least 1, got ${ngram}` })
    return { files: [...new Set(files)], field: Option.getOrElse(flags.decontaminateField, () => "question"), ngram }
  })

/** The stages left when the model stages, and every stage that reads from one, are taken out. */
const withoutModelStages = <S extends { readonly name: string; readonly inputs: ReadonlyArray<string> }>(stages: ReadonlyArray<S>, model: ReadonlyArray<string>): Array<S> => {
  const out = new Set(model)
  let grew = true
  while (grew) {
    grew = false
    for (const s of stages) {
      if (out.has(s.name) || !s.inputs.some((i) => out.has(i))) continue
      out.add(s.name)
      grew = true
    }
  }
  return stages.filter((s) => !out.has(s.name))
}

export const progressLayer = (extra: () => ReadonlyArray<string>): Layer.Layer<Progress> =>
  process.stderr.isTTY ? Progress.tty(process.stderr, extra) : Progress.plain((line) => process.stderr.write(line + "\n"), 5000, extra)

export const humanReport = (runDir: string, summary: RunSummary, published: Published): string => {
  const stages = summary.stages
  const lines = [`run: ${runDir}`]
  let anyRejects = false
  for (const s of stages) {
    const reasons = Object.entries(s.rejects)
    const rejected = reasons.reduce((a, [, n]) => a + n, 0)
    anyRejects ||= rejected > 0
    const why = reasons.length === 0 ? "" : ` (${reasons.map(([r, n]) => `${r} ${n}`).join(", ")})`
    lines.push(`  ${s.name.padEnd(18)} ${String(s.rows_out).padStart(8)} rows${rejected > 0 ? `, ${rejected} rejected${why}` : ""}${s.cache === "hit" ? ", cached" : reuseNote(s)}`)
  }
  if (anyRejects) lines.push(`rejected rows are kept with their reasons in ${runDir}/<stage>/rejects-*.parquet`)
  const usage = (summary.reports?.["model"] as { name: string; usage: ModelUsage } | undefined)
  if (usage !== undefined) lines.push(usageLine(usage.name, usage.usage))
  lines.push(published.message)
  for (const warning of published.warnings ?? []) lines.push(`warning: ${warning}`)
  return lines.join("\n")
}

const count = (n: number) => n.toLocaleString("en-US")

/** "; 16 of 5,016 rows computed, 5,000 reused" for a stage that computed only part of its input; "" otherwise. */
export const reuseNote = (s: { readonly rows_in: number; readonly rows_reused?: number }): string => {
  const reused = s.rows_reused ?? 0
  return reused === 0 ? "" : `; ${count(s.rows_in - reused)} of ${count(s.rows_in)} rows computed, ${count(reused)} reused`
}

/** Git commit of the checkout when git and a repository are there; the manifest records it. */
const codeVersion = (): { package: string; git?: string } => {
  try {
    const git = execFileSync("git", ["rev-parse", "HEAD"], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim()
    return { package: packageJson.version, git }
  } catch {
    return { package: packageJson.version }
  }
}

