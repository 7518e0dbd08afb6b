/**
 * Number text for edited solutions. An injected error must look like the solution it came from, so a new
 * value is written in the style of the text it replaces: thousands separators stay when the old number had
 * them, money keeps two decimals ("18.00" → "19.00"), a leading-dot decimal stays leading-dot.
 */
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import type { Span } from "../arithmetic.ts"

/**
 * `value` written like `like` ("1,500", "$18.00", "25%", ".5"); undefined when `value` has no finite
 * decimal form (1/3): the caller must round first or reject the edit.
 */
export const formatLike = (value: Rational, like: string): string | undefined => {
  const places = R.decimalPlaces(value)
  if (places === undefined) return undefined
  const m = /^(\s*\\?\$)?\s*(-)?(.*?)(%)?\s*$/.exec(like)
  const prefix = m?.[1] ?? ""
  const core = m?.[3] ?? like
  const pct = m?.[4] ?? ""
  const likeDecimals = /\.(\d*)$/.exec(core)?.[1]?.length ?? 0
  // Money is written with cents: keep two places when the old text had them and the value needs at most two.
  const out = likeDecimals === 2 && places <= 2 && (places > 0 || /\.00$/.test(core)) ? 2 : places
  const abs = R.sign(value) < 0 ? R.neg(value) : value
  const scaled = (abs.num * 10n ** BigInt(out)) / abs.den
  const digits = scaled.toString().padStart(out + 1, "0")
  let intPart = out === 0 ? digits : digits.slice(0, digits.length - out)
  const fracPart = out === 0 ? "" : digits.slice(digits.length - out)
  if (core.includes(",")) intPart = R.groupThousands(intPart)
  if (core.startsWith(".") && intPart === "0" && fracPart !== "") intPart = ""
  const body = fracPart === "" ? intPart : `${intPart}.${fracPart}`
  return `${prefix}${R.sign(value) < 0 ? "-" : ""}${body}${pct}`
}

/** Decimal places written in a number text ("18.00" → 2, "1,500" → 0). */
export const writtenPlaces = (text: string): number => /\.(\d*)\s*%?\s*$/.exec(text)?.[1]?.length ?? 0

/** Parses a number text that may carry `$`, thousands separators or `%` (kept as the written number). */
export const readNumber = (text: string): Rational | undefined => {
  const r = R.parseRational(text.replace(/\\?\$|%/g, "").trim())
  return r.ok ? r.value : undefined
}

/**
 * Subtle one-digit slips of a number text: every single-digit change and every swap of two adjacent
 * different digits, without creating a leading zero. These are the "change one value" edits of RISE
 * (Xu et al. 2024) and the arithmetic slips of LEMMA's calculation errors (Pan et al. 2025).
 */
export const digitSlips = (text: string): Rational[] => {
  const core = text.replace(/\\?\$|%/g, "").trim().replace(/,/g, "")
  if (!/^\d*\.?\d*$/.test(core) || !/\d/.test(core)) return []
  const original = readNumber(core)
  const out: Rational[] = []
  const seen = new Set<string>()
  const push = (s: string): void => {
    if (/^0\d/.test(s)) return
    const v = readNumber(s)
    if (v === undefined || R.isZero(v) || (original && R.equals(v, original))) return
    const key = R.toString(v)
    if (seen.has(key)) return
    seen.add(key)
    out.push(v)
  }
  for (let i = 0; i < core.length; i++) {
    const c = core[i] ?? ""
    if (!/\d/.test(c)) continue
    for (let d = 0; d <= 9; d++) {
      if (String(d) !== c) push(core.slice(0, i) + String(d) + core.slice(i + 1))
    }
  }
  for (let i = 0; i + 1 < core.length; i++) {
    const a = core[i] ?? ""
    const b = core[i + 1] ?? ""
    if (/\d/.test(a) && /\d/.test(b) && a !== b) push(core.slice(0, i) + b + a + core.slice(i + 2))
  }
  return out
}

const NUMBER_TOKEN = /(?<![\d.,])(\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?![\d])/g

export interface NumberToken {
  readonly text: string
  readonly value: Rational
  readonly span: Span
}

/** Numbers written in `text[from, to)`, with absolute spans; a sentence's closing period is not a decimal. */
export const numberTokens = (text: string, from = 0, to = text.length): NumberToken[] => {
  const out: NumberToken[] = []
  const re = new RegExp(NUMBER_TOKEN.source, "g")
  const slice = text.slice(from, to)
  for (let m = re.exec(slice); m !== null; m = re.exec(slice)) {
    const t = m[1] ?? ""
    const v = readNumber(t)
    if (v !== undefined) out.push({ text: t, value: v, span: { start: from + m.index, end: from + m.index + t.length } })
  }
  return out
}

const WORD_NUMBERS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  twenty: 20, thirty: 30, forty: 40, fifty: 50, hundred: 100, dozen: 12, half: 2, twice: 2, triple: 3
}

/** Distinct numbers a question states, in order of appearance: digits, and a few number words. */
export const questionNumbers = (question: string): Rational[] => {
  const found: Array<{ at: number; value: Rational }> = numberTokens(question).map((t) => ({ at: t.span.start, value: t.value }))
  for (const m of question.matchAll(/\b[a-z]+\b/gi)) {
    const n = WORD_NUMBERS[m[0].toLowerCase()]
    if (n !== undefined) found.push({ at: m.index, value: R.fromBigInt(BigInt(n)) })
  }
  found.sort((a, b) => a.at - b.at)
  const out: Rational[] = []
  for (const f of found) if (!out.some((v) => R.equals(v, f.value))) out.push(f.value)
  return out
}

/** The numbers written in the question as digits (no number words): what "from the question" can name. */
export const questionDigits = (question: string): Rational[] => {
  const out: Rational[] = []
  for (const t of numberTokens(question)) if (!out.some((v) => R.equals(v, t.value))) out.push(t.value)
  return out
}
