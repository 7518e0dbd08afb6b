/**
 * Final answers: find them in a solution and compare them. GSM8K's own grader takes `#### (-?[0-9.,]+)`
 * after dropping commas and compares strings; model outputs also end with "The answer is: X" (LEMMA) or
 * `\boxed{X}` (RISE), and write the number as "$1,200", "18 dollars", "50%", "\frac{1}{2}" or "0.50".
 * Here every numeric form becomes an exact rational, so "1/2", ".5", "0.50" and "\frac{1}{2}" are equal.
 */
import * as R from "./rational.ts"
import type { Rational } from "./rational.ts"
import { trimSpan, type Span } from "./arithmetic.ts"

export interface NormalisedAnswer {
  /** The text as found, trimmed. */
  readonly raw: string
  /** Numeric answers: the rational's canonical text ("1200", "0.5", "1/3"); others: cleaned lower-case text. */
  readonly canonical: string
  /** Present when the answer is a number. A percentage keeps its written number: "50%" → 50. */
  readonly value?: Rational
  readonly percent: boolean
  /** Words after the number ("dollars", "per hour"), dropped from the comparison. */
  readonly unit?: string
}

/**
 * A number with its thousands grouped by spaces ("17 500", "$400 000", "1 234 567.5"; plain, no-break or
 * narrow no-break spaces): the one definition that the final answer, the number written after an
 * annotation, the numbers a step states and prose equations all read. It starts at no digit, point or
 * comma and stops before a digit or a comma-and-digit, so "1,200 300" and "17 500,000" are not read as one.
 */
export const SPACED_NUMBER_SRC = String.raw`(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d|,\d)(?:\.\d+)?`
/** Thousands grouped by commas ("1,200") or by spaces ("17 500", "$400 000"), plain digits, a leading-dot decimal. */
const NUMBER_SRC = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|${SPACED_NUMBER_SRC}|\d+(?:\.\d+)?|\.\d+`
/** `s` without the spaces that group thousands (plain, no-break, narrow no-break): "17 500" → "17500". */
export const unspaced = (s: string): string => s.replace(/[ \u00a0\u202f]/g, "")
/** The number a stated result writes ("$18", "25%" → 25, "400 000"), or undefined. */
export const statedNumber = (text: string): Rational | undefined => {
  const r = R.parseRational(unspaced(text.replace(/\\?\$|%/g, "")).trim())
  return r.ok ? r.value : undefined
}
const NUMERIC = new RegExp(String.raw`^([+-]?)\s*(${NUMBER_SRC})(?:\s*/\s*(${NUMBER_SRC}))?\s*(%|percent\b)?\s*(.*)$`, "i")
const MIXED = /^([+-]?)(\d+)\s+(\d+)\s*\/\s*(\d+)\s*(.*)$/
/** What may follow a number and still be a unit: words, degrees, primes, powers ("cm^2", "sq. ft."). */
const UNIT = /^[A-Za-z°'"²³][A-Za-z°'"²³\s.\-/^0-9]*$/

const SMALL_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
const TENS_WORDS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
/** A whole number from zero to ninety-nine in words ("three", "twenty-five", "forty two"). */
export const NUMBER_WORDS_SRC = String.raw`\b(?:(${TENS_WORDS.join("|")})(?:[-\s](${SMALL_WORDS.slice(1, 10).join("|")}))?|(${SMALL_WORDS.join("|")}))\b`

/** The value of a NUMBER_WORDS_SRC match. */
export const numberWordValue = (m: RegExpMatchArray): number => {
  const tens = m[1] ? TENS_WORDS.indexOf(m[1].toLowerCase()) : -1
  return tens >= 0 ? (tens + 2) * 10 + (m[2] ? SMALL_WORDS.indexOf(m[2].toLowerCase()) : 0) : SMALL_WORDS.indexOf((m[3] ?? "").toLowerCase())
}

const WORDS_ANSWER = new RegExp(String.raw`^(?:${NUMBER_WORDS_SRC})\s*(.*)$`, "i")

/** Rewrites the LaTeX that models put around answers into plain text. */
const stripLatex = (s: string): string => {
  let out = s
  for (let i = 0; i < 5; i++) {
    const before = out
    out = out
      .replace(/\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, "($1)/($2)")
      .replace(/\\[dt]?frac\s*(\d)\s*(\d)/g, "$1/$2")
      .replace(/\\(?:text|textbf|mathrm|mathbf|mbox|boxed|fbox)\s*\{([^{}]*)\}/g, "$1")
    if (out === before) break
  }
  return out
    .replace(/\\\$/g, "$")
    .replace(/\\%/g, "%")
    .replace(/\{,\}/g, ",")
    .replace(/\\[,!;: ]/g, "")
    .replace(/\\(?:left|right)\b/g, "")
    .replace(/\^\s*\{?\\circ\}?/g, "°")
    .replace(/\\(?:cdot|times)/g, "*")
}

/** "(3)/(4)" from \frac → "3/4"; only strips parentheses around a bare number. */
const unwrapNumberParens = (s: string): string => s.replace(/\(\s*([+-]?[\d.,]+)\s*\)/g, "$1")

const cleanText = (s: string): string => s.toLowerCase().replace(/\s+/g, " ").replace(/[.\s]+$/, "").trim()

/**
 * Canonical form of a final-answer string. Strips `$`, `\$`, thousands commas, LaTeX fractions and text
 * wrappers, surrounding `$…$` math, a leading "x =", a trailing period and unit words; reads mixed
 * numbers ("2 1/2"). A string that is not a number keeps a cleaned text form so "Yes" equals "yes.".
 */
export const normaliseAnswer = (raw: string): NormalisedAnswer => {
  const trimmed = raw.trim()
  let s = stripLatex(trimmed)
    .replace(/[\u2212\u2013]/g, "-")
    .replace(/\$/g, "")
    .trim()
  s = unwrapNumberParens(s)
  s = s.replace(/^[a-z]\s*=\s*/i, "").replace(/[.;,!]+$/, "").trim()
  const text: NormalisedAnswer = { raw: trimmed, canonical: cleanText(s), percent: false }

  const mixed = MIXED.exec(s)
  if (mixed) {
    const whole = BigInt(mixed[2] ?? "0")
    const frac = R.ratio(BigInt(mixed[3] ?? "0"), BigInt(mixed[4] ?? "1"))
    const rest = (mixed[5] ?? "").trim()
    if (frac.ok && (rest === "" || UNIT.test(rest))) {
      const v = R.add(R.fromBigInt(whole), frac.value)
      const value = mixed[1] === "-" ? R.neg(v) : v
      return { raw: trimmed, canonical: R.toString(value), value, percent: false, ...(rest ? { unit: cleanText(rest) } : {}) }
    }
  }

  const m = NUMERIC.exec(s)
  if (!m) return text
  const rest = (m[5] ?? "").trim()
  if (rest !== "" && !UNIT.test(rest)) return text
  const a = R.parseRational(unspaced(m[2] ?? ""))
  if (!a.ok) return text
  let value = a.value
  if (m[3] !== undefined) {
    const b = R.parseRational(unspaced(m[3]))
    if (!b.ok) return text
    const q = R.div(value, b.value)
    if (!q.ok) return text
    value = q.value
  }
  if (m[1] === "-") value = R.neg(value)
  return {
    raw: trimmed,
    canonical: R.toString(value),
    value,
    percent: m[4] !== undefined,
    ...(rest ? { unit: cleanText(rest) } : {})
  }
}

/**
 * The number a final answer writes in words ("five", "Twenty-five apples."), or undefined. Not part of
 * `normaliseAnswer`: only the verifier reads it, to check such an answer against the steps.
 */
export const answerInWords = (raw: string): Rational | undefined => {
  const m = WORDS_ANSWER.exec(raw.trim().replace(/[.;,!]+$/, "").trim())
  if (!m) return undefined
  const rest = (m[4] ?? "").trim()
  return rest === "" || UNIT.test(rest) ? R.fromBigInt(BigInt(numberWordValue(m))) : undefined
}

/**
 * Whether two final answers agree: numbers compare exactly as rationals (a percent sign is ignored, so
 * "50%" equals "50" but not "0.5"); anything else compares as cleaned text.
 */
export const answersEqual = (a: string | NormalisedAnswer, b: string | NormalisedAnswer): boolean => {
  const x = typeof a === "string" ? normaliseAnswer(a) : a
  const y = typeof b === "string" ? normaliseAnswer(b) : b
  if (x.value !== undefined && y.value !== undefined) return R.equals(x.value, y.value)
  if (x.value !== undefined || y.value !== undefined) return false
  return x.canonical === y.canonical
}

export type AnswerSource = "hash" | "boxed" | "answer_is"

export interface ExtractedAnswer {
  readonly raw: string
  readonly answer: NormalisedAnswer
  readonly source: AnswerSource
  /** Where the raw answer text sits in the solution. */
  readonly span: Span
}

/** Contents of every `\boxed{…}` (or `\fbox{…}`), with nested braces. */
const allBoxed = (text: string): Array<{ raw: string; span: Span }> => {
  const re = /\\(?:boxed|fbox)\s*\{/g
  const found: Array<{ raw: string; span: Span }> = []
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const start = m.index + m[0].length
    let depth = 1
    let i = start
    while (i < text.length && depth > 0) {
      const c = text[i]
      if (c === "{") depth++
      else if (c === "}") depth--
      i++
    }
    if (depth === 0) found.push({ raw: text.slice(start, i - 1), span: { start, end: i - 1 } })
  }
  return found
}

const HASH_ANSWER = /####[ \t]*([^\n]*)/g
const ANSWER_IS = /the (?:final )?answer is:?[ \t]*([^\n]*)/gi

const fromHash = (text: string, m: RegExpExecArray): ExtractedAnswer | undefined => {
  if ((m[1] ?? "").trim() === "") return undefined
  const start = m.index + m[0].length - (m[1] ?? "").length
  const span = trimSpan(text, { start, end: m.index + m[0].length })
  const raw = text.slice(span.start, span.end)
  return { raw, answer: normaliseAnswer(raw), source: "hash", span }
}

const fromBoxed = (text: string, boxed: { raw: string; span: Span }): ExtractedAnswer | undefined => {
  if (boxed.raw.trim() === "") return undefined
  const span = trimSpan(text, boxed.span)
  const raw = text.slice(span.start, span.end)
  return { raw, answer: normaliseAnswer(raw), source: "boxed", span }
}

const fromAnswerIs = (text: string, m: RegExpExecArray): ExtractedAnswer | undefined => {
  const body = m[1] ?? ""
  if (body.trim() === "") return undefined
  const start = m.index + m[0].length - body.length
  // Drop the sentence's closing period but not a decimal point ("is 2.5." → "2.5").
  const cut = body.replace(/\.\s*$/, "")
  const span = trimSpan(text, { start, end: start + cut.length })
  const raw = text.slice(span.start, span.end)
  return { raw, answer: normaliseAnswer(raw), source: "answer_is", span }
}

const present = <A>(a: A | undefined): a is A => a !== undefined

/** A solution's final answer (see `extractFinalAnswer`) and all its final-answer phrases (see `extractFinalAnswers`), from one scan. */
export const scanFinalAnswers = (text: string): { readonly final?: ExtractedAnswer; readonly all: ExtractedAnswer[] } => {
  const hash = [...text.matchAll(HASH_ANSWER)].map((m) => fromHash(text, m))
  const boxed = allBoxed(text).map((b) => fromBoxed(text, b))
  const is = [...text.matchAll(ANSWER_IS)].map((m) => fromAnswerIs(text, m))
  const final = hash.at(-1) ?? boxed.at(-1) ?? is.at(-1)
  const all = [...hash, ...boxed, ...is].filter(present).sort((a, b) => a.span.start - b.span.start)
  return { ...(final ? { final } : {}), all }
}

/**
 * The final answer of a solution: the last `#### X` line (GSM8K), else the last `\boxed{X}` (RISE), else
 * the last "The answer is: X" (LEMMA). Tolerant of "#### $1,200" where GSM8K's regex would stop at "$".
 */
export const extractFinalAnswer = (text: string): ExtractedAnswer | undefined => scanFinalAnswers(text).final

/**
 * Every final-answer phrase of a solution (each non-empty `#### X` line, `\boxed{X}` and "The answer is X"),
 * in text order: a solution that states two different final answers is caught by comparing them.
 */
export const extractFinalAnswers = (text: string): ExtractedAnswer[] => scanFinalAnswers(text).all

/**
 * GSM8K's reference extraction exactly: `#### (-?[0-9.,]+)` with commas removed, or undefined. Kept for
 * comparability with published numbers; prefer `extractFinalAnswer` for checking.
 */
export const extractGsm8kAnswer = (text: string): string | undefined => {
  const m = /#### (-?[0-9.,]+)/.exec(text)
  return m ? (m[1] ?? "").replace(/,/g, "") : undefined
}
