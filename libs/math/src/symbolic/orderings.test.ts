import { describe, expect, it } from "vitest"
import { scanProseNumbers } from "./numbers.ts"
import { impliedOrderings } from "./orderings.ts"
import { findTies } from "./ties.ts"

/** The orderings of a question, each as "a<b" or "a/count~single" in the numbers' own text. */
const orderings = (question: string): string[] => {
  const atoms = scanProseNumbers(question)
  return impliedOrderings(question, atoms).map((o) =>
    o.kind === "pair" ? `${atoms[o.a]!.text}~${atoms[o.b]!.text}` : o.kind === "perUnit" ? `${atoms[o.pack]!.text}/${atoms[o.count]!.text}~${atoms[o.single]!.text}` : o.kind === "ratio" ? `${atoms[o.a]!.text}:${atoms[o.b]!.text} in ${o.min}-${o.max}` : `${atoms[o.parent]!.text}>${atoms[o.child]!.text}`
  )
}

describe("impliedOrderings: the pair lexicon", () => {
  const cases: Array<[string, string[]]> = [
    ["A cafe sells small coffees for $2.80 and large coffees for $3.60.", ["2.80~3.60"]],
    ["A cinema sells small popcorn for $4, medium for $6.50 and large for $8.", ["4~6.50", "4~8", "6.50~8"]],
    ["She charges $15 for a short walk and $25 for a long walk.", ["15~25"]],
    ["Adult tickets cost $48 and child tickets cost $32.", ["48~32"]],
    ["1/6 of the seats are business class at $420 each and the rest are economy at $150 each.", ["420~150"]],
    ["A small box holds 12 crayons and a large box holds 30 crayons.", ["12~30"]],
    ["Croissants cost $2.40 each or come in boxes of 6 for $12 a box.", ["12/6~2.40"]],
    ["A swimming pool charges $5 per visit, or $45 for a 10-visit pass.", ["45/10~5"]],
    ["Maria is 38 years old and her daughter is 12 years old.", ["38>12"]],
    ["A parking garage charges $3 for the 1st hour and $2.50 for each hour after that.", ["3~2.50"]],
    ["A courier charges $12 for the first 2 kilograms and $3.75 for each extra kilogram.", ["12~3.75"]],
    // Counts sold, counts of people and prices of unrelated things imply nothing.
    ["On Friday it sold 120 small, 85 medium and 64 large popcorns.", []],
    ["A family of 2 adults and 3 children visits a zoo.", []],
    ["Apples cost $1.20 per pound and pears cost $1.80 per pound.", []]
  ]
  it.each(cases)("%s", (question, expected) => {
    expect(orderings(question)).toEqual(expected)
  })
})

describe("findTies", () => {
  const ties = (question: string, reference = "") => {
    const atoms = scanProseNumbers(question)
    const t = findTies(question, atoms, reference, scanProseNumbers(reference))
    return { freeze: [...t.freeze.keys()].map((i) => atoms[i]!.text), links: t.links.map((l) => `${atoms[l.target]!.text} = ${atoms[l.source]!.text} + 1`) }
  }
  it("links a companion group to the group size the text names", () => {
    expect(ties("Ethan and his 3 friends split the bill among the 4 of them.")).toEqual({ freeze: [], links: ["4 = 3 + 1"] })
    expect(ties("Priya and 5 classmates share 6 pizzas between 6 people.")).toEqual({ freeze: [], links: ["6 = 5 + 1"] })
  })
  it("freezes the companions when only the solution names the group size, unless it computes it", () => {
    expect(ties("Maya and her 3 friends bake 3 trays.", "The 4 of them bake 4 * 36 = <<4*36=144>>144.")).toEqual({ freeze: ["3"], links: [] })
    expect(ties("Maya and her 3 friends bake 3 trays.", "They are 3 + 1 = <<3+1=4>>4 people.")).toEqual({ freeze: [], links: [] })
  })
  it("freezes the number a collective word counts in, and calendar words restated as numbers", () => {
    expect(ties("The car uses 6 liters per 100 kilometers.", "That is 4.5 hundreds of kilometers.").freeze).toEqual(["100"])
    expect(ties("The car uses 6 liters per 100 kilometers.", "That is 450 / 100 = <<450/100=4.5>>4.5.").freeze).toEqual([])
    expect(ties("She trains for 7 days (one week) and rests 2 days.").freeze).toEqual(["7"])
  })
})
