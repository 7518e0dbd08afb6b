import { describe, expect, it } from "vitest"
import * as R from "../rational.ts"
import { ageGapBand, overBound, questionBound, rateMultiplierBand, resultBound } from "./bounds.ts"

/** [sentence with the number marked as #, whole question (defaults to the sentence), expected max or undefined]. */
const questionCases: Array<[string, string | undefined, number | undefined]> = [
  ["It runs # hours a day", undefined, 24],
  ["Theo works # hours a day at the shop", undefined, 16],
  ["Theo works # hours a week", undefined, 80],
  ["The shop is open # days a week", undefined, 7],
  ["She swims # months each year", undefined, 12],
  ["The rent is due # days per month", undefined, 31],
  ["He trains # weeks a year", undefined, 52],
  ["The tap drips # minutes every hour", undefined, 60],
  ["She works an #-hour shift", undefined, 16],
  ["They work a #-day week", undefined, 7],
  ["Jordan wants to go for # months", "A gym offers a yearly membership for $540. Jordan wants to go for # months.", 12],
  ["How much does the club collect in # months", "Children pay $15 a month. How much does the club collect in # months?", undefined],
  ["He buys # hours of tutoring", undefined, undefined],
  ["Fuel costs # liters per hour", undefined, undefined],
  ["The tank holds # liters", "Kaveh is filling up his car. The tank holds # liters.", 80],
  ["His car has a #-gallon tank", undefined, 25],
  ["The water tank holds # liters", "A water tank holds # liters when full. A pump adds 75 liters per minute.", undefined],
  // Speeds stay within what their mover can do, by its mode and unit.
  ["A freight train moving at # kilometers per hour", undefined, 200],
  ["Tomás drives at # miles per hour", undefined, 75],
  ["She drives for 3 hours on the motorway at # kilometers per hour", undefined, 120],
  ["The ferry travels at # kilometers per hour", undefined, 65],
  ["Lena cycles at # km/h", undefined, 40],
  ["Aiko jogs at # miles per hour", undefined, 12],
  ["He walks at # mph", undefined, 5],
  ["The jet flies at # mph", undefined, 600],
  // A tax is a few percent; a tip or a discount is not bounded here.
  ["The hotel adds a tax of #% to the room charge", undefined, 15],
  ["Sales tax is #% of the total", undefined, 15],
  ["The store adds #% sales tax to the total", undefined, 15],
  ["They left a tip of #% of the bill", undefined, undefined],
  // A day of driving or work.
  ["he drives on the motorway for # hours on the first day", undefined, 12],
  ["he drives for 4 hours on the first day and # hours on the second", undefined, 12],
  ["She reads for # hours on the first day", undefined, undefined]
]

describe("questionBound", () => {
  it.each(questionCases)("%s", (sentence, question, max) => {
    const [before, after] = sentence.split("#") as [string, string]
    const b = questionBound(before, after, (question ?? sentence).replace("#", "8"))
    expect(b === undefined ? undefined : R.toNumber(b.max)).toBe(max)
  })
})

/** [step line with the result marked as #, expected max or undefined]. */
const resultCases: Array<[string, number | undefined]> = [
  // A day of deliveries or driving is a person's work: 12 hours at most, not 24.
  ["Each day he spends 14 * 0.75 = <<14*0.75=10.5>># hours on deliveries.", 12],
  ["The third day takes 350 / 70 = <<350/70=5>># hours of driving.", 12],
  ["Each day the pump runs 3 * 4 = <<3*4=12>># hours.", 24],
  ["Each week he spends 10.5 * 5 = <<10.5*5=52.5>># hours.", 168],
  ["He works 8 * 5 = <<8*5=40>># hours a week.", 168],
  ["She reads 3 * 7 = <<3*7=21>># days in all.", undefined],
  ["The bus runs 14 * 6 = <<14*6=84>># trips a week.", undefined],
  // Two periods on one line and no rate after the number: no bound rather than a wrong one.
  ["Each day for a week she adds 2 * 7 = <<2*7=14>># hours.", undefined]
]

describe("resultBound", () => {
  it.each(resultCases)("%s", (line, max) => {
    const b = resultBound(line.slice(line.indexOf("#") + 1), line)
    expect(b === undefined ? undefined : R.toNumber(b.max)).toBe(max)
  })
})

describe("resultBound with the question", () => {
  it("bounds a day of a road trip at 12 hours, and a machine's day at 24", () => {
    const line = "The third day takes 350 / 70 = <<350/70=5>>5 hours."
    const max = (question: string) => R.toNumber(resultBound(" hours.", line, question)!.max)
    expect(max("Nikolai is driving to the coast, 980 kilometers away.")).toBe(12)
    expect(max("A pump fills a pool over three days.")).toBe(24)
  })
})

describe("overBound", () => {
  it("names a number past its words' bound, and passes one within it", () => {
    expect(overBound("Kaveh fills his car. The tank holds 60 gallons.")).toBe("60 is past 25 gallons in a car's fuel tank")
    expect(overBound("Kaveh fills his car. The tank holds 15 gallons.")).toBeUndefined()
    expect(overBound("Theo works 18 hours a day.")).toBe("18 is past 16 hours a day of work")
  })
})

describe("ageGapBand", () => {
  const band = (sentence: string) => {
    const [before, after] = sentence.split("#") as [string, string]
    const b = ageGapBand(before, after)
    return b === undefined ? undefined : [R.toNumber(b.min), R.toNumber(b.max)]
  }
  it.each([
    ["Her mother is # years older than Amira", [18, 45]],
    ["Their son is # years younger than his mother", [18, 45]],
    ["and Grandfather Kenji is # years older than Haruto's father", [18, 45]],
    ["Her grandmother is # years older than her", [36, 90]],
    ["and the mother is # years younger than the father", undefined],
    ["his aunt is # years older than he is", undefined],
    ["His sister Tatiana is # years older than he is", undefined]
  ])("%s", (sentence, expected) => {
    expect(band(sentence)).toEqual(expected)
  })
})

describe("rateMultiplierBand", () => {
  it.each([
    [" times her weekday rate", [1.1, 3]],
    [" times his regular hourly pay", [1.1, 3]],
    [" times the base fare", [1.1, 3]],
    [" times as many pies", undefined],
    [" times a week", undefined]
  ])("N%s", (after, expected) => {
    const b = rateMultiplierBand(after)
    expect(b === undefined ? undefined : [R.toNumber(b.min), R.toNumber(b.max)]).toEqual(expected)
  })
})
