import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { rngFor } from "#core"
import { verifySolution } from "../verify.ts"
import { parseSolution } from "../parse.ts"
import { answersEqual, extractFinalAnswer } from "../answer.ts"
import { FIXTURES } from "./fixtures.ts"
import { applyCandidate, fixture, lines, modelOf } from "./test-helpers.ts"
import { changeOperator, wrongSubstitution } from "./candidates.ts"
import { calculationSlip, countingSlip, irrelevantInformation, missingStep, unitConversion } from "./lemma-candidates.ts"
import { injectLemmaError, LEMMA_ERROR_TYPES, PROGRAMMATIC_LEMMA_TYPES } from "./lemma.ts"
import type { LemmaErrorType } from "./lemma.ts"
import { buildLemmaTrace, CONTINUE_PHRASES, lemmaTrace, TRANSITION_PHRASES } from "./lemma-trace.ts"

describe("LEMMA taxonomy", () => {
  it("has the 11 types; 8 are realised programmatically", () => {
    expect(LEMMA_ERROR_TYPES).toHaveLength(11)
    expect([...PROGRAMMATIC_LEMMA_TYPES].sort()).toEqual(
      [
        "adding_irrelevant_information",
        "calculation",
        "counting",
        "missing_step",
        "operator",
        "referencing_context_value",
        "referencing_previous_step_value",
        "unit_conversion"
      ].sort()
    )
  })
  it("says so for a type that needs a model", () => {
    const f = fixture("lemonade")
    expect(injectLemmaError(f.question, f.solution, rngFor(1, "l", "x"), { type: "confusing_concept" })).toEqual({
      ok: false,
      code: "needs_model",
      reason: "error type confusing_concept is not realised programmatically (needs a model)"
    })
  })
})

describe("LEMMA error types, exact outputs", () => {
  it("calculation: the stated result is a slip and later steps go on from it", () => {
    const { text, plan } = applyCandidate("lemonade", calculationSlip, 1, "77 → 27")
    expect(lines(text)).toEqual([
      "Over the two days she sold 42 + 35 = <<42+35=27>>27 cups.",
      "She took in 27 * 3 = $<<27*3=81>>81.",
      "Her profit was 81 - 48 = $<<81-48=33>>33.",
      "#### 33"
    ])
    expect(plan.explain).toBe("42 + 35 is 77, not 27.")
    const v = verifySolution(text)
    expect([v.first_error_step, v.code]).toEqual([1, "annotation_mismatch"])
  })

  it("referencing_context_value: another number of the question", () => {
    const { text, plan } = applyCandidate("lemonade", (m, s) => wrongSubstitution(m, s, "question"), 3, "48 → 35 (from the question)")
    expect(lines(text).slice(2)).toEqual(["Her profit was 231 - 35 = $<<231-35=196>>196.", "#### 196"])
    expect(plan.explain).toBe("I used 35 (from the question) instead of 48.")
  })

  it("referencing_previous_step_value: the wrong earlier result", () => {
    const { text, plan } = applyCandidate("jacket", (m, s) => wrongSubstitution(m, s, "previous"), 3, "90 → 30 (the result of step 1)")
    expect(lines(text).slice(2)).toEqual([
      "With the coupon the price is 30 - 15 = $<<30-15=15>>15.",
      "The tax is 15 * 10 / 100 = $<<15*10/100=1.5>>1.50.",
      "She pays 15 + 1.50 = $<<15+1.5=16.5>>16.50.",
      "#### 16.50"
    ])
    expect(plan.explain).toBe("I used 30 (the result of step 1) instead of 90, the result of step 2.")
  })

  it("operator: + becomes −", () => {
    const { text } = applyCandidate("school", changeOperator, 3, "+ → -")
    expect(lines(text).slice(2)).toEqual([
      "243 - 180 = <<243-180=63>>63 students walk or take the bus.",
      "So 540 - 63 = <<540-63=477>>477 students are driven.",
      "#### 477"
    ])
  })

  it("missing_step: the step is dropped and later steps use the value from before it", () => {
    const { text, plan } = applyCandidate("wages", missingStep, 2, "skip step 2 (40 + 6 = 46)")
    expect(lines(text)).toEqual([
      "On weekdays he works 8 * 5 = <<8*5=40>>40 hours.",
      "He earns 40 * 18 = $<<40*18=720>>720.",
      "Rent takes 720 / 4 = $<<720/4=180>>180.",
      "He has 720 - 180 = $<<720-180=540>>540 left.",
      "He saves 540 / 2 = $<<540/2=270>>270.",
      "#### 270"
    ])
    expect(plan.explain).toBe("I never worked out 40 + 6 = 46, so I kept using 40 where I needed 46.")
  })

  it("counting: + 1 goes the wrong way", () => {
    const { text } = applyCandidate("buses", countingSlip, 4, "+ 1 → - 1")
    expect(lines(text).slice(3)).toEqual([
      "So there are 12 - 1 = <<12-1=11>>11 buses.",
      "Together they carry 11 * 40 = <<11*40=440>>440 passengers.",
      "#### 440"
    ])
  })

  it("unit_conversion: 100 minutes to the hour", () => {
    const { text, plan } = applyCandidate("buses", unitConversion, 2, "factor 60 → 100")
    expect(lines(text).slice(1)).toEqual([
      "That is 3 * 100 = <<3*100=300>>300 minutes.",
      "There are 300 / 15 = <<300/15=20>>20 gaps between buses.",
      "So there are 20 + 1 = <<20+1=21>>21 buses.",
      "Together they carry 21 * 40 = <<21*40=840>>840 passengers.",
      "#### 840"
    ])
    expect(plan.explain).toBe("I converted with 100 where the conversion factor is 60.")
  })

  it("unit_conversion: not offered for a factor the question states or an earlier step computed", () => {
    // bottles: 16 hours, 6 days and cases of 24 are the question's quantities; only the percent's 100 is a constant.
    const model = modelOf("bottles")
    const details = [1, 2, 3, 4, 5].flatMap((step) => unitConversion(model, step).map((p) => p.detail))
    expect(details).toEqual(["factor 100 → 10", "factor 100 → 1000", "/ 100 → * 100"])
  })

  it("adding_irrelevant_information: an unused number of the question is worked in", () => {
    const { text } = applyCandidate("fence", irrelevantInformation, 2, "+ 12")
    expect(lines(text).slice(1)).toEqual([
      "The fence is 14 + 9 + 14 + 9 + 12 = <<14+9+14+9+12=58>>58 meters long.",
      "It costs 58 * 6.50 = $<<58*6.5=377>>377.",
      "#### 377"
    ])
  })
})

describe("LEMMA traces, exact", () => {
  const f = fixture("wages")
  const inj = injectLemmaError(f.question, f.solution, rngFor(1, "t", "w"), { type: "missing_step" })
  it("Fix & Continue: wrong prefix, transition, named error, corrected steps, answer", () => {
    expect(inj.ok).toBe(true)
    if (!inj.ok) return
    const t = buildLemmaTrace(f.question, inj, rngFor(1, "t", "x"), { strategy: "fix_and_continue" })
    expect(t.ok).toBe(true)
    if (!t.ok) return
    expect(t.messages[0]).toEqual({ role: "user", content: f.question })
    expect(lines(t.messages[1]!.content)).toEqual([
      "On weekdays he works 8 * 5 = <<8*5=40>>40 hours.",
      "With Saturday he works 40 + 6 = <<40+6=46>>46 hours.",
      "Rent takes 46 / 4 = $<<46/4=11.5>>11.5.",
      expect.stringMatching(/^.* I left out a step: I never worked out 46 \* 18 = 828, so I kept using 46 where I needed 828\. .*:$/),
      "He earns 46 * 18 = $<<46*18=828>>828.",
      "Rent takes 828 / 4 = $<<828/4=207>>207.",
      "He has 828 - 207 = $<<828-207=621>>621 left.",
      "He saves 621 / 2 = $<<621/2=310.5>>310.50.",
      "The answer is: 310.50"
    ])
    const turn = lines(t.messages[1]!.content)[3]!
    expect(turn.startsWith(`${t.transition} `)).toBe(true)
    expect(CONTINUE_PHRASES.some((p) => turn.endsWith(` ${p}`))).toBe(true)
    expect([t.strategy, t.error_type, t.error_step]).toEqual(["fix_and_continue", "missing_step", 3])
  })
  it("Fresh & Restart: a supplied alternative that verifies replaces the reference", () => {
    if (!inj.ok) return
    const alt = "He works 8 * 5 + 6 = <<8*5+6=46>>46 hours and earns 46 * 18 = $<<46*18=828>>828.\nHe keeps 828 * 3 / 4 = $<<828*3/4=621>>621 after rent.\nHe saves 621 / 2 = $<<621/2=310.5>>310.50.\n#### 310.50"
    const wrongAlt = "He saves 100 = <<100=100>>100.\n#### 100"
    const t = buildLemmaTrace(f.question, inj, rngFor(2, "t", "x"), { strategy: "fresh_and_restart", alternatives: [alt, wrongAlt] })
    if (!t.ok) throw new Error(t.reason)
    const out = lines(t.messages[1]!.content)
    expect(out.slice(4)).toEqual([...lines(alt).slice(0, 3), "The answer is: 310.50"])
    expect(out[3]!.startsWith(t.transition)).toBe(true)
  })
  it("can strip calculator annotations", () => {
    if (!inj.ok) return
    const t = buildLemmaTrace(f.question, inj, rngFor(1, "t", "x"), { strategy: "fix_and_continue", stripAnnotations: true })
    if (!t.ok) throw new Error(t.reason)
    expect(t.messages[1]!.content).not.toMatch(/<<|>>/)
    expect(lines(t.messages[1]!.content)[0]).toBe("On weekdays he works 8 * 5 = 40 hours.")
  })
})

const arbCase = fc.record({ fixture: fc.constantFrom(...FIXTURES), seed: fc.integer({ min: 0, max: 1_000_000 }) })

describe("LEMMA properties", () => {
  it("a trace is the wrong prefix up to error_step, then the transition, and ends on the true answer", () => {
    fc.assert(
      fc.property(arbCase, ({ fixture: f, seed }) => {
        const t = lemmaTrace(f.question, f.solution, rngFor(seed, "lemma", f.name))
        if (!t.ok) return false
        const content = t.messages[1]!.content
        const out = lines(content)
        expect(out.at(-1)).toBe(`The answer is: ${f.answer}`)
        const final = extractFinalAnswer(content)
        expect(final && answersEqual(final.answer, f.answer)).toBe(true)
        expect(TRANSITION_PHRASES).toContain(t.transition)
        const wrongSteps = parseSolution(t.injection.wrong).steps.map((s) => s.text)
        expect(out.slice(0, t.error_step)).toEqual(wrongSteps.slice(0, t.error_step))
        expect(out[t.error_step]!.startsWith(t.transition)).toBe(true)
        expect(out.filter((l) => TRANSITION_PHRASES.some((p) => l.startsWith(p)))).toHaveLength(1)
        // The wrong attempt really is wrong, and continues to a wrong answer.
        expect(answersEqual(extractFinalAnswer(t.injection.wrong)!.answer, f.answer)).toBe(false)
        const v = verifySolution(t.injection.wrong)
        if (t.error_type === "calculation") expect(v.first_error_step).toBe(t.error_step)
        else expect(v.correct).toBe(true)
        // Before the error everything the attempt wrote is correct: a prefix of the reference (missing_step: its steps minus the skipped one).
        if (t.error_type !== "missing_step") {
          expect(wrongSteps.slice(0, t.error_step - 1)).toEqual(parseSolution(f.solution).steps.slice(0, t.error_step - 1).map((s) => s.text))
        }
        return true
      }),
      { numRuns: 150 }
    )
  })

  it("the same Rng gives the same trace", () => {
    fc.assert(
      fc.property(arbCase, ({ fixture: f, seed }) => {
        expect(lemmaTrace(f.question, f.solution, rngFor(seed, "lemma", f.name))).toEqual(lemmaTrace(f.question, f.solution, rngFor(seed, "lemma", f.name)))
      }),
      { numRuns: 40 }
    )
  })

  it("every programmatic type and both strategies occur over the table and a few seeds", () => {
    const types = new Set<LemmaErrorType>()
    const strategies = new Set<string>()
    for (const f of FIXTURES) for (let seed = 0; seed < 8; seed++) {
      const t = lemmaTrace(f.question, f.solution, rngFor(seed, "lemma", f.name))
      if (t.ok) {
        types.add(t.error_type)
        strategies.add(t.strategy)
      }
    }
    expect([...types].sort()).toEqual([...PROGRAMMATIC_LEMMA_TYPES].sort())
    expect([...strategies].sort()).toEqual(["fix_and_continue", "fresh_and_restart"])
  })
})
