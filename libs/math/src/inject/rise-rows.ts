/**
 * Preference rows from one RISE injection (Xu et al. 2024): a full-solution pair and a Step-DPO pair that
 * share the correct prefix before the error step (the `{prompt, initial_reason_steps, chosen, rejected}`
 * layout of the RISE / Step-DPO data). Pure builders; the pipeline adds task ids and publishes them.
 */
import { parseSolution } from "../parse.ts"
import type { RiseErrorType, RiseInjection } from "./rise.ts"
import type { TextEditRecord } from "./types.ts"

export interface RiseFullPair {
  readonly prompt: string
  /** The correct solution. */
  readonly chosen: string
  /** The edited solution, `\boxed{}` removed. */
  readonly rejected: string
  readonly error_type: RiseErrorType
  readonly error_step: number
  readonly edit: TextEditRecord
  /** Every step the edit writes in (error_step first); `edit` is the span in error_step. */
  readonly edit_steps: readonly number[]
  /** The edit in words, naming a second edited step where there is one. */
  readonly edit_detail: string
  readonly original_answer: string
  readonly rejected_answer: string
}

/**
 * The Step-DPO pair is the chosen and rejected step error_step after the shared prefix: the rejected step
 * differs from the chosen one only by the error, also for an edit that writes in a later step as well (a
 * swap across two calculations: its first half alone is a wrong number in error_step).
 */
export interface RiseStepPair {
  readonly prompt: string
  /** The chosen solution's text before step `error_step` (the steps both share), with its line breaks. */
  readonly initial_reason_steps: string
  /** The correct step `error_step`. */
  readonly chosen: string
  /** The edited step `error_step`. */
  readonly rejected: string
  readonly error_type: RiseErrorType
  readonly error_step: number
}

/** `\boxed{X}` → `X` (nested braces kept): RISE removes the box from rejected texts. */
export const stripBoxed = (text: string): string => {
  let out = text
  for (let at = out.search(/\\boxed\s*\{/); at >= 0; at = out.search(/\\boxed\s*\{/)) {
    const open = out.indexOf("{", at)
    let depth = 1
    let i = open + 1
    while (i < out.length && depth > 0) {
      if (out[i] === "{") depth++
      else if (out[i] === "}") depth--
      i++
    }
    if (depth !== 0) break
    out = out.slice(0, at) + out.slice(open + 1, i - 1) + out.slice(i)
  }
  return out
}

export const risePairs = (question: string, injection: RiseInjection): { readonly full: RiseFullPair; readonly step: RiseStepPair } => {
  const chosenSteps = parseSolution(injection.chosen).steps
  const rejectedSteps = parseSolution(injection.rejected).steps
  const k = injection.error_step
  const at = chosenSteps[k - 1]
  return {
    full: {
      prompt: question,
      chosen: injection.chosen,
      rejected: stripBoxed(injection.rejected),
      error_type: injection.error_type,
      error_step: k,
      edit: injection.edit,
      edit_steps: injection.edit_steps,
      edit_detail: injection.detail,
      original_answer: injection.original_answer,
      rejected_answer: injection.rejected_answer
    },
    step: {
      prompt: question,
      initial_reason_steps: at ? injection.chosen.slice(0, at.span.start) : "",
      chosen: at?.text ?? "",
      rejected: stripBoxed(rejectedSteps[k - 1]?.text ?? ""),
      error_type: injection.error_type,
      error_step: k
    }
  }
}
