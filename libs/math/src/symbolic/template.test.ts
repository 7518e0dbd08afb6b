import { describe, expect, it } from "vitest"
import { rngFor } from "#core"
import { instantiate } from "./instantiate.ts"
import { templateOf } from "./template.ts"
import { TEST_SEEDS, summarise } from "./test-seeds.ts"

const seed = (name: string) => {
  const s = TEST_SEEDS.find((x) => x.name === name)
  if (!s) throw new Error(`no test seed ${name}`)
  return s
}

const templated = (task: { question: string; reference: string }) => {
  const t = templateOf(task)
  if (!t.ok) throw new Error(`${t.reason}: ${t.message}`)
  return t.template
}

describe("templateOf: variables, constants and steps", () => {
  const table: Array<[string, ReturnType<typeof summarise>]> = [
    ["money", { variables: { v1: "3", v2: "42", v3: "35", v4: "48" }, constants: [], steps: ["v2+v3", "r1*v1", "r2-v4"], final: "r3" }],
    ["percent", { variables: { v1: "120", v2: "25", v3: "15" }, constants: ["100"], steps: ["v1*v2/100", "v1-r1", "r2-v3"], final: "r3" }],
    ["fraction of", { variables: { v1: "8", v2: "24", v3: "3", v4: "4" }, constants: [], steps: ["v1*v2", "r1*v3/v4", "r1-r2"], final: "r3" }],
    ["rate with minutes", { variables: { v1: "48", v2: "45" }, constants: ["60"], steps: ["v2/60", "v1*r1"], final: "r2" }],
    ["decimals", { variables: { v1: "3", v2: "2.75", v3: "2", v4: "1.4", v5: "20" }, constants: [], steps: ["v1*v2", "v3*v4", "r1+r2", "v5-r3"], final: "r4" }],
    // "1/3" and "1/4": the numerators stay (a unit fraction), the denominators vary; later steps use earlier results.
    ["chain", { variables: { v1: "240", v2: "3", v3: "4" }, constants: [], steps: ["v1/v2", "v1-r1", "r2/v3", "r2-r3"], final: "r4" }],
    ["dozen", { variables: { v1: "3", v2: "0.25" }, constants: ["12"], steps: ["v1*12", "r1*v2"], final: "r2" }],
    // 0.15 in the annotation is the question's 15%: v2% means v2/100.
    ["percent as decimal", { variables: { v1: "40", v2: "15" }, constants: [], steps: ["v1*v2%", "v1-r1"], final: "r2" }],
    ["thousands", { variables: { v1: "2400", v2: "3", v3: "8", v4: "75" }, constants: [], steps: ["v1*v2/v3", "v1-r1", "r2/v4"], final: "r3" }]
  ]
  it.each(table)("%s", (name, expected) => {
    expect(summarise(templated(seed(name)))).toEqual(expected)
  })

  it("records where each variable is written in the question", () => {
    const t = templated(seed("thousands"))
    const v1 = t.variables.find((v) => v.id === "v1")!
    expect(v1.occurrences.map((o) => t.question.slice(o.span.start, o.span.end))).toEqual(["2,400"])
    const v3 = t.variables.find((v) => v.id === "v3")!
    expect(v3.occurrences.map((o) => o.context)).toEqual(["denominator"])
  })

  it("infers domains of the same granularity and magnitude", () => {
    const t = templated(seed("decimals"))
    const d = (id: string) => {
      const v = t.variables.find((x) => x.id === id)!.domain
      return [v.step, v.min, v.max].map((r) => `${r.num}/${r.den}`)
    }
    expect(d("v2")).toEqual(["1/4", "3/2", "11/2"]) // $2.75 moves in quarters between $1.50 and $5.50
    expect(d("v5")).toEqual(["5/1", "10/1", "40/1"]) // $20 moves in fives between 10 and 40
  })

  it("infers whole, positive results, percent and fraction conditions", () => {
    const kinds = (name: string) => templated(seed(name)).conditions.map((c) => `${c.kind}: ${c.why}`)
    expect(kinds("percent")).toEqual(expect.arrayContaining(["integer: step 1 was a whole number", "sign: step 3 was positive", "range: v2 is a percent"]))
    expect(kinds("fraction of")).toEqual(expect.arrayContaining(["order: 3/4 is a proper fraction", "coprime: 3/4 is in lowest terms", "range: v4 is a denominator"]))
    expect(kinds("decimals")).toEqual(expect.arrayContaining(["places: step 4 was a finite decimal of money"]))
  })

  it("ties equal question numbers into one variable", () => {
    const t = templated({
      question: "Lucy buys 6 packs of juice boxes with 8 juice boxes in each pack. She already has 4 juice boxes at home. Her kids drink 4 juice boxes a day. How many days will the juice boxes last?",
      reference: "She buys 6 * 8 = <<6*8=48>>48 juice boxes.\nShe now has 48 + 4 = <<48+4=52>>52 juice boxes.\nThey last 52 / 4 = <<52/4=13>>13 days.\n#### 13"
    })
    expect(summarise(t)).toEqual({ variables: { v1: "6", v2: "8", v3: "4" }, constants: [], steps: ["v1*v2", "r1+v3", "r2/v3"], final: "r3" })
    expect(t.variables.find((v) => v.id === "v3")!.occurrences).toHaveLength(2)
  })

  it("ties a question number to an equal earlier result when a later step could mean either", () => {
    const t = templated({
      question: "Kofi brings 60 bowls to a fair. He sells 2/5 of them at $24 each. Then he lowers the price by 25%. What is the new price?",
      reference: "He sells 60 * 2 / 5 = <<60*2/5=24>>24 bowls.\nThey bring in 24 * 24 = $<<24*24=576>>576.\nThe price drops by 24 * 25 / 100 = $<<24*25/100=6>>6.\nThe new price is 24 - 6 = $<<24-6=18>>18.\n#### 18"
    })
    expect(summarise(t)).toEqual({
      variables: { v1: "60", v2: "2", v3: "5", v4: "24 = r1", v5: "25" },
      constants: ["100"],
      steps: ["v1*v2/v3", "v4*v4", "v4*v5/100", "v4-r3"],
      final: "r4"
    })
  })

  it("keeps the percent's 100 a constant when an earlier step also came to 100", () => {
    // The food came to exactly $100: bound to that step, a variant read "The tip is 117 * 10 / 117 = $10".
    const task = {
      question: "Joaquín orders 6 sandwiches at $8 each and 4 salads at $13 each, and adds a tip of 10% of the food. How much does he pay?",
      reference: "The sandwiches cost 6 * 8 = $<<6*8=48>>48.\nThe salads cost 4 * 13 = $<<4*13=52>>52.\nThe food costs 48 + 52 = $<<48+52=100>>100.\nThe tip is 100 * 10 / 100 = $<<100*10/100=10>>10.\nHe pays 100 + 10 = $<<100+10=110>>110.\n#### 110"
    }
    const t = templated(task)
    expect(summarise(t).steps).toEqual(["v1*v2", "v3*v4", "r1+r2", "r3*v5/100", "r3+r4"])
    expect(summarise(t).constants).toEqual(["100"])
    const v = instantiate(t, rngFor(3, "test", "tip"), { surface: false, maxAttempts: 1000 })
    expect(v.ok).toBe(true)
    if (v.ok) expect(v.reference).toMatch(/The tip is \d+ \* \d+ \/ 100 = /)
  })

  it("keeps a question number that is also a conversion the solution uses", () => {
    // 60 is both the question's "60 minutes" of practice and the minutes in an hour: varied, "90 / 90" would follow.
    const t = templated({
      question: "Ana practises piano for 60 minutes a day and guitar for 45 minutes a day. How many hours does she practise in 4 days?",
      reference: "Each day she practises 60 + 45 = <<60+45=105>>105 minutes.\nIn 4 days that is 105 * 4 = <<105*4=420>>420 minutes.\nThat is 420 / 60 = <<420/60=7>>7 hours.\n#### 7"
    })
    expect(summarise(t)).toEqual({ variables: { v1: "45", v2: "4" }, constants: ["60"], steps: ["60+v1", "r1*v2", "r2/60"], final: "r3" })
  })

  it("writes a number the solution states in words in words, and keeps one whose word may mean something else", () => {
    // "Six loaves" counts the question's "6 loaves": a variant baking 7 loaves says "Seven loaves need 400 * 7".
    const loaves = templated({
      question: "A bread recipe needs 500 grams of flour for 2 loaves. Kwame is baking 6 loaves for the school fair, and his bag holds 2,000 grams of flour. How many grams of flour will be left in the bag?",
      reference: "Each loaf needs 500 / 2 = <<500/2=250>>250 grams of flour.\nSix loaves need 250 * 6 = <<250*6=1500>>1,500 grams.\nHe will have 2000 - 1500 = <<2000-1500=500>>500 grams left.\n#### 500"
    })
    const v = instantiate(loaves, rngFor(1, "test", "loaves"), { surface: false })
    expect(v.ok).toBe(true)
    if (v.ok) {
      const baking = /baking (\d+) loaves/.exec(v.question)![1]!
      expect(baking).not.toBe("6")
      const word = /\n(\w+) loaves need \d+ \* (\d+) =/.exec(v.reference)!
      expect(word[2]).toBe(baking)
      expect(word[1]).toBe({ 2: "Two", 3: "Three", 4: "Four", 5: "Five", 7: "Seven", 8: "Eight", 9: "Nine", 10: "Ten", 11: "Eleven", 12: "Twelve" }[baking])
    }
    // "two walks" is not the question's "2 times" by its words: the 2 stays as it is.
    const walks = templated({
      question: "Lena walks her dog 2 times a day for 25 minutes each time. How many minutes does she walk the dog in 6 days?",
      reference: "Her two walks take 25 * 2 = <<25*2=50>>50 minutes a day.\nIn 6 days that is 50 * 6 = <<50*6=300>>300 minutes.\n#### 300"
    })
    expect(summarise(walks)).toEqual({ variables: { v1: "25", v2: "6" }, constants: ["2"], steps: ["v1*2", "r1*v2"], final: "r2" })
  })

  it("binds a term of a sum of money to the money result, not to an equal head count", () => {
    // 36 guests and $36 of juice: bound to the guests, a variant with 20 guests and $60 of juice added $20.
    const t = templated({
      question: "Amelia is planning a party for 36 guests. Each guest drinks 2 cups of juice. A jug of juice fills 8 cups and costs $4. She also rents 6 tables at $12 each. How much will the party cost?",
      reference: "She needs 36 * 2 = <<36*2=72>>72 cups of juice.\nThat is 72 / 8 = <<72/8=9>>9 jugs.\nThe juice costs 9 * 4 = $<<9*4=36>>36.\nThe tables cost 6 * 12 = $<<6*12=72>>72.\nThe party costs 36 + 72 = $<<36+72=108>>108.\n#### 108"
    })
    expect(summarise(t).steps).toEqual(["v1*v2", "r1/v3", "r2*v4", "v5*v6", "r3+r4"])
  })

  it("keeps equal question numbers of different kinds apart: neither moves", () => {
    // "4 people" and "4 Sundays" are one value by chance; one variable would cook for as many Sundays as people.
    const t = templated({
      question: "A pancake recipe for 4 people uses 300 grams of flour. Nadia cooks pancakes for 8 people every Sunday for 4 Sundays. How many grams of flour does she use?",
      reference: "Each person needs 300 / 4 = <<300/4=75>>75 grams.\nEach Sunday she uses 75 * 8 = <<75*8=600>>600 grams.\nIn all she uses 600 * 4 = <<600*4=2400>>2,400 grams.\n#### 2400"
    })
    expect(summarise(t)).toEqual({ variables: { v1: "300", v2: "8" }, constants: ["4"], steps: ["v1/4", "r1*v2", "r2*4"], final: "r3" })
  })

  it("continues a chain instead of reading a coincidence in the question", () => {
    // "3 packages" equals 5 - 2 = 3 extra kilograms; the next step means the extra kilograms.
    const t = templated({
      question: "A courier charges $12 for the first 2 kilograms and $3.75 for each extra kilogram. Malik sends 3 packages of 5 kilograms each. How much does one package cost?",
      reference: "A package has 5 - 2 = <<5-2=3>>3 extra kilograms.\nIt costs 12 + 3 * 3.75 = $<<12+3*3.75=23.25>>23.25.\n#### 23.25"
    })
    expect(summarise(t)).toEqual({ variables: { v1: "12", v2: "2", v3: "3.75", v4: "5" }, constants: [], steps: ["v4-v2", "v1+r1*v3"], final: "r2" })
  })

  it("keeps numbers pinned by their wording: weekdays, ordinals, 1", () => {
    const t = templated({
      question: "Liam reads 35 pages on each of the 5 weekdays and 1 page on the 1st of the month. How many pages does he read in 3 weeks, not counting the 1st?",
      reference: "Each week he reads 35 * 5 = <<35*5=175>>175 pages.\nIn 3 weeks he reads 175 * 3 = <<175*3=525>>525 pages.\n#### 525"
    })
    expect(summarise(t)).toEqual({ variables: { v1: "35", v2: "3" }, constants: ["5"], steps: ["v1*5", "r1*v2"], final: "r2" })
  })

  it("follows numbers in the solution's words and the written expression", () => {
    const t = templated(seed("decimals"))
    const shown = t.mentions.map((m) => `${t.reference.slice(m.span.start, m.span.end)}→${m.ref.kind === "var" ? m.ref.id : m.ref.kind === "result" ? `r${m.ref.index + 1}` : "?"}`)
    expect(shown).toEqual(["3→v1", "2.75→v2", "2→v3", "1.40→v4", "8.25→r1", "2.80→r2", "20→v5", "11.05→r3"])
  })

  const failures: Array<[string, { question: string; reference: string }, string]> = [
    ["no_numbers_to_vary", { question: "How many eggs are in two dozen?", reference: "Two dozen is 2 * 12 = <<2*12=24>>24 eggs.\n#### 24" }, "no_numbers_to_vary"],
    ["seed_unverified", { question: "Tom has 4 bags of 5 apples. How many apples?", reference: "He has 4 * 5 = <<4*5=21>>21 apples.\n#### 21" }, "seed_unverified"],
    ["no_annotations", { question: "Tom has 4 bags of 5 apples. How many apples?", reference: "He has 20 apples.\n#### 20" }, "no_annotations"],
    ["rounded_annotation", { question: "Split $10 among 3 friends. How much does each get?", reference: "Each gets 10 / 3 = $<<10/3=3.33>>3.33.\n#### 3.33" }, "rounded_annotation"],
    ["final_answer_unbound", { question: "Tom has 4 bags of 5 apples. How many apples?", reference: "He has 4 * 5 = <<4*5=20>>20 apples and 7 pears.\n#### 7" }, "final_answer_unbound"],
    [
      "ambiguous_number",
      {
        question: "Amelia has 36 guests, and each drinks 2 cups of juice. A jug fills 8 cups and costs $4. Ice is 7 bags at $5 each. She buys the same juice for 3 parties. How much is the juice?",
        reference: "She needs 36 * 2 = <<36*2=72>>72 cups.\nThat is 72 / 8 = <<72/8=9>>9 jugs.\nThe juice costs 9 * 4 = $<<9*4=36>>36.\nThe ice costs 7 * 5 = $<<7*5=35>>35.\nFor 3 parties the juice is 36 * 3 = $<<36*3=108>>108.\n#### 108"
      },
      "ambiguous_number"
    ]
  ]
  it.each(failures)("fails with %s", (_name, task, reason) => {
    const t = templateOf(task)
    expect(t.ok).toBe(false)
    if (!t.ok) expect(t.reason).toBe(reason)
  })
})
