/**
 * Programmatic LEMMA mistake augmentation (Pan et al. 2025, "LEMMA: Learning from Errors for MatheMatical
 * Advancement"; repository pzs19/LEMMA). LEMMA has a teacher model inject one named error type into a correct
 * solution and keep reasoning to a wrong answer; here the types that are arithmetic in nature are injected
 * exactly on the calculator annotations and carried forward (propagate.ts). The three types that need
 * language understanding (question_misinterpretation, confusing_formula, confusing_concept) are part of the
 * taxonomy but are not realised programmatically.
 */
import type { Rng } from "#core"
import * as R from "../rational.ts"
import { verifySolution } from "../verify.ts"
import { parseSolution } from "../parse.ts"
import { modelOfVerified } from "./model.ts"
import type { SolutionModel } from "./model.ts"
import { applyPlan } from "./propagate.ts"
import type { Plan } from "./propagate.ts"
import { changeOperator, wrongSubstitution } from "./candidates.ts"
import { calculationSlip, countingSlip, irrelevantInformation, missingStep, unitConversion } from "./lemma-candidates.ts"
import { firstDifferingStep, searchPlans } from "./rise.ts"
import type { InjectOptions, NoInjection } from "./types.ts"

/** LEMMA's error taxonomy (11 types). */
export const LEMMA_ERROR_TYPES = [
  "calculation",
  "counting",
  "question_misinterpretation",
  "referencing_context_value",
  "referencing_previous_step_value",
  "unit_conversion",
  "operator",
  "missing_step",
  "confusing_formula",
  "confusing_concept",
  "adding_irrelevant_information"
] as const
export type LemmaErrorType = (typeof LEMMA_ERROR_TYPES)[number]

const GENERATORS: Partial<Record<LemmaErrorType, (model: SolutionModel, step: number) => Plan[]>> = {
  calculation: calculationSlip,
  counting: countingSlip,
  referencing_context_value: (m, s) => wrongSubstitution(m, s, "question"),
  referencing_previous_step_value: (m, s) => wrongSubstitution(m, s, "previous"),
  unit_conversion: unitConversion,
  operator: changeOperator,
  missing_step: missingStep,
  adding_irrelevant_information: irrelevantInformation
}

/** The types this module can inject. */
export const PROGRAMMATIC_LEMMA_TYPES: readonly LemmaErrorType[] = LEMMA_ERROR_TYPES.filter((t) => GENERATORS[t] !== undefined)

/** How a correction names the error type before saying what went wrong ("I used the wrong operation: ..."). */
export const LEMMA_ERROR_LEADS: Record<LemmaErrorType, string> = {
  calculation: "That is an arithmetic mistake:",
  counting: "That is a counting mistake:",
  question_misinterpretation: "I misread the question:",
  referencing_context_value: "I took the wrong number from the question:",
  referencing_previous_step_value: "I used the wrong earlier result:",
  unit_conversion: "That is a unit conversion mistake:",
  operator: "I used the wrong operation:",
  missing_step: "I left out a step:",
  confusing_formula: "I used the wrong formula:",
  confusing_concept: "I mixed up two concepts:",
  adding_irrelevant_information: "I used information the problem does not need:"
}

export interface LemmaInjection {
  readonly ok: true
  readonly error_type: LemmaErrorType
  /** 1-based step of the wrong solution that first goes wrong; its steps before are correct. */
  readonly error_step: number
  /** The step of the reference solution that the correction resumes with (error_step, or the next for missing_step). */
  readonly reference_step: number
  /** For missing_step: the reference step that was skipped. */
  readonly skipped_step?: number
  /** The reference solution (line endings normalised). */
  readonly reference: string
  /** The wrong solution, continued consistently to a wrong final answer. */
  readonly wrong: string
  readonly detail: string
  /** First-person sentence naming what went wrong in the error step. */
  readonly explain: string
  readonly original_answer: string
  readonly wrong_answer: string
}

/**
 * Injects one LEMMA error type (chosen with `rng` among those that apply, or `options.types`) into a verified
 * solution. The wrong solution keeps every later step consistent with the error and ends on a wrong answer;
 * for "calculation" the error step itself states a wrong result, for every other type all arithmetic holds.
 */
export const injectLemmaError = (
  question: string,
  solution: string,
  rng: Rng,
  options: InjectOptions<LemmaErrorType> & { readonly type?: LemmaErrorType } = {}
): LemmaInjection | NoInjection => {
  const kinds = options.type !== undefined ? [options.type] : (options.types ?? PROGRAMMATIC_LEMMA_TYPES)
  const supported = kinds.filter((k) => GENERATORS[k] !== undefined)
  if (supported.length === 0) {
    return { ok: false, code: "needs_model", reason: `error type ${kinds.join("/")} is not realised programmatically (needs a model)` }
  }
  const built = modelOfVerified(question, solution)
  if (!built.ok) return built
  const model = built.model
  const found = searchPlans(
    model,
    rng,
    supported,
    (kind, m, step) => GENERATORS[kind]!(m, step),
    (kind, plan) => {
      const r = applyPlan(model, plan)
      if (!r.ok) return r.reason
      const v = verifySolution(r.applied.text)
      const wrongSteps = parseSolution(r.applied.text).steps
      let errorStep = plan.step
      if (plan.removeStep) {
        // The skipped step leaves no text of its own: the error shows at the first step that uses the stale value.
        const next = r.applied.changedSteps.find((s) => s > plan.removeStep!.step)
        if (next === undefined) return "no later step shows the missing step"
        errorStep = next - 1
        if (errorStep > wrongSteps.length) return "no later step shows the missing step"
      } else if (firstDifferingStep(model.text, r.applied.text) !== plan.step) return "the edit did not change its step"
      if (kind === "calculation") {
        if (v.first_error_step !== plan.step || v.code !== "annotation_mismatch") return "the slip is not where it was made"
      } else if (!v.correct) return `the wrong solution's arithmetic does not hold: ${v.reason ?? ""}`
      return { text: r.applied.text, finalValue: r.applied.finalValue, errorStep }
    },
    options.maxTries ?? 24
  )
  if (!found.ok) return found
  const { plan, value } = found
  return {
    ok: true,
    error_type: found.kind,
    error_step: value.errorStep,
    reference_step: plan.removeStep ? value.errorStep + 1 : value.errorStep,
    ...(plan.removeStep ? { skipped_step: plan.removeStep.step } : {}),
    reference: model.text,
    wrong: value.text,
    detail: plan.detail,
    explain: plan.explain,
    original_answer: model.final.answer.canonical,
    wrong_answer: R.toString(value.finalValue)
  }
}
