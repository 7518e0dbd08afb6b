/**
 * Conversion constants a solution may use without the question stating them (60 minutes in an hour, 1,000
 * grams in a kilogram). When the question also has a number of that value, an annotation's literal could
 * be either: bound to the question's number, a variant changes the conversion with it ("90 / 90 hours");
 * left a constant, it keeps a question number the step meant. Neither reading is safe, so such a
 * question number is kept as it is (template.ts).
 */
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"

interface Conversion {
  readonly value: number
  /** Both words present: the text converts between the two units. */
  readonly units: ReadonlyArray<readonly [RegExp, RegExp]>
}

const w = (stem: string): RegExp => new RegExp(`\\b${stem}\\b`, "i")

const CONVERSIONS: readonly Conversion[] = [
  { value: 60, units: [[w("minutes?"), w("hours?")], [w("seconds?"), w("minutes?")]] },
  { value: 24, units: [[w("hours?"), w("days?")]] },
  { value: 7, units: [[w("days?"), w("weeks?")]] },
  { value: 12, units: [[w("months?"), w("years?")], [w("inch(?:es)?"), w("(?:foot|feet)")], [w("dozens?"), /./]] },
  { value: 52, units: [[w("weeks?"), w("years?")]] },
  { value: 365, units: [[w("days?"), w("years?")]] },
  { value: 3600, units: [[w("seconds?"), w("hours?")]] },
  {
    value: 1000,
    units: [
      [w("grams?"), w("kilograms?")],
      [w("met(?:er|re)s?"), w("kilomet(?:er|re)s?")],
      [w("millilit(?:er|re)s?"), w("lit(?:er|re)s?")]
    ]
  },
  { value: 100, units: [[w("cents?"), /\bdollars?\b|\$/i], [w("centimet(?:er|re)s?"), w("met(?:er|re)s?")]] }
]

/** Why a question number of `value` may be a conversion constant in `text` (question and solution), or undefined. */
export const conversionClash = (value: Rational, text: string): string | undefined => {
  if (!R.isInteger(value)) return undefined
  for (const c of CONVERSIONS) {
    if (!R.equals(value, R.fromBigInt(BigInt(c.value)))) continue
    const pair = c.units.find(([a, b]) => a.test(text) && b.test(text))
    if (pair !== undefined) return `${c.value} is also a unit conversion the text may use`
  }
  return undefined
}
