/**
 * Programmatic RISE error injection (Xu et al. 2024, "Subtle Errors Matter"; repository kaishxu/RISE).
 * RISE asks the policy model to edit one step of a correct solution with one of a few edit kinds; here the
 * same edit kinds are made exactly on the calculator annotations of a verified GSM8K-style solution, and the
 * wrong value is carried through the later steps (propagate.ts), so the rejected solution is arithmetically
 * consistent everywhere and wrong only through the injected step.
 *
 * Choice: each record first draws a direction with its Rng, a higher or a lower final answer (issue #11:
 * the rejected answer was the larger in 64% of pairs, so "pick the larger answer" beat chance). The edit
 * kinds are then ordered by a weighted draw (RISE_KIND_WEIGHTS offset how often each kind applies at all,
 * so no kind is much rarer than another over a dataset), within a kind the steps the same way
 * (RISE_LAST_STEP_WEIGHT), then the concrete edits, at most `maxTries` per (kind, step). The first
 * candidate in the drawn direction wins; the first in the other direction is kept as a fallback, taken
 * when no kind offers the drawn one. A candidate whose pair would carry a surface tell (tells.ts: a 10x
 * answer, a fractional answer where the chosen's is whole, a number formatted unlike the chosen, `x / x`,
 * a number against itself, half a person, a zero, a comparison made false) is refused and counted, and
 * new numbers are written in the chosen's style. A delete_term edit that shortens the text is kept only in
 * RISE_DELETE_SHORTER_SHARE of records.
 */
import type { Rng } from "#core"
import * as R from "../rational.ts"
import { parseSolution } from "../parse.ts"
import { stripAnnotations } from "../plain.ts"
import { verifySolution } from "../verify.ts"
import { modelOfVerified } from "./model.ts"
import type { SolutionModel } from "./model.ts"
import { applyPlan } from "./propagate.ts"
import type { Plan } from "./propagate.ts"
import { changeOperator, changeRelatedValues, changeValue, deleteTerm, misreadQuestion, swapTerms, wrongSubstitution } from "./candidates.ts"
import { tellsAgainst } from "./tells.ts"
import type { TellCode } from "./tells.ts"
import type { InjectOptions, NoInjection, TextEditRecord } from "./types.ts"

export const RISE_ERROR_TYPES = [
  "change_value",
  "change_related_values",
  "wrong_substitution",
  "delete_term",
  "change_operator",
  "swap_terms",
  "misread_question"
] as const
export type RiseErrorType = (typeof RISE_ERROR_TYPES)[number]

/**
 * Relative chance of trying each kind first. A value, a substitution and an operator apply to nearly every
 * step, the others to a few (a repeated number, a chain of three terms, a swap that changes the value, a
 * question number's first use): measured over the seeds' variants, these weights bring the kinds to within
 * 2x of each other (libs/math/src/inject/rise-balance.test.ts checks it). delete_term is tried first
 * wherever it applies and is still the rarest (about 4% of pairs): most of its edits shorten the text and
 * only RISE_DELETE_SHORTER_SHARE of records may keep one (see there).
 */
export const RISE_KIND_WEIGHTS: Readonly<Record<RiseErrorType, number>> = {
  change_value: 2,
  change_related_values: 14,
  wrong_substitution: 0.8,
  delete_term: 200,
  change_operator: 1.2,
  swap_terms: 1.6,
  misread_question: 0.8
}

/**
 * Weight of the last annotated step when choosing where the error goes (the others weigh 1). It was 1/4
 * when 28% of errors sat in the last step; since candidates are kept by direction (see injectError) the
 * kinds no longer crowd into the first step, and equal weights spread errors within 20% of uniform over
 * first, middle and last steps.
 */
export const RISE_LAST_STEP_WEIGHT = 1

/**
 * Share of records that prefer a higher wrong answer. Lower answers run out more often (a slip must stay
 * positive, whole where counted and grounded in the question), so the fallback leans high; since
 * ungrounded_number and unused_result are refused, a draw of one half gave 56% larger rejected answers (0.4 gives about 48%).
 */
export const RISE_HIGHER_SHARE = 0.4

/**
 * Share of records that may keep a delete_term edit that shortens the solution. Dropping a term shortens
 * the text nearly always (89% of delete_term pairs were shorter), so "the shorter solution is wrong" would
 * pick out the kind; the other records keep only a delete_term edit whose carried results lengthen the
 * text at least as much (a dropped divisor or subtrahend), or try another kind.
 */
export const RISE_DELETE_SHORTER_SHARE = 0.2

export interface RiseOptions extends InjectOptions<RiseErrorType> {
  /** Refuse candidates whose pair carries a surface tell (tells.ts); default true. */
  readonly avoidTells?: boolean
  /** Relative chance of trying each kind first; default RISE_KIND_WEIGHTS. */
  readonly kindWeights?: Partial<Readonly<Record<RiseErrorType, number>>>
  /** Weight of the last annotated step against 1 for the others; default RISE_LAST_STEP_WEIGHT. */
  readonly lastStepWeight?: number
  /** Share of records that may keep a delete_term edit that shortens the text; default RISE_DELETE_SHORTER_SHARE. */
  readonly deleteShorterShare?: number
}

const GENERATORS: Record<RiseErrorType, (model: SolutionModel, step: number) => Plan[]> = {
  change_value: changeValue,
  change_related_values: changeRelatedValues,
  wrong_substitution: (m, s) => wrongSubstitution(m, s, "any"),
  delete_term: deleteTerm,
  change_operator: changeOperator,
  swap_terms: swapTerms,
  misread_question: misreadQuestion
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
  /**
   * Every step the edit itself writes in, error_step first (later steps change only by carrying its
   * results): one step for most kinds, two for a swap of question numbers across calculations ("62 * 3"
   * and "48 * 2" become "62 * 2" and "48 * 3"), each use of the number for a misreading.
   */
  readonly edit_steps: readonly number[]
  /** Short record of the edit, e.g. "35 → 36", "3 ↔ 2 (steps 1 and 4)". */
  readonly detail: string
  /** First-person sentence naming the error (used by correction traces). */
  readonly explain: string
  readonly original_answer: string
  readonly rejected_answer: string
  /** Candidate edits refused, per surface tell they would have shown, before this one was kept. */
  readonly tell_rejects: Readonly<Partial<Record<TellCode, number>>>
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

/** The steps a plan writes in itself: its step, then the steps of the other calculations its ops edit. */
export const editSteps = (model: SolutionModel, plan: Plan): number[] => {
  const steps = new Set<number>([plan.step])
  for (const [index, ops] of plan.ops) {
    const step = model.sites[index]?.step
    if (step !== undefined && ops.length > 0) steps.add(step)
  }
  return [plan.step, ...[...steps].filter((s) => s !== plan.step).sort((a, b) => a - b)]
}

/** The distinct steps that carry an annotation. */
export const annotatedSteps = (model: SolutionModel): number[] => [...new Set(model.sites.map((s) => s.step))]

/** How searchPlans orders kinds and steps; without it both are shuffled uniformly. */
export interface SearchOrder<T extends string, A = unknown> {
  /** Relative chance of trying a kind first (1 when missing). */
  readonly kindWeights?: Partial<Readonly<Record<T, number>>>
  /** Relative chance of trying a step first, given the annotated steps (1 when missing). */
  readonly stepWeight?: (step: number, steps: readonly number[]) => number
  /**
   * Which accepted candidates the record prefers: "take" ends the search, "fallback" is kept only if no
   * preferred candidate of the same kind turns up, a string refuses it with that reason. Without it every
   * accepted candidate is taken.
   */
  readonly prefer?: (kind: T, value: A) => "take" | "fallback" | string
  /** Look for a preferred candidate in the kinds after the fallback's too (default: only in its kind). */
  readonly preferAcrossKinds?: boolean
}

/**
 * A weighted random order (Efraimidis and Spirakis 2006: sort by u^(1/w)); an item of weight 2 comes
 * before one of weight 1 two times in three. Weights must be positive.
 */
export const weightedOrder = <A>(rng: Rng, items: readonly A[], weight: (a: A) => number): A[] =>
  items
    .map((item, i) => ({ item, i, key: Math.log(Math.max(rng.next(), Number.MIN_VALUE)) / Math.max(weight(item), 1e-9) }))
    .sort((x, y) => y.key - x.key || x.i - y.i)
    .map((x) => x.item)

/**
 * Tries kinds, steps and edits in Rng order and returns the first that `accept` keeps; shared by RISE and
 * LEMMA so both choose the same way. `order` weights the kinds and steps (RISE); without it they are
 * shuffled uniformly.
 */
export const searchPlans = <T extends string, A>(
  model: SolutionModel,
  rng: Rng,
  kinds: readonly T[],
  generate: (kind: T, model: SolutionModel, step: number) => Plan[],
  accept: (kind: T, plan: Plan) => A | string,
  maxTries: number,
  order?: SearchOrder<T, A>
): { ok: true; kind: T; plan: Plan; value: A } | NoInjection => {
  const steps = annotatedSteps(model)
  const reasons = new Map<string, number>()
  const refuse = (r: string): void => {
    const key = r.replace(/^step \d+: /, "")
    reasons.set(key, (reasons.get(key) ?? 0) + 1)
  }
  const kindOrder = order?.kindWeights ? weightedOrder(rng, kinds, (k) => order.kindWeights?.[k] ?? 1) : rng.shuffle(kinds)
  let fallback: { kind: T; plan: Plan; value: A } | undefined
  for (const kind of kindOrder) {
    const stepOrder = order?.stepWeight ? weightedOrder(rng, steps, (s) => order.stepWeight!(s, steps)) : rng.shuffle(steps)
    // Once a fallback is in hand, a preferred candidate is looked for a bounded number of tries more per kind.
    let left = maxTries
    search: for (const step of stepOrder) {
      const plans = generate(kind, model, step)
      if (plans.length === 0) continue
      const tries = rng.shuffle(plans.map((_, i) => i)).slice(0, maxTries)
      for (const i of tries) {
        if (fallback && left-- <= 0) break search
        const plan = plans[i]!
        const r = accept(kind, plan)
        if (typeof r === "string") {
          refuse(r)
          continue
        }
        const p = order?.prefer?.(kind, r) ?? "take"
        if (p === "take") return { ok: true, kind, plan, value: r }
        if (p === "fallback") fallback ??= { kind, plan, value: r }
        else refuse(p)
      }
    }
    if (fallback && order?.preferAcrossKinds !== true) break
  }
  if (fallback) return { ok: true, kind: fallback.kind, plan: fallback.plan, value: fallback.value }
  const top = [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([r, n]) => `${r} (${n}×)`)
  return { ok: false, code: "no_applicable_edit", reason: `no applicable ${kinds.join("/")} edit${top.length ? `: ${top.join("; ")}` : ""}` }
}

/**
 * Injects one RISE-style error into a verified solution. Returns the rejected solution and where and how
 * it was edited, or a reason when the solution does not verify or no edit kind applies.
 */
export const injectError = (question: string, solution: string, rng: Rng, options: RiseOptions = {}): RiseInjection | NoInjection => {
  const built = modelOfVerified(question, solution)
  if (!built.ok) return built
  const model = built.model
  const avoidTells = options.avoidTells ?? true
  const lastWeight = options.lastStepWeight ?? RISE_LAST_STEP_WEIGHT
  const tellRejects: Partial<Record<TellCode, number>> = {}
  const tellsOf = tellsAgainst(question, model.text)
  // Drawn before the search, so each record's preferences depend on its Rng alone.
  const higher = rng.next() < RISE_HIGHER_SHARE
  const shorterOk = rng.next() < (options.deleteShorterShare ?? RISE_DELETE_SHORTER_SHARE)
  const chosenLength = stripAnnotations(model.text).length
  let haveFallback = false
  const found = searchPlans(
    model,
    rng,
    options.types ?? RISE_ERROR_TYPES,
    (kind, m, step) => GENERATORS[kind](m, step),
    (kind, plan) => {
      const r = applyPlan(model, plan, { followStyle: true })
      if (!r.ok) return r.reason
      // The cheap preferences first: a candidate that would only be a second fallback is not checked further.
      if (kind === "delete_term" && !shorterOk && stripAnnotations(r.applied.text).length < chosenLength) return "delete_term: shorter"
      const preferred = (R.compare(r.applied.finalValue, model.finalValue) > 0) === higher
      if (!preferred && haveFallback) return "the other direction"
      if (avoidTells) {
        const tells = tellsOf(r.applied.text)
        if (tells.length > 0) {
          for (const code of new Set(tells.map((t) => t.code))) tellRejects[code] = (tellRejects[code] ?? 0) + 1
          return `tell:${tells[0]!.code}`
        }
      }
      const v = verifySolution(r.applied.text)
      if (!v.correct) return `the edited solution does not verify: ${v.reason ?? ""}`
      if (firstDifferingStep(model.text, r.applied.text) !== plan.step) return "the edit did not change its step"
      return { applied: r.applied, preferred }
    },
    options.maxTries ?? 24,
    {
      kindWeights: { ...RISE_KIND_WEIGHTS, ...options.kindWeights },
      stepWeight: (step, steps) => (steps.length > 1 && step === steps[steps.length - 1] ? lastWeight : 1),
      preferAcrossKinds: true,
      prefer: (_kind, c) => {
        if (c.preferred) return "take"
        haveFallback = true
        return "fallback"
      }
    }
  )
  if (!found.ok) return found
  const applied = found.value.applied
  const before = model.parsed.steps[found.plan.step - 1]?.text ?? ""
  const after = parseSolution(applied.text).steps[found.plan.step - 1]?.text ?? ""
  return {
    ok: true,
    error_type: found.kind,
    error_step: found.plan.step,
    chosen: model.text,
    rejected: applied.text,
    edit: diffSpan(before, after),
    edit_steps: editSteps(model, found.plan),
    detail: found.plan.detail,
    explain: found.plan.explain,
    original_answer: model.final.answer.canonical,
    rejected_answer: R.toString(applied.finalValue),
    tell_rejects: tellRejects
  }
}
