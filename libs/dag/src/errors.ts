import { Schema } from "effect"

/** The stage graph is not runnable: a cycle, an input that names no stage, or two stages with one name. */
export class PlanError extends Schema.TaggedError<PlanError>()("PlanError", {
  reason: Schema.Literals(["cycle", "missing_input", "duplicate_name", "empty", "key_columns"]),
  message: Schema.String
}) {}

/** A stage failed. `record` names the record being processed when the stage's error said which. */
export class StageFailed extends Schema.TaggedError<StageFailed>()("StageFailed", {
  stage: Schema.String,
  batch: Schema.optional(Schema.Number),
  record: Schema.optional(Schema.String),
  message: Schema.String
}) {}

/** A stage did not run because a stage it depends on failed. */
export class StageSkipped extends Schema.TaggedError<StageSkipped>()("StageSkipped", {
  stage: Schema.String,
  because: Schema.String
}) {}

/**
 * The error a stage raises for a bad record: the engine reports its stage, batch and record id.
 * Stages may also fail with their own tagged errors; a `record` field on them names the record the same way.
 */
export class RecordError extends Schema.TaggedError<RecordError>()("RecordError", {
  record: Schema.String,
  message: Schema.String
}) {}
