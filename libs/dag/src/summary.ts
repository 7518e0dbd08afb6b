/** Figures of one stage in a run, as saved in the stage manifest and the run summary. */
export interface StageFigures {
  readonly name: string
  readonly status: "done" | "cached" | "failed" | "skipped"
  /** "hit": reused whole; "miss": computed; "resumed": some parts were already finished. */
  readonly cache: "hit" | "miss" | "resumed" | "none"
  readonly key?: string
  readonly dir?: string
  /** The memo folder a row-independent stage read and wrote (relative to the data folder). */
  readonly memo?: string
  readonly rows_in: number
  readonly rows_out: number
  readonly rejects: Readonly<Record<string, number>>
  readonly counters: Readonly<Record<string, number>>
  readonly parts: number
  readonly parts_reused: number
  /**
   * Input rows not computed in this run: taken from the memo of a row-independent stage, from parts
   * finished before a resume, or all of them when the whole stage was reused. rows_in - rows_reused were computed.
   */
  readonly rows_reused?: number
  readonly duration_ms: number
  readonly error?: string
}

export interface RunSummary {
  readonly run_id: string
  readonly pipeline: string
  readonly seed: number
  readonly config_hash: string
  readonly status: "succeeded" | "failed"
  readonly started_at: string
  readonly finished_at: string
  readonly duration_ms: number
  readonly stages: ReadonlyArray<StageFigures>
  readonly totals: { readonly cache_hits: number; readonly rejects: number }
  /** Things a person should hear about, e.g. a stale lock of a killed run that was taken over. */
  readonly notes?: ReadonlyArray<string>
  /** Figures of the run's services, by name, taken when it ends (e.g. `model`: requests, tokens, cache hits). */
  readonly reports?: Readonly<Record<string, unknown>>
  readonly error?: string
}

export const addCounts = (into: Record<string, number>, from: Readonly<Record<string, number>>): void => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v
}

export const sortedCounts = (counts: Readonly<Record<string, number>>): Record<string, number> =>
  Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
