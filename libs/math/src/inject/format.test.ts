import { describe, expect, it } from "vitest"
import { rat } from "../rational.ts"
import { digitSlips, formatLike, numberStyleOf, numberTokens, questionNumbers } from "./format.ts"
import * as R from "../rational.ts"

describe("formatLike", () => {
  it.each([
    ["1234.5", "1,500", "1,234.5"],
    ["19", "18.00", "19.00"],
    ["8.5", "8.25", "8.50"],
    ["8", "8.25", "8"],
    ["0.25", ".5", ".25"],
    ["30", "$25", "$30"],
    ["-4", "12", "-4"],
    ["40", "25%", "40%"],
    ["174048", "177,600", "174,048"]
  ])("%s written like %s is %s", (value, like, out) => {
    expect(formatLike(rat(value), like)).toBe(out)
  })
  it.each([
    ["1120", "980", { group: true }, "1,120"],
    ["1120", "980", {}, "1120"],
    ["8.5", "$8", { cents: 2 }, "$8.50"],
    ["8", "$8", { cents: 2 }, "$8"],
    ["1234.5", "$980", { group: true, cents: 2 }, "$1,234.50"]
  ])("%s written like %s in the style %j is %s", (value, like, style, out) => {
    expect(formatLike(rat(value), like, style)).toBe(out)
  })
  it("refuses a value with no decimal form", () => {
    expect(formatLike({ num: 1n, den: 3n }, "3")).toBeUndefined()
  })
})

describe("digitSlips", () => {
  it("changes one digit or swaps two neighbours, never to a leading zero or the same value", () => {
    const slips = digitSlips("42").map(R.toString)
    expect(slips).toContain("43")
    expect(slips).toContain("52")
    expect(slips).toContain("24")
    expect(slips).not.toContain("42")
    expect(slips).not.toContain("2")
    expect(slips).toHaveLength(18)
  })
  it("keeps decimals and thousands groups readable", () => {
    expect(digitSlips("2.75").map(R.toString)).toContain("2.25")
    expect(digitSlips("1,500").map(R.toString)).toContain("1600")
  })
})

describe("question numbers", () => {
  it("reads digits, money, thousands and a few number words, without a sentence's period", () => {
    const q = "Ann buys 3 pens at $1.20 each and 2,400 beads. Twice a week she works 7.5 hours."
    expect(questionNumbers(q).map(R.toString)).toEqual(["3", "1.2", "2400", "2", "7.5"])
    expect(numberTokens("It ends at 12.").map((t) => t.text)).toEqual(["12"])
  })
})

describe("numberStyleOf", () => {
  it.each([
    ["results grouped", "He pays 2900 * 3 = $8,700 in all.", "Ann has 3 boxes.", { values: { group: true }, operands: { group: false } }],
    ["results plain", "That is 8 * 700 = 5600 meters a day.", "Ann runs 8 laps.", { values: { group: false }, operands: { group: false } }],
    ["no 1,000+ result: the question's style", "She has 40 + 2 = 42 pens.", "A tank holds 2400 liters.", { values: { group: false }, operands: { group: false } }],
    ["nothing to go by: grouped", "She has 40 + 2 = 42 pens.", "Ann has 3 boxes.", { values: { group: true }, operands: { group: false } }],
    ["operands grouped", "He pays 2,900 + 1,200 = $4,100.", "Ann has 3 boxes.", { values: { group: true }, operands: { group: true } }],
    ["money with cents", "The juice costs 3 * 2.40 = $7.20 and the cake $18.", "Ann has 3 boxes.", { values: { group: true, cents: 2 }, operands: { group: false } }]
  ])("%s", (_what, solution, question, style) => {
    expect(numberStyleOf(solution, question)).toEqual(style)
  })
})
