import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { exactDedup } from "./exact.ts"
import { normalisedText } from "./normalise.ts"

describe("exactDedup", () => {
  it("keeps the first of each normalised text and names it for the others", () => {
    const items = [
      { key: "a", text: "What is 2 + 2?" },
      { key: "b", text: "what is 2+2" },
      { key: "c", text: "What is 2 + 3?" },
      { key: "d", text: "WHAT   IS 2 + 2 ???" },
      { key: "e", text: "what is 2 + 3" },
      { key: "f", text: "" },
      { key: "g", text: "..." }
    ]
    expect([...exactDedup(items)]).toEqual([
      { kept: true, key: "a", index: 0 },
      { kept: false, key: "b", index: 1, matched: "a", score: 1 },
      { kept: true, key: "c", index: 2 },
      { kept: false, key: "d", index: 3, matched: "a", score: 1 },
      { kept: false, key: "e", index: 4, matched: "c", score: 1 },
      { kept: true, key: "f", index: 5 },
      { kept: false, key: "g", index: 6, matched: "f", score: 1 }
    ])
  })

  it("removes an item exactly when an earlier item has the same normalised text, and names the first of them", () => {
    const text = fc.string({ unit: fc.constantFrom(..."ab A,. "), maxLength: 6 })
    fc.assert(
      fc.property(fc.array(text, { maxLength: 40 }), (texts) => {
        const decisions = [...exactDedup(texts.map((t, key) => ({ key, text: t })))]
        expect(decisions.map((d) => d.index)).toEqual(texts.map((_, i) => i))
        decisions.forEach((d, i) => {
          const first = texts.findIndex((t) => normalisedText(t) === normalisedText(texts[i]!))
          if (first === i) expect(d.kept).toBe(true)
          else expect(d).toEqual({ kept: false, key: i, index: i, matched: first, score: 1 })
        })
      })
    )
  })
})
