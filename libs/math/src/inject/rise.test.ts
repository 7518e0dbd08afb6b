import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { rngFor } from "#core"
import { verifySolution } from "../verify.ts"
import { parseSolution } from "../parse.ts"
import { extractFinalAnswer, answersEqual } from "../answer.ts"
import { FIXTURES } from "./fixtures.ts"
import { applyCandidate, fixture, lines } from "./test-helpers.ts"
import { changeOperator, changeRelatedValues, changeValue, deleteTerm, swapTerms, wrongSubstitution } from "./candidates.ts"
import { diffSpan, firstDifferingStep, injectError, RISE_ERROR_TYPES } from "./rise.ts"
import type { RiseErrorType } from "./rise.ts"
import { risePairs, stripBoxed } from "./rise-rows.ts"

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
        "The discount is 120 / 100 = $<<120/100=1.2>>1.2.",
        "The sale price is 120 - 1.2 = $<<120-1.2=118.8>>118.8.",
        "With the coupon the price is 118.8 - 15 = $<<118.8-15=103.8>>103.8.",
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

  it("every edit kind occurs over the table and a few seeds", () => {
    const seen = new Set<RiseErrorType>()
    for (const f of FIXTURES) for (let seed = 0; seed < 6; seed++) {
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
