/**
 * Verifier for GSM8K-style solutions (openai/grade-school-math format). A solution is correct when
 *   1. every calculator annotation `<<expr=result>>` holds: `expr` evaluated exactly equals `result`
 *      (see the rounding rule below);
 *   2. the number written right after an annotation, when there is one, is that same result;
 *   3. every equation written in prose without an annotation (`12 + 5 = 17`, `2 - 8 = -6`) holds, when it
 *      parses as arithmetic (see "Claims in prose" below);
 *   4. the final answer (`#### N`, `\boxed{N}` or "The answer is N"; the last `####`, else the last
 *      `\boxed{}`, else the last "The answer is") is a number, in digits or in words ("#### five"); every
 *      other final-answer phrase in the text that states a number states the same one ("The answer is: 31"
 *      then "#### 29" is `conflicting_final_answers`); it equals `expected` when one is given (an expected answer never
 *      overrides the steps); and it is the result the solution ends on. That result is found in the last
 *      step that states a number, the final-answer phrases not counted. When the step computes (an
 *      annotation or a prose equation), it is the last computation's value, the result stated or written for
 *      it, or a rounding of the value by the rule below; or a number the step states after that computation
 *      ("so 22 in all", "so it took three days"); or a number it states before it, in digits or words, that is
 *      neither an operand of a computation (of this step or an earlier one) nor an earlier step's result
 *      ("80% of the girls ... because 12/15=<<12/15=.8>>.8"): so the 160 of "20 sheep + 160 sheep + 80 sheep =
 *      <<20+160+80=260>>260" or the 25 of "15 cups ... 25 cups ... 60-15-25=<<60-15-25=20>>20" is not an
 *      ending. When the step computes nothing, it is any number the step states. When `question` is given
 *      and asks "in cents" or "how many cents", a last computation written in dollars (`= $<<15/30=0.50>>0.50`,
 *      `= $0.50`) also ends on 100 times its value (`#### 50`).
 * Steps without annotations are not errors: GSM8K references have many. Expressions are those of
 * `arithmetic.ts`, Python's floor division `//` included (`<<560//10=56>>`).
 *
 * Rounding rule ("gsm8k", the default). GSM8K annotators round repeating and long results
 * (`<<10/3=3.33>>`, `<<2/3=0.67>>`, `<<100/3=33>>`). A stated result with k decimals (k = 0 for an
 * integer) is accepted when the exact value has no decimal form with at most k places and the stated
 * number equals the value rounded half-up, or truncated, to k places. So 3.33 and 3.333 pass for 10/3
 * but 3.34 does not; 18 never passes for 19. "exact" accepts only exact equality.
 * A stated or written percent passes either as the number itself or divided by 100 (`<<1/4=0.25>>25%`).
 *
 * Floating-point calculator results. Real GSM8K annotations hold what a double-precision calculator printed
 * (`<<11/18*162=99.00000000000001>>`, `<<580/110=5.2727272727272725>>`). A stated decimal of 15 or more
 * significant digits passes when it is, as a double, exactly the double nearest the exact value or exactly
 * what the expression gives evaluated in doubles step by step. There is no tolerance beyond that: a short
 * decimal is never read as a double, so `10/3 = 3.3` or `3.34` is judged by the rules above only.
 *
 * Claims in prose. An equation in the text with no annotation (`12 + 5 = 17`, `$12,000 + $3,500 = $15,500`,
 * chains `5 + 3 = 8 * 2 = 16`) is a claim: it must hold exactly (or be the calculator double above), so
 * `10/3 = 3` and `10/3 = 3.33` are wrong there, unlike in an annotation, where GSM8K's annotators rounded.
 * A step that says it rounds or approximates ("rounded", "about", "approximately", `≈`, `~`) is judged with
 * the rounding rule instead. Only pure arithmetic is read: an equation whose side is not a number or an
 * expression of numbers (`2 hours = 120 minutes`, `3x + 2 = 11`), that is cut by an operator word
 * (`3 times 50 = 150`, or "of" after a number, percent or fraction: `20% of 50 = 10`, `half of 60 = 30`,
 * `1/3 of 60 = 20`), or that has no operator on either side is not a claim the verifier can check and is
 * skipped, and so is algebra (`150 = 10+4c`), a mixed number (`4 / 3 = 1 and 1/3`), a clock time (a colon
 * right after a digit: `6:00+48=6:48`), a number that labels an expression (`Week 2 = 35 + 35`) and a range
 * after a word (`Weeks 1-2 = 96 - 70`). Any other word or a colon before an equation does not exempt it:
 * `a total of 5 + 3 = 9` and `Total: 3 + 4 = 8` are wrong claims. In a chain, `a = b op c` also passes when `b`
 * equals `a` (the text continuing from a result). GSM8K's prose conventions are read as meant: a fraction
 * after a division is one number (`25 / 1/3 = 75`), `x 100%` means times 100 (`.4 x 100% = 40%`), a
 * right side in cents or a step counting in thousands is scaled (`$1 / 2 = 50 cents`). A step that counts
 * whole items ("full", "whole", "remainder") is judged with the rounding rule, as an approximate one is.
 *
 * Numbers may group thousands with commas (`1,200`) or with spaces (`$400 000`, `17 500`): after an
 * annotation (when that is the annotation's result), in prose equations, in a final answer and in the step
 * the solution ends on. A minus sign written against a number (`-6`, `−6`) makes it negative.
 */
import * as R from "./rational.ts"
import type { Rational } from "./rational.ts"
import { evaluateExpression, evaluateFloat, literals } from "./arithmetic.ts"
import type { Expr, Span } from "./arithmetic.ts"
import { answerInWords, answersEqual, normaliseAnswer, NUMBER_WORDS_SRC, numberWordValue, SPACED_NUMBER_SRC, statedNumber, unspaced } from "./answer.ts"
import type { ExtractedAnswer } from "./answer.ts"
import { parseSolution, toCoreSteps } from "./parse.ts"
import type { Annotation, ParsedSolution, ParsedStep } from "./parse.ts"
import type { Step } from "#core"

export type RoundingRule = "gsm8k" | "exact"

export type VerifyCode =
  | "annotation_mismatch"
  | "written_mismatch"
  | "unparseable_expression"
  | "equation_mismatch"
  | "final_answer_mismatch"
  | "no_final_answer"
  | "unsupported_final_answer"
  | "conflicting_final_answers"

export interface VerifyOptions {
  /** The known correct answer; any numeric form ("1,200", "$1200.00", "1200 dollars"). */
  readonly expected?: string
  readonly rounding?: RoundingRule
  /** The problem, when known: a question that asks "in cents" lets a dollar result end the steps (see above). */
  readonly question?: string
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
  /** The equations written in prose, checked as claims. */
  readonly equations: readonly EquationCheck[]
  readonly parsed: ParsedSolution
}

type Stated = { readonly ok: true; readonly match: boolean; readonly rounded: boolean } | { readonly ok: false; readonly error: string }

/** How a stated number is compared: an annotation's result ("gsm8k" or "exact"), or a claim made in prose. */
type MatchMode = RoundingRule | "claim"

/** A decimal as a double-precision calculator prints it: a fraction part, 15 or more significant digits. */
const looksLikeDouble = (s: string): boolean => /^[+-]?\d*\.\d+$/.test(s) && s.replace(/\D/g, "").replace(/^0+/, "").length >= 15

/** The double nearest `value`: a 30-place decimal rounding is far closer to `value` than half an ulp. */
const nearestDouble = (value: Rational): number => Number(R.toString(R.roundDecimal(value, 30, "half-up")))

/**
 * Whether a stated number (text) is `value` under the rounding rule; see the module comment. `float` is
 * the expression's value computed in doubles, when known: a calculator's printed result may be that.
 */
export const statedMatches = (value: Rational, stated: string, rounding: RoundingRule = "gsm8k", float?: number): Stated =>
  matchStated(value, stated, rounding, float)

const matchStated = (value: Rational, stated: string, mode: MatchMode, float?: number): Stated => {
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
  if (mode === "exact") return { ok: true, match: false, rounded: false }
  if (!percent && looksLikeDouble(s)) {
    const d = Number(s)
    if (d === nearestDouble(value) || d === float) return { ok: true, match: true, rounded: true }
  }
  if (mode === "claim") return { ok: true, match: false, rounded: false }
  const decimals = /^[+-]?[\d,]*(?:\.(\d*))?$/.exec(s)
  if (!decimals) return { ok: true, match: false, rounded: false }
  const k = decimals[1]?.length ?? 0
  const exactPlaces = R.decimalPlaces(value)
  if (exactPlaces !== undefined && exactPlaces <= k) return { ok: true, match: false, rounded: false }
  const allowed = [R.roundDecimal(value, k, "half-up"), R.roundDecimal(value, k, "truncate")]
  // A percent rounds the value times 100 ("33.333%" for 1/3).
  const hundred = R.mul(value, R.HUNDRED)
  const allowedPercent = percent && R.decimalPlaces(hundred) !== undefined && R.decimalPlaces(hundred)! <= k ? [] : percent ? [R.roundDecimal(hundred, k, "half-up"), R.roundDecimal(hundred, k, "truncate")] : []
  const match = candidates.some((c) => allowed.some((a) => R.equals(a, c))) || allowedPercent.some((a) => R.equals(a, parsed.value))
  return { ok: true, match, rounded: match }
}

/** Numbers in digits: a minus sign counts when it does not follow a digit or a word ("2 - 8 = -6" has -6). */
const DIGITS_IN_TEXT = /([-\u2212])?(\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)/g
/** Thousands grouped with spaces ("400 000", "17 500"); each group is also read on its own. */
const SPACED_IN_TEXT = new RegExp(SPACED_NUMBER_SRC, "g")
const WORDS_IN_TEXT = new RegExp(NUMBER_WORDS_SRC, "gi")

/** A number a text states, and where it starts. */
interface StatedNumber {
  readonly value: Rational
  readonly at: number
}

/** Every number a text states: digits (with their sign), space-grouped thousands, and number words. */
const numbersIn = (text: string): StatedNumber[] => {
  const out: StatedNumber[] = []
  for (const m of text.matchAll(DIGITS_IN_TEXT)) {
    const before = text[(m.index ?? 0) - 1] ?? " "
    const signed = m[1] !== undefined && !/[\w).]/.test(before)
    const r = R.parseRational(m[2] ?? "")
    if (r.ok) out.push({ value: signed ? R.neg(r.value) : r.value, at: m.index ?? 0 })
  }
  for (const m of text.matchAll(SPACED_IN_TEXT)) {
    const r = R.parseRational(unspaced(m[0]))
    if (r.ok) out.push({ value: r.value, at: m.index ?? 0 })
  }
  for (const m of text.matchAll(WORDS_IN_TEXT)) {
    const n = numberWordValue(m)
    if (n >= 0) out.push({ value: R.fromBigInt(BigInt(n)), at: m.index ?? 0 })
  }
  return out
}

/** The expressions each check evaluated, kept so that the ending need not parse them again for their operands. */
const EVALUATED = new WeakMap<AnnotationCheck | EquationCheck, readonly Expr[]>()
const evaluated = <C extends AnnotationCheck | EquationCheck>(check: C, ...asts: Expr[]): C => {
  EVALUATED.set(check, asts)
  return check
}

const checkAnnotation = (step: number, a: Annotation, rounding: RoundingRule): AnnotationCheck => {
  const expr = a.expr.trim()
  const where = `step ${step}`
  const fail = (code: VerifyCode, message: string, evaluatedAs?: { readonly value: Rational; readonly ast: Expr }): AnnotationCheck => {
    const check: AnnotationCheck = {
      step,
      annotation: a,
      ...(evaluatedAs ? { value: evaluatedAs.value } : {}),
      ok: false,
      rounded: false,
      code,
      message: `${code}: ${where}: ${message}`
    }
    return evaluatedAs ? evaluated(check, evaluatedAs.ast) : check
  }
  if (expr === "") return fail("unparseable_expression", `annotation <<${a.body}>> has no expression`)
  const ev = evaluateExpression(expr)
  if (!ev.ok) return fail("unparseable_expression", `"${expr}": ${ev.error}`)
  const value = ev.value
  const float = evaluateFloat(ev.ast)
  const shown = R.toString(value)
  let rounded = false
  for (const part of [...a.intermediate, ...(a.result !== undefined ? [a.result] : [])]) {
    const m = statedMatches(value, part, rounding, float)
    if (!m.ok) return fail("unparseable_expression", m.error, ev)
    if (!m.match) return fail("annotation_mismatch", `${expr} = ${shown}, annotation says ${part.trim()}`, ev)
    rounded ||= m.rounded
  }
  if (a.written) {
    const w = a.written
    const asStated = a.result !== undefined && (() => {
      const s = statedNumber(a.result)
      return s !== undefined && R.equals(s, w.value)
    })()
    const m = statedMatches(value, w.text, rounding, float)
    if (!asStated && !(m.ok && m.match)) {
      return fail("written_mismatch", `${expr} = ${shown}, but the text after the annotation says ${w.text}`, ev)
    }
    rounded ||= m.ok && m.rounded
  }
  return evaluated({ step, annotation: a, value, ok: true, rounded }, ev.ast)
}

// ---------------------------------------------------------------- claims in prose

/** An equation written in a step's prose (no annotation), checked as a claim. */
export interface EquationCheck {
  /** 1-based step index. */
  readonly step: number
  /** Left and right side as written ("12 + 5", "18"). */
  readonly left: string
  readonly right: string
  /** Where the left side starts and the right side ends in the solution text. */
  readonly start: number
  readonly end: number
  /** Exact value of the equation's result (the left side's, or the right side's when that is an expression). */
  readonly value: Rational
  /** The number the right side states, when it is a plain number. */
  readonly claimed?: Rational
  readonly ok: boolean
  readonly message?: string
}

/**
 * A run of arithmetic in prose: numbers, `$`, `%`, operators, parentheses, spaces and "=". An `x` counts
 * as "times" only between numbers ("3 x 4"), so "3x + 2" and "x = 5" are algebra, not arithmetic.
 */
const ARITHMETIC_RUN = /(?:[0-9.,$%+*/×÷·⋅^()=\u2212\u2013 \t-]|(?<=[\d)][ \t]*)[xX](?=[ \t]*[\d($.]))+/g
/** A word that makes the number next to it an operand of more than the run shows ("3 times 50 = 150"). */
const OPERATOR_WORD_BEFORE = /\b(?:times|by|plus|minus|over|divided|multiplied|per|than|into|less|more|from|half|twice|double|triple)[ \t]*$/i
/**
 * "of" after a number, a percent or a fraction is a product ("20% of 50 = 10", "half of 60 = 30", "1/3 of 60
 * = 20"); after anything else ("a total of 5 + 3 = 9") it only names what the equation counts.
 */
const PART_OF_BEFORE = /(?:\d|%|\b(?:half|halves|thirds?|quarters?|fourths?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?|hundredths?|percent|dozens?))[ \t]+of[ \t]*$/i
/** A range after a word labels what follows ("Weeks 1-2 = 96 - 70"), it is not a subtraction. */
const RANGE_LABEL = /^(\d+)[-\u2013](\d+)$/
const OPERATOR_WORD_AFTER = /^[ \t]*(?:of|times|by|plus|minus|over|divided|multiplied|per|percent|squared|cubed)\b/i
/** A step that says its numbers are rounded or approximate is judged with the rounding rule. */
const APPROXIMATE = /≈|~|\babout\b|\bapprox|\baround\b|\broughly\b|\bround(?:ed|s|ing)?\b|\bnearly\b|\balmost\b|\bestimate|\bremainder\b|\bfull\b|\bwhole\b/i
/** Mixed numbers: "4 / 3 = 1 and 1/3", "12 x 1 and 1/4 = 15". */
const MIXED_BEFORE = /\d[ \t]+and[ \t]*$/i
const MIXED_AFTER = /^[ \t]*and[ \t]*\\?\$?\(?\d/i
const LEADING_NUMBER = /^(?:\\?\$)?[ \t]*[-\u2212]?(?:\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)%?/

const hasOperator = (e: Expr): boolean =>
  e.kind === "bin" || ((e.kind === "paren" || e.kind === "neg" || e.kind === "pct") && hasOperator(e.expr))

const isPlainNumber = (e: Expr): boolean =>
  e.kind === "num" || ((e.kind === "paren" || e.kind === "neg" || e.kind === "pct") && isPlainNumber(e.expr))

/** `text` with each span (relative to `offset`) overwritten by a character that no number or run contains. */
const blank = (text: string, offset: number, spans: ReadonlyArray<Span>): string => {
  let out = text
  for (const s of spans) {
    const start = Math.max(0, s.start - offset)
    const end = Math.min(text.length, s.end - offset)
    if (end > start) out = out.slice(0, start) + "\u00a4".repeat(end - start) + out.slice(end)
  }
  return out
}

/** One side of an equation: trimmed of sentence punctuation and of parentheses the run cut in half. */
const cleanSide = (text: string, start: number): { text: string; start: number; end: number } => {
  let s = start
  let t = text
  const lead = /^(?:[\s,]|\.(?=\s|$))+/.exec(t)?.[0].length ?? 0
  t = t.slice(lead)
  s += lead
  t = t.replace(/(?:[\s,]|\.$)+$/, "")
  const count = (c: string) => t.split(c).length - 1
  while (t.startsWith("(") && count("(") > count(")")) {
    t = t.slice(1).trimStart()
    s = start + text.indexOf(t, s - start)
  }
  while (t.endsWith(")") && count(")") > count("(")) t = t.slice(0, -1).trimEnd()
  return { text: t, start: s, end: s + t.length }
}

const checkEquations = (step: ParsedStep, rounding: RoundingRule): EquationCheck[] => {
  const text = blank(step.text, step.span.start, step.annotations.map((a) => a.span))
  const mode: MatchMode = rounding === "exact" ? "exact" : APPROXIMATE.test(step.text) ? "gsm8k" : "claim"
  const out: EquationCheck[] = []
  for (const run of text.matchAll(ARITHMETIC_RUN)) {
    if (!run[0].includes("=")) continue
    const runStart = run.index ?? 0
    const sides: Array<{ text: string; start: number; end: number }> = []
    let at = runStart
    for (const piece of run[0].split("=")) {
      sides.push(cleanSide(piece, at))
      at += piece.length + 1
    }
    const before = text.slice(0, runStart)
    const after = text.slice(runStart + run[0].length)
    for (let i = 0; i + 1 < sides.length; i++) {
      const left = sides[i]!
      const right = sides[i + 1]!
      if (left.text === "" || right.text === "") continue
      const last = i + 2 === sides.length
      // Cut by a word, a mixed number, a clock time, or an operand the run could not read ("¾ x 3/3 = 9/12").
      // A colon is cut only in a clock time ("6:00+48=6:48"); "Total: 3 + 4 = 8" is a claim.
      if (i === 0 && (OPERATOR_WORD_BEFORE.test(before) || PART_OF_BEFORE.test(before) || MIXED_BEFORE.test(before) || /(?:\d:|[xX×*/+÷-][ \t]*)$/.test(before))) continue
      if (last && (OPERATOR_WORD_AFTER.test(after) || MIXED_AFTER.test(after) || /^:/.test(after))) continue
      // Glued to a letter: algebra ("100/5 = 5A/5", "D3 = 2*322", "26=5+3x").
      if (/[A-Za-z]/.test(text[left.start - 1] ?? "") || /[A-Za-z]/.test(text[right.end] ?? "")) continue
      const range = i === 0 ? RANGE_LABEL.exec(left.text) : null
      if (range && Number(range[1]) < Number(range[2]) && /[A-Za-z][ \t]*$/.test(text.slice(0, left.start))) continue
      // A side that starts with a binary operator lost its operand to a word ("… flat rate - $45 = …").
      if (/^(?:[+*/×÷·⋅^]|[-\u2212]\s)/.test(left.text) || /[+\-*/×÷·⋅^\u2212(]$/.test(right.text)) continue
      // Clock times and codes ("0900-0130 = 0730").
      if (/(?<![\d.,])0\d/.test(left.text) || /(?<![\d.,])0\d/.test(right.text)) continue
      const l = evaluateSide(left.text)
      const r = evaluateSide(right.text)
      if (!l.ok || !r.ok || !(hasOperator(l.ast) || hasOperator(r.ast))) continue
      // "Week 2 = 35 + 35", "Remaining 10 = 62,300/10": a number that labels an expression, not a claim.
      if (i === 0 && isPlainNumber(l.ast) && !isPlainNumber(r.ast)) continue
      const scale = last && /^[ \t]*cents?\b/i.test(after) ? 100n : /\bthousands?\b/i.test(step.text) ? 1000n : /\bmillions?\b/i.test(step.text) ? 1000000n : undefined
      const readings = leftReadings(left.text, l, scale)
      const matches = (stated: string): boolean =>
        readings.some((v) => {
          const m = matchStated(v.value, stated, mode, v.float)
          return m.ok && m.match
        })
      const plain = isPlainNumber(r.ast)
      let ok: boolean
      if (plain) {
        ok = matches(right.text)
      } else {
        // Equal expressions, or the text continuing from a result ("5 + 3 = 8 * 2 = 16").
        const lead = LEADING_NUMBER.exec(right.text)?.[0]
        ok = readings.some((v) => R.equals(v.value, r.value)) || (lead !== undefined && matches(lead))
      }
      const claimed = plain ? statedNumber(right.text) : undefined
      out.push(evaluated({
        step: step.index,
        left: left.text,
        right: right.text,
        start: step.span.start + left.start,
        end: step.span.start + right.end,
        value: plain ? l.value : r.value,
        ...(claimed !== undefined ? { claimed } : {}),
        ok,
        ...(ok ? {} : { message: `equation_mismatch: step ${step.index}: ${left.text} = ${R.toString(l.value)}, the text says ${right.text}` })
      }, ...(claimed !== undefined ? [l.ast] : [l.ast, r.ast])))
    }
  }
  return out
}

/** A side of a prose equation, its thousands grouped by spaces or not ("$80 000 x 20/100 = $16 000"). */
const evaluateSide = (text: string): ReturnType<typeof evaluateExpression> => {
  const e = evaluateExpression(text)
  const joined = text.replace(SPACED_IN_TEXT, unspaced)
  return e.ok || joined === text ? e : evaluateExpression(joined)
}

/**
 * The values a left side may mean: as written; with a fraction after a division grouped ("25 / 1/3" is
 * 25 ÷ ⅓ in GSM8K's prose); with "%" dropped where "× 100%" means "× 100" ("1.2 x 100% = 120"); scaled
 * when the right side is in cents ("$1 / 2 = 50 cents") or the step counts in thousands or millions
 * ("5 thousand dollars a day … 5 * 3 = $15,000").
 */
const leftReadings = (
  text: string,
  asWritten: { readonly value: Rational; readonly ast: Expr },
  scale: bigint | undefined
): Array<{ readonly value: Rational; readonly float: number }> => {
  const out = [{ value: asWritten.value, float: evaluateFloat(asWritten.ast) }]
  const grouped = text.replace(/\/(\s*)(\d+(?:\.\d+)?\s*\/\s*\d+(?:\.\d+)?)/g, "/$1($2)")
  for (const alt of [grouped, text.replace(/%/g, "")]) {
    if (alt === text) continue
    const e = evaluateExpression(alt)
    if (e.ok) out.push({ value: e.value, float: evaluateFloat(e.ast) })
  }
  if (scale !== undefined) for (const v of [...out]) out.push({ value: R.mul(v.value, R.fromBigInt(scale)), float: v.float * Number(scale) })
  return out
}

// ---------------------------------------------------------------- the result the solution ends on

/** The final-answer phrases inside steps: they restate an answer, they do not support it. */
const ANSWER_PHRASE = /\\(?:boxed|fbox)\s*\{(?:[^{}]|\{[^{}]*\})*\}|the (?:final )?answer is:?[^\n]*/gi

/** A computation in a step: an annotation (with the prose expression before it) or a prose equation. */
interface Computation {
  /** Where it starts and ends in the solution text. */
  readonly start: number
  readonly end: number
  readonly value: Rational
  /** The results written for it: an annotation's stated result and the number after it, an equation's right side. */
  readonly stated: readonly Rational[]
  /** The numbers it computes with. */
  readonly operands: readonly Rational[]
  /** Its result is written as a dollar amount ("$<<15/30=0.50>>0.50", "15/30 = $0.50"). */
  readonly dollars: boolean
}

interface Ending {
  readonly step: number
  /** The last computation's exact value, when the step computes. */
  readonly computed?: Rational
  /** The last computation's value and the results written for it; empty when the step computes nothing. */
  readonly results: readonly Rational[]
  /** Every number the final answer may name: the results, and the numbers the step states that may (see `endingOf`). */
  readonly values: readonly Rational[]
  /** The last computation's result is a dollar amount. */
  readonly dollars: boolean
}

/** Where the prose expression in front of an annotation starts ("192 - 144 = <<…>>"): its operands. */
const proseBefore = (text: string, at: number): number => {
  let i = at
  while (i > 0 && /[\s$\\]/.test(text[i - 1] ?? "")) i--
  if (text[i - 1] !== "=") return at
  i--
  while (i > 0 && /[0-9.,$%+\-*/×÷·⋅^()\u2212 \t]/.test(text[i - 1] ?? "") || (/[xX]/.test(text[i - 1] ?? "") && !/[A-Za-z]/.test(text[i - 2] ?? ""))) i--
  return i
}

/** The numbers a check computed with: the literals of the expressions it evaluated (an equation's right side too, when that is not a plain number). */
const operandsOf = (check: AnnotationCheck | EquationCheck): Rational[] =>
  (EVALUATED.get(check) ?? []).flatMap((ast) => literals(ast).map((l) => l.value))

/** The computations of one step, in text order. */
const computationsOf = (text: string, step: ParsedStep, checks: readonly AnnotationCheck[], equations: readonly EquationCheck[]): Computation[] => {
  const offset = step.span.start
  return [
    ...checks.flatMap((c) => {
      if (c.step !== step.index || !c.value) return []
      const a = c.annotation
      const written = a.written
      return [{
        start: offset + proseBefore(step.text, a.span.start - offset),
        end: written?.span.end ?? a.span.end,
        value: c.value,
        stated: [...(a.result !== undefined ? [statedNumber(a.result)] : []), written?.value].filter((v): v is Rational => v !== undefined),
        operands: operandsOf(c),
        dollars: /\$[ \t]*$/.test(text.slice(offset, a.span.start)) || (written !== undefined && text[written.span.start - 1] === "$")
      }]
    }),
    ...equations.filter((e) => e.step === step.index).map((e) => ({
      start: e.start,
      end: e.end,
      value: e.value,
      stated: e.claimed ? [e.claimed] : [],
      operands: operandsOf(e),
      dollars: /^\\?\$/.test(e.right)
    }))
  ].sort((a, b) => a.start - b.start || a.end - b.end)
}

/**
 * The last step that states a number, and what it ends on (see the module comment). When the step computes:
 * its last computation's value and written results, any number (digits or words) stated after the last
 * computation ("so 22 in all"), and a number stated before it that is neither an operand of a computation
 * (in this step or an earlier one) nor the result of an earlier step ("80% of the girls ... because
 * 12/15=<<12/15=.8>>.8", but not the 160 of "20 sheep + 160 sheep + 80 sheep = <<20+160+80=260>>260").
 * When it computes nothing: every number it states.
 */
const endingOf = (parsed: ParsedSolution, checks: readonly AnnotationCheck[], equations: readonly EquationCheck[]): Ending | undefined => {
  const perStep = parsed.steps.map((step) => computationsOf(parsed.text, step, checks, equations))
  for (let i = parsed.steps.length - 1; i >= 0; i--) {
    const step = parsed.steps[i]!
    const offset = step.span.start
    const phrases = [...step.text.matchAll(ANSWER_PHRASE)].map((m) => ({ start: offset + (m.index ?? 0), end: offset + (m.index ?? 0) + m[0].length }))
    const computations = perStep[i]!
    const text = blank(step.text, offset, [...step.annotations.map((a) => a.span), ...computations, ...phrases])
    const stated = numbersIn(text)
    const last = computations.reduce<Computation | undefined>((a, c) => (a === undefined || c.end >= a.end ? c : a), undefined)
    if (last) {
      // An operand or an earlier result restated in prose is an input of the step, not what it ends on.
      const excluded = [
        ...computations.flatMap((c) => c.operands),
        ...perStep.slice(0, i).flat().flatMap((c) => [c.value, ...c.stated, ...c.operands])
      ]
      const kept = stated.filter((n) => offset + n.at >= last.end || !excluded.some((x) => R.equals(x, n.value)))
      const results = [last.value, ...last.stated]
      return { step: step.index, computed: last.value, results, values: [...results, ...kept.map((n) => n.value)], dollars: last.dollars }
    }
    if (stated.length > 0) return { step: step.index, results: [], values: stated.map((n) => n.value), dollars: false }
  }
  return undefined
}

/** A question that asks for its answer in cents ("how much will each cost, in cents?", "how many cents"). */
const ASKS_CENTS = /\b(?:in|how many) cents\b/i

/**
 * The number a final-answer phrase opens with when a clause follows ("The answer is 5, since …"); not when
 * words follow, which may go on computing ("the final answer is 15 gallons * 8 pints = 120 pints").
 */
const LEADING_ANSWER = /^\s*((?:\\?\$)?\s*[-+]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)\s*%?)(?=[,;:!?)])/

/** A final-answer phrase's number: as normalised, in words, or the number it opens with. */
const phraseValue = (a: ExtractedAnswer): Rational | undefined => {
  if (a.answer.value !== undefined) return a.answer.value
  const words = answerInWords(a.raw)
  if (words !== undefined) return words
  const lead = LEADING_ANSWER.exec(a.raw)
  return lead ? normaliseAnswer(lead[1] ?? "").value : undefined
}

const SOURCE_NAME: Readonly<Record<ExtractedAnswer["source"], string>> = { hash: "####", boxed: "\\boxed{}", answer_is: "The answer is" }

/** Verifies a GSM8K-style solution text; never throws. */
export const verifySolution = (text: string, options: VerifyOptions = {}): VerifyResult => {
  const rounding = options.rounding ?? "gsm8k"
  const parsed = parseSolution(text)
  const checks = parsed.steps.flatMap((s) => s.annotations.map((a) => checkAnnotation(s.index, a, rounding)))
  const equations = parsed.steps.flatMap((s) => checkEquations(s, rounding))
  const steps: Step[] = toCoreSteps(parsed).map((step) => {
    const mine = checks.filter((c) => c.step === step.index)
    const last = mine[mine.length - 1]
    return {
      ...step,
      ...(last?.value ? { value: R.toString(last.value) } : {}),
      ok: mine.every((c) => c.ok) && equations.every((e) => e.step !== step.index || e.ok)
    }
  })
  const failedCheck = checks.find((c) => !c.ok)
  const failedEquation = equations.find((e) => !e.ok)
  const firstFailed =
    failedEquation && (!failedCheck || failedEquation.step < failedCheck.step)
      ? { step: failedEquation.step, code: "equation_mismatch" as const, message: failedEquation.message }
      : failedCheck
  const final = parsed.finalAnswer
  // A final answer in words ("#### five") is read as its number.
  const words = final && final.answer.value === undefined ? answerInWords(final.raw) : undefined
  const answer = final && words !== undefined ? { ...final.answer, value: words, canonical: R.toString(words) } : final?.answer
  const base = {
    steps,
    checks,
    equations,
    parsed,
    ...(answer ? { final_answer: answer.canonical } : {}),
    ...(firstFailed ? { first_error_step: firstFailed.step } : {})
  }
  const verdict = (code: VerifyCode | undefined, reason?: string): VerifyResult =>
    code === undefined ? { ...base, correct: true } : { ...base, correct: false, code, reason: reason ?? code }

  if (firstFailed) return verdict(firstFailed.code, firstFailed.message)
  if (!final || !answer) return verdict("no_final_answer", `no_final_answer: no "#### N" line, \\boxed{N} or "The answer is N" found`)
  const answerValue = answer.value
  if (answerValue === undefined) {
    return verdict("unsupported_final_answer", `unsupported_final_answer: final answer ${final.raw} is not a number, so the steps cannot support it`)
  }
  // Every final-answer phrase must name the same number ("The answer is: 31" then "#### 29" is two answers).
  const other = parsed.finalAnswers.find((a) => {
    const v = phraseValue(a)
    return v !== undefined && !R.equals(v, answerValue)
  })
  if (other) {
    return verdict(
      "conflicting_final_answers",
      `conflicting_final_answers: the solution gives ${other.raw} (${SOURCE_NAME[other.source]}) and ${final.raw} (${SOURCE_NAME[final.source]}) as its final answer`
    )
  }
  if (options.expected !== undefined && !answersEqual(answer, options.expected)) {
    return verdict("final_answer_mismatch", `final_answer_mismatch: final answer ${final.raw} does not equal expected ${options.expected.trim()}`)
  }
  const ending = endingOf(parsed, checks, equations)
  // A final answer may round the last computed value the same way an annotation may (`<<100/3=33.333>>` … `#### 33.33`).
  const rounds = (v: Rational): boolean => {
    const m = statedMatches(v, `${answer.canonical}${answer.percent ? "%" : ""}`, rounding)
    return m.ok && m.match
  }
  // Asked in cents, a solution may end on dollars: "15/30 = $0.50" then "#### 50".
  const inCents = ending !== undefined && ending.dollars && options.question !== undefined && ASKS_CENTS.test(options.question)
  if (
    ending &&
    (ending.values.some((v) => R.equals(v, answerValue)) ||
      (ending.computed !== undefined && rounds(ending.computed)) ||
      (inCents && ending.results.some((v) => R.equals(R.mul(v, R.HUNDRED), answerValue))))
  ) {
    return verdict(undefined)
  }
  const shown = ending === undefined
    ? "no step states a number"
    : `step ${ending.step}: ${ending.computed !== undefined ? R.toString(ending.computed) : [...new Set(ending.values.map(R.toString))].join(", ")}`
  return verdict("unsupported_final_answer", `unsupported_final_answer: final answer ${final.raw} is not the result the solution ends on (${shown})`)
}
