/**
 * Numbers in prose (a GSM8K question or the words of a solution step): where they are, how they are
 * written, and what the words around them say about whether they may change. The GSM-Symbolic generator
 * (Apple 2024) turns the numbers a solution uses into variables; this module finds the candidates and
 * prints new values back in the original's style (`$1,200`, `14.50`, `25%`, `3/4`).
 */
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import type { Span } from "../arithmetic.ts"
import { ageGapBand, questionBound, rateMultiplierBand } from "./bounds.ts"

/** How a number is written, so a new value can be printed the same way. */
export interface NumberStyle {
  /** true: thousands separators; false: none; "auto": the original was too short to tell. */
  readonly commas: boolean | "auto"
  /** Decimals to pad to ("14.50" → 2, "4.5" → 0): trailing zeros the writer chose to show. */
  readonly minDecimals: number
  /** Written in words ("Six loaves"): a new whole value up to 99 is written in words too, capitalised like the original. */
  readonly words?: "lower" | "capital"
}

export type NumberContext = "plain" | "percent" | "numerator" | "denominator"

export interface ProseNumber {
  readonly span: Span
  readonly text: string
  /** The number as written; a percent keeps its written number ("25%" → 25). */
  readonly value: Rational
  readonly style: NumberStyle
  readonly context: NumberContext
  /** Preceded by `$`. */
  readonly money: boolean
  /** Why this number must not change (an ordinal, a calendar fact, a label), when it must not. */
  readonly fixed?: string
  /** Largest value the words allow ("6 days a week" → 7), and why (bounds.ts). */
  readonly cap?: Rational
  readonly capWhy?: string
  /** Least value the words allow ("27 years older than" of a parent: 18), when they set one; its reason is capWhy's when both. */
  readonly floor?: Rational
  readonly floorWhy?: string
  /** The word(s) after the number ("kilometer", "kilometer per hour"), for keeping same-unit orderings. */
  readonly unit?: string
  /** Index (in the scan result) of the other half of an `a/b` fraction. */
  readonly partner?: number
}

const NUMBER = /\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+/g
const MONTHS = /\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b/

/** Calendar facts and grammar that a number in these words carries: varying it would make the text false. */
const FIXED_AFTER: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(?:st|nd|rd|th)\b/i, "ordinal"],
  [/^\s*weekdays?\b/i, "days in a working week"],
  [/^\s*weekend days?\b/i, "days in a weekend"],
  [/^-day month\b/i, "days in a month"],
  [/^\s*(?:days? in a week|hours? in a day|minutes? in an hour|months? in a year|days? in a year)\b/i, "calendar fact"],
  // "12 inches in a foot", "1,000 grams in a kilogram": a conversion the question states is a fact of the units.
  // Pairs of one kind only, so a rate ("80 meters in a minute") still varies.
  [/^\s*(?:(?:milli|centi)?met(?:er|re)s?|inch(?:es)?|feet|foot|yards?) in (?:a|an|one|1) (?:(?:centi|kilo)?met(?:er|re)|foot|yard|mile)\b/i, "unit conversion"],
  [/^\s*(?:(?:milli)?grams?|ounces?) in (?:a|an|one|1) (?:(?:kilo)?gram|pound)\b/i, "unit conversion"],
  [/^\s*(?:milli)?lit(?:er|re)s? in (?:a|an|one|1) lit(?:er|re)\b/i, "unit conversion"],
  [/^\s*(?:seconds? in (?:a|an|one|1) minute|cents? in (?:a|an|one|1) dollar)\b/i, "unit conversion"]
]
const FIXED_BEFORE: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(?:week|day|month|year|step|grade|level|chapter|room|gate|number|no\.)\s*$/i, "label"]
]
/** Words after a number that are not units. */
const NOT_UNITS = new Set(["of", "and", "or", "more", "less", "fewer", "times", "a", "an", "the", "per", "each", "for", "in", "to", "on", "at", "is", "are", "was", "were", "by", "with", "from", "than", "as", "percent", "so", "that", "but"])

const singular = (w: string): string => (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w)

const unitAfter = (after: string): string | undefined => {
  const m = /^\s*-?\s*([A-Za-z]+)(?:\s+(per|an?|each|every)\s+([A-Za-z]+))?/.exec(after)
  if (!m || m[1] === undefined) return undefined
  const word = m[1].toLowerCase()
  if (NOT_UNITS.has(word)) return undefined
  return m[2] !== undefined && m[3] !== undefined ? `${singular(word)} per ${singular(m[3].toLowerCase())}` : singular(word)
}

/** Money written with cents ("$0.15", "$4.50") keeps its cents; otherwise only shown trailing zeros are kept. */
const styleOf = (text: string, money: boolean): NumberStyle => {
  const [intPart = "", decPart = ""] = text.replace(/^\./, "0.").split(".")
  const commas = intPart.includes(",") ? true : intPart.replace(/,/g, "").length >= 4 ? false : "auto"
  return { commas, minDecimals: decPart.endsWith("0") || (money && decPart.length === 2) ? decPart.length : 0 }
}

/** Every number in `text` with its context; numbers inside `<<…>>` annotations are skipped. */
export const scanProseNumbers = (text: string): ProseNumber[] => {
  const out: ProseNumber[] = []
  const blocked: Span[] = [...text.matchAll(/<<[^<>]*>>/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }))
  const inBlocked = (i: number): boolean => blocked.some((b) => i >= b.start && i < b.end)
  for (const m of text.matchAll(NUMBER)) {
    const start = m.index
    const raw = m[0]
    const end = start + raw.length
    if (inBlocked(start)) continue
    const prev = text[start - 1] ?? ""
    // Part of a word or of a larger token ("A1", "x3", "3.5.1").
    if (/[A-Za-z_.]/.test(prev) && !(prev === "." && !/\d/.test(text[start - 2] ?? ""))) continue
    const parsed = R.parseRational(raw)
    if (!parsed.ok) continue
    const after = text.slice(end, end + 40)
    const before = text.slice(Math.max(0, start - 25), start)
    const money = /\$\s*$/.test(before)
    let fixed: string | undefined
    for (const [re, why] of FIXED_AFTER) if (fixed === undefined && re.test(after)) fixed = why
    if (fixed === undefined && !money) for (const [re, why] of FIXED_BEFORE) if (re.test(before)) fixed = why
    // "April, which has 30 days": the length of a named month.
    if (fixed === undefined && /\bha(?:s|ve)\s*$/.test(before) && /^\s*days\b/.test(after) && MONTHS.test(text)) fixed = "days in a named month"
    const sentenceStart = Math.max(text.lastIndexOf(". ", start), text.lastIndexOf("? ", start), text.lastIndexOf("! ", start), text.lastIndexOf("\n", start)) + 1
    const limit = questionBound(text.slice(sentenceStart, start), after, text)
    // A seed already past the bound says the words mean something else ("18 hours a day" of a machine).
    const band = ageGapBand(text.slice(sentenceStart, start), after) ?? rateMultiplierBand(after)
    const inBand = band !== undefined && R.compare(parsed.value, band.min) >= 0 && R.compare(parsed.value, band.max) <= 0 ? band : undefined
    const cap = limit !== undefined && R.compare(parsed.value, limit.max) <= 0 ? limit : inBand
    const percent = /^\s*(?:%|percent\b)/.test(after)
    const unit = percent ? "%" : unitAfter(after)
    out.push({
      span: { start, end },
      text: raw,
      value: parsed.value,
      style: styleOf(raw, money),
      context: percent ? "percent" : "plain",
      money,
      ...(fixed !== undefined ? { fixed } : {}),
      ...(cap !== undefined ? { cap: cap.max, capWhy: cap.why } : {}),
      ...(inBand !== undefined ? { floor: inBand.min, floorWhy: inBand.why } : {}),
      ...(unit !== undefined ? { unit } : {})
    })
  }
  // `a/b` with no spaces is a written fraction ("3/4 of the muffins"); each half is a number of its own.
  for (let i = 0; i + 1 < out.length; i++) {
    const a = out[i]!
    const b = out[i + 1]!
    if (text.slice(a.span.end, b.span.start) !== "/") continue
    if (!R.isInteger(a.value) || !R.isInteger(b.value)) continue
    out[i] = { ...a, context: "numerator", partner: i + 1 }
    out[i + 1] = { ...b, context: "denominator", partner: i, money: a.money }
  }
  return out
}

const ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
const TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

/** A whole number from 0 to 99 in words ("forty-two"); undefined for any other value. */
export const numberInWords = (value: Rational): string | undefined => {
  if (!R.isInteger(value) || value.num < 0n || value.num > 99n) return undefined
  const n = Number(value.num)
  if (n < 20) return ONES[n]
  return n % 10 === 0 ? TENS[n / 10] : `${TENS[Math.floor(n / 10)]}-${ONES[n % 10]}`
}

const WORD_VALUES = new Map<string, number>([
  ...ONES.map((w, i) => [w, i] as const).filter(([, i]) => i >= 2),
  ...TENS.map((w, i) => [w, i * 10] as const).filter(([w]) => w !== "")
])

export interface NumberWord {
  readonly span: Span
  readonly value: Rational
  readonly words: "lower" | "capital"
  /** The word(s) after it, as for a ProseNumber ("loaf" of "Six loaves"). */
  readonly unit?: string
}

/**
 * Numbers written as words in prose ("Six loaves need …", "a two-hour drive"), outside `<<…>>` annotations.
 * "one" is left out: it is mostly not a count ("one of them", "each one").
 */
export const scanNumberWords = (text: string): NumberWord[] => {
  const out: NumberWord[] = []
  const blocked: Span[] = [...text.matchAll(/<<[^<>]*>>/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }))
  for (const m of text.matchAll(/(?<![\p{L}-])([A-Za-z]+)(?:-([a-z]+))?(?![\p{L}])/gu)) {
    const first = m[1]!.toLowerCase()
    const tens = WORD_VALUES.get(first)
    if (tens === undefined || blocked.some((b) => m.index >= b.start && m.index < b.end)) continue
    // "twenty-five": a tens word and a ones word are one number; "two-hour" is a number and its unit.
    const ones = m[2] !== undefined && tens >= 20 && tens % 10 === 0 ? ONES.indexOf(m[2]) : -1
    const n = ones > 0 && ones < 10 ? tens + ones : tens
    const end = ones > 0 && ones < 10 ? m.index + m[0].length : m.index + m[1]!.length
    const unit = unitAfter(text.slice(end, end + 40))
    out.push({
      span: { start: m.index, end },
      value: R.fromBigInt(BigInt(n)),
      words: /^[A-Z]/.test(m[1]!) ? "capital" : "lower",
      ...(unit !== undefined ? { unit } : {})
    })
  }
  return out
}

/**
 * `value` printed in `style`: thousands separators when `commas` (after resolving "auto" with
 * `autoCommas`), padded to `minDecimals`. Undefined when the value has no finite decimal form.
 */
export const formatNumber = (value: Rational, style: NumberStyle, autoCommas = true): string | undefined => {
  const words = style.words !== undefined ? numberInWords(value) : undefined
  if (words !== undefined) return style.words === "capital" ? words[0]!.toUpperCase() + words.slice(1) : words
  const places = R.decimalPlaces(value)
  if (places === undefined) return undefined
  const shown = Math.max(places, style.minDecimals)
  let text = R.toString(value)
  if (shown > places) text = places === 0 ? `${text}.${"0".repeat(shown)}` : text + "0".repeat(shown - places)
  const commas = style.commas === "auto" ? autoCommas : style.commas
  if (!commas) return text
  const neg = text.startsWith("-")
  const body = neg ? text.slice(1) : text
  const [intPart = "", decPart] = body.split(".")
  return `${neg ? "-" : ""}${R.groupThousands(intPart)}${decPart !== undefined ? `.${decPart}` : ""}`
}

/**
 * The comma convention of a text for numbers whose own style cannot tell: true when its long numbers
 * (four or more integer digits) use separators, false when they do not, `fallback` when it has none.
 */
export const commaConvention = (numbers: ReadonlyArray<ProseNumber>, fallback = true): boolean => {
  const decided = numbers.map((n) => n.style.commas).filter((c): c is boolean => c !== "auto")
  if (decided.length === 0) return fallback
  return decided.filter((c) => c).length >= decided.filter((c) => !c).length
}
