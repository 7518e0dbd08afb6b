import { describe, expect, it } from "vitest"
import fc from "fast-check"
import * as R from "./rational.ts"
import { answersEqual, extractFinalAnswer, extractGsm8kAnswer, normaliseAnswer } from "./answer.ts"

describe("normaliseAnswer", () => {
  it.each([
    ["18", "18", false, undefined],
    ["$18", "18", false, undefined],
    ["$1,200", "1200", false, undefined],
    ["1,200.00", "1200", false, undefined],
    ["18.0", "18", false, undefined],
    ["-$5", "-5", false, undefined],
    ["$-5", "-5", false, undefined],
    ["\u22125", "-5", false, undefined],
    [".5", "0.5", false, undefined],
    ["0.50", "0.5", false, undefined],
    ["1/2", "0.5", false, undefined],
    ["1/3", "1/3", false, undefined],
    ["2 1/2", "2.5", false, undefined],
    ["50%", "50", true, undefined],
    ["50 percent", "50", true, undefined],
    ["18 dollars", "18", false, "dollars"],
    ["$18.00 per hour.", "18", false, "per hour"],
    ["90°", "90", false, "°"],
    ["\\frac{1}{2}", "0.5", false, undefined],
    ["\\dfrac{3}{4}", "0.75", false, undefined],
    ["\\frac12", "0.5", false, undefined],
    ["\\$1{,}200", "1200", false, undefined],
    ["\\text{18 dollars}", "18", false, "dollars"],
    ["x = 7", "7", false, undefined],
    ["12\\%", "12", true, undefined],
    ["\\boxed{42}", "42", false, undefined]
  ])("%j → %s", (raw, canonical, pct, unit) => {
    const a = normaliseAnswer(raw)
    expect(a.canonical).toBe(canonical)
    expect(a.value).toBeDefined()
    expect(a.percent).toBe(pct)
    expect(a.unit).toBe(unit)
  })

  it("keeps non-numeric answers as cleaned text", () => {
    const yes = normaliseAnswer("Yes.")
    expect([yes.canonical, yes.value]).toEqual(["yes", undefined])
    const expr = normaliseAnswer("5 + x")
    expect([expr.canonical, expr.value]).toEqual(["5 + x", undefined])
  })
})

describe("answersEqual", () => {
  it.each([
    ["1200", "$1,200", true],
    ["0.5", "1/2", true],
    [".50", "\\frac{1}{2}", true],
    ["50%", "50", true],
    ["18 dollars", "18.00", true],
    ["-3", "-3.0", true],
    ["Yes", "yes.", true],
    ["1/3", "0.33", false],
    ["50%", "0.5", false],
    ["18", "19", false],
    ["18", "eighteen", false]
  ])("%j vs %j → %s", (a, b, equal) => {
    expect(answersEqual(a, b)).toBe(equal)
  })

  it("is exact on any rational and its money/comma spellings", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.integer({ min: 0, max: 2 }), (cents, k) => {
        const v = R.ratio(cents, 10n ** BigInt(k))
        if (!v.ok) return false
        const plain = R.toString(v.value)
        const [int, frac] = plain.split(".")
        const withCommas = (int ?? "").replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (frac ? `.${frac}` : "")
        return answersEqual(plain, `$${withCommas}`) && answersEqual(`${plain} dollars`, plain)
      })
    )
  })
})

describe("extractFinalAnswer", () => {
  it.each([
    ["Natalia sold 72 clips.\n#### 72", "72", "72", "hash"],
    ["He earns $1,200.\n#### 1,200", "1,200", "1200", "hash"],
    ["#### $1,200", "$1,200", "1200", "hash"],
    ["Profit.\n#### -5", "-5", "-5", "hash"],
    ["So the total is \\boxed{18}.", "18", "18", "boxed"],
    ["Thus \\boxed{\\frac{1}{2}}", "\\frac{1}{2}", "0.5", "boxed"],
    ["First \\boxed{3}, then \\boxed{4}", "4", "4", "boxed"],
    ["The answer is: 18", "18", "18", "answer_is"],
    ["So the answer is 2.5.", "2.5", "2.5", "answer_is"],
    ["The final answer is $18 per day.", "$18 per day", "18", "answer_is"],
    ["the answer is 12\nThe answer is: 13", "13", "13", "answer_is"]
  ])("%j → %j", (text, raw, canonical, source) => {
    const a = extractFinalAnswer(text)
    expect(a?.raw).toBe(raw)
    expect(a?.answer.canonical).toBe(canonical)
    expect(a?.source).toBe(source)
    if (a) expect(text.slice(a.span.start, a.span.end)).toBe(raw)
  })

  it("prefers #### over \\boxed{} over 'The answer is'", () => {
    expect(extractFinalAnswer("The answer is 1. \\boxed{2}\n#### 3")?.raw).toBe("3")
    expect(extractFinalAnswer("The answer is 1. \\boxed{2}")?.raw).toBe("2")
  })

  it("returns undefined when there is no final answer", () => {
    expect(extractFinalAnswer("She makes 18 dollars.")).toBeUndefined()
    expect(extractFinalAnswer("####   \n")).toBeUndefined()
    expect(extractFinalAnswer("\\boxed{")).toBeUndefined()
  })

  it("keeps GSM8K's strict regex available", () => {
    expect(extractGsm8kAnswer("x\n#### 1,200")).toBe("1200")
    expect(extractGsm8kAnswer("#### $1,200")).toBeUndefined()
  })
})
