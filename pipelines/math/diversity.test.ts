import { describe, expect, it } from "vitest"
import { diversityCounter, diversityMarkdown, fourGrams, maskNumbers } from "./diversity.ts"

describe("maskNumbers / fourGrams", () => {
  it("masks money, separators and decimals, and counts an annotation as one token", () => {
    expect(maskNumbers("Maya pays $1,200.50 for 3 chairs.")).toBe("maya pays # for # chairs.")
    expect(fourGrams("She sold 42 + 35 = <<42+35=77>>77 cups.")).toEqual([
      "she sold # +",
      "sold # + #",
      "# + # =",
      "+ # = <<#+#=#>>",
      "# = <<#+#=#>> #",
      "= <<#+#=#>> # cups",
      "<<#+#=#>> # cups ."
    ])
  })
})

describe("diversityCounter", () => {
  const task = (family: string, question: string, answer = "10") => ({ question, reference: `It is ${answer}.\n#### ${answer}`, answer, family })

  it("counts templates, number-only siblings, the answer median and non-integer answers", () => {
    const c = diversityCounter(5)
    c.add(task("a", "Maya has 3 apples.", "3"))
    c.add(task("a", "Maya has 5 apples.", "5"))
    c.add(task("a", "Liam has 5 apples.", "7.5"))
    c.add(task("b", "A bus has 40 seats.", "40"))
    c.add(task("c", "A van has 9 seats.", "9"))
    const f = c.figures()
    expect(f).toMatchObject({ tasks: 5, families: 3, templates: 1, sampled: 5, answerMedian: 7.5, nonIntegerShare: 0.2 })
    // Maya's two questions differ only in a number; Liam's differs in a name.
    expect(f.numbersOnlyShare).toBe(0.4)
    // Maya's and Liam's questions give 3 distinct 4-grams ("has # apples ." is shared); the bus and the van 5.
    expect(f.questionFourGramsPer1000).toBe(3 + 5)
  })

  it("samples evenly: 1,000 of 4,000 rows is every fourth", () => {
    const c = diversityCounter(4000)
    for (let i = 0; i < 4000; i++) c.add(task(`f${i}`, `Question number ${i % 4 === 0 ? "kept" : "skipped"} here now.`))
    const f = c.figures()
    expect(f.sampled).toBe(1000)
    // Only the "kept" rows were read: their 3 4-grams, none with "skipped".
    expect(f.questionFourGramsPer1000).toBe(3)
  })

  it("writes a card section", () => {
    const c = diversityCounter(1)
    c.add(task("a", "Maya has 3 apples."))
    expect(diversityMarkdown(c.figures())).toContain("| distinct templates (families with variants) | 0 |")
  })
})
