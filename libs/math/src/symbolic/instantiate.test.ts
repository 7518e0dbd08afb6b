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
        "A jacket costs $140. The store is offering 50% off, and Priya has a coupon that takes another $25 off the sale price. How much does Priya pay for the jacket?",
      reference:
        "The discount is 140 * 50 / 100 = $<<140*50/100=70>>70.\nThe sale price is 140 - 70 = $<<140-70=70>>70.\nWith the coupon she pays 70 - 25 = $<<70-25=45>>45.\n#### 45",
      answer: "45",
      values: { v1: "140", v2: "50", v3: "25" },
      attempts: 1
    })
  })

  it("keeps thousands separators, fractions and written results in the original's style", () => {
    const inst = instantiate(template("thousands"), rngFor(1, "test", "x"))
    expect(inst.ok).toBe(true)
    if (!inst.ok) return
    expect(inst.question).toBe(
      "A water tank holds 3,400 liters when full. Right now it is 3/8 full. A pump adds water at 125 liters per minute. How many minutes will it take to fill the tank?"
    )
    expect(inst.reference).toBe(
      "The tank now holds 3400 * 3 / 8 = <<3400*3/8=1275>>1,275 liters.\nIt needs 3400 - 1275 = <<3400-1275=2125>>2,125 more liters.\nFilling it takes 2125 / 125 = <<2125/125=17>>17 minutes.\n#### 17"
    )
    expect(inst.answer).toBe("17")
  })

  it("keeps money in cents and rewrites earlier results mentioned in words", () => {
    const inst = instantiate(template("decimals"), rngFor(1, "test", "x"))
    expect(inst.ok && inst.reference).toBe(
      "The notebooks cost 4 * 5.25 = $<<4*5.25=21>>21.\nThe pens cost 2 * 1.40 = $<<2*1.4=2.8>>2.8.\nShe spends 21 + 2.80 = $<<21+2.8=23.8>>23.8.\nHer change is 25 - 23.8 = $<<25-23.8=1.2>>1.2.\n#### 1.2"
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
})
