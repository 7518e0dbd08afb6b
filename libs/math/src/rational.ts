/**
 * Exact rational numbers on bigint. GSM8K answers mix integers, money with cents, percentages and
 * fractions; comparing them as floats would call 0.1 + 0.2 ≠ 0.3 an arithmetic error, so every check in
 * libs/math runs on exact rationals and only rounds where a rule says so (see `roundDecimal`).
 *
 * Invariant of every `Rational` this module returns: `den > 0n` and `gcd(|num|, den) = 1`, so two equal
 * numbers always have equal fields.
 */
export interface Rational {
  readonly num: bigint
  readonly den: bigint
}

/** A computation that can fail (division by zero, unparseable text) without throwing. */
export type RationalResult = { readonly ok: true; readonly value: Rational } | { readonly ok: false; readonly error: string }

const abs = (n: bigint): bigint => (n < 0n ? -n : n)

export const gcd = (a: bigint, b: bigint): bigint => {
  let x = abs(a)
  let y = abs(b)
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}

/** Builds a normalised rational; `den` must not be zero (callers check first: see `ratio`). */
const make = (num: bigint, den: bigint): Rational => {
  if (den < 0n) {
    num = -num
    den = -den
  }
  const g = gcd(num, den)
  return g > 1n ? { num: num / g, den: den / g } : { num, den }
}

export const ZERO: Rational = { num: 0n, den: 1n }
export const ONE: Rational = { num: 1n, den: 1n }
export const HUNDRED: Rational = { num: 100n, den: 1n }

export const fromBigInt = (n: bigint): Rational => ({ num: n, den: 1n })

/** n/d as a rational, or an error value when d is zero. */
export const ratio = (num: bigint, den: bigint): RationalResult =>
  den === 0n ? { ok: false, error: "division by zero" } : { ok: true, value: make(num, den) }

export const add = (a: Rational, b: Rational): Rational => make(a.num * b.den + b.num * a.den, a.den * b.den)
export const sub = (a: Rational, b: Rational): Rational => make(a.num * b.den - b.num * a.den, a.den * b.den)
export const mul = (a: Rational, b: Rational): Rational => make(a.num * b.num, a.den * b.den)
export const neg = (a: Rational): Rational => ({ num: -a.num, den: a.den })
export const div = (a: Rational, b: Rational): RationalResult =>
  b.num === 0n ? { ok: false, error: "division by zero" } : { ok: true, value: make(a.num * b.den, a.den * b.num) }

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export const compare = (a: Rational, b: Rational): -1 | 0 | 1 => {
  const l = a.num * b.den
  const r = b.num * a.den
  return l < r ? -1 : l > r ? 1 : 0
}

export const equals = (a: Rational, b: Rational): boolean => a.num === b.num && a.den === b.den
export const isInteger = (a: Rational): boolean => a.den === 1n
export const isZero = (a: Rational): boolean => a.num === 0n
export const sign = (a: Rational): -1 | 0 | 1 => (a.num < 0n ? -1 : a.num > 0n ? 1 : 0)

/** Bits needed for the larger of numerator and denominator: the evaluator's guard against blowups. */
export const bitLength = (a: Rational): number => Math.max(abs(a.num).toString(2).length, a.den.toString(2).length)

/** Integer power; the caller bounds the exponent (see arithmetic.ts). 0^negative is division by zero. */
export const pow = (a: Rational, exponent: number): RationalResult => {
  if (!Number.isInteger(exponent)) return { ok: false, error: `exponent ${exponent} is not an integer` }
  const e = BigInt(Math.abs(exponent))
  const p = make(a.num ** e, a.den ** e)
  return exponent >= 0 ? { ok: true, value: p } : div(ONE, p)
}

/**
 * Number of decimal places of the shortest exact decimal of `a`, or undefined when `a` has none
 * (its reduced denominator has a prime factor other than 2 and 5, e.g. 1/3).
 */
export const decimalPlaces = (a: Rational): number | undefined => {
  let d = a.den
  let twos = 0
  let fives = 0
  while (d % 2n === 0n) {
    d /= 2n
    twos++
  }
  while (d % 5n === 0n) {
    d /= 5n
    fives++
  }
  return d === 1n ? Math.max(twos, fives) : undefined
}

/** Fixed-point text with exactly `places` decimals of a rational whose den divides 10^places. */
const fixed = (a: Rational, places: number): string => {
  const scaled = (abs(a.num) * 10n ** BigInt(places)) / a.den
  const digits = scaled.toString().padStart(places + 1, "0")
  const body = places === 0 ? digits : `${digits.slice(0, digits.length - places)}.${digits.slice(digits.length - places)}`
  return a.num < 0n ? `-${body}` : body
}

/** "1234567" → "1,234,567": the comma grouping of an integer's digits. */
export const groupThousands = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",")

/**
 * Canonical text: the shortest exact decimal when one exists ("12", "-0.5", "0.125"), else "p/q" ("1/3",
 * "-7/6"). `parseRational` reads every output back to the same value.
 */
export const toString = (a: Rational): string => {
  const places = decimalPlaces(a)
  return places === undefined ? `${a.num}/${a.den}` : fixed(a, places)
}

/** Nearest double; exact for every value a double can hold. */
export const toNumber = (a: Rational): number => {
  const places = decimalPlaces(a)
  if (places !== undefined && places <= 20) return Number(fixed(a, places))
  // Scale to 20 significant decimals before converting so huge num/den do not overflow to Infinity/NaN.
  const scale = 10n ** 20n
  const q = (a.num * scale) / a.den
  return Number(q) / 1e20
}

export type RoundingMode = "half-up" | "truncate"

/**
 * `a` rounded to `places` decimals: "half-up" rounds halves away from zero (what people and GSM8K
 * annotators do), "truncate" drops digits toward zero (what a calculator display that cuts off does).
 */
export const roundDecimal = (a: Rational, places: number, mode: RoundingMode): Rational => {
  const scale = 10n ** BigInt(places)
  const n = abs(a.num) * scale
  let q = n / a.den
  if (mode === "half-up" && (n % a.den) * 2n >= a.den) q += 1n
  return make(a.num < 0n ? -q : q, scale)
}

const DECIMAL = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?$/
const FRACTION = /^([+-]?)(\d+)\s*\/\s*(\d+)$/
/** Longest accepted literal: far beyond any real quantity, small enough that bigint work stays instant. */
const MAX_LITERAL = 200

/**
 * Parses decimal text ("12.50", ".5", "-3", "1,200", "5.") or a plain fraction ("1/2", "-3/4").
 * Thousands separators must be well formed (1,200 and 80,000 yes; 1,20 no). Percent signs, currency and
 * units are the caller's business (answer.ts strips them) so a "%" here is an error, not a silent /100.
 */
export const parseRational = (text: string): RationalResult => {
  const s = text.trim().replace(/\u2212/g, "-")
  if (s.length === 0) return { ok: false, error: "empty number" }
  if (s.length > MAX_LITERAL) return { ok: false, error: `number longer than ${MAX_LITERAL} characters` }
  const frac = FRACTION.exec(s)
  if (frac) {
    const r = ratio(BigInt(frac[2] ?? "0"), BigInt(frac[3] ?? "1"))
    return r.ok && frac[1] === "-" ? { ok: true, value: neg(r.value) } : r
  }
  const m = DECIMAL.exec(s)
  const intPart = (m?.[2] ?? "").replace(/,/g, "")
  const fracPart = m?.[3] ?? ""
  if (!m || (intPart === "" && fracPart === "")) return { ok: false, error: `not a number: "${text}"` }
  const n = BigInt((intPart || "0") + fracPart)
  const value = make(m[1] === "-" ? -n : n, 10n ** BigInt(fracPart.length))
  return { ok: true, value }
}

/** Like parseRational, for literals the caller knows to be valid (tests, constants); throws otherwise. */
export const rat = (text: string): Rational => {
  const r = parseRational(text)
  if (!r.ok) throw new Error(r.error)
  return r.value
}
