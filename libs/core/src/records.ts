import { Schema } from "effect"

/**
 * Where a record came from: a seed file and line, or the strategy that made it and its parents.
 * Every record carries this, so any published row can be traced back to the seed it grew from.
 */
export const Source = Schema.Struct({
  kind: Schema.Literals(["seed", "strategy"]),
  /** Seed file (relative path) for kind "seed". */
  file: Schema.optional(Schema.String),
  /** 1-based line (or row) in the seed file. */
  line: Schema.optional(Schema.Number),
  /** Strategy name for kind "strategy", e.g. "symbolic-variation". */
  strategy: Schema.optional(Schema.String),
  /** Model and sampling parameters when a model produced the record. */
  model: Schema.optional(Schema.String),
  params: Schema.optional(Schema.Record(Schema.String, Schema.Unknown))
})
export type Source = typeof Source.Type

export const Domain = Schema.Literals(["math", "instruct"])
export type Domain = typeof Domain.Type

export const Task = Schema.Struct({
  id: Schema.String,
  domain: Domain,
  question: Schema.String,
  input: Schema.optional(Schema.String),
  /** Reference solution text (for math: GSM8K-style steps ending in `#### N`). */
  reference: Schema.optional(Schema.String),
  /** Reference final answer, normalised. */
  answer: Schema.optional(Schema.String),
  source: Source,
  parent_ids: Schema.Array(Schema.String)
})
export type Task = typeof Task.Type

export const Step = Schema.Struct({
  index: Schema.Number,
  text: Schema.String,
  expr: Schema.optional(Schema.String),
  claimed: Schema.optional(Schema.String),
  value: Schema.optional(Schema.String),
  ok: Schema.optional(Schema.Boolean)
})
export type Step = typeof Step.Type

export const SolutionOrigin = Schema.Literals(["reference", "sample", "symbolic", "injected", "corrected"])
export type SolutionOrigin = typeof SolutionOrigin.Type

export const Solution = Schema.Struct({
  id: Schema.String,
  task_id: Schema.String,
  text: Schema.String,
  steps: Schema.Array(Step),
  final_answer: Schema.optional(Schema.String),
  correct: Schema.Boolean,
  first_error_step: Schema.optional(Schema.Number),
  origin: SolutionOrigin
})
export type Solution = typeof Solution.Type

/** A conversational turn, as TRL and Hugging Face chat templates expect. */
export const Message = Schema.Struct({
  role: Schema.Literals(["system", "user", "assistant"]),
  content: Schema.String
})
export type Message = typeof Message.Type
