import { Schema } from "effect"
import type { RunSummary, StageFigures } from "#dag"
import type { Manifest } from "#store"

const n = (value: number) => value.toLocaleString("en-US")
const quoted = (names: ReadonlyArray<string>) => names.map((name) => `"${name}"`).join(", ")

/**
 * A build that would publish a config with no rows: nothing is published and LATEST stays. The
 * message says how many seed rows were read and usable, the top reject reasons, and what to do.
 */
export class NothingToPublish extends Schema.TaggedError<NothingToPublish>()("NothingToPublish", {
  dataset: Schema.String,
  seedFile: Schema.String,
  /** Seed rows read: kept plus rejected by the seeds stage. */
  seedRows: Schema.Number,
  /** Seed rows that became verified tasks. */
  usable: Schema.Number,
  /** Reject reasons of the seeds and verified stages, most frequent first. */
  reasons: Schema.Array(Schema.Struct({ reason: Schema.String, rows: Schema.Number })),
  emptyConfigs: Schema.Array(Schema.String),
  /** Where the rejected rows are kept, when there are some. */
  rejects: Schema.optional(Schema.String)
}) {
  override get message(): string {
    const top = this.reasons.slice(0, 3).map((r) => `${r.reason} ${n(r.rows)}`)
    const more = this.reasons.length > 3 ? `, and ${this.reasons.length - 3} more reasons` : ""
    const why = this.seedRows === 0 ? `${this.seedFile} holds no rows` : `${top.join(", ")}${more}`
    const where = this.rejects === undefined ? "" : ` (the rejected rows, with their reasons, are in ${this.rejects})`
    const head = this.usable === 0
      ? `0 of ${n(this.seedRows)} seed rows usable: ${why}`
      : `config${this.emptyConfigs.length === 1 ? "" : "s"} ${quoted(this.emptyConfigs)} would have no rows ` +
        `(${n(this.usable)} of ${n(this.seedRows)} seed rows usable${this.reasons.length === 0 ? "" : `; ${why}`})`
    return `dataset "${this.dataset}": ${head}; nothing was published and LATEST is unchanged. ` +
      `Fix the seed file${where} or point --seeds at another one`
  }
}

/** A model build whose model solved no task: the sft config would be empty. Says why and what to try. */
export class NothingSolved extends Schema.TaggedError<NothingSolved>()("NothingSolved", {
  dataset: Schema.String,
  tasks: Schema.Number,
  samples: Schema.Number,
  reasons: Schema.Array(Schema.Struct({ reason: Schema.String, rows: Schema.Number })),
  rejects: Schema.String
}) {
  override get message(): string {
    const top = this.reasons.slice(0, 3).map((r) => `${r.reason} ${n(r.rows)}`).join(", ")
    return `dataset "${this.dataset}": the model solved none of ${n(this.tasks)} tasks (${n(this.samples)} samples: ${top || "none"}); ` +
      `nothing was published and LATEST is unchanged. Read the rejected samples in ${this.rejects}; ` +
      "a model that ignores the '#### <number>' last line, or answers cut at --max-tokens, are the usual causes"
  }
}

/** Fails with NothingSolved when a solve stage ran and kept no sample. */
export const checkSolved = (run: { readonly runDir: string; readonly summary: RunSummary }): NothingSolved | undefined => {
  const solve = stage(run.summary, "solve")
  if (solve === undefined || solve.rows_out > 0) return undefined
  return new NothingSolved({
    dataset: run.summary.pipeline,
    tasks: solve.rows_in,
    samples: solve.counters["solve/samples"] ?? 0,
    reasons: Object.entries(solve.rejects)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([reason, rows]) => ({ reason, rows })),
    rejects: `${run.runDir}/solve/rejects-*.parquet`
  })
}

const stage = (summary: RunSummary, name: string): StageFigures | undefined => summary.stages.find((s) => s.name === name)

const total = (counts: Readonly<Record<string, number>>) => Object.values(counts).reduce((a, b) => a + b, 0)

/**
 * Fails with NothingToPublish when a config would publish no rows (an empty seed file, every row
 * rejected, no solution that verifies). Runs before the store is touched, so LATEST cannot move.
 */
export const checkPublishable = (
  run: { readonly runDir: string; readonly summary: RunSummary },
  configRows: Readonly<Record<string, number>>,
  seedFile: string
): NothingToPublish | undefined => {
  const emptyConfigs = Object.entries(configRows).filter(([, rows]) => rows === 0).map(([name]) => name)
  if (emptyConfigs.length === 0) return undefined
  const seeds = stage(run.summary, "seeds")
  const verified = stage(run.summary, "verified")
  const merged = new Map<string, number>()
  for (const s of [seeds, verified]) for (const [reason, rows] of Object.entries(s?.rejects ?? {})) merged.set(reason, (merged.get(reason) ?? 0) + rows)
  const seedRejects = total(seeds?.rejects ?? {})
  const rejecting = [seeds, verified].filter((s): s is StageFigures => s !== undefined && total(s.rejects) > 0)
  return new NothingToPublish({
    dataset: run.summary.pipeline,
    seedFile,
    seedRows: (seeds?.rows_out ?? 0) + seedRejects,
    usable: verified?.rows_out ?? 0,
    reasons: [...merged].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([reason, rows]) => ({ reason, rows })),
    emptyConfigs,
    ...(rejecting.length === 0 ? {} : { rejects: rejecting.map((s) => `${run.runDir}/${s.name}/rejects-*.parquet`).join(" and ") })
  })
}

/** Fewer tasks than `--size` asked: what was made, or undefined when the size was reached. */
export const shortfallOf = (summary: RunSummary, asked: number): { readonly asked: number; readonly made: number } | undefined => {
  const made = stage(summary, "tasks")?.rows_out ?? 0
  return made < asked ? { asked, made } : undefined
}

/** What a person should hear about a build that published: a shortfall against --size, splits with no rows. */
export const buildWarnings = (summary: RunSummary, asked: number, manifest: Manifest): ReadonlyArray<string> => {
  const warnings: Array<string> = []
  const short = shortfallOf(summary, asked)
  if (short !== undefined) {
    const seeds = stage(summary, "verified")?.rows_out ?? 0
    warnings.push(
      `made ${n(short.made)} of the ${n(short.asked)} tasks asked (--size ${short.asked}): ${n(seeds)} usable seed problem${seeds === 1 ? " does" : "s do"} ` +
        `not have more distinct variants; add seed problems for more`
    )
  }
  const empty = new Map<string, Array<string>>()
  for (const [config, entry] of Object.entries(manifest.configs)) {
    for (const [split, s] of Object.entries(entry.splits)) if (s.rows === 0) empty.set(split, [...(empty.get(split) ?? []), config])
  }
  for (const [split, configs] of empty) {
    const which = configs.length === Object.keys(manifest.configs).length ? "every config" : `config${configs.length === 1 ? "" : "s"} ${quoted(configs)}`
    const why =
      split === "test"
        ? ` (the test split takes whole seed families in md5 order until it holds 10 families and ${manifest.layout.test_fraction * 100}% of the tasks, at most a fifth of the families; with fewer than 5 seed families it gets none)`
        : ""
    warnings.push(`split "${split}" has no rows in ${which}${why}; the card leaves it out of data_files`)
  }
  return warnings
}
