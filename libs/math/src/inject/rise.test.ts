import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { rngFor } from "#core"
import { verifySolution } from "../verify.ts"
import { parseSolution } from "../parse.ts"
import { stripAnnotations } from "../plain.ts"
import { extractFinalAnswer, answersEqual } from "../answer.ts"
import { FIXTURES } from "./fixtures.ts"
import { applyCandidate, fixture, lines, modelOf } from "./test-helpers.ts"
import { changeOperator, changeRelatedValues, changeValue, deleteTerm, misreadQuestion, swapTerms, wrongSubstitution } from "./candidates.ts"
import { buildModel } from "./model.ts"
import type { SolutionModel } from "./model.ts"
import { applyPlan } from "./propagate.ts"
import type { Plan } from "./propagate.ts"
import { diffSpan, editSteps, firstDifferingStep, injectError, RISE_ERROR_TYPES, weightedOrder } from "./rise.ts"
import type { RiseErrorType } from "./rise.ts"
import { risePairs, stripBoxed } from "./rise-rows.ts"
import { detectTells } from "./tells.ts"

/** Problems of this file's own, for edits the shared fixtures do not show. */
const CLUB = {
  name: "club",
  question: "A club has 24 members who each pay $15 a month. Each member also gets 2 free drinks a month, which cost the club $3 each. How much does the club keep each month?",
  solution:
    "Dues bring in 24 * 15 = $<<24*15=360>>360.\nThe members get 24 * 2 = <<24*2=48>>48 drinks.\nThe drinks cost 48 * 3 = $<<48*3=144>>144.\nThe club keeps 360 - 144 = $<<360-144=216>>216.\n#### 216",
  answer: "216"
}
const MARBLES = {
  name: "marbles",
  question: "Tom had 45 marbles. He lost 12 of them at school and then won 20 in a game. How many marbles does he have now?",
  solution: "He has 45 - 12 + 20 = <<45-12+20=53>>53 marbles now.\n#### 53",
  answer: "53"
}

const modelFor = (f: { question: string; solution: string }): SolutionModel => {
  const m = buildModel(f.question, f.solution)
  if (!m.ok) throw new Error(m.reason)
  return m.model
}

const candidate = (model: SolutionModel, generate: (m: SolutionModel, step: number) => Plan[], step: number, detail: string): Plan => {
  const found = generate(model, step).find((p) => p.detail === detail)
  if (!found) throw new Error(`no candidate "${detail}" among ${generate(model, step).map((p) => p.detail).join(", ")}`)
  return found
}

const applied = (model: SolutionModel, plan: Plan, followStyle = false): string => {
  const r = applyPlan(model, plan, { followStyle })
  if (!r.ok) throw new Error(r.reason)
  return r.applied.text
}

/** The steps of a solution as lines, and its final answer. */
const shape = (text: string) => ({ steps: lines(text).slice(0, -1), final: lines(text).at(-1) })

describe("RISE edit kinds, exact outputs", () => {
  it("change_value: one literal changes and the wrong value runs on to the answer", () => {
    const { text } = applyCandidate("lemonade", changeValue, 2, "77 → 27")
    expect(shape(text)).toEqual({
      steps: [
        "Over the two days she sold 42 + 35 = <<42+35=77>>77 cups.",
        "She took in 27 * 3 = $<<27*3=81>>81.",
        "Her profit was 81 - 48 = $<<81-48=33>>33."
      ],
      final: "#### 33"
    })
  })

  it("change_related_values: every repeat of the number in the step changes", () => {
    const { text } = applyCandidate("fence", changeRelatedValues, 2, "14 → 24 (2 places)")
    expect(lines(text)[1]).toBe("The fence is 24 + 9 + 24 + 9 = <<24+9+24+9=66>>66 meters long.")
    expect(lines(text)[2]).toBe("It costs 66 * 6.50 = $<<66*6.5=429>>429.")
    expect(lines(text)[3]).toBe("#### 429")
  })

  it("change_related_values: a number stated in the prose changes with the expression", () => {
    const { text } = applyCandidate("gym", changeRelatedValues, 1, "30 → 40 (2 places)")
    expect(lines(text)[0]).toBe("He visits 40 times, so paying $5 each costs 40 * 5 = $<<40*5=200>>200.")
    // Step 2's 30 is the question's number of visits, used afresh: it stays.
    expect(lines(text)[1]).toBe("He needs 30 / 10 = <<30/10=3>>3 passes.")
    expect(lines(text)[3]).toBe("He saves 200 - 135 = $<<200-135=65>>65.")
    expect(lines(text)[4]).toBe("#### 65")
  })

  it("wrong_substitution: a number from the question replaces an earlier result; money keeps its cents", () => {
    const { text } = applyCandidate("party", wrongSubstitution, 3, "6 → 8 (from the question)")
    expect(shape(text)).toEqual({
      steps: [
        "The guests eat 24 * 2 = <<24*2=48>>48 slices.",
        "She needs 48 / 8 = <<48/8=6>>6 pizzas.",
        "The pizzas cost 8 * 11.25 = $<<8*11.25=90>>90.",
        "The juice costs 3 * 2.40 = $<<3*2.4=7.2>>7.20.",
        "Pizza and juice come to 90 + 7.20 = $<<90+7.2=97.2>>97.20.",
        "With the cake she spends 97.20 + 18 = $<<97.2+18=115.2>>115.20.",
        "She has 200 - 115.20 = $<<200-115.2=84.8>>84.80 left.",
        "That is $84.80 of her budget."
      ],
      final: "#### 84.80"
    })
  })

  it("delete_term: one operand of a chain is dropped; a decimal result is allowed with two places", () => {
    const { text } = applyCandidate("jacket", deleteTerm, 1, "drop 25")
    expect(shape(text)).toEqual({
      steps: [
        "The discount is 120 / 100 = $<<120/100=1.2>>1.20.",
        "The sale price is 120 - 1.2 = $<<120-1.2=118.8>>118.80.",
        "With the coupon the price is 118.8 - 15 = $<<118.8-15=103.8>>103.80.",
        "The tax is 103.8 * 10 / 100 = $<<103.8*10/100=10.38>>10.38.",
        "She pays 103.8 + 10.38 = $<<103.8+10.38=114.18>>114.18."
      ],
      final: "#### 114.18"
    })
  })

  it("delete_term: an edit whose propagation needs three decimals is refused", () => {
    expect(() => applyCandidate("jacket", deleteTerm, 1, "drop 120")).toThrow(/needs 3 decimals/)
  })

  it("change_operator: − becomes +", () => {
    const { text } = applyCandidate("jacket", changeOperator, 2, "- → +")
    expect(lines(text)[1]).toBe("The sale price is 120 + 30 = $<<120+30=150>>150.")
    expect(lines(text)[3]).toBe("The tax is 135 * 10 / 100 = $<<135*10/100=13.5>>13.50.")
    expect(lines(text)[5]).toBe("#### 148.50")
  })

  it("swap_terms: the two numbers around ÷ trade places", () => {
    const { text } = applyCandidate("jacket", swapTerms, 4, "10 / 100 → 100 / 10")
    expect(lines(text)[3]).toBe("The tax is 75 * 100 / 10 = $<<75*100/10=750>>750.")
    expect(lines(text)[4]).toBe("She pays 75 + 750 = $<<75+750=825>>825.")
    expect(lines(text)[5]).toBe("#### 825")
  })

  it("swap_terms: a swap that makes a count negative is refused", () => {
    expect(() => applyCandidate("tank", swapTerms, 1, "3 / 8 → 8 / 3")).toThrow(/negative/)
  })

  it("swap_terms: any two numbers whose exchange changes the value; a reordered sum or a negative count is not offered", () => {
    const model = modelFor(MARBLES)
    // 45 ↔ 20 gives 20 - 12 + 45 = 53 (no change); 45 ↔ 12 gives 12 - 45 + 20 < 0.
    expect(swapTerms(model, 1).map((p) => p.detail)).toEqual(["12 ↔ 20 in 45 - 12 + 20"])
    expect(lines(applied(model, swapTerms(model, 1)[0]!))).toEqual(["He has 45 - 20 + 12 = <<45-20+12=37>>37 marbles now.", "#### 37"])
  })

  it("swap_terms: two numbers of the question used the wrong way round in two calculations", () => {
    const model = modelOf("wages")
    expect(shape(applied(model, candidate(model, swapTerms, 1, "8 ↔ 6 (steps 1 and 2)")))).toEqual({
      steps: [
        "On weekdays he works 6 * 5 = <<6*5=30>>30 hours.",
        "With Saturday he works 30 + 8 = <<30+8=38>>38 hours.",
        "He earns 38 * 18 = $<<38*18=684>>684.",
        "Rent takes 684 / 4 = $<<684/4=171>>171.",
        "He has 684 - 171 = $<<684-171=513>>513 left.",
        "He saves 513 / 2 = $<<513/2=256.5>>256.50."
      ],
      final: "#### 256.50"
    })
    // 40 in step 2 is a result, not the question's data: never swapped this way; 6 is, with 18 and the 4 of "1/4".
    expect(swapTerms(model, 2).map((p) => p.detail).filter((d) => d.includes("steps"))).toEqual(["6 ↔ 18 (steps 2 and 3)", "6 ↔ 4 (steps 2 and 4)"])
  })

  it("misread_question: every use of the misread number from its first on changes; the question stays", () => {
    const model = modelFor(CLUB)
    const plans = misreadQuestion(model, 1)
    // 24: another number of the question, its digits swapped, its last digit one off.
    expect(plans.filter((p) => p.detail.startsWith("reads 24")).map((p) => p.detail)).toEqual(["reads 24 as 15", "reads 24 as 2", "reads 24 as 3", "reads 24 as 42", "reads 24 as 23", "reads 24 as 25"])
    expect(shape(applied(model, candidate(model, misreadQuestion, 1, "reads 24 as 42")))).toEqual({
      steps: [
        "Dues bring in 42 * 15 = $<<42*15=630>>630.",
        "The members get 42 * 2 = <<42*2=84>>84 drinks.",
        "The drinks cost 84 * 3 = $<<84*3=252>>252.",
        "The club keeps 630 - 252 = $<<630-252=378>>378."
      ],
      final: "#### 378"
    })
    // 2 is first used in step 2, so it is misread there, not in step 1.
    expect(plans.some((p) => p.detail.startsWith("reads 2 "))).toBe(false)
    expect(misreadQuestion(model, 2).map((p) => p.detail)).toContain("reads 2 as 3")
  })

  it("a new number is written in the solution's style: thousands grouped, money with its cents", () => {
    const club = modelFor(CLUB)
    const plan = candidate(club, changeValue, 1, "15 → 75")
    expect(lines(applied(club, plan, true))[0]).toBe("Dues bring in 24 * 75 = $<<24*75=1800>>1,800.")
    expect(lines(applied(club, plan, false))[0]).toBe("Dues bring in 24 * 75 = $<<24*75=1800>>1800.")
    const jacket = modelFor(fixture("jacket"))
    expect(lines(applied(jacket, candidate(jacket, deleteTerm, 1, "drop 25"), true)).slice(0, 2)).toEqual([
      "The discount is 120 / 100 = $<<120/100=1.2>>1.20.",
      "The sale price is 120 - 1.2 = $<<120-1.2=118.8>>118.80."
    ])
  })

  it("wrong_substitution never makes an operand meet itself (x - x, x / x)", () => {
    const model = modelFor(CLUB)
    // Step 4 is 360 - 144: 360 must not replace 144, nor 144 replace 360.
    expect(wrongSubstitution(model, 4).map((p) => p.detail)).not.toContain("144 → 360 (the result of step 1)")
    expect(wrongSubstitution(model, 4).map((p) => p.detail)).not.toContain("360 → 144 (the result of step 3)")
    expect(wrongSubstitution(model, 4).map((p) => p.detail)).toContain("144 → 48 (the result of step 2)")
  })

  it("records the edited span of the step text and its replacement", () => {
    const inj = injectError(fixture("lemonade").question, fixture("lemonade").solution, rngFor(7, "rise", "lemonade"), { types: ["change_operator"] })
    expect(inj.ok).toBe(true)
    if (!inj.ok) return
    expect(inj.error_step).toBe(3)
    // "Her profit was 231 - 48 = $<<231-48=183>>183." → only the changed middle is recorded.
    expect(inj.edit).toEqual({ span: { start: 19, end: 44 }, original: "- 48 = $<<231-48=183>>183", replacement: "+ 48 = $<<231+48=279>>279" })
    expect(inj.rejected_answer).toBe("279")
    expect(inj.original_answer).toBe("183")
  })

  it("a carried result rewrites only the literals bound to it: a percent's 100 stays, a question number is refused", () => {
    const paint = {
      question: "Kwabena buys 3 cans of paint at $19 each, 2 brushes at $15 each and a roller for $13. Sales tax is 6% of the total. How much does he pay?",
      solution:
        "The paint costs 3 * 19 = $<<3*19=57>>57.\nThe brushes cost 2 * 15 = $<<2*15=30>>30.\nBefore tax his items cost 57 + 30 + 13 = $<<57+30+13=100>>100.\nThe tax is 100 * 6 / 100 = $<<100*6/100=6>>6.\nHe pays 100 + 6 = $<<100+6=106>>106.\n#### 106"
    }
    const m = modelFor(paint)
    expect(lines(applied(m, candidate(m, misreadQuestion, 3, "reads 13 as 31"))).slice(2)).toEqual([
      "Before tax his items cost 57 + 30 + 31 = $<<57+30+31=118>>118.",
      "The tax is 118 * 6 / 100 = $<<118*6/100=7.08>>7.08.",
      "He pays 118 + 7.08 = $<<118+7.08=125.08>>125.08.",
      "#### 125.08"
    ])
    // 24 * 5 = 120 is also the question's 120 minutes: which one the last step uses cannot be told.
    const shift = {
      question: "A shift has 24 tasks of 5 minutes each. The break lasts 120 minutes. How long are the tasks and the break together?",
      solution: "The tasks take 24 * 5 = <<24*5=120>>120 minutes.\nTogether 120 + 120 = <<120+120=240>>240 minutes.\n#### 240"
    }
    const sm = modelFor(shift)
    const r = applyPlan(sm, candidate(sm, changeValue, 1, "24 → 25"))
    expect(r).toEqual({ ok: false, reason: "step 2: 120 is both a changed result and a number of the question" })
  })

  it("diffSpan widens to whole numbers", () => {
    expect(diffSpan("costs $231.", "costs $81.")).toEqual({ span: { start: 7, end: 10 }, original: "231", replacement: "81" })
  })
})

describe("RISE rows", () => {
  const f = fixture("wages")
  const inj = injectError(f.question, f.solution, rngFor(3, "rise", "wages"))
  it("builds a full pair and a Step-DPO pair sharing the correct prefix", () => {
    expect(inj.ok).toBe(true)
    if (!inj.ok) return
    const { full, step } = risePairs(f.question, inj)
    expect(full.prompt).toBe(f.question)
    expect(full.chosen).toBe(f.solution)
    expect(full.error_type).toBe(inj.error_type)
    const k = inj.error_step
    expect(step.initial_reason_steps).toBe(lines(f.solution).slice(0, k - 1).map((l) => `${l}\n`).join(""))
    expect(step.chosen).toBe(lines(f.solution)[k - 1])
    expect(step.rejected).toBe(lines(inj.rejected)[k - 1])
    expect(step.chosen).not.toBe(step.rejected)
  })
  it("a swap across two calculations records both steps; its step pair is the first step's wrong number alone", () => {
    const w = fixture("wages")
    const inj = injectError(w.question, w.solution, rngFor(0, "rise", "wages"), { types: ["swap_terms"], kindWeights: {} })
    expect(inj.ok).toBe(true)
    if (!inj.ok) return
    const model = modelOf("wages")
    const plan = candidate(model, swapTerms, 1, "8 ↔ 6 (steps 1 and 2)")
    expect(editSteps(model, plan)).toEqual([1, 2])
    // The first half of the swap, 6 * 5 for 8 * 5, is a wrong number in step 1: the step pair shows just that.
    const text = applied(model, plan)
    const pairs = risePairs(w.question, { ...inj, error_step: 1, rejected: text, edit_steps: [1, 2], detail: plan.detail })
    expect(pairs.step).toMatchObject({ initial_reason_steps: "", chosen: lines(w.solution)[0], rejected: "On weekdays he works 6 * 5 = <<6*5=30>>30 hours." })
    expect(pairs.full).toMatchObject({ edit_steps: [1, 2], edit_detail: "8 ↔ 6 (steps 1 and 2)" })
  })

  it("a one-step edit records its step alone", () => {
    const model = modelOf("lemonade")
    expect(editSteps(model, candidate(model, changeValue, 2, "77 → 27"))).toEqual([2])
  })

  it("removes \\boxed{} from rejected text", () => {
    expect(stripBoxed("so \\boxed{\\frac{1}{2}} and \\boxed{7}.")).toBe("so \\frac{1}{2} and 7.")
  })
})

const arbCase = fc.record({ fixture: fc.constantFrom(...FIXTURES), seed: fc.integer({ min: 0, max: 1_000_000 }) })

describe("RISE properties", () => {
  it("chosen verifies; rejected is consistent, wrong only in its answer, and first differs at error_step", () => {
    fc.assert(
      fc.property(arbCase, ({ fixture: f, seed }) => {
        const inj = injectError(f.question, f.solution, rngFor(seed, "rise", f.name))
        if (!inj.ok) return false
        expect(verifySolution(inj.chosen, { expected: f.answer }).correct).toBe(true)
        // Every annotation holds and every written result matches: the error is invisible to a calculator.
        expect(verifySolution(inj.rejected).correct).toBe(true)
        const graded = verifySolution(inj.rejected, { expected: f.answer })
        expect(graded.correct).toBe(false)
        expect(graded.code).toBe("final_answer_mismatch")
        expect(answersEqual(extractFinalAnswer(inj.rejected)!.answer, f.answer)).toBe(false)
        // The injected step is the first that differs; the step values before it are identical too.
        expect(firstDifferingStep(inj.chosen, inj.rejected)).toBe(inj.error_step)
        const a = verifySolution(inj.chosen).steps
        const b = verifySolution(inj.rejected).steps
        expect(b.slice(0, inj.error_step - 1)).toEqual(a.slice(0, inj.error_step - 1))
        const { step } = risePairs(f.question, inj)
        expect(step.initial_reason_steps).toBe(parseSolution(inj.chosen).steps.slice(0, inj.error_step - 1).map((s) => `${s.text}\n`).join(""))
        expect(inj.rejected.startsWith(step.initial_reason_steps)).toBe(true)
        return true
      }),
      { numRuns: 150 }
    )
  })

  it("the same Rng gives the same injection", () => {
    fc.assert(
      fc.property(arbCase, ({ fixture: f, seed }) => {
        expect(injectError(f.question, f.solution, rngFor(seed, "rise", f.name))).toEqual(injectError(f.question, f.solution, rngFor(seed, "rise", f.name)))
      }),
      { numRuns: 40 }
    )
  })

  it("no pair carries a surface tell; candidates that would are refused and counted", () => {
    let refused = 0
    let flaggedWithout = 0
    for (const f of [...FIXTURES, CLUB, MARBLES]) for (let seed = 0; seed < 6; seed++) {
      const inj = injectError(f.question, f.solution, rngFor(seed, "rise", f.name))
      if (!inj.ok) continue
      expect(detectTells(f.question, inj.chosen, inj.rejected)).toEqual([])
      refused += Object.values(inj.tell_rejects).reduce((a, b) => a + (b ?? 0), 0)
      const raw = injectError(f.question, f.solution, rngFor(seed, "rise", f.name), { avoidTells: false })
      if (raw.ok && detectTells(f.question, raw.chosen, raw.rejected).length > 0) flaggedWithout++
    }
    expect(refused).toBeGreaterThan(0)
    expect(flaggedWithout).toBeGreaterThan(0)
  })

  it("each record draws the direction of its wrong answer: higher and lower about equally often where both exist", () => {
    let higher = 0
    let runs = 0
    for (const f of [...FIXTURES, CLUB]) for (let seed = 0; seed < 30; seed++) {
      const inj = injectError(f.question, f.solution, rngFor(seed, "direction", f.name))
      if (!inj.ok) continue
      runs++
      if (Number(inj.rejected_answer) > Number(inj.original_answer)) higher++
    }
    expect(runs).toBeGreaterThan(100)
    expect(higher / runs).toBeGreaterThan(0.4)
    expect(higher / runs).toBeLessThan(0.6)
  })

  it("a delete_term edit that shortens the text is kept only in the share of records allowed", () => {
    const f = MARBLES
    const plain = (t: string): number => stripAnnotations(t).length
    const kept = (share: number): number[] =>
      Array.from({ length: 40 }, (_, seed) => injectError(f.question, f.solution, rngFor(seed, "delete", f.name), { types: ["delete_term"], deleteShorterShare: share })).flatMap((inj) =>
        inj.ok ? [plain(inj.rejected) - plain(inj.chosen)] : []
      )
    expect(kept(1).filter((d) => d < 0).length).toBeGreaterThan(0)
    expect(kept(0).filter((d) => d < 0)).toEqual([])
  })

  it("weightedOrder puts a heavier item first as often as its share of the weight", () => {
    let first = 0
    for (let i = 0; i < 3000; i++) if (weightedOrder(rngFor(i, "order", "x"), ["a", "b", "c"], (x) => (x === "a" ? 2 : 1))[0] === "a") first++
    expect(first / 3000).toBeGreaterThan(0.47)
    expect(first / 3000).toBeLessThan(0.53)
  })

  it("every edit kind occurs over the table and a few seeds", () => {
    const seen = new Set<RiseErrorType>()
    for (const f of [...FIXTURES, CLUB, MARBLES]) for (let seed = 0; seed < 6; seed++) {
      const inj = injectError(f.question, f.solution, rngFor(seed, "rise", f.name))
      if (inj.ok) seen.add(inj.error_type)
    }
    expect([...seen].sort()).toEqual([...RISE_ERROR_TYPES].sort())
  })

  it("refuses a solution that does not verify, saying why", () => {
    const r = injectError("q", "She has 2 + 2 = <<2+2=5>>5 apples.\n#### 5", rngFor(1, "rise", "bad"))
    expect(r).toEqual({ ok: false, code: "unverified", reason: expect.stringMatching(/does not verify: annotation_mismatch/) })
  })
})
