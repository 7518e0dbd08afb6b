/**
 * Forms of GSM8K references and model solutions that the verifier must judge right (issue #9, items 2-3):
 * each row is a solution, the verdict it must get, and for a wrong one the reason code. Without
 * `expected`, as `autodidact verify` runs on a seed file and as the build's `verified` stage judges seeds.
 */
import { describe, expect, it } from "vitest"
import { verifySolution } from "./verify.ts"
import type { VerifyCode } from "./verify.ts"
import { judgeRow } from "./verify-rows.ts"

type Row = readonly [form: string, solution: string, verdict: true | VerifyCode]

const BAKERY =
  "The bakery bakes 8 * 24 = <<8*24=192>>192 muffins.\nIn the morning it sells 192 * 3 / 4 = <<192*3/4=144>>144 muffins.\nThat leaves 192 - 144 = <<192-144=48>>48 muffins for the afternoon."

const WRONG: ReadonlyArray<Row> = [
  // Item 1: a `#### N` that contradicts the steps.
  ["#### 49 where the steps compute 48", `${BAKERY}\n#### 49`, "unsupported_final_answer"],
  // Item 2: final answers that the steps do not reach.
  ["The answer is: 31 when the steps compute 29", "She buys 12 + 17 = <<12+17=29>>29 apples.\nThe answer is: 31", "unsupported_final_answer"],
  ["\\boxed{31} when the steps compute 29", "She buys 12 + 17 = <<12+17=29>>29 apples.\nSo the answer is \\boxed{31}.", "unsupported_final_answer"],
  ["\\boxed{31} on the computing line", "She buys 12 + 17 = <<12+17=29>>29 apples, so the answer is \\boxed{31}.", "unsupported_final_answer"],
  ["RISE layout, \\boxed{31} after 29", "Step 1: She buys 12 + 17 = <<12+17=29>>29 apples.\nStep 2: The answer is \\boxed{31}.", "unsupported_final_answer"],
  ["a restated wrong answer line before ####", "She makes 9 * 2 = $<<9*2=18>>18.\nThe answer is 19\n#### 19", "unsupported_final_answer"],
  ["#### names an earlier step's value", `${BAKERY}\n#### 144`, "unsupported_final_answer"],
  ["#### names an operand of the last step", `${BAKERY}\n#### 192`, "unsupported_final_answer"],
  ["#### names the first value of several", "He buys 3 * 4 = <<3*4=12>>12 apples.\nHe eats 2, so 12 - 2 = <<12-2=10>>10 are left.\n#### 12", "unsupported_final_answer"],
  ["unannotated step 12 + 5 = 18", "He has 12 + 5 = 18 marbles.\nHe gives away 3, so 18 - 3 = <<18-3=15>>15 are left.\n#### 15", "equation_mismatch"],
  ["unannotated final step 12 + 5 = 18", "He has 12 marbles and wins 5.\nSo he has 12 + 5 = 18 marbles.\n#### 18", "equation_mismatch"],
  ["10/3 = 3 written as a claim", "Each of the 3 friends gets 10/3 = 3 cookies.\n#### 3", "equation_mismatch"],
  ["10/3 = 3.33 written as a claim", "Each of the 3 friends gets 10/3 = 3.33 cookies.\n#### 3.33", "equation_mismatch"],
  ["a wrong negative in prose", "It was 2 degrees and fell 8, so 2 - 8 = -5 degrees.\n#### -5", "equation_mismatch"],
  ["a wrong prose step in a chain", "He pays 5 + 3 = 8 * 2 = 17 dollars.\n#### 17", "equation_mismatch"],
  ["prose with $ and thousands", "The car cost $12,000 + $3,500 = $15,000.\n#### 15000", "equation_mismatch"],
  // Item 3's forms, written wrong.
  ["float calculator result 2 ulps off", "He sells 11/18*162 = <<11/18*162=99.00000000000003>>99 cakes.\n#### 99", "annotation_mismatch"],
  ["float-looking result that is not the double", "Each costs 580/110 = <<580/110=5.2727272727272735>>5.27 dollars.\n#### 5.27", "annotation_mismatch"],
  ["space-grouped thousands naming another number", "She earns 3 500 * 5 = <<3500*5=17500>>17 500 dollars.\n#### 17 000", "unsupported_final_answer"],
  ["space-grouped written number that is wrong", "The house cost 200 000 * 2 = $<<200000*2=400000>>410 000.\n#### 410000", "written_mismatch"],
  ["answer in words that the steps do not reach", "He paints 12 walls, 4 a day.\nSo it took three days.\n#### 4", "unsupported_final_answer"],
  ["a wrong negative final answer", "It was 2 degrees and fell 8, so 2 - 8 = -6 degrees.\n#### 6", "unsupported_final_answer"],
  // Slips in real GSM8K train references, written in prose.
  ["GSM8K: 2*8 = 24", "Jerry took 2*8 = 24 hours fixing the broken kitchen counter\n#### 24", "equation_mismatch"],
  ["GSM8K: 70 + 40 = 100", "Therefore, over 100 acts, 70 + 40 = 100 people have reappeared in all.\n#### 100", "equation_mismatch"],
  ["GSM8K: 1152/ 1,536 = .5", "It costs $.5 per square inch because 1152/ 1,536 = .5\n#### .5", "equation_mismatch"],
  ["GSM8K: #### 140 after 100+20 = 120", "There are 5*20 = <<5*20=100>>100 tanks in the yard.\nAltogether, there are 100+20 = <<100+20=120>>120 trucks and tanks in the yard.\n#### 140", "unsupported_final_answer"],
  // Planted calculation errors (RISE/LEMMA) stay caught.
  ["planted wrong calculator result", "She makes 9 * 2 = $<<9*2=19>>19 a day.\n#### 19", "annotation_mismatch"],
  ["planted wrong written number", "She makes 9 * 2 = $<<9*2=18>>19 a day.\n#### 19", "written_mismatch"],
  ["planted rounding the wrong way", "Each pays 100/3 = <<100/3=33.34>>33.34 dollars.\n#### 33.34", "annotation_mismatch"],
  // Review after issue #9, item 1: a #### naming a number the last step only computes with.
  ["#### names a prose operand of the last computation", "The farm has 3 * 10 = <<3*10=30>>30 cows.\nIt has 2 * 30 = <<2*30=60>>60 goats.\nTogether they have 10 sheep + 60 goats + 30 cows = <<10+60+30=100>>100 animals.\n#### 60", "unsupported_final_answer"],
  ["#### names a number stated before the computation that uses it", "He reads 12 pages on Monday and 18 on Tuesday, so 50-12-18=<<50-12-18=20>>20 pages are left.\n#### 18", "unsupported_final_answer"],
  ["#### names an earlier result restated in the last step", "He earns 5 * 4 = <<5*4=20>>20 dollars.\nHe had 20 dollars and spent 3 * 4 = <<3*4=12>>12 dollars on books.\n#### 20", "unsupported_final_answer"],
  ["#### names an earlier operand restated in the last step", "Ten pens cost 10 * 2 = <<10*2=20>>20 dollars.\nSo 10 pens and a pad cost 20 + 5 = <<20+5=25>>25 dollars.\n#### 10", "unsupported_final_answer"],
  ["#### names an operand written in words", "If thirty birds fly away, 75 - 30 = <<75-30=45>>45 birds remain.\n#### 30", "unsupported_final_answer"],
  // Item 2: two final answers that disagree.
  ["The answer is: 31 then #### 29", "He has 20 + 9 = <<20+9=29>>29 apples.\nThe answer is: 31\n#### 29", "conflicting_final_answers"],
  ["\\boxed{31} then #### 29", "He has 20 + 9 = <<20+9=29>>29 apples, so \\boxed{31}.\n#### 29", "conflicting_final_answers"],
  ["two #### lines", "He has 20 + 9 = <<20+9=29>>29 apples.\n#### 31\n#### 29", "conflicting_final_answers"],
  ["The answer is 31, then a clause, then #### 29", "He has 20 + 9 = <<20+9=29>>29 apples.\nThe answer is 31, as he counted.\n#### 29", "conflicting_final_answers"],
  // Item 3: a final answer that is not a number.
  ["#### five where the steps compute 4", "He has 2+2=<<2+2=4>>4 apples.\n#### five", "unsupported_final_answer"],
  ["#### banana", "He has 2+2=<<2+2=4>>4 apples.\n#### banana", "unsupported_final_answer"],
  // Item 4: prose equations after a colon or after "of" that names a count, not a part.
  ["Total: 3 + 4 = 8", "Total: 3 + 4 = 8 apples.\n#### 8", "equation_mismatch"],
  ["a total of 5 + 3 = 9", "He bought a total of 5 + 3 = 9 fruits.\n#### 9", "equation_mismatch"],
  // Item 6: a descending "range" after a word is still a subtraction.
  ["5-2 = 4 after a word", "He has 5-2 = 4 apples left.\n#### 4", "equation_mismatch"]
]

const RIGHT: ReadonlyArray<readonly [form: string, solution: string]> = [
  ["#### on the result the solution ends on", `${BAKERY}\n#### 48`],
  ["The answer is: on its own line", "She buys 12 + 17 = <<12+17=29>>29 apples.\nThe answer is: 29"],
  ["\\boxed{} on the computing line", "She buys 12 + 17 = <<12+17=29>>29 apples, so the answer is \\boxed{29}."],
  ["RISE layout with a boxed answer step", "Step 1: She buys 12 + 17 = <<12+17=29>>29 apples.\nStep 2: The answer is \\boxed{29}."],
  ["a closing line without numbers", "She makes 9 * 2 = $<<9*2=18>>18 a day.\nShe saves all of it.\n#### 18"],
  ["the answer restated after the last computation", "He buys 12 + 10 = <<12+10=22>>22 fruits, so he has 22 in all.\n#### 22"],
  // Floating-point calculator results: equal to the exact value at double precision.
  ["<<11/18*162=99.00000000000001>>", "He sells 11/18*162 = <<11/18*162=99.00000000000001>>99 cakes.\n#### 99"],
  ["<<580/110=5.2727272727272725>>", "Each costs 580/110 = <<580/110=5.2727272727272725>>5.27 dollars.\n#### 5.27"],
  ["<<0.1+0.2=0.30000000000000004>>", "Together 0.1+0.2 = <<0.1+0.2=0.30000000000000004>>0.3 liters.\n#### 0.3"],
  ["float calculator result in prose", "Each costs 58/11 = 5.2727272727272725 dollars, about 5.27.\n#### 5.27"],
  // Thousands separated by spaces.
  ["$400 000 after an annotation", "The house cost 200 000 * 2 = $<<200000*2=400000>>400 000.\n#### 400000"],
  ["17 500 written and in the answer line", "She earns 3 500 * 5 = <<3500*5=17500>>17 500 dollars.\n#### 17 500"],
  ["$400 000 in the answer line", "The house cost 200000 * 2 = $<<200000*2=400000>>400000.\n#### $400 000"],
  ["space-grouped number in an unannotated last step", "The house costs 400 thousand dollars.\nThat is $400 000.\n#### 400000"],
  ["a space before an unrelated number after an annotation", "She buys 3 * 4 = <<3*4=12>>12 500-gram bags.\n#### 12"],
  // The final answer in words in the last step.
  ["answer in words, nothing computed", "He paints 12 walls, 4 a day.\nSo it took three days.\n#### 3"],
  ["answer in words after a computation", "He paints 12 / 4 = <<12/4=3>>3 walls... so it took three days.\n#### 3"],
  ["answer in compound words", "In all she has twenty-five stamps.\n#### 25"],
  // Negative values in unannotated steps.
  ["2 - 8 = -6 in prose", "It was 2 degrees and fell 8, so 2 - 8 = -6 degrees.\n#### -6"],
  ["negative in prose, unicode minus", "The balance is 2 \u2212 8 = \u22126 dollars.\n#### -6"],
  // Prose equations that are right, or that are not claims the verifier can read.
  ["12 + 5 = 17 in prose", "He has 12 + 5 = 17 marbles.\nHe gives away 3, so 17 - 3 = <<17-3=14>>14 are left.\n#### 14"],
  ["a chain continued from its result", "He pays 5 + 3 = 8 * 2 = 16 dollars.\n#### 16"],
  ["a chain of equal expressions", "He pays 2 * 3 = 3 * 2 = 6 dollars.\n#### 6"],
  ["prose with $ and thousands", "The car cost $12,000 + $3,500 = $15,500.\n#### 15500"],
  ["percent of: a phrase, not an equation", "20% of 50 = 10, so she saves 10 dollars.\n#### 10"],
  ["unit conversion", "2 hours = 120 minutes, so he walks 120 minutes.\n#### 120"],
  ["1/4 = 25%", "A quarter is 1/4 = 25% of the cake, so 25 percent.\n#### 25"],
  ["an algebra step that does not parse", "Let x be the number of pens: 3x + 2 = 11, so x = 9 / 3 = 3.\n#### 3"],
  ["10/3 rounded and said so", "Each of the 3 friends gets 10/3 = 3.33 dollars, rounded to the cent.\n#### 3.33"],
  ["10/3 approximately", "Each of the 3 friends gets 10/3 \u2248 3.33 dollars.\n#### 3.33"],
  // Prose forms of real GSM8K references that are right.
  ["GSM8K: the answer stated before 'because'", "There are 15 girls in the class because 25-10=<<25-10=15>>15\n80% of the girls in class like playing basketball because 12/15=<<12/15=.8>>.8\n#### 80"],
  ["GSM8K: percent claims", "First find the percentage of ads that aren't interesting: 100% - 20% = 80%\nThen multiply: 80% * 20% = 16%\n#### 16"],
  ["GSM8K: x 100% to a percentage", "The proportion won is .4 because 12 / 30 = <<12/30=.4>>.4\nThe percentage he has won is 40% because .4 x 100% = 40%\n#### 40"],
  ["GSM8K: a fraction after a division", "The 25 decorations were 1/3 of the total decorations, so he used 25 / 1/3 = 75 total decorations\n#### 75"],
  ["GSM8K: mixed numbers", "He will read each type for 1 and 1/3 hours because 4 / 3 = 1 and 1/3\n#### 4"],
  ["GSM8K: cents", "He spends 50 cents because $1 / 2 = 50 cents\n#### 50"],
  ["GSM8K: thousands in words", "The shop loses 5 thousand dollars a day, so in three days it loses 5 * 3 = $15,000.\n#### 15000"],
  ["GSM8K: space-grouped prose equations", "The 20% profit amounts to $80 000 x 20/100 = $16 000.\nSo the selling price is $80 000+ $16 000 + $4 000 = $100 000.\n#### 100,000"],
  ["GSM8K: algebra", "If there are 150 ducks, 150 =10+4c.\nThen 100/5 = 5A/5 or 20 = A.\n#### 20"],
  ["GSM8K: a whole number of cycles", "In 13 hours this cycle can fit 13 / 6 = 2 full cycles with a remainder of 1 hour\n#### 2"],
  ["GSM8K: clock times", "He has to leave 0130 hours earlier than 0900 i.e. 0900-0130 = 0730 hours\nThe sun sets at 6:00+48=6:48 PM\n#### 48"],
  ["GSM8K: a label before an expression", "Week 1 + Week 2 = 35 + 35 = <<35+35=70>>70 hours\n#### 70"],
  // GSM8K roundings in annotations stay accepted.
  ["<<10/3=3.33>> in an annotation", "Each of the 3 friends pays 10/3 = $<<10/3=3.33>>3.33.\n#### 3.33"],
  ["<<25/6=4>> whole boxes", "He can fill 25/6=<<25/6=4>>4 full boxes.\n#### 4"],
  ["a final answer that rounds the last value", "Each pays 100/3=<<100/3=33.333>>33.333 dollars.\nRounded, that is about it.\n#### 33.33"],
  // Review after issue #9: what the stricter ending still accepts.
  ["a number stated after the last computation", "He pays 10 + 5 = <<10+5=15>>15 dollars and gets 5 back, so 10 in all.\n#### 10"],
  ["the answer before 'because', not an operand", "She saves 45 dollars because 60 - 15 = <<60-15=45>>45\n#### 45"],
  ["final-answer phrases that agree", "He has 20 + 9 = <<20+9=29>>29 apples, so \\boxed{29}.\nThe answer is 29, as he counted.\n#### 29"],
  ["a phrase that goes on computing is not a second answer", "Each gallon is 8 pints, so the final answer is 15 gallons * 8 pints = <<15*8=120>>120 pints\n#### 120"],
  ["#### in words that the steps reach", "He has 2+2=<<2+2=4>>4 apples.\n#### four"],
  ["half of, a third of, percent of: parts, not claims", "Half of 60 = 30 and 1/3 of 60 = 20, and 50% of 60 = 30.\nSo 30 + 20 = <<30+20=50>>50.\n#### 50"],
  ["floor division", "They last 560//10 = <<560//10=56>>56 nights\n#### 56"],
  ["floor division in prose", "He fills 25 // 4 = 6 full boxes.\n#### 6"],
  ["a range after a word labels an expression", "Weeks 1-2 took 20 + 30 = <<20+30=50>>50 hours.\nWeeks 3-4 took 40 + 40 = <<40+40=80>>80 hours.\nSubtract Weeks 1-2 from Weeks 3-4 = 80 - 50 = <<80-50=30>>30\n#### 30"]
]

/** Item 5 of the review: the question decides whether a dollar result answers "in cents". */
const WITH_QUESTION: ReadonlyArray<readonly [form: string, question: string, solution: string, verdict: true | VerifyCode]> = [
  ["asked in cents, ends on $0.50 after an annotation", "How much does each stick cost, in cents?", "Each stick costs 15/30 = $<<15/30=0.50>>0.50\n#### 50", true],
  ["asked how many cents, ends on $0.25 in prose", "How many cents does each can cost?", "Each can costs 3/12 = $0.25\n#### 25", true],
  ["not asked in cents", "How much does each stick cost?", "Each stick costs 15/30 = $<<15/30=0.50>>0.50\n#### 50", "unsupported_final_answer"],
  ["asked in cents, but the result is not in dollars", "How many cents does each stick cost?", "Each stick costs 15/30 = <<15/30=0.50>>0.50 of the bag.\n#### 50", "unsupported_final_answer"],
  ["asked in cents, a wrong number of cents", "How much does each stick cost, in cents?", "Each stick costs 15/30 = $<<15/30=0.50>>0.50\n#### 5", "unsupported_final_answer"]
]

describe("verifySolution on written-out forms", () => {
  it.each(WRONG)("wrong: %s", (_form, solution, code) => {
    const r = verifySolution(solution)
    expect({ correct: r.correct, code: r.code }, r.reason).toEqual({ correct: false, code })
  })

  it.each(RIGHT)("right: %s", (_form, solution) => {
    const r = verifySolution(solution)
    expect({ correct: r.correct, reason: r.reason }).toEqual({ correct: true, reason: undefined })
  })

  it.each(WITH_QUESTION)("with its question: %s", (_form, question, solution, verdict) => {
    const r = judgeRow(solution, { question })
    expect({ correct: r.correct, code: r.code }, r.reason).toEqual(verdict === true ? { correct: true, code: undefined } : { correct: false, code: verdict })
  })

  it("an expected answer does not override the steps: 31 expected, steps compute 29", () => {
    const r = verifySolution("She buys 12 + 17 = <<12+17=29>>29 apples.\nThe answer is: 31", { expected: "31" })
    expect(r.code).toBe("unsupported_final_answer")
  })

  it("says which result the solution ends on", () => {
    expect(verifySolution(`${BAKERY}\n#### 49`).reason).toBe(
      "unsupported_final_answer: final answer 49 is not the result the solution ends on (step 3: 48)"
    )
  })

  it("names the step of a wrong prose equation", () => {
    const r = verifySolution("He has 12 marbles and wins 5.\nSo he has 12 + 5 = 18 marbles.\n#### 18")
    expect(r.first_error_step).toBe(2)
    expect(r.reason).toBe("equation_mismatch: step 2: 12 + 5 = 17, the text says 18")
    expect(r.steps.map((s) => s.ok)).toEqual([true, false])
  })
})
