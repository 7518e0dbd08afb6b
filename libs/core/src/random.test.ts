import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { rngFor } from "./random.ts"

describe("rngFor", () => {
  it("gives the same draws for the same (seed, stage, record), whatever else was drawn before", () => {
    const a = rngFor(7, "variants", "task-1")
    rngFor(7, "variants", "task-2").next()
    const b = rngFor(7, "variants", "task-1")
    expect([a.next(), a.int(1, 6), a.pick(["x", "y", "z"])]).toEqual([b.next(), b.int(1, 6), b.pick(["x", "y", "z"])])
  })

  it("gives different streams for a different seed, stage or record", () => {
    const first = (seed: number, stage: string, id: string) => rngFor(seed, stage, id).next()
    const base = first(1, "s", "r")
    expect(first(2, "s", "r")).not.toBe(base)
    expect(first(1, "t", "r")).not.toBe(base)
    expect(first(1, "s", "q")).not.toBe(base)
  })

  it("draws integers inside their bounds, floats in [0, 1), and shuffles into a permutation", () => {
    fc.assert(
      fc.property(fc.integer(), fc.string(), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 100 }), (seed, id, lo, span) => {
        const rng = rngFor(seed, "test", id)
        const n = rng.int(lo, lo + span)
        expect(n).toBeGreaterThanOrEqual(lo)
        expect(n).toBeLessThanOrEqual(lo + span)
        const f = rng.next()
        expect(f >= 0 && f < 1).toBe(true)
        const items = Array.from({ length: span % 12 }, (_, i) => i)
        expect([...rng.shuffle(items)].sort((x, y) => x - y)).toEqual(items)
      })
    )
  })

  it("forks children that do not depend on the parent's position", () => {
    const a = rngFor(3, "s", "r")
    const b = rngFor(3, "s", "r")
    b.next()
    b.next()
    expect(a.fork("variant-1").next()).toBe(b.fork("variant-1").next())
    expect(a.fork("variant-1").next()).not.toBe(a.fork("variant-2").next())
  })

  it("spreads int draws over the whole range", () => {
    const rng = rngFor(0, "s", "uniform")
    const counts = [0, 0, 0, 0, 0, 0]
    for (let i = 0; i < 6000; i++) counts[rng.int(0, 5)]! += 1
    for (const c of counts) expect(c).toBeGreaterThan(850) // each face near 1000
  })

  it("refuses bounds that are not integers in order", () => {
    expect(() => rngFor(0, "s", "r").int(3, 2)).toThrow(RangeError)
    expect(() => rngFor(0, "s", "r").pick([])).toThrow(RangeError)
  })
})
