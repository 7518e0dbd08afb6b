/**
 * Verifier for GSM8K-style solutions (openai/grade-school-math format). A solution is correct when
 *   1. every calculator annotation `<<expr=result>>` holds: `expr` evaluated exactly equals `result`
 *      (see the rounding rule below);
 *   2. the number written right after an annotation, when there is one, is that same result;
 *   3. the final answer (`#### N`, `\boxed{N}` or "The answer is N") equals `expected` when given, and
 *      otherwise is supported by the steps: equal to some annotation's value (or a rounding of one, by the
 *      rule below), to a number written after an annotation, or to a number in the last step.
 * Steps without annotations are not errors: GSM8K references have many.
 *
 * Rounding rule ("gsm8k", the default). GSM8K annotators round repeating and long results
 * (`<<10/3=3.33>>`, `<<2/3=0.67>>`, `<<100/3=33>>`). A stated result with k decimals (k = 0 for an
 * integer) is accepted when the exact value has no decimal form with at most k places and the stated
 * number equals the value rounded half-up, or truncated, to k places. So 3.33 and 3.333 pass for 10/3
 * but 3.34 does not; 18 never passes for 19. "exact" accepts only exact equality.
 * A stated or written percent passes either as the number itself or divided by 100 (`<<1/4=0.25>>25%`).
 */
import * as R from "./rational.ts"
import type { Rational } from "./rational.ts"
import { evaluateExpression } from "./arithmetic.ts"
import { answersEqual } from "./answer.ts"
import { parseSolution, toCoreSteps } from "./parse.ts"
import type { Annotation, ParsedSolution } from "./parse.ts"
import type { Step } from "#core"

export type RoundingRule = "gsm8k" | "exact"

export type VerifyCode =
  | "annotation_mismatch"
  | "written_mismatch"
  | "unparseable_expression"
  | "final_answer_mismatch"
  | "no_final_answer"
  | "unsupported_final_answer"

export interface VerifyOptions {
  /** The known correct answer; any numeric form ("1,200", "$1200.00", "1200 dollars"). */
  readonly expected?: string
  readonly rounding?: RoundingRule
}

export interface AnnotationCheck {
  /** 1-based step index. */
  readonly step: number
  readonly annotation: Annotation
  /** Exact value of the annotation's expression, when it evaluated. */
  readonly value?: Rational
  readonly ok: boolean
  /** True when the stated result passed only through the rounding rule. */
  readonly rounded: boolean
  readonly code?: VerifyCode
  readonly message?: string
}

export interface VerifyResult {
  readonly correct: boolean
  /** 1-based index of the first step with a failed check; undefined when no step failed. */
  readonly first_error_step?: number
  readonly steps: Step[]
  /** Canonical final answer ("1200"), when one was found. */
  readonly final_answer?: string
  /** Machine-friendly reason code of the first problem found. */
  readonly code?: VerifyCode
  /** "code: human message", e.g. "annotation_mismatch: step 3: 9*2 = 18, annotation says 19". */
  readonly reason?: string
  readonly checks: readonly AnnotationCheck[]
  readonly parsed: ParsedSolution
}

type Stated = { readonly ok: true; readonly match: boolean; readonly rounded: boolean } | { readonly ok: false; readonly error: string }

/** Whether a stated number (text) is `value` under the rounding rule; see the module comment. */
export const statedMatches = (value: Rational, stated: string, rounding: RoundingRule = "gsm8k"): Stated => {
  let s = stated.trim().replace(/\\?\$/g, "").replace(/\s+/g, "")
  const percent = s.endsWith("%")
  if (percent) s = s.slice(0, -1)
  let parsed = R.parseRational(s)
  if (!parsed.ok) {
    // A result written as an expression ("1/2" is handled above; "3*2" is rare but harmless).
    const e = evaluateExpression(s)
    if (!e.ok) return { ok: false, error: `result "${stated.trim()}": ${e.error}` }
    parsed = { ok: true, value: e.value }
  }
  const candidates = [parsed.value]
  if (percent) candidates.push(R.mul(parsed.value, { num: 1n, den: 100n }))
  if (candidates.some((c) => R.equals(c, value))) return { ok: true, match: true, rounded: false }
  if (rounding === "exact") return { ok: true, match: false, rounded: false }
  const decimals = /^[+-]?[\d,]*(?:\.(\d*))?$/.exec(s)
  if (!decimals) return { ok: true, match: false, rounded: false }
  const k = decimals[1]?.length ?? 0
  const exactPlaces = R.decimalPlaces(value)
  if (exactPlaces !== undefined && exactPlaces <= k) return { ok: true, match: false, rounded: false }
  const allowed = [R.roundDecimal(value, k, "half-up"), R.roundDecimal(value, k, "truncate")]
  const match = candidates.some((c) => allowed.some((a) => R.equals(a, c)))
  return { ok: true, match, rounded: match }
}

const NUMBER_IN_TEXT = /\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+/g

const numbersIn = (text: string): Rational[] =>
  [...text.matchAll(NUMBER_IN_TEXT)].flatMap((m) => {
    const r = R.parseRational(m[0])
    return r.ok ? [r.value] : []
  })

const checkAnnotation = (step: number, a: Annotation, rounding: RoundingRule): AnnotationCheck => {
  const expr = a.expr.trim()
  const where = `step ${step}`
  const fail = (code: VerifyCode, message: string, value?: Rational): AnnotationCheck => ({
    step,
    annotation: a,
    ...(value ? { value } : {}),
    ok: false,
    rounded: false,
    code,
    message: `${code}: ${where}: ${message}`
  })
  if (expr === "") return fail("unparseable_expression", `annotation <<${a.body}>> has no expression`)
  const ev = evaluateExpression(expr)
  if (!ev.ok) return fail("unparseable_expression", `"${expr}": ${ev.error}`)
  const value = ev.value
  const shown = R.toString(value)
  let rounded = false
  for (const part of [...a.intermediate, ...(a.result !== undefined ? [a.result] : [])]) {
    const m = statedMatches(value, part, rounding)
    if (!m.ok) return fail("unparseable_expression", m.error, value)
    if (!m.match) return fail("annotation_mismatch", `${expr} = ${shown}, annotation says ${part.trim()}`, value)
    rounded ||= m.rounded
  }
  if (a.written) {
    const w = a.written
    const asStated = a.result !== undefined && (() => {
      const s = R.parseRational(a.result.trim().replace(/\\?\$|%/g, ""))
      return s.ok && R.equals(s.value, w.value)
    })()
    const m = statedMatches(value, w.text, rounding)
    if (!asStated && !(m.ok && m.match)) {
      return fail("written_mismatch", `${expr} = ${shown}, but the text after the annotation says ${w.text}`, value)
    }
    rounded ||= m.ok && m.rounded
  }
  return { step, annotation: a, value, ok: true, rounded }
}

/** Verifies a GSM8K-style solution text; never throws. */
export const verifySolution = (text: string, options: VerifyOptions = {}): VerifyResult => {
  const rounding = options.rounding ?? "gsm8k"
  const parsed = parseSolution(text)
  const checks = parsed.steps.flatMap((s) => s.annotations.map((a) => checkAnnotation(s.index, a, rounding)))
  const steps: Step[] = toCoreSteps(parsed).map((step) => {
    const mine = checks.filter((c) => c.step === step.index)
    const last = mine[mine.length - 1]
    return {
      ...step,
      ...(last?.value ? { value: R.toString(last.value) } : {}),
      ok: mine.every((c) => c.ok)
    }
  })
  const firstFailed = checks.find((c) => !c.ok)
  const final = parsed.finalAnswer
  const base = {
    steps,
    checks,
    parsed,
    ...(final ? { final_answer: final.answer.canonical } : {}),
    ...(firstFailed ? { first_error_step: firstFailed.step } : {})
  }
  const verdict = (code: VerifyCode | undefined, reason?: string): VerifyResult =>
    code === undefined ? { ...base, correct: true } : { ...base, correct: false, code, reason: reason ?? code }

  if (firstFailed) return verdict(firstFailed.code, firstFailed.message)
  if (!final) return verdict("no_final_answer", `no_final_answer: no "#### N" line, \\boxed{N} or "The answer is N" found`)
  if (options.expected !== undefined) {
    return answersEqual(final.answer, options.expected)
      ? verdict(undefined)
      : verdict("final_answer_mismatch", `final_answer_mismatch: final answer ${final.raw} does not equal expected ${options.expected.trim()}`)
  }
  const answerValue = final.answer.value
  if (answerValue === undefined) return verdict(undefined)
  const lastStep = parsed.steps[parsed.steps.length - 1]
  const supported = [
    ...checks.flatMap((c) => (c.value ? [c.value] : [])),
    ...checks.flatMap((c) => (c.annotation.written ? [c.annotation.written.value] : [])),
    ...(lastStep ? numbersIn(lastStep.text) : [])
  ]
  // A final answer may round a computed value the same way an annotation may (`<<100/3=33.33>>` … `#### 33.33`).
  const computed = checks.flatMap((c) => (c.value ? [c.value] : []))
  const rounds = (v: Rational): boolean => {
    const m = statedMatches(v, final.answer.canonical, rounding)
    return m.ok && m.match
  }
  return supported.some((v) => R.equals(v, answerValue)) || computed.some(rounds)
    ? verdict(undefined)
    : verdict(
        "unsupported_final_answer",
        `unsupported_final_answer: final answer ${final.raw} is neither a computed value nor a number in the last step`
      )
}
