/**
 * Programmatic LEMMA mistake augmentation (Pan et al. 2025, "LEMMA: Learning from Errors for MatheMatical
 * Advancement"; repository pzs19/LEMMA). LEMMA has a teacher model inject one named error type into a correct
 * solution and keep reasoning to a wrong answer; here the types that are arithmetic in nature are injected
 * exactly on the calculator annotations and carried forward (propagate.ts). The three types that need
 * language understanding (question_misinterpretation, confusing_formula, confusing_concept) are part of the
 * taxonomy but are not realised programmatically.
 *
 * Choice: the error type first, uniformly among the types this solution admits (the types are shuffled with
 * the record's Rng and the first with an acceptable candidate wins), then the step, uniformly among the steps
 * that admit the type, then the concrete edit. A candidate is acceptable when it applies, keeps every
 * later step consistent, ends on a wrong answer and its wrong step is not absurd (lemma-absurd.ts); rejected
 * candidates are counted by reason.
 */
import type { Rng } from "#core"
import * as R from "../rational.ts"
import { literals, operators } from "../arithmetic.ts"
import { verifySolution } from "../verify.ts"
import { parseSolution } from "../parse.ts"
import type { ParsedStep } from "../parse.ts"
import { buildModel, modelOfVerified, sitesOf } from "./model.ts"
import type { AnnotationSite, SolutionModel } from "./model.ts"
import { applyPlan } from "./propagate.ts"
import type { Plan } from "./propagate.ts"
import { changeOperator, earlierResults, inList, show, shown, wrongSubstitution } from "./candidates.ts"
import { calculationSlip, countingSlip, irrelevantInformation, missingStep, unitConversion } from "./lemma-candidates.ts"
import type { LemmaFacts, LemmaPlan } from "./lemma-candidates.ts"
import { absurdity } from "./lemma-absurd.ts"
import { firstDifferingStep, weightedOrder } from "./rise.ts"
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

const asLemma =
  (how: string, generate: (m: SolutionModel, s: number) => Plan[]) =>
  (m: SolutionModel, s: number): LemmaPlan[] =>
    generate(m, s).map((p) => ({ ...p, how, facts: {} }))

const GENERATORS: Partial<Record<LemmaErrorType, (model: SolutionModel, step: number) => LemmaPlan[]>> = {
  calculation: calculationSlip,
  counting: countingSlip,
  referencing_context_value: asLemma("substitute", (m, s) => wrongSubstitution(m, s, "question")),
  referencing_previous_step_value: asLemma("substitute", (m, s) => wrongSubstitution(m, s, "previous")),
  unit_conversion: unitConversion,
  operator: asLemma("operator", changeOperator),
  missing_step: missingStep,
  adding_irrelevant_information: irrelevantInformation
}

/** The types this module can inject. */
export const PROGRAMMATIC_LEMMA_TYPES: readonly LemmaErrorType[] = LEMMA_ERROR_TYPES.filter((t) => GENERATORS[t] !== undefined)

/** How a correction may name each error type before saying what went wrong (one of these opens many explanations). */
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
  /** Which variant of the type the edit is ("flip", "group", "factor", "direction" ...). */
  readonly how: string
  /** First-person sentence naming what went wrong in the error step (one fixed wording; traces vary it). */
  readonly explain: string
  /** The numbers an explanation names (see lemma-explain.ts). */
  readonly facts: Readonly<Record<string, string>>
  readonly original_answer: string
  readonly wrong_answer: string
  /** Candidates tried and rejected before this one, by reason ("absurd:tenfold", "no wrong answer" ...). */
  readonly rejected: Readonly<Record<string, number>>
}

/** The number as the reader sees it after an annotation (its written form when there is one). */
const readable = (site: AnnotationSite): string => site.annotation.written?.text ?? site.resultText

/** An expression in the spaced style of the prose ("3*100" → "3 * 100"), for steps that have no prose form. */
const spaced = (expr: string): string => expr.replace(/\s*([+\-*/])\s*/g, " $1 ").trim()

const origin = (model: SolutionModel, step: number, v: R.Rational): string | undefined => {
  const e = earlierResults(model, step).find((x) => R.equals(x.value, v))
  if (e) return `the result of step ${e.step}`
  return inList(model.questionValues, v) ? "a number in the question" : undefined
}

/** What an explanation names: the step as it should be and as written, and what the edit changed. */
const factsOf = (model: SolutionModel, plan: LemmaPlan, wrongText: string, refStep: number, wrongStep: number): Record<string, string> => {
  const facts: Record<string, string> = { ...plan.facts }
  const refSites = sitesOf(model, refStep)
  const wrongModel = buildModel(model.question, wrongText)
  const wrongSites = wrongModel.ok ? sitesOf(wrongModel.model, wrongStep) : []
  const parsedWrong = parseSolution(wrongText).steps[wrongStep - 1]
  // The edited annotation: the one of the plan, else the first whose expression or result changed.
  const edited = [...plan.ops.keys(), ...(plan.forced?.keys() ?? [])][0]
  let k = edited === undefined ? -1 : refSites.findIndex((s) => s.index === edited)
  if (k < 0) {
    k = refSites.findIndex((s, i) => {
      const w = parsedWrong?.annotations[i]
      return w !== undefined && (w.expr !== s.annotation.expr || w.result !== s.annotation.result)
    })
  }
  const ref = refSites[Math.max(k, 0)]
  if (!ref) return facts
  facts.right = shown(ref)
  facts.rightResult = readable(ref)
  const w = wrongSites[Math.max(k, 0)]
  const wa = parsedWrong?.annotations[Math.max(k, 0)]
  if (w) {
    facts.wrong = shown(w)
    facts.wrongResult = readable(w)
  } else if (wa) {
    // The calculation slip: the expression is unchanged and does not verify, so there is no model of it.
    facts.wrong = plan.forced ? shown(ref) : spaced(wa.expr)
    facts.wrongResult = wa.written?.text ?? wa.result ?? ""
  }
  const op = plan.ops.get(ref.index)?.[0]
  if (op?.kind === "literal") {
    const lit = literals(ref.expr.ast)[op.index]
    if (lit) {
      facts.from = lit.text ?? R.toString(lit.value)
      facts.to = show(op.value, facts.from)
      const fo = origin(model, refStep, lit.value)
      const to = origin(model, refStep, op.value)
      if (fo) facts.fromOrigin = fo
      if (to) facts.toOrigin = to
    }
  } else if (op?.kind === "operator") {
    const node = operators(ref.expr.ast)[op.index]?.node
    if (node) {
      facts.opFrom = node.op
      facts.opTo = op.op
    }
  }
  return facts
}

export interface LemmaInjectOptions extends InjectOptions<LemmaErrorType> {
  readonly type?: LemmaErrorType
  /**
   * Relative weight of each type when the types are ordered (default 1 each: uniform among the types the
   * solution admits). Weighting up a type that few problems admit lets it reach its share where it can.
   */
  readonly weights?: Readonly<Partial<Record<LemmaErrorType, number>>>
}

/** The types in a random order where a type comes first with probability proportional to its weight. */
const typeOrder = (types: readonly LemmaErrorType[], rng: Rng, weights?: LemmaInjectOptions["weights"]): LemmaErrorType[] =>
  weights ? weightedOrder(rng, types, (t) => weights[t] ?? 1) : rng.shuffle(types)

/**
 * Injects one LEMMA error type (chosen with `rng` among those that apply, or `options.types`) into a verified
 * solution. The wrong solution keeps every later step consistent with the error and ends on a wrong answer;
 * for "calculation" the error step itself states a wrong result, for every other type all arithmetic holds.
 */
export const injectLemmaError = (
  question: string,
  solution: string,
  rng: Rng,
  options: LemmaInjectOptions = {}
): LemmaInjection | NoInjection => {
  const kinds = options.type !== undefined ? [options.type] : (options.types ?? PROGRAMMATIC_LEMMA_TYPES)
  const supported = kinds.filter((k) => GENERATORS[k] !== undefined)
  if (supported.length === 0) {
    return { ok: false, code: "needs_model", reason: `error type ${kinds.join("/")} is not realised programmatically (needs a model)` }
  }
  const built = modelOfVerified(question, solution)
  if (!built.ok) return built
  const model = built.model
  const refSteps = model.parsed.steps
  const steps = [...new Set(model.sites.map((s) => s.step))]
  const maxTries = options.maxTries ?? 24
  const rejected: Record<string, number> = {}
  const reject = (reason: string): void => {
    rejected[reason] = (rejected[reason] ?? 0) + 1
  }

  const accept = (kind: LemmaErrorType, plan: LemmaPlan): { text: string; finalValue: R.Rational; errorStep: number } | string => {
    // The wrong step writes its numbers as the rest of the solution does (thousands commas, cents).
    const r = applyPlan(model, plan, { followStyle: true })
    if (!r.ok) return r.reason.replace(/^step \d+: /, "")
    const wrongSteps = parseSolution(r.applied.text).steps
    let errorStep = plan.step
    if (plan.removeStep) {
      // The skipped step leaves no text of its own: the error shows at the first step that uses the stale value.
      const next = r.applied.changedSteps.find((s) => s > plan.removeStep!.step)
      if (next === undefined || next - 1 > wrongSteps.length) return "no later step shows the missing step"
      errorStep = next - 1
    } else if (firstDifferingStep(model.text, r.applied.text) !== plan.step) return "the edit did not change its step"
    const v = verifySolution(r.applied.text)
    if (kind === "calculation") {
      if (v.first_error_step !== plan.step || v.code !== "annotation_mismatch") return "the slip is not where it was made"
    } else if (!v.correct) return "the wrong solution's arithmetic does not hold"
    const right: ParsedStep | undefined = refSteps[(plan.removeStep ? errorStep + 1 : errorStep) - 1]
    const wrong = wrongSteps[errorStep - 1]
    const absurd = right && wrong ? absurdity(right, wrong) : undefined
    if (absurd) return `absurd:${absurd}`
    return { text: r.applied.text, finalValue: r.applied.finalValue, errorStep }
  }

  for (const kind of typeOrder(supported, rng, options.weights)) {
    for (const step of rng.shuffle(steps)) {
      const plans = GENERATORS[kind]!(model, step)
      if (plans.length === 0) continue
      for (const i of rng.shuffle(plans.map((_, i) => i)).slice(0, maxTries)) {
        const plan = plans[i]!
        const value = accept(kind, plan)
        if (typeof value === "string") {
          reject(value)
          continue
        }
        const referenceStep = plan.removeStep ? value.errorStep + 1 : value.errorStep
        return {
          ok: true,
          error_type: kind,
          error_step: value.errorStep,
          reference_step: referenceStep,
          ...(plan.removeStep ? { skipped_step: plan.removeStep.step } : {}),
          reference: model.text,
          wrong: value.text,
          detail: plan.detail,
          how: plan.how,
          explain: plan.explain,
          facts: factsOf(model, plan, value.text, referenceStep, value.errorStep),
          original_answer: model.final.answer.canonical,
          wrong_answer: R.toString(value.finalValue),
          rejected
        }
      }
    }
  }
  const top = Object.entries(rejected)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([r, n]) => `${r} (${n}×)`)
  return { ok: false, code: "no_applicable_edit", reason: `no applicable ${supported.join("/")} edit${top.length ? `: ${top.join("; ")}` : ""}` }
}

export type { LemmaFacts, LemmaPlan }
