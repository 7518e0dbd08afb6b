import { describe, expect, it } from "vitest"
import * as R from "./rational.ts"
import { statedMatches, verifySolution } from "./verify.ts"

/** Reference-style solutions, written like GSM8K's, each with the quirk it covers and its answer. */
const REFERENCES: ReadonlyArray<readonly [quirk: string, text: string, expected: string]> = [
  [
    "plain integer steps",
    "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips altogether in April and May.\n#### 72",
    "72"
  ],
  ["$ before the annotation, x in the text, decimal result", "Weng earns 12/60 = $<<12/60=0.2>>0.2 per minute.\nWorking 50 minutes, she earned 0.2 x 50 = $<<0.2*50=10>>10.\n#### 10", "10"],
  [
    "several subtractions, spaces around operators",
    "In the beginning, Betty has only 100 / 2 = $<<100/2=50>>50.\nBetty's grandparents gave her 15 * 2 = $<<15*2=30>>30.\nThis means, Betty needs 100 - 50 - 30 - 15 = $<<100-50-30-15=5>>5 more.\n#### 5",
    "5"
  ],
  [
    "thousands separators in text and written results",
    "The cost of the house and repairs came out to 80,000+50,000=$<<80000+50000=130000>>130,000\nHe increased the value of the house by 80,000*1.5=<<80000*1.5=120000>>120,000\nSo the new value of the house is 120,000+80,000=$<<120000+80000=200000>>200,000\nSo he made a profit of 200,000-130,000=$<<200000-130000=70000>>70,000\n#### 70000",
    "70000"
  ],
  [
    "percent as n/100",
    "There are 80/100 * 10 = <<80/100*10=8>>8 more purple flowers than yellow flowers.\nSo in Mark's garden, there are 10 + 8 = <<10+8=18>>18 purple flowers.\nPurple and yellow flowers sum up to 10 + 18 = <<10+18=28>>28 flowers.\nThat means in Mark's garden there are 25/100 * 28 = <<25/100*28=7>>7 green flowers.\nSo in total Mark has 28 + 7 = <<28+7=35>>35 plants in his garden.\n#### 35",
    "35"
  ],
  [
    "steps without annotations between annotated ones",
    "He writes each friend\n3*2=<<3*2=6>>6 pages a week\nSo he writes\n6*2=<<6*2=12>>12 pages every week\nThat means he writes\n12*52=<<12*52=624>>624 pages a year\n#### 624",
    "624"
  ],
  ["leading-dot decimal in the expression", "Each slice costs $.5, so 8 slices cost 8*.5 = $<<8*.5=4>>4.\n#### 4", "4"],
  [
    "result written in another form (.50 vs 0.5)",
    "Half a dollar is 1/2 = $<<1/2=.50>>.50\nSo 6 halves make 6*.5 = $<<6*.5=3>>3\n#### 3",
    "3"
  ],
  ["fraction 1/2 in the expression", "He ate 1/2 of the 10 cookies, so 1/2*10 = <<1/2*10=5>>5 cookies.\nHe has 10-5=<<10-5=5>>5 left.\n#### 5", "5"],
  [
    "several annotations in one step",
    "She bought 3*4=<<3*4=12>>12 apples and 2*5=<<2*5=10>>10 pears, so 12+10=<<12+10=22>>22 fruits in all.\n#### 22",
    "22"
  ],
  ["repeating value rounded to 2 decimals", "Each of the 3 friends pays 100/3 = $<<100/3=33.33>>33.33\n#### 33.33", "33.33"],
  ["negative result", "The temperature changed by 5-8=<<5-8=-3>>-3 degrees.\n#### -3", "-3"],
  [
    "percent written after the annotation, both ways",
    "A quarter is 1/4=<<1/4=0.25>>25% of the price.\nThe discount is 20/100*50 = $<<20/100*50=10>>10\nSo she got 10/50*100=<<10/50*100=20>>20% off.\n#### 20",
    "20"
  ],
  ["answer line with thousands separator", "He earns 40*30=$<<40*30=1200>>1,200 a month.\n#### 1,200", "1200"],
  ["$ and .00 after the annotation", "She makes 9*2=<<9*2=18>>$18.00 a day at the market.\n#### 18", "18"],
  [
    "money with cents",
    "3 shirts at $12.50 cost 3*12.50=$<<3*12.50=37.50>>37.50\nFrom $50 she gets 50-37.50=$<<50-37.5=12.5>>12.50 back.\n#### 12.50",
    "12.5"
  ],
  ["no annotations at all", "There are 7 days in a week and he runs once a day, so he runs 7 times.\n#### 7", "7"],
  ["whole boxes: integer result truncated", "He can fill 25/6=<<25/6=4>>4 full boxes.\n#### 4", "4"],
  ["parentheses", "After giving 20 away, half of the rest is (200-20)/2=<<(200-20)/2=90>>90 stickers.\n#### 90", "90"],
  ["spaces inside the annotation", "He reads 12 * 52 = <<12 * 52 = 624>>624 pages.\n#### 624", "624"],
  ["percent sign inside the annotation", "The tip is 15% of $40, which is <<15%*40=6>>6 dollars.\n#### 6", "6"],
  [
    "RISE style with Step markers and a boxed answer",
    "Let's think step by step.\nStep 1: Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 eggs a day.\nStep 2: She makes 9 * 2 = $<<9*2=18>>18 every day.\nSo the answer is \\boxed{18}.",
    "18"
  ],
  ["LEMMA style 'The answer is:' ending", "Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 eggs.\nShe makes 9 * 2 = $<<9*2=18>>18.\nThe answer is: 18", "18"],
  ["2/3 rounded half-up", "Two thirds of a dollar is 2/3=$<<2/3=0.67>>0.67\n#### 0.67", "0.67"]
]

describe("verifySolution accepts reference solutions", () => {
  it.each(REFERENCES)("%s", (_quirk, text, expected) => {
    const withExpected = verifySolution(text, { expected })
    expect(withExpected.reason).toBeUndefined()
    expect(withExpected.correct).toBe(true)
    expect(withExpected.first_error_step).toBeUndefined()
    expect(withExpected.steps.every((s) => s.ok === true)).toBe(true)
    const alone = verifySolution(text)
    expect(alone.reason).toBeUndefined()
    expect(alone.correct).toBe(true)
  })

  it("fills step values and the canonical final answer", () => {
    const r = verifySolution(REFERENCES[3]![1])
    expect(r.final_answer).toBe("70000")
    expect(r.steps.map((s) => [s.index, s.expr, s.claimed, s.value, s.ok])).toEqual([
      [1, "80000+50000", "130,000", "130000", true],
      [2, "80000*1.5", "120,000", "120000", true],
      [3, "120000+80000", "200,000", "200000", true],
      [4, "200000-130000", "70,000", "70000", true]
    ])
  })

  it("marks steps without annotations ok and without a value", () => {
    const r = verifySolution(REFERENCES[5]![1])
    expect(r.steps[0]).toEqual({ index: 1, text: "He writes each friend", ok: true })
  })
})

describe("verifySolution without an expected answer", () => {
  it("accepts a final answer that rounds a computed value", () => {
    expect(verifySolution("Each pays 100/3=<<100/3=33.333>>33.333 dollars.\nRounded, that is about it.\n#### 33.33").correct).toBe(true)
  })
})

describe("verifySolution rejects errors", () => {
  it("a wrong calculator result", () => {
    const r = verifySolution("Janet sells 16-3-4=<<16-3-4=9>>9 eggs.\nShe makes 9*2=$<<9*2=19>>19.\nThen 19+1=<<19+1=20>>20.\n#### 20")
    expect(r.correct).toBe(false)
    expect(r.code).toBe("annotation_mismatch")
    expect(r.first_error_step).toBe(2)
    expect(r.reason).toBe("annotation_mismatch: step 2: 9*2 = 18, annotation says 19")
    expect(r.steps.map((s) => s.ok)).toEqual([true, false, true])
    expect(r.steps[1]?.value).toBe("18")
  })

  it("a wrong number written after a correct annotation", () => {
    const r = verifySolution("She makes 9*2=$<<9*2=18>>19 a day.\n#### 19")
    expect(r.correct).toBe(false)
    expect(r.code).toBe("written_mismatch")
    expect(r.first_error_step).toBe(1)
    expect(r.reason).toBe("written_mismatch: step 1: 9*2 = 18, but the text after the annotation says 19")
  })

  it("a wrong final answer against the expected one", () => {
    const r = verifySolution("She makes 9*2=$<<9*2=18>>18 a day.\n#### 18", { expected: "$20" })
    expect(r.correct).toBe(false)
    expect(r.code).toBe("final_answer_mismatch")
    expect(r.first_error_step).toBeUndefined()
    expect(r.reason).toBe("final_answer_mismatch: final answer 18 does not equal expected $20")
  })

  it("a final answer the steps do not support", () => {
    const r = verifySolution("She makes 9*2=$<<9*2=18>>18 a day.\nShe saves it.\n#### 19")
    expect(r.code).toBe("unsupported_final_answer")
    expect(r.correct).toBe(false)
  })

  it("a missing final answer", () => {
    const r = verifySolution("She makes 9*2=$<<9*2=18>>18 a day.")
    expect(r.code).toBe("no_final_answer")
    expect(r.correct).toBe(false)
  })

  it("an annotation that is not arithmetic", () => {
    const r = verifySolution("He works 2*5=<<5 hours*2=10>>10 hours.\n#### 10")
    expect(r.code).toBe("unparseable_expression")
    expect(r.reason).toMatch(/^unparseable_expression: step 1: "5 hours\*2": identifier "hours" at position 2/)
    expect(r.first_error_step).toBe(1)
  })

  it("division by zero in an annotation", () => {
    expect(verifySolution("x <<5/0=0>>0\n#### 0").code).toBe("unparseable_expression")
  })

  it("a rounding in the wrong direction, or an off-by-one on an exact value", () => {
    expect(verifySolution("100/3=<<100/3=33.34>>33.34\n#### 33.34").code).toBe("annotation_mismatch")
    expect(verifySolution("2.5*2=<<2.5*2=4>>4\n#### 4").code).toBe("annotation_mismatch")
  })

  it("reports the first failing step when several fail", () => {
    const r = verifySolution("a 1+1=<<1+1=2>>2\nb 2+2=<<2+2=5>>5\nc 3+3=<<3+3=7>>7\n#### 7")
    expect(r.first_error_step).toBe(2)
    expect(r.steps.map((s) => s.ok)).toEqual([true, false, false])
  })

  it("the exact rule refuses GSM8K roundings", () => {
    expect(verifySolution("100/3=<<100/3=33.33>>33.33\n#### 33.33", { rounding: "exact" }).code).toBe("annotation_mismatch")
  })
})

describe("statedMatches (the rounding rule)", () => {
  it.each([
    ["10/3", "3.33", true, true],
    ["10/3", "3.333", true, true],
    ["10/3", "3.34", false, false],
    ["2/3", "0.67", true, true],
    ["2/3", "0.66", true, true],
    ["25/6", "4", true, true],
    ["9/2", "5", true, true],
    ["9/2", "4", true, true],
    ["9/2", "4.6", false, false],
    ["5", "5.00", true, false],
    ["0.5", ".50", true, false],
    ["0.5", "1/2", true, false],
    ["0.25", "25%", true, false],
    ["18", "$18", true, false],
    ["1200", "1,200", true, false],
    ["18", "19", false, false],
    ["3.125", "3.13", true, true],
    ["3.125", "3.1", true, true],
    ["3.125", "3.2", false, false]
  ])("%s vs %s → match %s (rounded %s)", (value, stated, match, rounded) => {
    expect(statedMatches(R.rat(value), stated)).toEqual({ ok: true, match, rounded })
  })

  it("reports an unreadable stated result", () => {
    expect(statedMatches(R.rat("1"), "one").ok).toBe(false)
  })
})
