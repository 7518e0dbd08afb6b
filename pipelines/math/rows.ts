import { Schema, Struct } from "effect"
import { Message, Task } from "#core"

/**
 * The rows of the math pipeline's stages. The last stages' rows are exactly the published configs'
 * rows (libs/store turns their fields into typed Parquet columns, listed in columns.ts).
 */

/** A task whose reference solution verified, with what verification found. */
export const VerifiedTask = Schema.Struct({
  ...Task.fields,
  steps: Schema.Number,
  /** "seed" for a seed problem, else the strategy that made it (e.g. "symbolic"). */
  origin: Schema.String
})
export type VerifiedTask = typeof VerifiedTask.Type

const Lineage = {
  id: Schema.String,
  task_id: Schema.String,
  family_id: Schema.String,
  answer: Schema.String,
  origin: Schema.String,
  parent_ids: Schema.Array(Schema.String),
  seed_file: Schema.String,
  seed_line: Schema.Number
}

export const SftRow = Schema.Struct({ ...Lineage, messages: Schema.Array(Message) })
export type SftRow = typeof SftRow.Type

export const RlRow = Schema.Struct({ ...Lineage, prompt: Schema.String })
export type RlRow = typeof RlRow.Type

/** What a full-solution pair and a step pair share: the prompt, the two sides, and the injected error. */
const Pair = {
  prompt: Schema.String,
  chosen: Schema.String,
  rejected: Schema.String,
  error_type: Schema.String,
  error_step: Schema.Number
}

export const PreferenceRow = Schema.Struct({
  ...Lineage,
  ...Pair,
  rejected_answer: Schema.String,
  /** The edited text in the original step: `edit_from` at [edit_start, edit_end) became `edit_to`. */
  edit_start: Schema.Number,
  edit_end: Schema.Number,
  edit_from: Schema.String,
  edit_to: Schema.String
})
export type PreferenceRow = typeof PreferenceRow.Type

/** One RISE injection: the full-solution pair and, with `step_` fields, its Step-DPO pair. */
export const RiseRecord = Schema.Struct({
  ...PreferenceRow.fields,
  step_initial_reason_steps: Schema.String,
  step_chosen: Schema.String,
  step_rejected: Schema.String
})
export type RiseRecord = typeof RiseRecord.Type

export const StepPreferenceRow = Schema.Struct({ ...Lineage, ...Pair, initial_reason_steps: Schema.String })
export type StepPreferenceRow = typeof StepPreferenceRow.Type

export const CorrectionRow = Schema.Struct({
  ...Lineage,
  messages: Schema.Array(Message),
  strategy: Schema.String,
  error_type: Schema.String,
  error_step: Schema.Number
})
export type CorrectionRow = typeof CorrectionRow.Type

type LineageFields = Schema.Struct.Type<typeof Lineage>
const LINEAGE_KEYS = Struct.keys(Lineage)

/** The lineage columns of a row that has them (a derived row keeps its source's lineage). */
export const lineageFields = (r: LineageFields): LineageFields => Struct.pick(r, LINEAGE_KEYS)

/** The seed family a task belongs to: the seed it was varied from, or itself for a seed. */
export const familyOf = (task: VerifiedTask): string => task.parent_ids[0] ?? task.id

/** The lineage columns every published row carries, from its task. */
export const lineageOf = (task: VerifiedTask, id: string): LineageFields => ({
  id,
  task_id: task.id,
  family_id: familyOf(task),
  answer: task.answer ?? "",
  origin: task.origin,
  parent_ids: task.parent_ids,
  seed_file: task.source.file ?? "",
  seed_line: task.source.line ?? 0
})
