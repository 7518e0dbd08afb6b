import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { Effect } from "effect"
import { hashValue } from "#core"
import { errorMessage } from "#io"
import type { RunSummary } from "#dag"
import { StoreIoError, UnknownVersion } from "./errors.ts"
import { versionDir } from "./layout.ts"

/** A published column: its DuckDB type as written in the shards. */
export interface ManifestColumn {
  readonly name: string
  readonly type: string
  readonly description: string
}

/** One shard, its path relative to the version folder. */
export interface ShardFile {
  readonly path: string
  readonly rows: number
  readonly bytes: number
  readonly sha256: string
}

export interface SplitEntry {
  readonly rows: number
  readonly files: ReadonlyArray<ShardFile>
}

export interface ConfigEntry {
  readonly description: string
  readonly rows: number
  readonly columns: ReadonlyArray<ManifestColumn>
  /** "train" and "test", always both (a split can hold 0 rows). */
  readonly splits: Readonly<Record<string, SplitEntry>>
  /** Groups of the split column (e.g. seed families) per split and rows per group; absent in versions published before it was recorded. */
  readonly groups?: { readonly column: string; readonly train: number; readonly test: number; readonly rows_min: number; readonly rows_median: number; readonly rows_max: number }
}

export interface StageEntry {
  readonly name: string
  readonly status: string
  readonly cache: string
  readonly rows_in: number
  readonly rows_out: number
  readonly rejects: Readonly<Record<string, number>>
  readonly counters: Readonly<Record<string, number>>
  readonly duration_ms: number
}

/** manifest.json: see libs/store/README.md for the documented schema. */
export interface Manifest {
  readonly manifest_version: 1
  readonly dataset: string
  readonly version: string
  readonly parent: string | null
  readonly created_at: string
  /** sha256 over everything that defines the content (never created_at or run timings). */
  readonly content_hash: string
  readonly code_version: { readonly package: string; readonly git?: string } | null
  readonly pipeline: string
  readonly config: unknown
  readonly config_hash: string
  readonly seed: number
  readonly seed_files: ReadonlyArray<{ readonly path: string; readonly bytes: number; readonly sha256: string }>
  /** Benchmark files the data was decontaminated against (absent when none); their sha256 are in `config` too, so in `config_hash`. */
  readonly benchmark_files?: ReadonlyArray<{ readonly path: string; readonly bytes: number; readonly sha256: string }>
  readonly layout: {
    readonly test_fraction: number
    readonly split_rule: string
    readonly shuffle_rule: string
    readonly shard_rows: number
    readonly row_group_rows: number
    readonly compression: "zstd"
    /** How shard counts were chosen, in words (absent: as many full shards as the rows fill). */
    readonly shard_rule?: string
    /** The group-count test split (absent: the hash-threshold rule of split_rule). */
    readonly test_split?: {
      readonly basis: string
      readonly min_groups: number
      readonly max_group_share: number
      /** md5 hex of the last group in test: a row is in test when md5(split column) <= cutoff; null when test is empty. */
      readonly cutoff: string | null
      readonly groups: number
      readonly rows: number
      readonly total_groups: number
      readonly total_rows: number
    }
  }
  readonly configs: Readonly<Record<string, ConfigEntry>>
  readonly run: {
    readonly run_id: string
    readonly status: string
    readonly started_at: string
    readonly finished_at: string
    readonly duration_ms: number
    readonly totals: RunSummary["totals"]
    readonly stages: ReadonlyArray<StageEntry>
    /** Figures of the run's services by name (RunSummary.reports), e.g. `model`: requests, tokens, cost per stage. */
    readonly reports?: Readonly<Record<string, unknown>>
  }
}

export type ManifestContent = Omit<Manifest, "version" | "parent" | "created_at" | "content_hash" | "code_version" | "run">

/**
 * The content hash: what the data is and how it was asked for (config, seeds, layout, shards by sha256),
 * leaving out when and by which run it was made, so a rebuild of the same thing is recognised.
 */
export const contentHash = (m: ManifestContent): string =>
  hashValue({
    dataset: m.dataset,
    pipeline: m.pipeline,
    config_hash: m.config_hash,
    seed: m.seed,
    seed_files: m.seed_files.map((s) => s.sha256),
    layout: m.layout,
    configs: Object.fromEntries(
      Object.entries(m.configs).map(([name, c]) => [
        name,
        { columns: c.columns.map((col) => [col.name, col.type]), splits: c.splits }
      ])
    )
  })

export const stageEntries = (summary: RunSummary): ReadonlyArray<StageEntry> =>
  summary.stages.map((s) => ({
    name: s.name,
    status: s.status,
    cache: s.cache,
    rows_in: s.rows_in,
    rows_out: s.rows_out,
    rejects: s.rejects,
    counters: s.counters,
    duration_ms: s.duration_ms
  }))

export const manifestPath = (dataDir: string, name: string, version: string) => join(versionDir(dataDir, name, version), "manifest.json")

export const readManifest = (dataDir: string, name: string, version: string): Effect.Effect<Manifest, StoreIoError | UnknownVersion> => {
  const path = manifestPath(dataDir, name, version)
  return Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (e) =>
      (e as NodeJS.ErrnoException).code === "ENOENT"
        ? new UnknownVersion({ dataset: name, version, message: `${path} does not exist: version ${version} of "${name}" is missing or incomplete` })
        : new StoreIoError({ path, message: `cannot read ${path}: ${errorMessage(e)}` })
  }).pipe(
    Effect.flatMap((text) =>
      Effect.try({
        try: () => JSON.parse(text) as Manifest,
        catch: (e) =>
          new StoreIoError({ path, message: `${path} is not valid JSON (${errorMessage(e)}): version ${version} of "${name}" is damaged; restore it from a backup or remove it` })
      })
    )
  )
}

/** All shard files of a manifest, each with its config and split. */
export const allFiles = (m: Manifest): ReadonlyArray<ShardFile & { readonly config: string; readonly split: string }> =>
  Object.entries(m.configs).flatMap(([config, c]) =>
    Object.entries(c.splits).flatMap(([split, s]) => s.files.map((f) => ({ ...f, config, split })))
  )
