/**
 * The types that error injection's modules share (the solution model, RISE, LEMMA and the traces built
 * on them). They live here, in a module that imports nothing of theirs, so that no module needs another
 * one only for a type: model.ts used to take NoInjection from rise.ts, which imports model.ts.
 */
import type { Span } from "../arithmetic.ts"

export interface InjectOptions<T extends string> {
  /** Restrict the error kinds (default: all). */
  readonly types?: readonly T[]
  /** Concrete edits tried per (kind, step) before moving on; default 24. */
  readonly maxTries?: number
}

export interface TextEditRecord {
  /** Character span in the original step's text. */
  readonly span: Span
  /** The original text in that span. */
  readonly original: string
  /** What replaces it in the rejected step. */
  readonly replacement: string
}

/** Why no error was injected: a short code that rejects are grouped by, and a sentence for people. */
export type NoInjectionCode =
  | "unverified"
  | "no_final_answer"
  | "uneditable_annotation"
  | "no_annotations"
  | "no_applicable_edit"
  | "needs_model"
  | "no_error_step"
  | "trace_off_answer"

export interface NoInjection {
  readonly ok: false
  readonly code: NoInjectionCode
  readonly reason: string
}
