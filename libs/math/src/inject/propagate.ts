/**
 * Applies one planned error to a solution and carries its consequences forward, so the wrong solution is
 * arithmetically self-consistent after the error (RISE, Xu et al. 2024: a subtle error, not a broken
 * calculator; LEMMA, Pan et al. 2025: "keep reasoning to a wrong final answer").
 *
 * Propagation rule: walking the annotations in document order from the error, each changed stated result
 * records (old value → new value). A later annotation literal equal to an old value (the latest change wins)
 * takes the new value, the annotation is recomputed exactly, its stated and written results are rewritten,
 * and a change of its own result is recorded in turn. A literal follows only where it is bound to the result:
 * a divisor of 100 is a percent constant and never follows ("100 * 6 / 100" becomes "118 * 6 / 100", not
 * "118 * 6 / 118"), and a literal that is also a number of the question the solution has not used yet
 * cannot be told from that number, so such a plan is refused rather than guessed (issue #11: a $100 seat
 * price became $140). A question number already used before the result was computed (the 6 of "6%" in
 * "100 * 6 / 100" before "100 + 6") is taken as spent: solutions use a given number once. Prose numbers outside expressions that equal a changed
 * value (and are not also numbers of the question) and the `#### N` line follow the same map.
 */
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import { evaluateExpression, getAt, literals, replaceSpans } from "../arithmetic.ts"
import type { Expr, Literal, Span } from "../arithmetic.ts"
import { stripAnnotations } from "../plain.ts"
import { editableTokens, formatLike, numberStyleOf, writtenPlaces } from "./format.ts"
import type { NumberStyle, WriteStyle } from "./format.ts"
import { rewriteExpr } from "./expr-edit.ts"
import type { ExprOp } from "./expr-edit.ts"
import type { AnnotationSite, SolutionModel } from "./model.ts"
import { fixNumberGrammar } from "../symbolic/grammar.ts"

export interface TextEdit {
  readonly span: Span
  readonly text: string
}

/** One planned error: what to change at the error step. Site indices are `AnnotationSite.index`. */
export interface Plan {
  /** Step (1-based, in the reference's numbering) where the error is made. */
  readonly step: number
  readonly ops: ReadonlyMap<number, readonly ExprOp[]>
  /** Stated results to force (an arithmetic slip: the expression stays, its result is wrong). */
  readonly forced?: ReadonlyMap<number, Rational>
  /** Other text of the error step to rewrite (repeats of a changed number in the prose). */
  readonly extraEdits?: readonly TextEdit[]
  /** Drop this step; later steps use `replacement` where they used the step's result. */
  readonly removeStep?: { readonly step: number; readonly site: number; readonly replacement: Rational }
  /** Short record of the edit, e.g. "35 → 36" or "+ → -". */
  readonly detail: string
  /** The error in a sentence, first person, for LEMMA's Fix & Continue ("I used 12 instead of 15 ..."). */
  readonly explain: string
}

export interface Applied {
  readonly text: string
  readonly finalValue: Rational
  /** Reference step indices whose text changed (the removed step excluded). */
  readonly changedSteps: readonly number[]
}

export type ApplyResult = { readonly ok: true; readonly applied: Applied } | { readonly ok: false; readonly reason: string }

interface Change {
  readonly old: Rational
  readonly next: Rational
  /** Text position after which the change is visible. */
  readonly at: number
}

const latest = (changes: readonly Change[], v: Rational, before = Infinity): Change | undefined => {
  for (let i = changes.length - 1; i >= 0; i--) {
    const c = changes[i]!
    if (c.at <= before && R.equals(c.old, v)) return c
  }
  return undefined
}

/**
 * The stated result to write for a new exact value, or why it cannot be written. A result the reference
 * rounded is rounded the same way; an exact one must stay exact with at most two decimals (or as many as
 * the reference used), so no edit introduces 1/3 or 0.142857… into a solution.
 */
const statedFor = (value: Rational, site: AnnotationSite): Rational | string => {
  const places = R.decimalPlaces(value)
  const k = writtenPlaces(site.resultText)
  if (!R.equals(site.value, site.stated)) {
    return places !== undefined && places <= k ? value : R.roundDecimal(value, k, "half-up")
  }
  if (places === undefined) return `step ${site.step}: ${R.toString(value)} has no finite decimal form`
  if (places > Math.max(R.decimalPlaces(site.stated) ?? 0, 2)) return `step ${site.step}: ${R.toString(value)} needs ${places} decimals`
  return value
}

/** `x / 100`'s 100: a percent constant, never a result carried from an earlier step. */
const isPercentDivisor = (ast: Expr, lit: Literal): boolean => {
  if (!R.equals(lit.value, R.HUNDRED) || lit.path[lit.path.length - 1] !== "right") return false
  const parent = getAt(ast, lit.path.slice(0, -1))
  return parent?.kind === "bin" && (parent.op === "/" || parent.op === "//")
}

/** Whether an annotation that ends by `at` uses `v` as a literal. */
const usedBefore = (model: SolutionModel, v: Rational, at: number): boolean =>
  model.sites.some((s) => s.annotation.span.end <= at && literals(s.expr.ast).some((l) => R.equals(l.value, v)))

const stepSpan = (model: SolutionModel, step: number): Span | undefined => model.parsed.steps[step - 1]?.span

/** Whether the number at `at` is money: a `$` right before it (or before the annotation it follows). */
const moneyAt = (text: string, at: number): boolean => /\$\s*(?:<<[^<>\n]*>>\s*)?$/.test(text.slice(Math.max(0, at - 80), at))

export interface ApplyOptions {
  /**
   * Write new numbers in the solution's own style (thousands grouping, money cents) where the replaced
   * text does not show it (RISE: a rejected text must not differ from the chosen in how numbers look).
   */
  readonly followStyle?: boolean
}

/** Read once per model: a generator applies many plans to the same solution. */
const styles = new WeakMap<SolutionModel, NumberStyle>()
const styleOf = (model: SolutionModel): NumberStyle => {
  let style = styles.get(model)
  if (style === undefined) {
    style = numberStyleOf(stripAnnotations(model.text), model.question)
    styles.set(model, style)
  }
  return style
}

/** The solution's style for a value written at `at`: cents only for money. */
const valueStyle = (model: SolutionModel, at: number, options: ApplyOptions): WriteStyle => {
  if (!options.followStyle) return {}
  const { group, cents } = styleOf(model).values
  return { ...(group !== undefined ? { group } : {}), ...(cents !== undefined && moneyAt(model.text, at) ? { cents } : {}) }
}

/** Applies a plan; fails with a reason when the error cannot be written or does not change the answer. */
export const applyPlan = (model: SolutionModel, plan: Plan, options: ApplyOptions = {}): ApplyResult => {
  const fail = (reason: string): ApplyResult => ({ ok: false, reason })
  const text = model.text
  const firstStep = plan.removeStep ? Math.min(plan.removeStep.step, plan.step) : plan.step
  const edits: TextEdit[] = [...(plan.extraEdits ?? [])]
  const protectedSpans: Span[] = [...(plan.extraEdits ?? []).map((e) => e.span)]
  const changes: Change[] = []
  const changed = new Set<number>()
  if ((plan.extraEdits ?? []).length > 0) changed.add(plan.step)

  for (const site of model.sites) {
    protectedSpans.push(site.annotation.span)
    if (site.prose) protectedSpans.push(site.prose.span)
    if (site.annotation.written) protectedSpans.push(site.annotation.written.span)
    if (site.step < firstStep) continue
    if (plan.removeStep && site.step === plan.removeStep.step) {
      if (site.index === plan.removeStep.site) {
        changes.push({ old: site.stated, next: plan.removeStep.replacement, at: site.annotation.span.end })
      }
      continue
    }
    const ops = plan.ops.get(site.index) ?? []
    const forced = plan.forced?.get(site.index)
    const subs = new Map<number, Rational>()
    let ambiguous: Rational | undefined
    literals(site.expr.ast).forEach((lit, i) => {
      if (isPercentDivisor(site.expr.ast, lit)) return
      const c = latest(changes, lit.value)
      if (!c) return
      if (model.questionValues.some((q) => R.equals(q, lit.value)) && !usedBefore(model, lit.value, c.at)) ambiguous ??= lit.value
      subs.set(i, c.next)
    })
    if (ambiguous !== undefined) return fail(`step ${site.step}: ${R.toString(ambiguous)} is both a changed result and a number of the question`)
    if (ops.length === 0 && subs.size === 0 && forced === undefined) continue
    const exprText = rewriteExpr(site.expr, ops, subs)
    if (exprText === undefined) return fail(`step ${site.step}: the edited expression cannot be written`)
    const ev = evaluateExpression(exprText)
    if (!ev.ok) return fail(`step ${site.step}: ${exprText}: ${ev.error}`)
    let proseText: string | undefined
    if (site.prose) {
      proseText = rewriteExpr(site.prose, ops, subs, options.followStyle ? styleOf(model).operands : {})
      const pv = proseText === undefined ? undefined : evaluateExpression(proseText)
      if (!pv?.ok || !R.equals(pv.value, ev.value)) return fail(`step ${site.step}: the prose expression does not follow the edit`)
    }
    let stated: Rational
    if (forced !== undefined) stated = forced
    else {
      const s = statedFor(ev.value, site)
      if (typeof s === "string") return fail(s)
      stated = s
    }
    if (R.sign(stated) < 0 && R.sign(site.stated) >= 0) return fail(`step ${site.step}: result ${R.toString(stated)} is negative`)
    const resultText = formatLike(stated, site.resultText)
    if (resultText === undefined) return fail(`step ${site.step}: result cannot be written`)
    edits.push({ span: site.expr.span, text: exprText })
    if (site.prose && proseText !== undefined) edits.push({ span: site.prose.span, text: proseText })
    edits.push({ span: site.resultSpan, text: resultText })
    const w = site.annotation.written
    if (w) {
      const wt = formatLike(R.mul(stated, site.writtenScale), w.text, valueStyle(model, w.span.start, options))
      if (wt === undefined) return fail(`step ${site.step}: written result cannot be written`)
      edits.push({ span: w.span, text: wt })
    }
    if (exprText !== site.expr.text || !R.equals(stated, site.stated)) changed.add(site.step)
    if (!R.equals(stated, site.stated)) changes.push({ old: site.stated, next: stated, at: site.annotation.span.end })
  }
  if (changes.length === 0) return fail("the edit changes no result")

  // Prose numbers that repeat a changed result ("Since $51 is at least $50 ... He pays $51.").
  const question = model.questionValues
  const firstAt = changes[0]!.at
  for (const step of model.parsed.steps) {
    if (step.index < firstStep || (plan.removeStep && step.index === plan.removeStep.step)) continue
    for (const tok of editableTokens(text, step.span.start, step.span.end)) {
      if (tok.span.start < firstAt) continue
      if (protectedSpans.some((p) => p.start <= tok.span.start && tok.span.end <= p.end)) continue
      if (question.some((q) => R.equals(q, tok.value))) continue
      const c = latest(changes, tok.value, tok.span.start)
      if (!c) continue
      const t = formatLike(c.next, tok.text, valueStyle(model, tok.span.start, options))
      if (t === undefined) return fail(`step ${step.index}: ${R.toString(c.next)} cannot be written in the prose`)
      edits.push({ span: tok.span, text: t })
      changed.add(step.index)
    }
  }

  const fc = latest(changes, model.finalValue)
  if (!fc || R.equals(fc.next, model.finalValue)) return fail("the edit does not change the final answer")
  const finalText = formatLike(fc.next, model.final.raw.replace(/^\s*\\?\$/, ""))
  if (finalText === undefined) return fail("the new final answer cannot be written")
  edits.push({ span: model.final.span, text: model.final.raw.trim().startsWith("$") ? `$${finalText}` : finalText })

  if (plan.removeStep) {
    const span = stepSpan(model, plan.removeStep.step)
    if (!span) return fail(`no step ${plan.removeStep.step}`)
    let end = span.end
    while (end < text.length && text[end] !== "\n") end++
    edits.push({ span: { start: span.start, end: Math.min(text.length, end + 1) }, text: "" })
  }
  const out = replaceSpans(text, edits)
  if (out === undefined) return fail("overlapping edits")
  // A new number can break the words around it ("1 years", "$37.5"): the chosen text never shows that, so the
  // wrong one must not either (a classifier would learn the slip instead of the error).
  return { ok: true, applied: { text: fixNumberGrammar(out), finalValue: fc.next, changedSteps: [...changed].sort((a, b) => a - b) } }
}
