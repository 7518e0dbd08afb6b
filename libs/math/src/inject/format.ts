/**
 * Number text for edited solutions. An injected error must look like the solution it came from, so a new
 * value is written in the style of the text it replaces: thousands separators stay when the old number had
 * them, money keeps two decimals ("18.00" → "19.00"), a leading-dot decimal stays leading-dot.
 */
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import type { Span } from "../arithmetic.ts"

/**
 * How the solution an edit comes from writes its numbers, beyond what the replaced text shows: "980"
 * becoming 1120 must read "1,120" in a solution that writes "$1,340", and $8 becoming 8.5 must read
 * "$8.50" in one that writes "$7.50" (issue #11: ungrouped thousands alone gave rejected texts away).
 */
export interface WriteStyle {
  /** Group thousands with commas even when the replaced text had no comma. */
  readonly group?: boolean
  /** Decimal places of money that is not whole (2: "$8.50"). */
  readonly cents?: number
}

/** The number styles of a solution: for values (results, prose numbers), for operands, for money. */
export interface NumberStyle {
  readonly values: WriteStyle
  readonly operands: WriteStyle
}

const OPERATOR_CHARS = "+-*/×÷\u2212·="

/**
 * Reads a solution's number style from its text (annotations removed) and its question. A value of
 * 1,000+ is grouped unless the solution (or, when it has none, the question) writes them plain only;
 * operands follow the solution's operands, plain unless it groups them only. Money has two decimals when
 * every non-whole amount written after `$` has two.
 */
export const numberStyleOf = (plainSolution: string, question: string): NumberStyle => {
  const classify = (text: string): Array<{ t: NumberToken; operand: boolean; money: boolean }> =>
    numberTokens(text).map((t) => {
      let i = t.span.start - 1
      while (i >= 0 && /[\s$\\]/.test(text[i] ?? "")) i--
      let j = t.span.end
      while (j < text.length && /[\s%]/.test(text[j] ?? "")) j++
      const before = text[i] ?? ""
      const after = text[j] ?? ""
      const operand = (before !== "" && before !== "=" && OPERATOR_CHARS.includes(before)) || (after !== "" && OPERATOR_CHARS.includes(after))
      return { t, operand, money: /\$\s*$/.test(text.slice(Math.max(0, t.span.start - 2), t.span.start)) }
    })
  const grouping = (toks: ReadonlyArray<{ t: NumberToken }>): "grouped" | "plain" | "mixed" | "none" => {
    const big = toks.filter(({ t }) => (t.text.split(".")[0] ?? "").replace(/,/g, "").length >= 4)
    const g = big.some(({ t }) => t.text.includes(","))
    const p = big.some(({ t }) => !t.text.includes(","))
    return g && p ? "mixed" : g ? "grouped" : p ? "plain" : "none"
  }
  const toks = classify(plainSolution)
  const asked = new Set(numberTokens(question).map((t) => t.text))
  const own = toks.filter(({ t }) => !asked.has(t.text))
  let values = grouping(own.filter((x) => !x.operand))
  if (values === "none") values = grouping(classify(question))
  const operands = grouping(own.filter((x) => x.operand))
  const cents = new Set(toks.filter((x) => x.money && !x.operand && x.t.text.includes(".")).map((x) => (x.t.text.split(".")[1] ?? "").length))
  return {
    values: { group: values !== "plain", ...(cents.size === 1 && cents.has(2) ? { cents: 2 } : {}) },
    operands: { group: operands === "grouped" }
  }
}

/**
 * `value` written like `like` ("1,500", "$18.00", "25%", ".5"); undefined when `value` has no finite
 * decimal form (1/3): the caller must round first or reject the edit.
 */
export const formatLike = (value: Rational, like: string, style: WriteStyle = {}): string | undefined => {
  const places = R.decimalPlaces(value)
  if (places === undefined) return undefined
  const m = /^(\s*\\?\$)?\s*(-)?(.*?)(%)?\s*$/.exec(like)
  const prefix = m?.[1] ?? ""
  const core = m?.[3] ?? like
  const pct = m?.[4] ?? ""
  const likeDecimals = /\.(\d*)$/.exec(core)?.[1]?.length ?? 0
  // Money is written with cents: keep two places when the old text had them and the value needs at most two.
  const cents = (likeDecimals === 2 && (places > 0 || /\.00$/.test(core))) || (style.cents === 2 && places > 0)
  const out = cents && places <= 2 ? 2 : places
  const abs = R.sign(value) < 0 ? R.neg(value) : value
  const scaled = (abs.num * 10n ** BigInt(out)) / abs.den
  const digits = scaled.toString().padStart(out + 1, "0")
  let intPart = out === 0 ? digits : digits.slice(0, digits.length - out)
  const fracPart = out === 0 ? "" : digits.slice(digits.length - out)
  if (core.includes(",") || style.group === true) intPart = R.groupThousands(intPart)
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

/**
 * Numbers of the prose that an edit may rewrite: not an ordinal ("1st", "2nd"), whose suffix would not
 * follow a new number ("3st").
 */
export const editableTokens = (text: string, from = 0, to = text.length): NumberToken[] =>
  numberTokens(text, from, to).filter((t) => !/^(?:st|nd|rd|th)\b/i.test(text.slice(t.span.end, t.span.end + 3)))

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
