/**
 * An editable view of a verified GSM8K-style solution: every calculator annotation with its parsed
 * expression, its stated result, the number written after it, and the expression the prose shows before it
 * ("42 + 35 = <<42+35=77>>77"). Error injection edits the annotation and that prose expression together, so
 * a reader and the verifier see the same wrong step.
 */
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import { evaluate, parseExpression, trimSpan } from "../arithmetic.ts"
import type { Expr, Span } from "../arithmetic.ts"
import { parseSolution } from "../parse.ts"
import type { Annotation, ParsedSolution } from "../parse.ts"
import type { ExtractedAnswer } from "../answer.ts"
import { statedMatches, verifySolution } from "../verify.ts"
import { questionDigits, questionNumbers, readNumber } from "./format.ts"
import type { NoInjection } from "./types.ts"

/** An arithmetic expression inside the solution text; the AST's spans are relative to `text`. */
export interface ExprSite {
  readonly text: string
  readonly ast: Expr
  /** Where `text` sits in the full solution. */
  readonly span: Span
}

export interface AnnotationSite {
  /** Position among all annotations of the solution (document order). */
  readonly index: number
  /** 1-based step index. */
  readonly step: number
  readonly annotation: Annotation
  readonly expr: ExprSite
  /** The same expression written in the prose right before the annotation, when there is one. */
  readonly prose?: ExprSite
  /** Exact value of the expression. */
  readonly value: Rational
  /** The result the annotation states (GSM8K may round: 10/3 = 3.33). Later steps use this number. */
  readonly stated: Rational
  readonly resultText: string
  readonly resultSpan: Span
  /** The written number is the stated result times this (100 for `<<1/4=0.25>>25%`, else 1). */
  readonly writtenScale: Rational
}

export interface SolutionModel {
  readonly question: string
  readonly text: string
  readonly parsed: ParsedSolution
  readonly sites: readonly AnnotationSite[]
  readonly final: ExtractedAnswer
  readonly finalValue: Rational
  /** Numbers in the question (digits and number words). */
  readonly questionValues: readonly Rational[]
  /** Numbers in the question written as digits. */
  readonly questionDigitValues: readonly Rational[]
}

export type ModelResult = { readonly ok: true; readonly model: SolutionModel } | NoInjection

/** Shape of an expression with values instead of texts: prose "8.25 + 2.80" matches annotation "8.25+2.8". */
const signature = (e: Expr): string => {
  switch (e.kind) {
    case "num":
      return R.toString(e.value)
    case "paren":
      return signature(e.expr)
    case "neg":
      return `neg(${signature(e.expr)})`
    case "pct":
      return `pct(${signature(e.expr)})`
    case "bin":
      return `(${signature(e.left)}${e.op}${signature(e.right)})`
  }
}

const PROSE_CHARS = /[0-9.,$+\-*/×÷\u2212()%\s]/

/**
 * The prose expression before an annotation: the longest run of arithmetic characters that ends in "="
 * right before `<<` (a `$` may sit between) and has the annotation's shape.
 */
const findProse = (text: string, stepStart: number, annotation: Annotation, shape: string): ExprSite | undefined => {
  let i = annotation.span.start
  while (i > stepStart && /[\s$\\]/.test(text[i - 1] ?? "")) i--
  if (text[i - 1] !== "=") return undefined
  const eq = i - 1
  let start = eq
  while (start > stepStart && PROSE_CHARS.test(text[start - 1] ?? "")) start--
  for (let s = start; s < eq; s++) {
    if (!/[0-9.$(]/.test(text[s] ?? "") || (s > stepStart && /[0-9.]/.test(text[s - 1] ?? ""))) continue
    let e = eq
    while (e > s && /\s/.test(text[e - 1] ?? "")) e--
    const src = text.slice(s, e)
    const p = parseExpression(src)
    if (p.ok && signature(p.ast) === shape) return { text: src, ast: p.ast, span: { start: s, end: e } }
  }
  return undefined
}

/** Builds the editable view, or says why the solution cannot be edited safely. */
export const buildModel = (question: string, solution: string): ModelResult => {
  const parsed = parseSolution(solution)
  const text = parsed.text
  const final = parsed.finalAnswer
  if (!final || final.answer.value === undefined) return { ok: false, code: "no_final_answer", reason: "the solution has no numeric final answer" }
  const sites: AnnotationSite[] = []
  for (const step of parsed.steps) {
    for (const a of step.annotations) {
      const where = `step ${step.index}, annotation <<${a.body}>>`
      if (a.result === undefined || a.resultSpan === undefined || a.intermediate.length > 0) {
        return { ok: false, code: "uneditable_annotation", reason: `${where}: needs exactly one "=" to be edited` }
      }
      const exprSpan = trimSpan(text, a.exprSpan)
      const exprText = text.slice(exprSpan.start, exprSpan.end)
      const p = parseExpression(exprText)
      if (!p.ok) return { ok: false, code: "uneditable_annotation", reason: `${where}: ${p.error}` }
      const v = evaluate(p.ast)
      if (!v.ok) return { ok: false, code: "uneditable_annotation", reason: `${where}: ${v.error}` }
      const resultSpan = trimSpan(text, a.resultSpan)
      const resultText = text.slice(resultSpan.start, resultSpan.end)
      const stated = readNumber(resultText)
      if (stated === undefined || resultText.includes("%")) return { ok: false, code: "uneditable_annotation", reason: `${where}: result "${resultText}" is not a plain number` }
      const check = statedMatches(v.value, resultText)
      if (!check.ok || !check.match) return { ok: false, code: "uneditable_annotation", reason: `${where}: the annotation's arithmetic does not hold` }
      let writtenScale = R.ONE
      if (a.written) {
        if (R.equals(a.written.value, stated)) writtenScale = R.ONE
        else if (a.written.percent && R.equals(a.written.value, R.mul(stated, R.HUNDRED))) writtenScale = R.HUNDRED
        else return { ok: false, code: "uneditable_annotation", reason: `${where}: the number written after it (${a.written.text}) is not its result` }
        if (a.written.text.includes("/")) return { ok: false, code: "uneditable_annotation", reason: `${where}: written result ${a.written.text} is a fraction` }
      }
      const prose = findProse(text, step.span.start, a, signature(p.ast))
      sites.push({
        index: sites.length,
        step: step.index,
        annotation: a,
        expr: { text: exprText, ast: p.ast, span: exprSpan },
        ...(prose ? { prose } : {}),
        value: v.value,
        stated,
        resultText,
        resultSpan,
        writtenScale
      })
    }
  }
  if (sites.length === 0) return { ok: false, code: "no_annotations", reason: "the solution has no calculator annotations to edit" }
  return {
    ok: true,
    model: {
      question,
      text,
      parsed,
      sites,
      final,
      finalValue: final.answer.value,
      questionValues: questionNumbers(question),
      questionDigitValues: questionDigits(question)
    }
  }
}

/** The model of a reference solution, refusing one that does not verify: errors are injected only into correct work. */
export const modelOfVerified = (question: string, solution: string): ModelResult => {
  const check = verifySolution(solution)
  if (!check.correct) return { ok: false, code: "unverified", reason: `the reference solution does not verify: ${check.reason ?? ""}` }
  return buildModel(question, solution)
}

/** Sites of one step, in order. */
export const sitesOf = (model: SolutionModel, step: number): AnnotationSite[] => model.sites.filter((s) => s.step === step)
