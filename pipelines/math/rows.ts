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

/**
 * Training text is plain (no `<<expr=result>>` calculator annotations, see #math's stripAnnotations); the
 * annotated text each row was made from stays in an `annotated_*` column, which `autodidact verify` re-checks.
 */
export const SftRow = Schema.Struct({ ...Lineage, messages: Schema.Array(Message), annotated_solution: Schema.String })
export type SftRow = typeof SftRow.Type

/** TRL's conversational prompt-only form: the question as a one-message conversation. */
export const RlRow = Schema.Struct({ ...Lineage, prompt: Schema.Array(Message) })
export type RlRow = typeof RlRow.Type

/** The injected error a full-solution pair and a step pair share. */
const InjectedError = {
  error_type: Schema.String,
  error_step: Schema.Number
}

/**
 * TRL's conversational preference form: `prompt` the user turn, `chosen` and `rejected` one assistant turn
 * each, so DPOTrainer applies the chat template SFT used.
 */
const ConversationalPair = {
  prompt: Schema.Array(Message),
  chosen: Schema.Array(Message),
  rejected: Schema.Array(Message),
  annotated_chosen: Schema.String,
  annotated_rejected: Schema.String
}

/** The injected edit, as a full-solution pair records it. */
const Edit = {
  rejected_answer: Schema.String,
  /** The edited text in the original (annotated) step: `edit_from` at [edit_start, edit_end) became `edit_to`. */
  edit_start: Schema.Number,
  edit_end: Schema.Number,
  edit_from: Schema.String,
  edit_to: Schema.String,
  /** Every step the edit writes in, error_step first (two for a swap across calculations). */
  edit_steps: Schema.Array(Schema.Number),
  /** The edit in words ("35 → 36", "3 ↔ 2 (steps 1 and 4)"). */
  edit_detail: Schema.String
}

export const PreferenceRow = Schema.Struct({ ...Lineage, ...ConversationalPair, ...InjectedError, ...Edit })
export type PreferenceRow = typeof PreferenceRow.Type

/**
 * One RISE injection as the `rise` stage writes it (annotated text, plain strings): the full-solution pair
 * and, with `step_` fields, its Step-DPO pair. The published configs are projections of it.
 */
export const RiseRecord = Schema.Struct({
  ...Lineage,
  prompt: Schema.String,
  chosen: Schema.String,
  rejected: Schema.String,
  ...InjectedError,
  ...Edit,
  step_initial_reason_steps: Schema.String,
  step_chosen: Schema.String,
  step_rejected: Schema.String
})
export type RiseRecord = typeof RiseRecord.Type

/**
 * A step pair: TRL sees the shared prefix inside `chosen` and `rejected` (its DPOTrainer ignores other
 * columns; the prefix's log-probabilities cancel in DPO's margin), and Step-DPO trainers read
 * `initial_reason_steps`, `chosen_step` and `rejected_step`.
 */
export const StepPreferenceRow = Schema.Struct({
  ...Lineage,
  ...ConversationalPair,
  initial_reason_steps: Schema.String,
  chosen_step: Schema.String,
  rejected_step: Schema.String,
  ...InjectedError
})
export type StepPreferenceRow = typeof StepPreferenceRow.Type

export const CorrectionRow = Schema.Struct({
  ...Lineage,
  messages: Schema.Array(Message),
  annotated_solution: Schema.String,
  strategy: Schema.String,
  ...InjectedError
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
