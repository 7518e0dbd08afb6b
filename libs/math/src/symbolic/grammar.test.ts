import { describe, expect, it } from "vitest"
import { fixMoneyCents, fixNumberArticles, fixNumberGrammar, fixSingularAfterOne, numberTakesAn, singularOf } from "./grammar.ts"

describe("numberTakesAn", () => {
  it.each([
    ["8", true], ["11", true], ["18", true], ["80", true], ["85", true], ["800", true], ["8,000", true], ["11,500", true],
    ["18000", true], ["8.5", true], ["80,000", true], ["800,000", true], ["8,000,000", true],
    ["1", false], ["7", false], ["10", false], ["12", false], ["100", false], ["110", false], ["180", false],
    ["1,800", false], ["1,100", false], ["81000", true], ["118", false], ["0.8", false]
  ])("%s → an: %s", (digits, an) => {
    expect(numberTakesAn(digits)).toBe(an)
  })
})

describe("fixNumberArticles", () => {
  it.each([
    ["She gets a 11% discount.", "She gets an 11% discount."],
    ["He works a 8-hour shift.", "He works an 8-hour shift."],
    ["It is an 12-pack.", "It is a 12-pack."],
    ["A 80-page book", "An 80-page book"],
    ["They pay a $8 fee and an $12 tip.", "They pay an $8 fee and a $12 tip."],
    ["a 18,000-seat arena", "an 18,000-seat arena"],
    ["an 1,800-seat arena", "a 1,800-seat arena"],
    ["Plan A 8 times a day", "Plan A 8 times a day"],
    ["a 5-hour trip", "a 5-hour trip"],
    ["banana 8 ways", "banana 8 ways"]
  ])("%s", (input, output) => {
    expect(fixNumberArticles(input)).toBe(output)
  })
})

describe("fixSingularAfterOne", () => {
  it.each([
    ["It takes 1 hours.", "It takes 1 hour."],
    ["She needs 1 boxes and 2 bags.", "She needs 1 box and 2 bags."],
    ["1 people came", "1 person came"],
    ["He buys 1 peaches.", "He buys 1 peach."],
    ["It lasts 1.5 hours.", "It lasts 1.5 hours."],
    ["It costs 21 dollars.", "It costs 21 dollars."],
    ["He has five $1 bills.", "He has five $1 bills."],
    ["She runs 1 times as far.", "She runs 1 times as far."],
    ["= <<3-2=1>>1 days left", "= <<3-2=1>>1 day left"],
    ["18 - 17 = <<18-17=1>>1 desks are empty.", "18 - 17 = <<18-17=1>>1 desk is empty."],
    ["Only 1 seats were left and 2 seats were taken.", "Only 1 seat was left and 2 seats were taken."]
  ])("%s", (input, output) => {
    expect(fixSingularAfterOne(input)).toBe(output)
  })
  it("knows irregular and -ies plurals, and leaves words it does not know", () => {
    expect(singularOf("loaves")).toBe("loaf")
    expect(singularOf("Batches")).toBe("Batch")
    expect(singularOf("mangoes")).toBe("mango")
    expect(singularOf("percent")).toBeUndefined()
  })
})

describe("fixMoneyCents", () => {
  it.each([
    ["One candle costs 2 + 0.30 + 0.80 = $<<2+0.30+0.80=3.1>>3.1 to make.", "One candle costs 2 + 0.30 + 0.80 = $<<2+0.30+0.80=3.1>>3.10 to make."],
    ["Small coffees brought in $1,118.6.", "Small coffees brought in $1,118.60."],
    ["It costs $4.25, $7 or $3.5.", "It costs $4.25, $7 or $3.50."],
    ["He walks 3.5 km.", "He walks 3.5 km."]
  ])("%s", (input, output) => {
    expect(fixMoneyCents(input)).toBe(output)
  })
})

describe("fixNumberGrammar", () => {
  it("fixes both in one text", () => {
    expect(fixNumberGrammar("a 8-day trip of 1 days")).toBe("an 8-day trip of 1 day")
  })
})
