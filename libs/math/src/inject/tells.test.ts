import { describe, expect, it } from "vitest"
import { stripAnnotations } from "../plain.ts"
import { detectTells, guessAccuracy, guessRejected, pairSurface, rejectedLargerShare, surfaceBalance, tellCodes } from "./tells.ts"
import type { TellCode } from "./tells.ts"

const BOOKS_Q = "A library has 2,900 books. 3/5 of them are fiction, and 1/4 of the fiction books are mysteries. How many fiction books are not mysteries?"
const BOOKS =
  "There are 2900 * 3 / 5 = <<2900*3/5=1740>>1,740 fiction books.\nOf these, 1740 / 4 = <<1740/4=435>>435 are mysteries.\nSo 1740 - 435 = <<1740-435=1305>>1,305 fiction books are not mysteries.\n#### 1305"

const BUS_Q = "A field trip has 52 students and 4 teachers. Each bus holds 14 people. How many buses are needed?"
const BUS = "There are 52 + 4 = <<52+4=56>>56 people.\nThey need 56 / 14 = <<56/14=4>>4 buses.\n#### 4"

const FEE_Q = "Shipping is free on orders of at least $50. Ana buys 3 shirts at $17 each. How much does she pay?"
const FEE = "The shirts cost 3 * 17 = $<<3*17=51>>51.\nSince $51 is at least $50, shipping is free.\nShe pays $51.\n#### 51"

const CLUB_Q = "A club has 24 members who each pay $15 a month. Each member also gets 2 free drinks a month, which cost the club $3 each. How much does the club keep each month?"
const CLUB = "Dues bring in 24 * 15 = $<<24*15=360>>360.\nThe members get 24 * 2 = <<24*2=48>>48 drinks.\nThe drinks cost 48 * 3 = $<<48*3=144>>144.\nThe club keeps 360 - 144 = $<<360-144=216>>216.\n#### 216"

const CAFE_Q = "A cafe sells 40 muffins at $2.25 each and 12 pies at $8.50 each. How much does it take in?"
const CAFE = "Muffins bring 40 * 2.25 = $<<40*2.25=90>>90.00.\nPies bring 12 * 8.50 = $<<12*8.5=102>>102.00.\nIn all it takes 90 + 102 = $<<90+102=192>>192.00.\n#### 192"

/** [what the row shows, question, chosen, rejected, expected codes] */
const TABLE: Array<[string, string, string, string, TellCode[]]> = [
  [
    "a clean one-digit slip carried to the end",
    BOOKS_Q,
    BOOKS,
    "There are 2900 * 3 / 5 = <<2900*3/5=1740>>1,740 fiction books.\nOf these, 1740 / 5 = <<1740/5=348>>348 are mysteries.\nSo 1740 - 348 = <<1740-348=1392>>1,392 fiction books are not mysteries.\n#### 1392",
    []
  ],
  [
    "final answer 10x off (a dropped factor)",
    BOOKS_Q,
    BOOKS,
    "There are 3 / 5 = <<3/5=0.6>>0.6 fiction books.\nOf these, 0.6 / 4 = <<0.6/4=0.15>>0.15 are mysteries.\nSo 0.6 - 0.15 = <<0.6-0.15=0.45>>0.45 fiction books are not mysteries.\n#### 0.45",
    ["answer_magnitude", "non_integer_answer", "fractional_count"]
  ],
  [
    "a result of 1,000+ without the comma the chosen uses",
    BOOKS_Q,
    BOOKS,
    "There are 2900 * 3 / 5 = <<2900*3/5=1740>>1,740 fiction books.\nOf these, 1740 / 4 = <<1740/4=435>>435 are mysteries.\nSo 1740 + 435 = <<1740+435=2175>>2175 fiction books are not mysteries.\n#### 2175",
    ["number_format"]
  ],
  [
    "operands of 1,000+ are plain in the chosen too: not a tell",
    BOOKS_Q,
    BOOKS,
    "There are 2900 * 3 / 5 = <<2900*3/5=1740>>1,740 fiction books.\nOf these, 1740 / 3 = <<1740/3=580>>580 are mysteries.\nSo 1740 - 580 = <<1740-580=1160>>1,160 fiction books are not mysteries.\n#### 1160",
    []
  ],
  [
    "no 1,000+ number in the chosen: the dataset writes them grouped",
    BUS_Q,
    BUS,
    "There are 52 * 40 = <<52*40=2080>>2080 people.\nThey need 2080 / 14 = <<2080/14=148.57>>148.57 buses.\n#### 148.57",
    ["answer_magnitude", "non_integer_answer", "number_format", "fractional_count", "ungrounded_number"]
  ],
  [
    "money written with one decimal where the chosen writes cents",
    CAFE_Q,
    CAFE,
    "Muffins bring 40 * 2.25 = $<<40*2.25=90>>90.00.\nPies bring 12 * 8.55 = $<<12*8.55=102.6>>102.6.\nIn all it takes 90 + 102.6 = $<<90+102.6=192.6>>192.6.\n#### 192.6",
    ["non_integer_answer", "number_format", "ungrounded_number"]
  ],
  [
    "a fractional answer where the chosen's is whole",
    CAFE_Q,
    CAFE,
    "Muffins bring 40 * 2.25 = $<<40*2.25=90>>90.00.\nPies bring 12 * 8.55 = $<<12*8.55=102.6>>102.60.\nIn all it takes 90 + 102.60 = $<<90+102.6=192.6>>192.60.\n#### 192.60",
    ["non_integer_answer", "ungrounded_number"]
  ],
  [
    "a substitution that divides a number by itself",
    BUS_Q,
    BUS,
    "There are 52 + 4 = <<52+4=56>>56 people.\nThey need 56 / 56 = <<56/56=1>>1 buses.\n#### 1",
    ["self_operand", "repeated_operand"]
  ],
  [
    "a substitution that subtracts a number from itself, leaving zero",
    BOOKS_Q,
    BOOKS,
    "There are 2900 * 3 / 5 = <<2900*3/5=1740>>1,740 fiction books.\nOf these, 1740 / 4 = <<1740/4=435>>435 are mysteries.\nSo 1740 - 1740 = <<1740-1740=0>>0 fiction books are not mysteries.\n#### 0",
    ["self_operand", "repeated_operand", "zero_or_negative", "unused_result"]
  ],
  [
    "a product divided by one of its factors is not a self-operand, but it writes 14 / 14",
    BUS_Q,
    "There are 52 + 4 = <<52+4=56>>56 people.\nThey need 56 / 14 = <<56/14=4>>4 buses.\n#### 4",
    "There are 52 + 4 = <<52+4=56>>56 people.\nThey need 56 * 14 / 14 = <<56*14/14=56>>56 buses.\n#### 56",
    ["answer_magnitude", "repeated_operand"]
  ],
  [
    "a substitution that multiplies a number by itself (40 * 40 / 100 for 40 * 25 / 100)",
    "A class has 40 students. 25% of them walk to school. How many walk?",
    "40 * 25 / 100 = <<40*25/100=10>>10 students walk.\n#### 10",
    "40 * 40 / 100 = <<40*40/100=16>>16 students walk.\n#### 16",
    ["repeated_operand"]
  ],
  [
    "a number added to itself where the chosen adds two numbers",
    "Mia has 25 stickers and buys 12 more. She then buys as many as she has. How many does she have?",
    "She has 25 + 12 = <<25+12=37>>37 stickers.\nThen 37 * 2 = <<37*2=74>>74.\n#### 74",
    "She has 25 + 25 = <<25+25=50>>50 stickers.\nThen 50 * 2 = <<50*2=100>>100.\n#### 100",
    ["repeated_operand"]
  ],
  [
    "a square in the chosen made another square by a related-values slip: the chosen shows x * x too",
    "A square garden is 25 feet on a side. How many square feet is it?",
    "It is 25 * 25 = <<25*25=625>>625 square feet.\n#### 625",
    "It is 26 * 26 = <<26*26=676>>676 square feet.\n#### 676",
    ["ungrounded_number"]
  ],
  [
    "half a person",
    BUS_Q,
    BUS,
    "There are 52 + 5 = <<52+5=57>>57 people.\nHalf of them, 57 / 2 = <<57/2=28.5>>28.5 people, take the first bus.\nThey need 28.5 * 2 / 14 = <<28.5*2/14=4.07>>4.07 buses.\n#### 4.07",
    ["non_integer_answer", "fractional_count", "ungrounded_number"]
  ],
  [
    "a fractional number of hours is a measure, not a count",
    "Lucas practices piano for 45 minutes every day. How many hours does he practice in 2 weeks?",
    "Two weeks have 2 * 7 = <<2*7=14>>14 days.\nHe practices 45 * 14 = <<45*14=630>>630 minutes.\nThat is 630 / 60 = <<630/60=10.5>>10.5 hours.\n#### 10.5",
    "Two weeks have 2 * 7 = <<2*7=14>>14 days.\nHe practices 45 * 15 = <<45*15=675>>675 minutes.\nThat is 675 / 60 = <<675/60=11.25>>11.25 hours.\n#### 11.25",
    ["ungrounded_number", "unused_result"]
  ],
  [
    "a negative quantity",
    BUS_Q,
    BUS,
    "There are 4 - 52 = <<4-52=-48>>-48 people.\nThey need -48 / 14 = <<-48/14=-3.43>>-3.43 buses.\n#### -3.43",
    ["non_integer_answer", "zero_or_negative", "ungrounded_number"]
  ],
  [
    "a comparison left in the prose that the new numbers make false",
    FEE_Q,
    FEE,
    "The shirts cost 3 * 16 = $<<3*16=48>>48.\nSince $48 is at least $50, shipping is free.\nShe pays $48.\n#### 48",
    ["false_comparison", "ungrounded_number"]
  ],
  [
    "a slip to a number of the question: grounded, every result used",
    CLUB_Q,
    CLUB,
    "Dues bring in 24 * 15 = $<<24*15=360>>360.\nThe members get 24 * 3 = <<24*3=72>>72 drinks.\nThe drinks cost 72 * 3 = $<<72*3=216>>216.\nThe club keeps 360 - 216 = $<<360-216=144>>144.\n#### 144",
    []
  ],
  [
    "a value from nowhere (2 → 4 where the question has no 4)",
    CLUB_Q,
    CLUB,
    "Dues bring in 24 * 15 = $<<24*15=360>>360.\nThe members get 24 * 4 = <<24*4=96>>96 drinks.\nThe drinks cost 96 * 3 = $<<96*3=288>>288.\nThe club keeps 360 - 288 = $<<360-288=72>>72.\n#### 72",
    ["ungrounded_number"]
  ],
  [
    "an earlier result replaced by a question number: the result is left unused",
    CLUB_Q,
    CLUB,
    "Dues bring in 24 * 15 = $<<24*15=360>>360.\nThe members get 24 * 2 = <<24*2=48>>48 drinks.\nThe drinks cost 24 * 3 = $<<24*3=72>>72.\nThe club keeps 360 - 72 = $<<360-72=288>>288.\n#### 288",
    ["unused_result"]
  ],
  [
    "a comparison that still holds",
    FEE_Q,
    FEE,
    "The shirts cost 3 * 18 = $<<3*18=54>>54.\nSince $54 is at least $50, shipping is free.\nShe pays $54.\n#### 54",
    ["ungrounded_number"]
  ]
]

describe("detectTells", () => {
  it.each(TABLE)("%s", (_what, question, chosen, rejected, codes) => {
    expect(tellCodes(question, chosen, rejected)).toEqual(codes)
  })

  it("reads plain text (no annotations) the same as annotated text", () => {
    for (const [, question, chosen, rejected, codes] of TABLE) {
      expect(tellCodes(question, stripAnnotations(chosen), stripAnnotations(rejected))).toEqual(codes)
    }
  })

  it("reads LEMMA's final-answer line as well as GSM8K's", () => {
    const asLemma = (t: string): string => stripAnnotations(t).replace(/#### (.*)$/, "The answer is: $1")
    const [, q, c, r] = TABLE[1]!
    expect(tellCodes(q, asLemma(c), asLemma(r))).toEqual(["answer_magnitude", "non_integer_answer", "fractional_count"])
  })

  it("says what it found", () => {
    const [, q, c, r] = TABLE[2]!
    expect(detectTells(q, c, r)).toEqual([{ code: "number_format", detail: '"2175" is not grouped where the chosen writes 1,000+ with commas' }])
    const [, q2, c2, r2] = TABLE.find(([what]) => what.startsWith("a comparison left"))!
    expect(detectTells(q2, c2, r2)).toEqual([
      { code: "false_comparison", detail: "$48 is at least $50" },
      { code: "ungrounded_number", detail: "16 is in neither the question nor an earlier step" }
    ])
    const [, q3, c3, r3] = TABLE.find(([what]) => what.startsWith("an earlier result replaced"))!
    expect(detectTells(q3, c3, r3)).toEqual([{ code: "unused_result", detail: "48 never used later" }])
  })

  it("a pair whose rejected equals the chosen has no tell", () => {
    for (const [, q, c] of TABLE) expect(detectTells(q, c, c)).toEqual([])
  })
})

describe("dataset-level tells: direction and a math-blind guess", () => {
  const BUS_LOW = "There are 52 + 5 = <<52+5=57>>57 people.\nThey need 57 / 19 = <<57/19=3>>3 buses.\n#### 3"
  const BUS_HIGH = "There are 52 + 4 = <<52+4=56>>56 people.\nThey need 56 / 8 = <<56/8=7>>7 buses.\n#### 7"

  it("guessRejected: a repeated operand first, then non-whole step results, then the larger answer", () => {
    // [what, a, b, guess]
    const table: Array<[string, string, string, "a" | "b" | undefined]> = [
      ["larger answer", BUS, BUS_HIGH, "b"],
      ["larger answer, other order", BUS_HIGH, BUS, "a"],
      ["smaller answer is not guessed", BUS, BUS_LOW, "a"],
      ["a repeated operand beats the larger answer", BUS_HIGH, "There are 52 + 4 = <<52+4=56>>56 people.\nThey need 56 / 56 = <<56/56=1>>1 buses.\n#### 1", "b"],
      ["a non-whole step result beats the larger answer", "There are 52 + 4 = <<52+4=56>>56 people.\nHalf is 56 / 16 = <<56/16=3.5>>3.5 buses.\n#### 3", BUS_HIGH, "a"],
      ["same text: no guess", BUS, BUS, undefined]
    ]
    for (const [what, a, b, want] of table) expect(guessRejected(a, b), what).toBe(want)
  })

  it("pairSurface says which way the rejected answer went and whether the guess was right", () => {
    expect(pairSurface(BUS, BUS_HIGH)).toEqual({ direction: "larger", guess: "right" })
    expect(pairSurface(BUS, BUS_LOW)).toEqual({ direction: "smaller", guess: "wrong" })
  })

  it("surfaceBalance counts a set of pairs; half larger and half smaller puts the guess at chance", () => {
    const b = surfaceBalance([
      { chosen: BUS, rejected: BUS_HIGH },
      { chosen: BUS, rejected: BUS_LOW },
      { chosen: BUS, rejected: BUS_HIGH },
      { chosen: BUS, rejected: BUS_LOW }
    ])
    expect(b).toEqual({ pairs: 4, rejectedLarger: 2, rejectedSmaller: 2, guessRight: 2, guessWrong: 2, guessUndecided: 0 })
    expect(rejectedLargerShare(b)).toBe(0.5)
    expect(guessAccuracy(b)).toBe(0.5)
    expect(guessAccuracy(surfaceBalance([{ chosen: BUS, rejected: BUS_HIGH }, { chosen: BUS, rejected: BUS }]))).toBe(0.75)
  })
})
