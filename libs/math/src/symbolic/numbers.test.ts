import { describe, expect, it } from "vitest"
import { rngFor } from "#core"
import { scanProseNumbers } from "./numbers.ts"
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
