import { describe, expect, it } from "vitest"
import { rngFor } from "#core"
import * as R from "../rational.ts"
import { formatNumber, numberInWords, scanNumberWords, scanProseNumbers } from "./numbers.ts"
import { variantsOf } from "./variants.ts"

const fixedOf = (text: string): Array<[string, string | undefined]> => scanProseNumbers(text).map((n) => [n.text, n.fixed])

describe("scanProseNumbers: unit conversions stated in the question stay fixed", () => {
  const cases: Array<[string, Array<[string, string | undefined]>]> = [
    ["There are 12 inches in a foot.", [["12", "unit conversion"]]],
    ["There are 1,000 grams in a kilogram.", [["1,000", "unit conversion"]]],
    ["There are 100 centimeters in a meter and 1,000 meters in a kilometer.", [["100", "unit conversion"], ["1,000", "unit conversion"]]],
    ["There are 1,000 milliliters in a liter.", [["1,000", "unit conversion"]]],
    ["There are 16 ounces in a pound and 100 cents in a dollar.", [["16", "unit conversion"], ["100", "unit conversion"]]],
    // A rate or an amount is not a conversion, even with the same words around it.
    ["She swims 80 meters in a minute.", [["80", undefined]]],
    ["He pours 3 liters in a bucket.", [["3", undefined]]],
    ["The ribbon is 4 feet long.", [["4", undefined]]]
  ]
  it.each(cases)("%s", (text, expected) => {
    expect(fixedOf(text)).toEqual(expected)
  })
})

describe("variantsOf: a conversion factor never changes", () => {
  it("redraws the ribbon's length and the piece size but keeps 12 inches in a foot", () => {
    const seed = {
      question: "Priya has a ribbon that is 4 feet long. There are 12 inches in a foot. She cuts the whole ribbon into pieces that are 8 inches long. How many pieces does she get?",
      reference: "The ribbon is 4 * 12 = <<4*12=48>>48 inches long.\nShe gets 48 / 8 = <<48/8=6>>6 pieces.\n#### 6"
    }
    const { variants } = variantsOf(seed, { count: 10, rng: rngFor(0, "test", "ribbon") })
    expect(variants.length).toBeGreaterThan(0)
    for (const v of variants) {
      expect(v.question).toContain("There are 12 inches in a foot.")
      expect(v.reference).toMatch(/<<\d+\*12=\d+>>/)
    }
  })
})

describe("scanNumberWords and numberInWords: counts written in words", () => {
  it("finds number words with their unit and case, and skips 'one' and annotations", () => {
    const found = scanNumberWords("Six loaves need 250 * 6 = <<250*6=1500>>1,500 grams. One of them takes a two-hour rise and twenty-five minutes.").map(
      (w) => [w.value.num.toString(), w.words, w.unit]
    )
    expect(found).toEqual([
      ["6", "capital", "loave"],
      ["2", "lower", "hour"],
      ["25", "lower", "minute"]
    ])
  })
  it("prints whole numbers up to 99 in words, others not", () => {
    expect([7n, 20n, 42n, 99n, 100n].map((n) => numberInWords(R.fromBigInt(n)))).toEqual(["seven", "twenty", "forty-two", "ninety-nine", undefined])
    expect(formatNumber(R.fromBigInt(11n), { commas: false, minDecimals: 0, words: "capital" })).toBe("Eleven")
    expect(formatNumber(R.fromBigInt(1500n), { commas: true, minDecimals: 0, words: "capital" })).toBe("1,500")
  })
})
