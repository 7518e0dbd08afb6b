import { describe, expect, it } from "vitest"
import * as R from "./rational.ts"
import { findAnnotations, parseSolution, toCoreSteps } from "./parse.ts"

describe("parseSolution", () => {
  it("splits lines into steps, drops blank lines and the #### line", () => {
    const text = "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n\nNatalia sold 48+24 = <<48+24=72>>72 clips altogether.\n#### 72"
    const p = parseSolution(text)
    expect(p.layout).toBe("lines")
    expect(p.steps.map((s) => s.index)).toEqual([1, 2])
    expect(p.steps.map((s) => s.text)).toEqual([
      "Natalia sold 48/2 = <<48/2=24>>24 clips in May.",
      "Natalia sold 48+24 = <<48+24=72>>72 clips altogether."
    ])
    expect(p.finalAnswer?.answer.canonical).toBe("72")
    for (const s of p.steps) expect(text.slice(s.span.start, s.span.end)).toBe(s.text)
  })

  it("finds every annotation in a step with spans and the number written after it", () => {
    const text = "She bought 3*4=<<3*4=12>>12 apples and $<<2*5=10>>10 pears for 12+10=<<12+10=22>>22 fruits."
    const [step] = parseSolution(text).steps
    const anns = step?.annotations ?? []
    expect(anns.map((a) => [a.expr, a.result, a.written?.text])).toEqual([
      ["3*4", "12", "12"],
      ["2*5", "10", "10"],
      ["12+10", "22", "22"]
    ])
    for (const a of anns) {
      expect(text.slice(a.span.start, a.span.end)).toBe(`<<${a.body}>>`)
      expect(text.slice(a.exprSpan.start, a.exprSpan.end)).toBe(a.expr)
      expect(text.slice(a.resultSpan!.start, a.resultSpan!.end)).toBe(a.result)
      expect(text.slice(a.written!.span.start, a.written!.span.end)).toBe(a.written!.text)
    }
  })

  it.each([
    ["$<<9*2=18>>18 every day", "18", "18", false],
    ["<<9*2=18>>$18 every day", "18", "18", false],
    ["<<9*2=18>>18.00 a day", "18.00", "18", false],
    ["<<80000+50000=130000>>130,000 total", "130,000", "130000", false],
    ["<<0.5*100=50>>50% of it", "50%", "50", true],
    ["<<1/2=.5>>.5 cup", ".5", "0.5", false],
    ["<<5-8=-3>>-3 degrees", "-3", "-3", false],
    ["<<3*4=12>>12.", "12", "12", false],
    ["<<10/4=2.5>>2 1/2", "2", "2", false]
  ])("written number in %j is %j", (text, written, value, pct) => {
    const [a] = findAnnotations(text)
    expect(a?.written?.text).toBe(written)
    expect(a && a.written && R.toString(a.written.value)).toBe(value)
    expect(a?.written?.percent).toBe(pct)
  })

  it("records no written number when text or nothing follows the annotation", () => {
    expect(findAnnotations("3*4=<<3*4=12>> apples")[0]?.written).toBeUndefined()
    expect(findAnnotations("3*4=<<3*4=12>>")[0]?.written).toBeUndefined()
  })

  it("handles annotations without = and chained ones", () => {
    const [plain, chained] = findAnnotations("<<40*.25>>10 and <<2+2=4=4>>4")
    expect([plain?.expr, plain?.result]).toEqual(["40*.25", undefined])
    expect([chained?.expr, chained?.intermediate, chained?.result]).toEqual(["2+2", ["4"], "4"])
  })

  it("splits RISE-style Step N: markers, keeping the preamble apart", () => {
    const text =
      "Let's think step by step.\nStep 1: Janet's ducks lay 16 eggs.\nShe uses 3+4=<<3+4=7>>7 of them.\nStep 2: She sells 16-7=<<16-7=9>>9 eggs for 9*2=$<<9*2=18>>18.\nThe answer is: 18"
    const p = parseSolution(text)
    expect(p.layout).toBe("step-markers")
    expect(p.preamble).toBe("Let's think step by step.")
    expect(p.steps.map((s) => s.text)).toEqual([
      "Janet's ducks lay 16 eggs.\nShe uses 3+4=<<3+4=7>>7 of them.",
      "She sells 16-7=<<16-7=9>>9 eggs for 9*2=$<<9*2=18>>18.\nThe answer is: 18"
    ])
    expect(p.steps[1]?.annotations.length).toBe(2)
    expect(p.finalAnswer?.source).toBe("answer_is")
  })

  it("cuts a #### line out of a marked step", () => {
    const p = parseSolution("Step 1: 2+2=<<2+2=4>>4\n#### 4")
    expect(p.steps.map((s) => s.text)).toEqual(["2+2=<<2+2=4>>4"])
  })

  it("normalises CRLF line endings", () => {
    const p = parseSolution("a 1+1=<<1+1=2>>2\r\nb\r\n#### 2")
    expect(p.steps.map((s) => s.text)).toEqual(["a 1+1=<<1+1=2>>2", "b"])
  })
})

describe("toCoreSteps", () => {
  it("takes expr and claimed from the step's last annotation", () => {
    const steps = toCoreSteps(parseSolution("He has 2*3=<<2*3=6>>6 and 6+1=<<6+1=7>>$7.\nNo math here.\n#### 7"))
    expect(steps).toEqual([
      { index: 1, text: "He has 2*3=<<2*3=6>>6 and 6+1=<<6+1=7>>$7.", expr: "6+1", claimed: "7" },
      { index: 2, text: "No math here." }
    ])
  })

  it("falls back to the stated result when nothing is written after the annotation", () => {
    const [step] = toCoreSteps(parseSolution("12*52=<<12*52=624>> pages"))
    expect(step?.claimed).toBe("624")
  })
})
