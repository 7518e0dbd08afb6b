import { readFileSync } from "node:fs"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { rngFor } from "#core"
import * as R from "../rational.ts"
import { verifySolution } from "../verify.ts"
import { genderOf, NAMES } from "./names.ts"
import { peopleIn, swapPronouns, varySurface } from "./surface.ts"

const rng = (i: number | string) => rngFor(7, "surface-test", String(i))
const count = (text: string, word: string): number => text.split(new RegExp(`\\b${word}\\b`)).length - 1

describe("names", () => {
  const question = "Maya sells cups of lemonade for $3 each. Maya's stand is busy on Saturday. How much does she make?"
  const reference = "Maya sells 42 cups.\nMaya's profit is 42 * 3 = $<<42*3=126>>126.\n#### 126"

  it("replaces a name everywhere, possessives included, with one name of the same list (same gender, pronouns kept)", () => {
    const s = varySurface(question, reference, rng(1), { genderSwap: 0, dayShift: 0 })
    const to = s.changes.find((c) => c.kind === "name")!.to
    expect(genderOf(to)).toBe("female")
    expect(s.question).toBe(`${to} sells cups of lemonade for $3 each. ${to}'s stand is busy on Saturday. How much does she make?`)
    expect(s.reference).toBe(`${to} sells 42 cups.\n${to}'s profit is 42 * 3 = $<<42*3=126>>126.\n#### 126`)
  })

  it("keeps two people two different names, each in their own list", () => {
    for (let i = 0; i < 50; i++) {
      const s = varySurface("Omar and Ben paint a fence. Omar paints 12 meters and Ben paints 8 meters.", "12 + 8 = <<12+8=20>>20\n#### 20", rng(i))
      const names = s.changes.filter((c) => c.kind === "name").map((c) => c.to)
      expect(names).toHaveLength(2)
      expect(names[0]).not.toBe(names[1])
      expect(names.map(genderOf)).toEqual(["male", "male"])
      expect(count(s.question, names[0]!)).toBe(2)
      expect(count(s.question, names[1]!)).toBe(2)
    }
  })

  it("swaps gender only with one person and rewrites every pronoun", () => {
    const q = "Liam reads 35 pages of his book each day. He gives his sister nothing. How many pages does he read?"
    const alone = "Liam reads 35 pages of his book each day. How many pages does he read in 3 days? Help him count."
    const r = "He reads 35 * 3 = <<35*3=105>>105 pages.\n#### 105"
    let swapped = 0
    for (let i = 0; i < 40; i++) {
      // "his sister" is another person whose pronouns a swap could confuse: same gender only.
      expect(genderOf(varySurface(q, r, rng(i), { genderSwap: 1 }).changes[0]!.to)).toBe("male")
      const s = varySurface(alone, r, rng(i), { genderSwap: 1 })
      const to = s.changes[0]!.to
      if (genderOf(to) === "female") {
        swapped++
        expect(s.question).toBe(`${to} reads 35 pages of her book each day. How many pages does she read in 3 days? Help her count.`)
        expect(s.reference).toBe("She reads 35 * 3 = <<35*3=105>>105 pages.\n#### 105")
      }
    }
    expect(swapped).toBe(40)
  })

  it("keeps the title of a titled person, and then makes no gender swap", () => {
    const s = varySurface("Mr. Patel and Ana buy a car. He pays $8,400.", "#### 8400", rng(3), { genderSwap: 1 })
    expect(s.question).toMatch(/^Mr\. \p{L}+ and \p{L}+ buy a car\. He pays \$8,400\.$/u)
    expect(genderOf(s.changes[0]!.to)).toBe("female")
    expect(peopleIn("Mr. Patel and Ana")).toEqual({ people: [{ name: "Ana", gender: "female" }], titled: true })
  })

  it("leaves a name that is part of a place's name (Lake Moana, Mount Ali, Omar Street) as it is", () => {
    const q = "The ferry across Lake Moana carries Ali from Mount Ali to Omar Street. Ali pays $4. How much does he pay for 3 trips?"
    const r = "Ali pays 4 * 3 = $<<4*3=12>>12.\n#### 12"
    expect(peopleIn(q).people).toEqual([{ name: "Ali", gender: "male" }])
    const s = varySurface(q, r, rng(2), { genderSwap: 0, dayShift: 0 })
    const to = s.changes.find((c) => c.kind === "name")!.to
    expect(s.question).toBe(`The ferry across Lake Moana carries ${to} from Mount Ali to Omar Street. ${to} pays $4. How much does he pay for 3 trips?`)
    expect(s.reference).toBe(`${to} pays 4 * 3 = $<<4*3=12>>12.\n#### 12`)
  })

  it("every seed name is in a list, and the lists are long", () => {
    for (const g of ["female", "male"] as const) expect(NAMES[g].length).toBeGreaterThanOrEqual(150)
    for (const g of ["female", "male", "neutral"] as const) expect(new Set(NAMES[g]).size).toBe(NAMES[g].length)
    for (const n of ["Maya", "Tomás", "Priya", "Kofi", "Jordan", "Ming", "Aisha", "Kenji", "Sara", "Priscilla"]) expect(genderOf(n)).toBeDefined()
  })
})

describe("swapPronouns", () => {
  it.each([
    ["He gives his book to him. It is his.", "female", "She gives her book to her. It is hers."],
    ["He asked himself.", "female", "She asked herself."],
    ["She pays her rent. Her bill is $5. Give her a pen. Pay her back. Thank her.", "male", "He pays his rent. His bill is $5. Give him a pen. Pay him back. Thank him."],
    ["She did it herself; the book is hers.", "male", "He did it himself; the book is his."]
  ] as const)("%s → %s", (input, to, output) => {
    expect(swapPronouns(input, to)).toBe(output)
  })
  it("refuses a 'her' that reads both ways", () => {
    expect(swapPronouns("She gives her 3 friends a pen.", "male")).toBeUndefined()
    expect(swapPronouns("They pay her $5.", "male")).toBeUndefined()
  })
})

describe("objects", () => {
  it("swaps a noun group in question and solution, plural for plural, and fixes the article", () => {
    const q = "A bakery bakes 8 trays of muffins. Each muffin costs $2. A muffin tray holds 24."
    const r = "It bakes 8 * 24 = <<8*24=192>>192 muffins.\n#### 192"
    const seen = new Set<string>()
    for (let i = 0; i < 30; i++) {
      const s = varySurface(q, r, rng(i), { nounSwap: 1 })
      const c = s.changes.find((x) => x.kind === "noun")!
      expect(c.from).toBe("muffins")
      seen.add(c.to)
      const plural = c.to
      const singular = plural.replace(/s$/, "")
      expect(s.question).toBe(`A bakery bakes 8 trays of ${plural}. Each ${singular} costs $2. A ${singular} tray holds 24.`)
      expect(s.reference).toBe(`It bakes 8 * 24 = <<8*24=192>>192 ${plural}.\n#### 192`)
    }
    expect(seen.size).toBeGreaterThan(3)
  })

  it("writes a/an by the new noun", () => {
    const q = "Ana eats a pear and buys 6 pears."
    const outs = new Set<string>()
    for (let i = 0; i < 60; i++) outs.add(varySurface(q, "#### 6", rng(i), { nounSwap: 1 }).question.replace(/^\p{L}+ /u, ""))
    expect(outs).toContain("eats an apple and buys 6 apples.")
    expect(outs).toContain("eats an apricot and buys 6 apricots.")
    expect(outs).toContain("eats a plum and buys 6 plums.")
    expect(outs).toContain("eats a peach and buys 6 peaches.")
  })

  it("keeps two different objects of a group different, and leaves a group alone when a word contains one of its nouns", () => {
    for (let i = 0; i < 30; i++) {
      const s = varySurface("A box has 12 pencils and 6 markers.", "#### 18", rng(i), { nounSwap: 1 })
      const [a, b] = s.changes.map((c) => c.to)
      expect(a).not.toBe(b)
      expect(varySurface("She makes applesauce from 12 apples.", "#### 12", rng(i), { nounSwap: 1 }).changes).toEqual([])
    }
  })
})

describe("objects that fit a story only in one sense", () => {
  it("keeps a goat pen, a pencil case and canned vegetables, and still swaps loose ones", () => {
    for (let i = 0; i < 30; i++) {
      const pen = varySurface("Omar's goat pen is 8 meters wide. He buys 3 pens for school.", "#### 3", rng(i), { nounSwap: 1 })
      expect(pen.question).toContain("goat pen is")
      expect(pen.question).toContain("3 pens for school")
      const tins = varySurface("Her recipe uses 4 cans of tomatoes and 2 onions.", "#### 6", rng(i), { nounSwap: 1 })
      expect(tins.question).toBe("Her recipe uses 4 cans of tomatoes and 2 onions.")
      const casePhrase = varySurface("He buys 6 pencils and a pencil case.", "#### 6", rng(i), { nounSwap: 1 })
      expect(casePhrase.question).toBe("He buys 6 pencils and a pencil case.")
    }
    const loose = new Set<string>()
    for (let i = 0; i < 30; i++) loose.add(varySurface("Her soup uses 4 tomatoes and 2 onions.", "#### 6", rng(i), { nounSwap: 1 }).question)
    expect(loose.size).toBeGreaterThan(3)
    expect([...loose].some((q) => /cucumbers|zucchinis|carrots|potatoes/.test(q))).toBe(true)
  })
})

describe("units", () => {
  const q = "Tomás drives at 62 miles per hour for 3 hours. How many miles does he drive?"
  const r = "He drives 62 * 3 = <<62*3=186>>186 miles.\n#### 186"

  it("swaps miles and kilometers when the solution converts nothing", () => {
    const s = varySurface(q, r, rng(1), { unitSwap: 1, genderSwap: 0 })
    expect(s.question).toMatch(/^\p{L}+ drives at 62 kilometers per hour for 3 hours\. How many kilometers does he drive\?$/u)
    expect(s.reference).toBe("He drives 62 * 3 = <<62*3=186>>186 kilometers.\n#### 186")
  })

  it("keeps the unit when the solution uses a conversion constant or the text has another unit of the same kind", () => {
    const thousand = varySurface(q, r, rng(1), { unitSwap: 1, constants: [R.fromBigInt(1000n)] })
    expect(thousand.changes.filter((c) => c.kind === "unit")).toEqual([])
    const feet = varySurface("He walks 2 miles and then 300 feet.", "#### 2", rng(1), { unitSwap: 1 })
    expect(feet.changes.filter((c) => c.kind === "unit")).toEqual([])
    // Clock and percent constants do not tie a unit to another.
    const clock = varySurface(q, r, rng(1), { unitSwap: 1, constants: [R.fromBigInt(60n), R.fromBigInt(100n)] })
    expect(clock.changes.filter((c) => c.kind === "unit")).toHaveLength(1)
  })
})

describe("units: one system", () => {
  it("swaps every unit to the other system together, or none", () => {
    const q = "Aleksander drives 240 kilometers a week. His car goes 12 kilometers on a liter of fuel. How many liters a week does it use?"
    const r = "It uses 240 / 12 = <<240/12=20>>20 liters.\n#### 20"
    for (let i = 0; i < 20; i++) {
      const s = varySurface(q, r, rng(i), { unitSwap: 1, genderSwap: 0 })
      expect(s.question.replace(/^\p{L}+/u, "X")).toBe("X drives 240 miles a week. His car goes 12 miles on a gallon of fuel. How many gallons a week does it use?")
      expect(s.reference).toBe("It uses 240 / 12 = <<240/12=20>>20 gallons.\n#### 20")
    }
    // Grams have no partner in a swap group: kilometers alone would become miles beside grams.
    const hike = varySurface("She hikes 12 kilometers with 500 grams of trail mix.", "#### 12", rng(1), { unitSwap: 1 })
    expect(hike.changes.filter((c) => c.kind === "unit")).toEqual([])
  })

  it("does not swap liters for gallons where the number would be past a car tank's size", () => {
    const q = "Kaveh's car tank holds 60 liters and is 1/4 full. Fuel is $2 a liter. How much does he pay to fill it?"
    const r = "He needs 60 - 15 = <<60-15=45>>45 liters.\nHe pays 45 * 2 = $<<45*2=90>>90.\n#### 90"
    for (let i = 0; i < 10; i++) expect(varySurface(q, r, rng(i), { unitSwap: 1 }).changes.filter((c) => c.kind === "unit")).toEqual([])
    const small = varySurface(q.replace("60", "20"), r, rng(1), { unitSwap: 1 })
    expect(small.question).toContain("tank holds 20 gallons")
  })
})

describe("determinism", () => {
  it("the same rng state gives the same words", () => {
    const q = "Grace buys 3 notebooks and 2 pens. She walks 2 kilometers home."
    const r = "3 + 2 = <<3+2=5>>5\n#### 5"
    expect(varySurface(q, r, rng("same"))).toEqual(varySurface(q, r, rng("same")))
  })
})

describe("days and titled people", () => {
  it("moves every day of the week by the same number of days, plurals too", () => {
    const q = "On Saturday she sold 42 cups and on Sunday 35. She rests on Mondays."
    const outs = new Set<string>()
    for (let i = 0; i < 40; i++) outs.add(varySurface(q, "#### 77", rng(i), { dayShift: 1 }).question)
    expect(outs).toContain("On Tuesday she sold 42 cups and on Wednesday 35. She rests on Thursdays.")
    expect(outs).toContain("On Sunday she sold 42 cups and on Monday 35. She rests on Tuesdays.")
    expect(outs).not.toContain(q)
  })

  it("keeps the days of a text about weekends or weekdays", () => {
    const s = varySurface("He reads on each of the 5 weekdays and on Saturday.", "#### 5", rng(1), { dayShift: 1 })
    expect(s.question).toContain("on Saturday.")
  })

  it("swaps the family name of a titled person and keeps the title", () => {
    const s = varySurface("Mr. Patel buys a car. He pays Mr. Patel's bank.", "He pays.\n#### 1", rng(2))
    const to = s.changes.find((c) => c.kind === "surname")!.to
    expect(s.question).toBe(`Mr. ${to} buys a car. He pays Mr. ${to}'s bank.`)
  })
})

describe("varySurface over the seed file (fast-check)", () => {
  const seeds = readFileSync("data/seeds/math.jsonl", "utf8").trim().split("\n").map((l) => JSON.parse(l) as { question: string; answer: string })
  const numbers = (text: string): Array<string> => text.match(/\d[\d,.]*/g) ?? []

  it("never touches a number, and every solution still verifies to the same answer", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.integer({ min: 0, max: 1_000_000 }), (i, n) => {
        const seed = seeds[i]!
        const s = varySurface(seed.question, seed.answer, rng(n), { genderSwap: 1, nounSwap: 1, unitSwap: 1, dayShift: 1 })
        expect(numbers(s.question)).toEqual(numbers(seed.question))
        expect(numbers(s.reference)).toEqual(numbers(seed.answer))
        const before = verifySolution(seed.answer)
        const after = verifySolution(s.reference)
        expect(after.correct).toBe(true)
        expect(after.parsed.finalAnswer?.raw).toBe(before.parsed.finalAnswer?.raw)
      }),
      { numRuns: 300 }
    )
  })
})
