import { describe, expect, it } from "vitest"
import { rngFor } from "#core"
import * as R from "../rational.ts"
import { instantiate } from "./instantiate.ts"
import { templateOf } from "./template.ts"
import { TEST_SEEDS } from "./test-seeds.ts"
import type { SymbolicTemplate } from "./types.ts"

const template = (name: string): SymbolicTemplate => {
  const s = TEST_SEEDS.find((x) => x.name === name)!
  const t = templateOf(s)
  if (!t.ok) throw new Error(t.message)
  return t.template
}

describe("instantiate", () => {
  it("draws a new problem and re-executes its solution (percent seed, fixed rng)", () => {
    const inst = instantiate(template("percent"), rngFor(1, "test", "x"))
    expect(inst).toEqual({
      ok: true,
      question:
        "A jacket costs $100. The store is offering 50% off, and Aiko has a coupon that takes another $20 off the sale price. How much does Aiko pay for the jacket?",
      reference:
        "The discount is 100 * 50 / 100 = $<<100*50/100=50>>50.\nThe sale price is 100 - 50 = $<<100-50=50>>50.\nWith the coupon she pays 50 - 20 = $<<50-20=30>>30.\n#### 30",
      answer: "30",
      values: { v1: "100", v2: "50", v3: "20" },
      changes: [{ kind: "name", from: "Priya", to: "Aiko" }],
      attempts: 1
    })
  })

  it("keeps thousands separators, fractions and written results in the original's style", () => {
    const inst = instantiate(template("thousands"), rngFor(1, "test", "x"))
    expect(inst.ok).toBe(true)
    if (!inst.ok) return
    expect(inst.question).toBe(
      "A water tank holds 1,600 liters when full. Right now it is 3/8 full. A pump adds water at 50 liters per minute. How many minutes will it take to fill the tank?"
    )
    expect(inst.reference).toBe(
      "The tank now holds 1600 * 3 / 8 = <<1600*3/8=600>>600 liters.\nIt needs 1600 - 600 = <<1600-600=1000>>1,000 more liters.\nFilling it takes 1000 / 50 = <<1000/50=20>>20 minutes.\n#### 20"
    )
    expect(inst.answer).toBe("20")
  })

  it("keeps money in cents and rewrites earlier results mentioned in words", () => {
    const inst = instantiate(template("decimals"), rngFor(1, "test", "x"))
    // The numbers depend on the draw, the pens may become other stationery and Grace a man: the shape is what is kept.
    // "1.40" in the words stays in cents, and the sum in words repeats the earlier result in cents.
    expect(inst.ok && inst.reference).toMatch(
      /^The notebooks cost \d+ \* [\d.]+ = \$<<[^>]+>>[\d.]+\.\nThe (?:pens|pencils|markers|crayons|erasers|highlighters) cost \d+ \* \d+\.\d\d = \$<<[^>]+>>[\d.]+\.\n(?:She|He) spends [\d.]+ \+ \d+\.\d\d = \$<<[^>]+>>[\d.]+\.\n(?:Her|His) change is \d+ - [\d.]+ = \$<<[^>]+>>[\d.]+\.\n#### [\d.]+$/
    )
  })

  it("rejects with conditions_unsatisfiable when no draw can meet the conditions", () => {
    const t = template("money")
    const impossible: SymbolicTemplate = {
      ...t,
      conditions: [{ kind: "range", ref: { kind: "var", id: "v1", scale: R.ONE }, max: R.ZERO, why: "test" }, ...t.conditions]
    }
    const inst = instantiate(impossible, rngFor(1, "test", "x"), { maxAttempts: 7 })
    expect(inst.ok).toBe(false)
    if (!inst.ok) {
      expect(inst.reason).toBe("conditions_unsatisfiable")
      expect(inst.attempts).toBe(7)
      expect(inst.message).toContain("v1 must be below 0")
    }
  })

  it("rejects with unverified when the rebuilt solution does not check", () => {
    const t = template("money")
    const [first, ...rest] = t.annotations
    // A broken template: the stated result of step 1 is printed twice as large.
    const broken: SymbolicTemplate = { ...t, annotations: [{ ...first!, result: { ...first!.result!, scale: R.fromBigInt(2n) } }, ...rest] }
    const inst = instantiate(broken, rngFor(1, "test", "x"))
    expect(inst.ok).toBe(false)
    if (!inst.ok) {
      expect(inst.reason).toBe("unverified")
      expect(inst.message).toMatch(/^unverified: annotation_mismatch: step 1/)
    }
  })

  it("keeps a word-stated comparison true", () => {
    const t = templateOf({
      question: "Shipping is free on orders of $50 or more. Marcus buys 3 shirts at $14 each and a cap for $9. How much does he pay?",
      reference: "The shirts cost 3 * 14 = $<<3*14=42>>42.\nHis order comes to 42 + 9 = $<<42+9=51>>51.\nSince $51 is at least $50, shipping is free.\nHe pays $51.\n#### 51"
    })
    expect(t.ok).toBe(true)
    if (!t.ok) return
    let made = 0
    for (let i = 0; i < 20; i++) {
      const inst = instantiate(t.template, rngFor(1, "test", `cmp-${i}`))
      if (!inst.ok) continue
      made++
      expect(Number(inst.answer)).toBeGreaterThan(50)
      expect(inst.reference).toContain(`Since $${inst.answer} is at least $50`)
    }
    expect(made).toBeGreaterThan(10)
  })

  it("keeps answers within 3x of the seed's and the same rng gives the same instance", () => {
    for (const name of ["percent", "thousands", "money", "chain"]) {
      const t = template(name)
      const seedAnswer = Number(t.answer)
      for (let i = 0; i < 30; i++) {
        const inst = instantiate(t, rngFor(2, "spread", `${name}-${i}`))
        if (!inst.ok) continue
        expect(Number(inst.answer)).toBeLessThanOrEqual(3 * seedAnswer)
        expect(Number(inst.answer)).toBeGreaterThanOrEqual(seedAnswer / 3)
        expect(instantiate(t, rngFor(2, "spread", `${name}-${i}`))).toEqual(inst)
      }
    }
  })
})
