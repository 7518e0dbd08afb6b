/**
 * LEMMA correction traces (Pan et al. 2025; repository pzs19/LEMMA): a wrong attempt truncated right after its
 * first erroneous step, a transition phrase, a sentence naming the error with the step's numbers, then either
 *   - Fix & Continue: the corrected step and the reference's remaining steps; or
 *   - Fresh & Restart: the attempt is abandoned and the problem solved again without copying the attempt's
 *     correct lines in the same order: a verified alternative solution the caller supplies, else the
 *     reference with its independent steps reordered (lemma-reorder.ts), else, when the error is in the first
 *     step and so nothing correct would be repeated, the reference. When none of these exists the trace falls
 *     back to Fix & Continue and says so (`restart_fallback`).
 * Every trace ends with GSM8K's `#### N`, like every other config, N the reference answer, and only traces
 * whose extracted final answer equals it are returned. The phrases are our own (lemma-phrases.ts).
 */
import type { Rng } from "#core"
import { answersEqual, extractFinalAnswer } from "../answer.ts"
import { parseSolution } from "../parse.ts"
import { verifySolution } from "../verify.ts"
import { injectLemmaError } from "./lemma.ts"
import type { LemmaErrorType, LemmaInjection } from "./lemma.ts"
import { explainError } from "./lemma-explain.ts"
import { CONTINUE_PHRASES, REORDER_PHRASES, RESTART_PHRASES, TRANSITION_PHRASES } from "./lemma-phrases.ts"
import { reorderedSolution } from "./lemma-reorder.ts"
import type { NoInjection } from "./types.ts"

export { CONTINUE_PHRASES, REORDER_PHRASES, RESTART_PHRASES, TRANSITION_PHRASES }

export type LemmaStrategy = "fix_and_continue" | "fresh_and_restart"

/** Where a Fresh & Restart's solution came from, or why the trace fell back to Fix & Continue. */
export type RestartSource = "alternative" | "reordered" | "reference_first_step"
export type RestartFallback = "no_reordering"

export interface LemmaTraceOptions {
  /** Force one error type (default: any programmatic type that applies, chosen with the Rng). */
  readonly type?: LemmaErrorType
  readonly types?: readonly LemmaErrorType[]
  /** Relative weights of the error types (see injectLemmaError; default uniform). */
  readonly weights?: Readonly<Partial<Record<LemmaErrorType, number>>>
  /** Force a strategy (default: Fresh & Restart with probability `restartProbability`). */
  readonly strategy?: LemmaStrategy
  /** Default 0.5. */
  readonly restartProbability?: number
  /** Other correct solutions of the task for Fresh & Restart; ones that do not verify are ignored. */
  readonly alternatives?: readonly string[]
  /** Remove `<<…>>` calculator annotations from the trace (default false: kept, like the GSM8K references). */
  readonly stripAnnotations?: boolean
}

export interface LemmaTrace {
  readonly ok: true
  readonly messages: ReadonlyArray<{ readonly role: "user" | "assistant"; readonly content: string }>
  readonly strategy: LemmaStrategy
  /** For Fresh & Restart: what the restarted solution is. */
  readonly restart_source?: RestartSource
  /** Set when Fresh & Restart was drawn but no restart without repeated lines existed. */
  readonly restart_fallback?: RestartFallback
  readonly error_type: LemmaErrorType
  /** Number of wrong-attempt steps before the transition phrase; the last of them is the erroneous one. */
  readonly error_step: number
  readonly transition: string
  /** The sentence naming the error. */
  readonly explanation: string
  readonly answer: string
  readonly injection: LemmaInjection
}

/** The solution's steps as lines, without the `####` line. */
const stepLines = (solution: string): string[] => parseSolution(solution).steps.map((s) => s.text)

/** A restart that does not repeat the attempt's correct lines in order, or why there is none. */
const restartFor = (
  injection: LemmaInjection,
  answer: string,
  rng: Rng,
  alternatives: readonly string[]
): { source: RestartSource; text: string } | undefined => {
  const attempt = stepLines(injection.wrong).slice(0, injection.error_step - 1)
  // The restart must not open by repeating the attempt's first correct line.
  const fresh = (text: string): boolean => attempt.length === 0 || stepLines(text)[0] !== attempt[0]
  const usable = alternatives.filter((alt) => verifySolution(alt, { expected: answer }).correct && fresh(alt))
  if (usable.length > 0) return { source: "alternative", text: rng.pick(usable) }
  const reordered = reorderedSolution(injection.reference, answer, rng, fresh)
  if (reordered !== undefined) return { source: "reordered", text: reordered }
  if (attempt.length === 0) return { source: "reference_first_step", text: injection.reference }
  return undefined
}

/** Builds a correction trace from an injection; the building block of `lemmaTrace`. */
export const buildLemmaTrace = (
  question: string,
  injection: LemmaInjection,
  rng: Rng,
  options: LemmaTraceOptions = {}
): LemmaTrace | NoInjection => {
  const reference = extractFinalAnswer(injection.reference)
  if (!reference) return { ok: false, code: "no_final_answer", reason: "the reference solution has no final answer" }
  const answer = reference.raw.replace(/^\s*\\?\$/, "").trim()
  const wrong = parseSolution(injection.wrong)
  const errorAt = wrong.steps[injection.error_step - 1]
  if (!errorAt) return { ok: false, code: "no_error_step", reason: `the wrong solution has no step ${injection.error_step}` }
  const prefix = injection.wrong.slice(0, errorAt.span.end)
  const transition = rng.pick(TRANSITION_PHRASES)
  const explanation = explainError(injection.error_type, injection.facts, rng, injection.explain)
  const drawn = options.strategy ?? (rng.chance(options.restartProbability ?? 0.5) ? "fresh_and_restart" : "fix_and_continue")
  const restart = drawn === "fresh_and_restart" ? restartFor(injection, answer, rng, options.alternatives ?? []) : undefined
  const strategy: LemmaStrategy = restart ? "fresh_and_restart" : "fix_and_continue"

  let body: string
  if (restart) {
    body = `${transition} ${explanation} ${rng.pick(restart.source === "reordered" ? REORDER_PHRASES : RESTART_PHRASES)}\n${stepLines(restart.text).join("\n")}`
  } else {
    const ref = stepLines(injection.reference)
    const corrected = [
      ...(injection.skipped_step !== undefined ? [ref[injection.skipped_step - 1] ?? ""] : []),
      ...ref.slice(injection.reference_step - 1)
    ]
    body = `${transition} ${explanation} ${rng.pick(CONTINUE_PHRASES)}\n${corrected.join("\n")}`
  }
  let trace = `${prefix}\n${body}\n#### ${answer}`
  if (options.stripAnnotations) trace = trace.replace(/<<[^<>\n]*>>/g, "")
  const final = extractFinalAnswer(trace)
  if (!final || final.source !== "hash" || !answersEqual(final.answer, reference.answer)) {
    return { ok: false, code: "trace_off_answer", reason: "the trace does not end on the reference answer" }
  }
  return {
    ok: true,
    messages: [
      { role: "user", content: question },
      { role: "assistant", content: trace }
    ],
    strategy,
    ...(restart ? { restart_source: restart.source } : {}),
    ...(drawn === "fresh_and_restart" && !restart ? { restart_fallback: "no_reordering" as const } : {}),
    error_type: injection.error_type,
    error_step: injection.error_step,
    transition,
    explanation,
    answer,
    injection
  }
}

/**
 * Injects a LEMMA error into a verified solution and builds the correction trace, or says why it cannot.
 * The Rng is forked so the injection and the trace wording draw independently.
 */
export const lemmaTrace = (question: string, solution: string, rng: Rng, options: LemmaTraceOptions = {}): LemmaTrace | NoInjection => {
  const injection = injectLemmaError(question, solution, rng.fork("inject"), {
    ...(options.type !== undefined ? { type: options.type } : {}),
    ...(options.types !== undefined ? { types: options.types } : {}),
    ...(options.weights !== undefined ? { weights: options.weights } : {})
  })
  if (!injection.ok) return injection
  return buildLemmaTrace(question, injection, rng.fork("trace"), options)
}
