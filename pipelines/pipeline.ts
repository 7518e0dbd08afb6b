import type { Effect } from "effect"
import type { DuckDb } from "#io"
import type { RunResult, Stage } from "#dag"
import type { LanguageModel, ResponseCache } from "#llm"

/** How a build uses a language model (`--llm`): what to ask it. The endpoints and key live in the LanguageModel layer. */
export interface ModelBuildOptions {
  readonly model: string
  readonly revision: string
  /** Samples per task. */
  readonly samples: number
  readonly temperature: number
  readonly topP: number
  readonly maxTokens: number
  /** Rows a model stage works on at once (speed only; not part of any cache key). */
  readonly window: number
  /** Whether the server answers `n` samples in one request (else one request per sample); for estimates only. */
  readonly honoursN: boolean
}

export interface BuildOptions {
  readonly seed: number
  /** How many tasks to make; each pipeline says what a task is. Undefined: the pipeline's default. */
  readonly size: number | undefined
  /**
   * Size per seed instead of in all (`--per-seed N`, exclusive with --size): each seed family contributes up
   * to N tasks whatever the other families are, so a new seed adds its own rows and moves no other's.
   * Only pipelines with `perSeedMeaning` take it.
   */
  readonly perSeed?: number | undefined
  /** Root of runs/, cache/, datasets/ and catalog.duckdb. */
  readonly dataDir: string
  readonly onBadRows: "fail" | "skip"
  /** A seed file to use instead of the pipeline's own (JSONL, JSON, CSV or Parquet). */
  readonly seeds: string | undefined
  /** Package version and git commit, recorded in published manifests. */
  readonly codeVersion: { readonly package: string; readonly git?: string }
  /** With a model: its stages ask it; without, the pipeline is the offline one. */
  readonly model?: ModelBuildOptions | undefined
  /** Benchmark files to remove overlapping tasks against (`--decontaminate-against`); none by default. */
  readonly decontaminate?: DecontaminateOptions | undefined
}

/** What `--decontaminate-against`, `--decontaminate-field` and `--decontaminate-ngram` ask. */
export interface DecontaminateOptions {
  /** Benchmark files (.jsonl or .parquet), at least one. */
  readonly files: ReadonlyArray<string>
  /** The benchmark rows' text field. */
  readonly field: string
  /** A task goes when its question shares a run of this many normalised words with a benchmark row. */
  readonly ngram: number
}

/** What a build published, if anything: a new version, or "unchanged" when LATEST already holds the same content. */
export interface Published {
  readonly status: "published" | "unchanged"
  readonly version: string
  readonly dir: string
  readonly message: string
  readonly rows: Readonly<Record<string, number>>
  /** What a person should hear about: a shortfall against --size, a split with no rows. */
  readonly warnings?: ReadonlyArray<string>
  /** Fewer tasks made than --size asked. */
  readonly shortfall?: { readonly asked: number; readonly made: number }
}

/** What a model build would send, found without sending anything (`build --dry-run`). */
export interface DryRun {
  readonly stage: string
  readonly tasks: number
  /** Samples to ask for: those not already in the response cache. */
  readonly samples: number
  readonly cached: number
  readonly requests: number
  readonly promptTokens: number
  /** Completion tokens: expected (from the reference solutions' length) and at most (every answer at max_tokens). */
  readonly completionTokens: { readonly expected: number; readonly most: number }
  /** The first request, as it would be sent (without the key). */
  readonly example: unknown
}

/**
 * A pipeline: its stage graph for given options, the configuration that names the run, and how its
 * finished stages become a published dataset.
 */
export interface PipelineDefinition {
  readonly name: string
  readonly description: string
  /** What `--size N` counts in this pipeline, for --help and errors. */
  readonly sizeMeaning: string
  readonly defaultSize: number
  /** What the N tasks of `--per-seed N` are, for pipelines that size per seed family (see BuildOptions.perSeed). */
  readonly perSeedMeaning?: string
  readonly stages: (options: BuildOptions & { readonly size: number }) => Effect.Effect<{ readonly stages: ReadonlyArray<Stage<LanguageModel>>; readonly config: unknown }, unknown>
  readonly publish: (run: RunResult, options: BuildOptions & { readonly size: number; readonly config: unknown }) => Effect.Effect<Published, unknown, DuckDb>
  /** The stages that ask a model: a dry run leaves them (and what reads them) out and estimates them instead. */
  readonly modelStages: ReadonlyArray<string>
  readonly estimate: (run: RunResult, options: BuildOptions & { readonly size: number }) => Effect.Effect<ReadonlyArray<DryRun>, unknown, DuckDb | ResponseCache>
}
