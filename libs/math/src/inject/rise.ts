/**
 * Programmatic RISE error injection (Xu et al. 2024, "Subtle Errors Matter"; repository kaishxu/RISE).
 * RISE asks the policy model to edit one step of a correct solution with one of a few edit kinds; here the
 * same edit kinds are made exactly on the calculator annotations of a verified GSM8K-style solution, and the
 * wrong value is carried through the later steps (propagate.ts), so the rejected solution is arithmetically
 * consistent everywhere and wrong only through the injected step.
 *
 * Choice: the edit kinds are shuffled with the record's Rng and the first kind with an applicable step wins
 * (uniform over applicable kinds); within it the steps are shuffled the same way (uniform over applicable
 * steps), then the concrete edits; at most `maxTries` concrete edits are tried per (kind, step).
 */
import type { Rng } from "#core"
import * as R from "../rational.ts"
import { parseSolution } from "../parse.ts"
import { verifySolution } from "../verify.ts"
import { modelOfVerified } from "./model.ts"
import type { SolutionModel } from "./model.ts"
import { applyPlan } from "./propagate.ts"
import type { Plan } from "./propagate.ts"
import { changeOperator, changeRelatedValues, changeValue, deleteTerm, swapTerms, wrongSubstitution } from "./candidates.ts"
import type { InjectOptions, NoInjection, TextEditRecord } from "./types.ts"

export const RISE_ERROR_TYPES = [
  "change_value",
  "change_related_values",
  "wrong_substitution",
  "delete_term",
  "change_operator",
  "swap_terms"
] as const
export type RiseErrorType = (typeof RISE_ERROR_TYPES)[number]

const GENERATORS: Record<RiseErrorType, (model: SolutionModel, step: number) => Plan[]> = {
  change_value: changeValue,
  change_related_values: changeRelatedValues,
  wrong_substitution: (m, s) => wrongSubstitution(m, s, "any"),
  delete_term: deleteTerm,
  change_operator: changeOperator,
  swap_terms: swapTerms
}

export interface RiseInjection {
  readonly ok: true
  readonly error_type: RiseErrorType
  /** 1-based step where chosen and rejected first differ; all steps before are identical. */
  readonly error_step: number
  /** The correct solution (line endings normalised). */
  readonly chosen: string
  /** The edited solution: consistent arithmetic, wrong final answer. */
  readonly rejected: string
  /** The smallest span of the step text that changed (from the first to the last differing character). */
  readonly edit: TextEditRecord
  /** Short record of the edit, e.g. "35 → 36". */
  readonly detail: string
  /** First-person sentence naming the error (used by correction traces). */
  readonly explain: string
  readonly original_answer: string
  readonly rejected_answer: string
}

/** The differing middle of two texts: common prefix and suffix removed. */
export const diffSpan = (before: string, after: string): TextEditRecord => {
  let p = 0
  while (p < before.length && p < after.length && before[p] === after[p]) p++
  let s = 0
  while (s < before.length - p && s < after.length - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++
  // Widen to whole numbers so the record reads "231" → "81", not "23" → "8".
  const digit = (i: number): boolean => /\d/.test(before[i] ?? "")
  const inNumber = (i: number): boolean => digit(i) || (/[.,]/.test(before[i] ?? "") && digit(i - 1) && digit(i + 1))
  while (p > 0 && inNumber(p - 1)) p--
  while (s > 0 && inNumber(before.length - s)) s--
  return { span: { start: p, end: before.length - s }, original: before.slice(p, before.length - s), replacement: after.slice(p, after.length - s) }
}

/** 1-based index of the first step whose text differs between two solutions; undefined if none does. */
export const firstDifferingStep = (a: string, b: string): number | undefined => {
  const x = parseSolution(a).steps
  const y = parseSolution(b).steps
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i]?.text !== y[i]?.text) return i + 1
  return undefined
}

/** The distinct steps that carry an annotation. */
export const annotatedSteps = (model: SolutionModel): number[] => [...new Set(model.sites.map((s) => s.step))]

/**
 * Tries kinds, steps and edits in Rng order and returns the first that `accept` keeps; shared by RISE and
 * LEMMA so both choose the same way.
 */
export const searchPlans = <T extends string, A>(
  model: SolutionModel,
  rng: Rng,
  kinds: readonly T[],
  generate: (kind: T, model: SolutionModel, step: number) => Plan[],
  accept: (kind: T, plan: Plan) => A | string,
  maxTries: number
): { ok: true; kind: T; plan: Plan; value: A } | NoInjection => {
  const steps = annotatedSteps(model)
  const reasons = new Map<string, number>()
  for (const kind of rng.shuffle(kinds)) {
    for (const step of rng.shuffle(steps)) {
      const plans = generate(kind, model, step)
      if (plans.length === 0) continue
      const order = rng.shuffle(plans.map((_, i) => i)).slice(0, maxTries)
      for (const i of order) {
        const plan = plans[i]!
        const r = accept(kind, plan)
        if (typeof r !== "string") return { ok: true, kind, plan, value: r }
        const key = r.replace(/^step \d+: /, "")
        reasons.set(key, (reasons.get(key) ?? 0) + 1)
      }
    }
  }
  const top = [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([r, n]) => `${r} (${n}×)`)
  return { ok: false, code: "no_applicable_edit", reason: `no applicable ${kinds.join("/")} edit${top.length ? `: ${top.join("; ")}` : ""}` }
}

/**
 * Injects one RISE-style error into a verified solution. Returns the rejected solution and where and how
 * it was edited, or a reason when the solution does not verify or no edit kind applies.
 */
export const injectError = (
  question: string,
  solution: string,
  rng: Rng,
  options: InjectOptions<RiseErrorType> = {}
): RiseInjection | NoInjection => {
  const built = modelOfVerified(question, solution)
  if (!built.ok) return built
  const model = built.model
  const found = searchPlans(
    model,
    rng,
    options.types ?? RISE_ERROR_TYPES,
    (kind, m, step) => GENERATORS[kind](m, step),
    (_kind, plan) => {
      const r = applyPlan(model, plan)
      if (!r.ok) return r.reason
      const v = verifySolution(r.applied.text)
      if (!v.correct) return `the edited solution does not verify: ${v.reason ?? ""}`
      if (firstDifferingStep(model.text, r.applied.text) !== plan.step) return "the edit did not change its step"
      return r.applied
    },
    options.maxTries ?? 24
  )
  if (!found.ok) return found
  const applied = found.value
  const before = model.parsed.steps[found.plan.step - 1]?.text ?? ""
  const after = parseSolution(applied.text).steps[found.plan.step - 1]?.text ?? ""
  return {
    ok: true,
    error_type: found.kind,
    error_step: found.plan.step,
    chosen: model.text,
    rejected: applied.text,
    edit: diffSpan(before, after),
    detail: found.plan.detail,
    explain: found.plan.explain,
    original_answer: model.final.answer.canonical,
    rejected_answer: R.toString(applied.finalValue)
  }
}
