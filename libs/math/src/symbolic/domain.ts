/**
 * Where a variable's new values come from. GSM-Symbolic writes domains by hand (`range(10, 500, 10)`);
 * here they are inferred from the original number: the same granularity (a price in cents stays in
 * cents, 120 moves in tens, 25% in fives) and a similar magnitude (by default half to twice the original).
 */
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import type { ProseNumber } from "./numbers.ts"
import type { SymbolicDomain } from "./types.ts"

export interface DomainOptions {
  /** New values lie in [low × original, high × original]; default 0.5 and 2. */
  readonly low?: number
  readonly high?: number
}

/** Round step sizes, largest first, in units of the number's last decimal place. */
const LADDER = [10000n, 5000n, 1000n, 500n, 250n, 100n, 50n, 25n, 10n, 5n, 1n]
/** A step must leave at least this many multiples below the original, or the domain is too coarse. */
const MIN_MULTIPLES = 3n

const textDecimals = (text: string): number => (text.split(".")[1] ?? "").length

export const domainFor = (value: Rational, atoms: ReadonlyArray<ProseNumber>, options: DomainOptions = {}): SymbolicDomain => {
  const low = options.low ?? 0.5
  const high = options.high ?? 2
  const places = Math.max(R.decimalPlaces(value) ?? 0, ...atoms.map((a) => textDecimals(a.text)))
  const scale = 10n ** BigInt(places)
  const n = (value.num * scale) / value.den
  const s = LADDER.find((c) => n % c === 0n && n / c >= MIN_MULTIPLES) ?? 1n
  const k0 = Number(n / s)
  let minK = Math.max(1, Math.ceil(k0 * low))
  let maxK = Math.max(minK, Math.floor(k0 * high))
  // A denominator of 1 is not a fraction; keep at least 2.
  if (atoms.some((a) => a.context === "denominator") && Number(s) <= 2 * Number(scale)) {
    minK = Math.max(minK, Math.ceil((2 * Number(scale)) / Number(s)))
  }
  // A percent of at most 100 stays at most 100.
  if (atoms.some((a) => a.context === "percent") && R.compare(value, R.HUNDRED) <= 0) {
    maxK = Math.min(maxK, Math.floor((100 * Number(scale)) / Number(s)))
  }
  for (const a of atoms) {
    if (a.cap !== undefined) maxK = Math.min(maxK, Math.floor(R.toNumber(a.cap) * Number(scale) / Number(s)))
    if (a.floor !== undefined) minK = Math.max(minK, Math.ceil(R.toNumber(a.floor) * Number(scale) / Number(s)))
  }
  minK = Math.min(minK, k0)
  maxK = Math.max(maxK, k0)
  const multiple = (k: number): Rational => {
    const r = R.ratio(BigInt(k) * s, scale)
    return r.ok ? r.value : R.ZERO
  }
  return { step: multiple(1), min: multiple(minK), max: multiple(maxK) }
}
