/**
 * The story rules, each with a seed, a draw that breaks it (rejected, with its reason) and a draw that keeps
 * it. A draw is given as new values for the numbers of the question, named by the words they stand in.
 */
import { describe, expect, it } from "vitest"
import { rngFor } from "#core"
import * as R from "../rational.ts"
import { evaluation, firstBroken } from "./evaluate.ts"
import { templateOf } from "./template.ts"
import { variantsOf } from "./variants.ts"
import { summarise } from "./test-seeds.ts"
import type { SymbolicTemplate } from "./types.ts"

interface Seed {
  readonly question: string
  readonly reference: string
}

const templated = (seed: Seed): SymbolicTemplate => {
  const t = templateOf(seed)
  if (!t.ok) throw new Error(`${t.reason}: ${t.message}`)
  return t.template
}

/** The variable written at `words` (the number is its first token, e.g. "14 deliveries"). */
const idAt = (t: SymbolicTemplate, words: string): string => {
  const at = t.question.indexOf(words)
  const v = t.variables.find((x) => x.occurrences.some((o) => o.span.start === at))
  if (at < 0 || v === undefined) throw new Error(`no variable at "${words}"`)
  return v.id
}

/** The rule a draw breaks (undefined when it keeps every condition), and the values it gives. */
const draw = (t: SymbolicTemplate, values: Record<string, string>) => {
  const free = new Map(t.variables.map((v) => [v.id, v.value]))
  for (const [words, value] of Object.entries(values)) free.set(idAt(t, words), R.rat(value))
  const ev = evaluation(t.variables, t.annotations, free)
  const broken = firstBroken(t.conditions, ev)
  return { rule: broken === undefined ? "kept" : (broken.rule ?? `arithmetic: ${broken.message}`), value: (words: string) => R.toString(ev.variable(idAt(t, words))) }
}

const ETHAN: Seed = {
  question: "Ethan and his 3 friends order 5 pizzas at $12.80 each and a $6 bottle of soda. They split the total equally among the 4 of them. How much does each person pay?",
  reference: "The pizzas cost 5 * 12.80 = $<<5*12.8=64>>64.\nWith the soda the total is 64 + 6 = $<<64+6=70>>70.\nEach person pays 70 / 4 = $<<70/4=17.5>>17.5.\n#### 17.5"
}

describe("numbers tied to words", () => {
  it("'his 3 friends' follows 'the 4 of them': a group of 8 has 7 friends; a group of 2 would leave '1 friends' (broken_story_tie)", () => {
    const t = templated(ETHAN)
    const keeps = draw(t, { "4 of them": "8" })
    expect(keeps.rule).toBe("kept")
    expect(keeps.value("3 friends")).toBe("7")
    expect(draw(t, { "4 of them": "2" }).rule).toBe("broken_story_tie")
  })

  it("the published variants of the Ethan seed all have one friend fewer than the group", () => {
    const { variants } = variantsOf(ETHAN, { count: 12, rng: rngFor(3, "story", "ethan") })
    expect(variants.length).toBeGreaterThan(5)
    for (const v of variants) {
      const m = /his (\d+) friends .* among the (\d+) of them/.exec(v.question)
      expect(m, v.question).not.toBeNull()
      expect(Number(m![2]) - Number(m![1]), v.question).toBe(1)
    }
  })

  it("freezes the friends when the solution uses the group size as a bare number ('The 4 of them bake 4 * 36')", () => {
    const t = templated({
      question: "Maya and her 3 friends each bake 3 trays of 12 cookies. How many cookies do they bake in all?",
      reference: "Each bakes 3 * 12 = <<3*12=36>>36 cookies.\nThe 4 of them bake 4 * 36 = <<4*36=144>>144 cookies.\n#### 144"
    })
    expect(summarise(t)).toEqual({ variables: { v1: "12" }, constants: ["3", "4"], steps: ["3*v1", "4*r1"], final: "r2" })
  })

  it("keeps a banknote a banknote: 'She pays with a $20 bill' may become a $50 bill, not a $35 one", () => {
    const t = templated({
      question: "Grace buys 3 notebooks at $2.75 each. She pays with a $20 bill. How much change does she get?",
      reference: "The notebooks cost 3 * 2.75 = $<<3*2.75=8.25>>8.25.\nHer change is 20 - 8.25 = $<<20-8.25=11.75>>11.75.\n#### 11.75"
    })
    expect(draw(t, { "20 bill": "35" }).rule).toMatch(/^arithmetic: .* must be one of 1, 2, 5, 10, 20, 50, 100 \(.* is a banknote\)$/)
    expect(draw(t, { "20 bill": "50" }).rule).toBe("kept")
  })

  it("freezes 100 in '6 liters per 100 kilometers' when the solution counts 'hundreds of kilometers'", () => {
    const t = templated({
      question: "Elena's car uses 6 liters of fuel per 100 kilometers. Fuel costs $1.60 per liter. How much does the fuel for a 450-kilometer trip cost?",
      reference:
        "The trip is 450 / 100 = <<450/100=4.5>>4.5 hundreds of kilometers.\nThe car uses 4.5 * 6 = <<4.5*6=27>>27 liters.\nThe fuel costs 27 * 1.60 = $<<27*1.6=43.2>>43.2.\n#### 43.2"
    })
    expect(summarise(t).steps).toEqual(["v3/100", "r1*v1", "r2*v2"])
  })
})

describe("calendar and clock bounds", () => {
  const DRIVER: Seed = {
    question: "A delivery driver makes 14 deliveries a day, and each delivery takes 0.75 hours including driving. He works 5 days a week and is paid $22 per hour. How much does he earn from deliveries in a week?",
    reference:
      "Each day he spends 14 * 0.75 = <<14*0.75=10.5>>10.5 hours on deliveries.\nEach week he spends 10.5 * 5 = <<10.5*5=52.5>>52.5 hours.\nHe earns 52.5 * 22 = $<<52.5*22=1155>>1,155.\n#### 1155"
  }

  it("keeps a day of deliveries within 12 hours: 16 deliveries of 1.25 hours (20 hours) is rejected, 8 of them (10 hours) kept", () => {
    const t = templated(DRIVER)
    expect(draw(t, { "14 deliveries": "20", "0.75 hours": "1.25" }).rule).toBe("calendar_bound")
    expect(draw(t, { "14 deliveries": "16", "0.75 hours": "1.25" }).rule).toBe("calendar_bound")
    expect(draw(t, { "14 deliveries": "8", "0.75 hours": "1.25" }).rule).toBe("kept")
  })

  it("keeps '5 days a week' within 7, in the domain and as a condition", () => {
    const t = templated(DRIVER)
    const days = t.variables.find((v) => v.id === idAt(t, "5 days a week"))!
    expect(R.toString(days.domain.max)).toBe("7")
    expect(draw(t, { "5 days a week": "8" }).rule).toBe("calendar_bound")
    expect(draw(t, { "5 days a week": "6" }).rule).toBe("kept")
  })

  it("keeps the months of a yearly membership within 12: 14 months is rejected, 10 kept", () => {
    const t = templated({
      question: "A gym offers a yearly membership for $540, or a monthly membership for $40 a month plus a joining fee of $40. Jordan wants to go for 12 months. How much more would the monthly option cost?",
      reference: "Monthly payments would cost 40 * 12 = $<<40*12=480>>480.\nWith the joining fee that is 480 + 40 = $<<480+40=520>>520.\n#### 520"
    })
    expect(draw(t, { "12 months": "14" }).rule).toBe("calendar_bound")
    expect(draw(t, { "12 months": "10" }).rule).toBe("kept")
  })
})

describe("orderings the seed implies", () => {
  const CAFE: Seed = {
    question: "A cafe sells small coffees for $2.80 and large coffees for $3.60. On Monday it sold 145 small coffees and 90 large coffees. How much did the cafe make?",
    reference: "Small coffees brought in 145 * 2.80 = $<<145*2.8=406>>406.\nLarge coffees brought in 90 * 3.60 = $<<90*3.6=324>>324.\nThe cafe made 406 + 324 = $<<406+324=730>>730.\n#### 730"
  }

  it("a small coffee stays cheaper than a large: $3.80 against $3.60 is rejected, $2.40 kept; the counts sold imply nothing", () => {
    const t = templated(CAFE)
    expect(draw(t, { "2.80": "3.80" }).rule).toBe("implausible_order")
    expect(draw(t, { "2.80": "2.40" }).rule).toBe("kept")
    expect(draw(t, { "145 small": "80" }).rule).toBe("kept")
  })

  it("a child ticket stays cheaper than an adult one: $50 against $48 is rejected, $30 kept", () => {
    const t = templated({
      question: "A family of 2 adults and 3 children visits a zoo. Adult tickets cost $48 and child tickets cost $32. How much do the tickets cost?",
      reference: "The adult tickets cost 2 * 48 = $<<2*48=96>>96.\nThe child tickets cost 3 * 32 = $<<3*32=96>>96.\nThe tickets cost 96 + 96 = $<<96+96=192>>192.\n#### 192"
    })
    expect(draw(t, { "32": "50" }).rule).toBe("implausible_order")
    expect(draw(t, { "32": "30" }).rule).toBe("kept")
    // 2 adults and 3 children are counts: 4 adults and 3 children is a family too.
    expect(draw(t, { "2 adults": "4" }).rule).toBe("kept")
  })

  it("a box of 6 stays cheaper per croissant than singles: $15 a box against $2.40 each ($2.50 a croissant) is rejected, $12 kept", () => {
    const t = templated({
      question: "Lena's bakery sells croissants for $2.40 each or in boxes of 6 for $12 a box. On Saturday 45 customers each bought 1 box and 70 customers each bought 3 single croissants. How much money did the bakery make from croissants on Saturday?",
      reference: "The boxes brought in 45 * 12 = $<<45*12=540>>540.\nThe single buyers bought 70 * 3 = <<70*3=210>>210 croissants.\nThose brought in 210 * 2.40 = $<<210*2.4=504>>504.\nThe bakery made 540 + 504 = $<<540+504=1044>>1,044.\n#### 1044"
    })
    expect(draw(t, { "12 a box": "15" }).rule).toBe("implausible_order")
    expect(draw(t, { "12 a box": "12" }).rule).toBe("kept")
  })

  it("a mother stays at least 18 years older than her daughter: 30 and 20, 33 and 17 are rejected, 40 and 14 kept", () => {
    const t = templated({
      question: "Maria is 38 years old and her daughter is 12 years old. How old will Maria be when her daughter is 20 years old?",
      reference: "Maria is 38 - 12 = <<38-12=26>>26 years older.\nShe will be 20 + 26 = <<20+26=46>>46 years old.\n#### 46"
    })
    expect(draw(t, { "38 years": "30", "12 years": "20", "20 years": "25" }).rule).toBe("implausible_order")
    expect(draw(t, { "38 years": "33", "12 years": "17", "20 years": "25" }).rule).toBe("implausible_order")
    expect(draw(t, { "38 years": "40", "12 years": "14", "20 years": "22" }).rule).toBe("kept")
  })

  it("a gap stated between generations stays in a parent's band: a mother 15 years older than her daughter is rejected", () => {
    const t = templated({
      question: "Amira is 12 years old. Her mother is 27 years older than Amira, and her grandmother is 26 years older than her mother. How old will Amira's grandmother be in 5 years?",
      reference: "Her mother is 12 + 27 = <<12+27=39>>39 years old.\nHer grandmother is 39 + 26 = <<39+26=65>>65 years old.\nIn 5 years she will be 65 + 5 = <<65+5=70>>70 years old.\n#### 70"
    })
    expect(draw(t, { "27 years": "15", "26 years": "14" }).rule).toBe("implausible_order")
    expect(draw(t, { "27 years": "47", "26 years": "30" }).rule).toBe("implausible_order")
    expect(draw(t, { "27 years": "30", "26 years": "22" }).rule).toBe("kept")
    // The draws themselves stay in the band.
    const gaps = t.variables.filter((v) => v.occurrences.some((o) => /years older/.test(t.question.slice(o.span.end, o.span.end + 14))))
    expect(gaps.map((v) => [R.toNumber(v.domain.min), R.toNumber(v.domain.max)])).toEqual([[18, 45], [18, 45]])
  })

  it("overtime stays 1.25 to 2 times the regular rate: $8 and $34 is redrawn, $14 and $21 kept", () => {
    const t = templated({
      question: "Mateo is paid $14 an hour at the bakery and $21 an hour for each hour of overtime. Last week he worked 18 regular hours and 4 hours of overtime. What did he earn last week?",
      reference: "His regular pay was 14 * 18 = $<<14*18=252>>252.\nHis overtime pay was 21 * 4 = $<<21*4=84>>84.\nHe earned 252 + 84 = $<<252+84=336>>336 in all.\n#### 336"
    })
    expect(draw(t, { "14 an hour": "8", "21 an hour": "34" }).rule).toMatch(/^arithmetic: .*overtime/)
    expect(draw(t, { "14 an hour": "16", "21 an hour": "17" }).rule).toMatch(/^arithmetic: .*overtime/)
    expect(draw(t, { "14 an hour": "16", "21 an hour": "32" }).rule).toBe("kept")
    expect(draw(t, { "14 an hour": "14", "21 an hour": "21" }).rule).toBe("kept")
    const { variants } = variantsOf({ question: t.question, reference: t.reference }, { count: 10, rng: rngFor(1, "story", "overtime") })
    expect(variants.length).toBeGreaterThan(5)
    for (const v of variants) {
      const [regular, over] = [...v.question.matchAll(/\$(\d+(?:\.\d+)?) an hour/g)].map((m) => Number(m[1]))
      expect(over! / regular!, v.question).toBeGreaterThanOrEqual(1.25)
      expect(over! / regular!, v.question).toBeLessThanOrEqual(2)
    }
  })

  it("counts a broken order as a rejected variant of its own reason, and publishes none", () => {
    const seed = {
      question: "A cinema sells small popcorn for $4, medium for $6.50 and large for $8. On Friday night it sold 120 small, 85 medium and 64 large popcorns. How much money did the popcorn bring in?",
      reference: "Sales were 120 * 4 + 85 * 6.50 + 64 * 8 = $<<120*4+85*6.5+64*8=1544.5>>1,544.5.\n#### 1544.5"
    }
    const { variants, rejects } = variantsOf(seed, { count: 20, rng: rngFor(1, "story", "cinema") })
    expect(rejects.filter((r) => r.reason === "implausible_order").length).toBeGreaterThan(0)
    expect(rejects.find((r) => r.reason === "implausible_order")?.message).toMatch(/^implausible_order: .*size/)
    for (const v of variants) {
      const [small, medium, large] = [...v.question.matchAll(/\$(\d+(?:\.\d+)?)/g)].map((m) => Number(m[1]))
      expect(small! < medium! && medium! < large!, v.question).toBe(true)
    }
  })
})
