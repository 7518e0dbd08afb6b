/**
 * LEMMA correction traces (Pan et al. 2025; repository pzs19/LEMMA): a wrong attempt truncated right after its
 * first erroneous step, a transition phrase, then either
 *   - Fix & Continue: name the error and what is wrong in the step, give the corrected step, and finish with the
 *     reference's remaining steps; or
 *   - Fresh & Restart: say the attempt is abandoned and give another correct solution (one the caller supplies,
 *     e.g. a verified variant solution, else the reference).
 * Every trace ends "The answer is: X" with X the reference answer, and only traces whose extracted final answer
 * equals it are returned. The phrases below are our own.
 */
import type { Rng } from "#core"
import { answersEqual, extractFinalAnswer } from "../answer.ts"
import { parseSolution } from "../parse.ts"
import { verifySolution } from "../verify.ts"
import { injectLemmaError, LEMMA_ERROR_LEADS } from "./lemma.ts"
import type { LemmaErrorType, LemmaInjection } from "./lemma.ts"
import type { NoInjection } from "./types.ts"

/** Said right after the erroneous step, before anything else. */
export const TRANSITION_PHRASES: readonly string[] = [
  "Hold on, let me re-check that step.",
  "Wait, something is off in that last step.",
  "Let me double-check this before going on.",
  "Hmm, that result doesn't look right.",
  "Actually, I should verify that calculation.",
  "Before continuing, let me look at that step again.",
  "That number seems suspicious; let me review the step.",
  "Pause: I'm not sure that step is correct.",
  "Let me go back over what I just did.",
  "Something doesn't add up here; let me check.",
  "On second thought, that step needs another look.",
  "I should make sure that last line is right.",
  "Let me retrace that step carefully.",
  "Careful, I may have slipped up just now."
]

/** Fresh & Restart: the sentence that abandons the attempt. */
export const RESTART_PHRASES: readonly string[] = [
  "This attempt has gone wrong, so I'll start over and solve it another way.",
  "Rather than patch this, let me begin again from the question.",
  "Let me set this attempt aside and work through the problem afresh.",
  "I'll restart from scratch with a cleaner approach.",
  "It is simpler to solve the problem again from the beginning."
]

/** Fix & Continue: the sentence that introduces the corrected work. */
export const CONTINUE_PHRASES: readonly string[] = ["Correcting it:", "Here is the step done right:", "Fixing that:", "The corrected work is:"]

export type LemmaStrategy = "fix_and_continue" | "fresh_and_restart"

export interface LemmaTraceOptions {
  /** Force one error type (default: any programmatic type that applies, chosen with the Rng). */
  readonly type?: LemmaErrorType
  readonly types?: readonly LemmaErrorType[]
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
  readonly error_type: LemmaErrorType
  /** Number of wrong-attempt steps before the transition phrase; the last of them is the erroneous one. */
  readonly error_step: number
  readonly transition: string
  readonly answer: string
  readonly injection: LemmaInjection
}

/** The solution's steps as lines, without the `####` line. */
const stepLines = (solution: string): string[] => parseSolution(solution).steps.map((s) => s.text)

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
  const strategy = options.strategy ?? (rng.chance(options.restartProbability ?? 0.5) ? "fresh_and_restart" : "fix_and_continue")

  let body: string
  if (strategy === "fix_and_continue") {
    const ref = stepLines(injection.reference)
    const corrected = [
      ...(injection.skipped_step !== undefined ? [ref[injection.skipped_step - 1] ?? ""] : []),
      ...ref.slice(injection.reference_step - 1)
    ]
    const named = `${LEMMA_ERROR_LEADS[injection.error_type]} ${injection.explain}`
    body = `${transition} ${named} ${rng.pick(CONTINUE_PHRASES)}\n${corrected.join("\n")}`
  } else {
    const usable = (options.alternatives ?? []).filter((alt) => verifySolution(alt, { expected: answer }).correct)
    const other = usable.length > 0 ? rng.pick(usable) : injection.reference
    body = `${transition} ${rng.pick(RESTART_PHRASES)}\n${stepLines(other).join("\n")}`
  }
  let trace = `${prefix}\n${body}\nThe answer is: ${answer}`
  if (options.stripAnnotations) trace = trace.replace(/<<[^<>\n]*>>/g, "")
  const final = extractFinalAnswer(trace)
  if (!final || final.source !== "answer_is" || !answersEqual(final.answer, reference.answer)) {
    return { ok: false, code: "trace_off_answer", reason: "the trace does not end on the reference answer" }
  }
  return {
    ok: true,
    messages: [
      { role: "user", content: question },
      { role: "assistant", content: trace }
    ],
    strategy,
    error_type: injection.error_type,
    error_step: injection.error_step,
    transition,
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
    ...(options.types !== undefined ? { types: options.types } : {})
  })
  if (!injection.ok) return injection
  return buildLemmaTrace(question, injection, rng.fork("trace"), options)
}
