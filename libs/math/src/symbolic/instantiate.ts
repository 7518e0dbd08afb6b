/**
 * Draws one instance of a GSM-Symbolic template (Apple 2024): new values for the free variables until
 * every inferred condition holds, then the question with the new numbers, the solution re-executed with
 * exact rationals (each `<<expr=result>>`, the number after it, the written expression before it, the
 * numbers in the words, `#### N`), then new people, objects and units (surface.ts), the grammar of the
 * new numbers fixed (grammar.ts), and a final check with the verifier.
 */
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import { literals, replaceSpans } from "../arithmetic.ts"
import type { Span } from "../arithmetic.ts"
import { verifySolution } from "../verify.ts"
import type { Rng } from "#core"
import { normaliseText } from "#core"
import { evaluation, EvaluationFailure, firstBroken } from "./evaluate.ts"
import type { BrokenCondition } from "./evaluate.ts"
import type { Evaluation } from "./evaluate.ts"
import { fixNumberGrammar } from "./grammar.ts"
import { formatNumber } from "./numbers.ts"
import { varySurface } from "./surface.ts"
import type { SurfaceChange, SurfaceOptions } from "./surface.ts"
import type { StoryRule, SymbolicTemplate, SymbolicVariable } from "./types.ts"

export interface InstantiateOptions {
  /** Draws to try before giving up with "conditions_unsatisfiable"; default 50. */
  readonly maxAttempts?: number
  /**
   * Chance that a draw gives a variable a new value; the others keep theirs. Below 1 it helps problems
   * whose conditions tie many variables together (each redraw has fewer chances to break one). Default 0.75.
   */
  readonly redrawProbability?: number
  /**
   * Largest factor by which the answer may move from the seed's, either way (default 3); a draw whose
   * answer also has more than one digit more than the seed's is rejected. Keeps answers near the
   * seeds' sizes when redraws multiply (two doubled factors would quadruple the answer).
   */
  readonly answerSpread?: number
  /** New names, objects and units (surface.ts); false keeps the seed's words. Default on. */
  readonly surface?: boolean | SurfaceOptions
}

/** A story rule (types.ts) is a failure of its own: the draw met every other condition, so it is counted. */
export type InstanceFailure = "conditions_unsatisfiable" | "unverified" | StoryRule

export type SymbolicInstance =
  | {
      readonly ok: true
      readonly question: string
      readonly reference: string
      /** Canonical final answer ("183", "292.5"). */
      readonly answer: string
      /** New value of every variable, by id. */
      readonly values: Readonly<Record<string, string>>
      /** Names, objects and units that changed. */
      readonly changes: ReadonlyArray<SurfaceChange>
      readonly attempts: number
    }
  | { readonly ok: false; readonly reason: InstanceFailure; readonly message: string; readonly attempts: number }

/**
 * A new value from the variable's domain, log-uniform: as likely to halve as to double, so the values
 * (and the answers they multiply into) centre on the seed's magnitude instead of drifting upward.
 */
const drawValue = (v: SymbolicVariable, rng: Rng): Rational => {
  const { step, min, max } = v.domain
  const k = (x: Rational): number => {
    const q = R.div(x, step)
    return q.ok ? Number(q.value.num / q.value.den) : 1
  }
  const lo = k(min)
  const hi = k(max)
  const u = Math.log(Math.max(lo - 0.5, 0.5)) + rng.next() * (Math.log(hi + 0.5) - Math.log(Math.max(lo - 0.5, 0.5)))
  const drawn = Math.min(hi, Math.max(lo, Math.round(Math.exp(u))))
  const value = R.mul(R.fromBigInt(BigInt(drawn)), step)
  // 1 changes the grammar ("1 times as far", "1 kilometers"): a number that was not 1 does not become 1.
  return R.equals(value, R.ONE) ? v.value : value
}

interface Rendered {
  readonly question: string
  readonly reference: string
  readonly answer: string
}

/** Question and reference with the evaluated numbers; a message when some number has no finite decimal. */
const render = (t: SymbolicTemplate, ev: Evaluation): Rendered | string => {
  const qEdits: Array<{ span: Span; text: string }> = []
  for (const v of t.variables) {
    const value = ev.variable(v.id)
    for (const o of v.occurrences) {
      const text = formatNumber(value, o.style, t.questionCommas)
      if (text === undefined) return `${v.id} = ${R.toString(value)} has no finite decimal form`
      qEdits.push({ span: o.span, text })
    }
  }
  const rEdits: Array<{ span: Span; text: string }> = []
  const put = (span: Span, value: Rational, style: Parameters<typeof formatNumber>[1], autoCommas: boolean, what: string): string | undefined => {
    const text = formatNumber(value, style, autoCommas)
    if (text === undefined) return `${what} = ${R.toString(value)} has no finite decimal form`
    rEdits.push({ span, text })
    return undefined
  }
  for (const [index, a] of t.annotations.entries()) {
    const lits = literals(a.ast)
    for (const [i, lit] of lits.entries()) {
      const b = a.bindings[i]
      if (b === undefined || b.kind === "const" || lit.span === undefined) continue
      const value = ev.ref(b)
      if (R.equals(value, lit.value)) continue
      const span = { start: a.exprSpan.start + lit.span.start, end: a.exprSpan.start + lit.span.end }
      const err = put(span, value, { commas: (lit.text ?? "").includes(","), minDecimals: 0 }, false, `a literal of step ${a.step}`)
      if (err) return err
    }
    const value = ev.result(index)
    if (a.result) {
      const err = put(a.result.span, R.mul(value, a.result.scale), a.result.style, false, `step ${a.step}`)
      if (err) return err
    }
    if (a.written) {
      const err = put(a.written.span, R.mul(value, a.written.scale), a.written.style, t.referenceCommas, `step ${a.step}`)
      if (err) return err
    }
  }
  for (const m of t.mentions) {
    const err = put(m.span, ev.ref(m.ref), m.style, m.inExpression ? false : t.referenceCommas, `a number in step ${m.step}`)
    if (err) return err
  }
  const finalValue = ev.ref(t.final.ref)
  const err = put(t.final.span, finalValue, t.final.style, false, "the final answer")
  if (err) return err
  const question = replaceSpans(t.question, qEdits)
  const reference = replaceSpans(t.reference, rEdits)
  if (question === undefined || reference === undefined) return "two edits overlap"
  return { question, reference, answer: R.toString(finalValue) }
}

const digits = (x: Rational): number => R.toString(x).replace("-", "").split(".")[0]!.length

/** Why a new answer strays too far from the seed's, or undefined when it does not. */
const answerStrays = (seed: Rational, answer: Rational, spread: number): string | undefined => {
  if (R.isZero(seed) || R.isZero(answer) || R.sign(seed) !== R.sign(answer)) return undefined
  const ratio = Math.abs(R.toNumber(answer) / R.toNumber(seed))
  if (ratio > spread || ratio < 1 / spread) return `the answer moved more than ${spread}x from the seed's`
  if (digits(answer) > digits(seed) + 1) return "the answer has more than one digit more than the seed's"
  return undefined
}

/** One new instance of the template, drawn with `rng`; deterministic given the rng's state. */
export const instantiate = (template: SymbolicTemplate, rng: Rng, options: InstantiateOptions = {}): SymbolicInstance => {
  const maxAttempts = options.maxAttempts ?? 50
  const p = options.redrawProbability ?? 0.75
  const free = template.variables.filter((v) => v.derivedFrom === undefined)
  const original = normaliseText(template.question)
  const spread = options.answerSpread ?? 3
  const seedAnswer = R.parseRational(template.answer)
  const surface = options.surface === false ? undefined : { constants: template.constants, ...(options.surface === true ? {} : options.surface) }
  const tally = new Map<string, number>()
  const note = (why: string): void => {
    tally.set(why, (tally.get(why) ?? 0) + 1)
  }
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const values = new Map<string, Rational>()
    for (const v of free) values.set(v.id, rng.chance(p) ? drawValue(v, rng) : v.value)
    if (free.every((v) => R.equals(values.get(v.id)!, v.value))) {
      note("the draw kept every original value")
      continue
    }
    const ev = evaluation(template.variables, template.annotations, values)
    let rendered: Rendered | string
    let story: BrokenCondition | undefined
    try {
      const broken = firstBroken(template.conditions, ev)
      if (broken !== undefined && broken.rule === undefined) {
        note(broken.message)
        continue
      }
      story = broken
      rendered = render(template, ev)
    } catch (e) {
      if (!(e instanceof EvaluationFailure)) throw e
      note(e.message)
      continue
    }
    if (typeof rendered === "string") {
      note(rendered)
      continue
    }
    const strays = seedAnswer.ok ? answerStrays(seedAnswer.value, R.rat(rendered.answer), spread) : undefined
    if (strays !== undefined) {
      note(strays)
      continue
    }
    if (story?.rule !== undefined) return { ok: false, reason: story.rule, message: `${story.rule}: ${story.message}`, attempts: attempt }
    let changes: ReadonlyArray<SurfaceChange> = []
    if (surface !== undefined) {
      const s = varySurface(rendered.question, rendered.reference, rng.fork(`surface-${attempt}`), surface)
      rendered = { ...rendered, question: s.question, reference: s.reference }
      changes = s.changes
    }
    rendered = { ...rendered, question: fixNumberGrammar(rendered.question), reference: fixNumberGrammar(rendered.reference) }
    if (normaliseText(rendered.question) === original) {
      note("the question did not change")
      continue
    }
    const verdict = verifySolution(rendered.reference, { expected: rendered.answer })
    if (!verdict.correct) {
      return { ok: false, reason: "unverified", message: `unverified: ${verdict.reason ?? "unknown"}`, attempts: attempt }
    }
    const shown: Record<string, string> = {}
    for (const v of template.variables) shown[v.id] = R.toString(ev.variable(v.id))
    return { ok: true, ...rendered, values: shown, changes, attempts: attempt }
  }
  const common = [...tally.entries()].sort((a, b) => b[1] - a[1])[0]
  return {
    ok: false,
    reason: "conditions_unsatisfiable",
    message: `conditions_unsatisfiable: no draw in ${maxAttempts} met every condition; most often: ${common ? `${common[0]} (${common[1]}×)` : "none"}`,
    attempts: maxAttempts
  }
}
