import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { NoveltyFilter, noveltyFilter, noveltyFilterBruteForce } from "./rouge-filter.ts"

const words = (n: number, prefix = "t") => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`).join(" ")

describe("noveltyFilter", () => {
  it("drops at rouge_score's float, not the rational: 7 of 9 vs 11 tokens is 0.7000000000000001 > 0.7", () => {
    const a = words(9) // t1..t9
    const b = `${words(7)} x1 x2 x3 x4` // 11 tokens, LCS 7
    const c = `${words(7)} y1 y2 y3` // 10 tokens
    const d = `${words(7)} z1 z2 z3` // 10 tokens; F with c: LCS 7 of 10 and 10 = 0.7 exactly: kept
    const { decisions } = noveltyFilter([a, b])
    expect(decisions[1]).toEqual({ kept: false, key: 1, index: 1, matched: 0, matchedIndex: 0, score: 0.7000000000000001 })
    const second = noveltyFilter([c, d])
    expect(second.decisions[1]).toEqual({ kept: true, key: 1, index: 1, similar: [{ key: 0, index: 0, score: 0.7 }] })
  })

  it("keeps items with no tokens, which match nothing and are matched by nothing", () => {
    const { decisions } = noveltyFilter(["", "!!!", "日本語", "a b c", "!!!", "a b c"], { threshold: 0 })
    expect(decisions.map((d) => d.kept)).toEqual([true, true, true, true, true, false])
    expect(decisions[4]).toEqual({ kept: true, key: 4, index: 4, similar: [] })
    expect(decisions[5]).toMatchObject({ kept: false, matched: 3, score: 1 })
  })

  it("names the best-scoring kept item, the earliest of equals, and lists similar items best first", () => {
    const items = [
      { key: "p", text: "alpha beta gamma delta" },
      { key: "q", text: "alpha beta gamma epsilon" },
      { key: "r", text: "zeta eta theta iota" },
      { key: "s", text: "alpha beta gamma delta epsilon" }
    ]
    const { decisions } = noveltyFilter(items, { threshold: 0.7 })
    // s vs p: LCS 4 of 5 and 4 -> 0.888...; s vs q: LCS 4 -> 0.888... too: the earlier, p, is named
    expect(decisions[3]).toMatchObject({ kept: false, key: "s", matched: "p", matchedIndex: 0 })
    expect((decisions[3] as { score: number }).score).toBe(2 * (4 / 4) * (4 / 5) / (4 / 4 + 4 / 5))
    // q vs p: 3 of 4 -> 0.75 > 0.7: removed
    expect(decisions[1]).toMatchObject({ kept: false, matched: "p", score: 0.75 })
    const loose = noveltyFilter(items, { threshold: 0.9, keepTop: 2 })
    expect(loose.decisions[3]).toEqual({
      kept: true,
      key: "s",
      index: 3,
      similar: [
        { key: "p", index: 0, score: 0.888888888888889 },
        { key: "q", index: 1, score: 0.888888888888889 }
      ]
    })
    expect(loose.decisions[2]).toEqual({ kept: true, key: "r", index: 2, similar: [] })
  })

  it("threshold 1 removes nothing (F ≤ 1), threshold 0 removes anything sharing a token with a kept item", () => {
    const texts = ["a b", "a b", "b c", "d"]
    expect(noveltyFilter(texts, { threshold: 1 }).decisions.every((d) => d.kept)).toBe(true)
    expect(noveltyFilter(texts, { threshold: 0 }).decisions.map((d) => d.kept)).toEqual([true, false, false, true])
  })

  it("rejects a negative or NaN threshold and a bad keepTop", () => {
    expect(() => new NoveltyFilter({ threshold: -0.1 })).toThrow(RangeError)
    expect(() => new NoveltyFilter({ threshold: Number.NaN })).toThrow(RangeError)
    expect(() => new NoveltyFilter({ keepTop: 1.5 })).toThrow(RangeError)
    expect(() => noveltyFilterBruteForce([], { keepTop: -1 })).toThrow(RangeError)
  })
})

// Random sets with planted near-duplicates: word sequences over a small vocabulary, then copies with a few edits.
const VOCABULARY = ["the", "a", "write", "list", "story", "poem", "about", "cat", "dog", "ten", "of", "and", "Explain", "why", "how"]
const sentence = fc.array(fc.constantFrom(...VOCABULARY), { minLength: 0, maxLength: 12 })
const edit = fc.oneof(
  fc.record({ kind: fc.constant("sub" as const), at: fc.nat(), word: fc.constantFrom(...VOCABULARY) }),
  fc.record({ kind: fc.constant("ins" as const), at: fc.nat(), word: fc.constantFrom(...VOCABULARY) }),
  fc.record({ kind: fc.constant("del" as const), at: fc.nat(), word: fc.constant("") }),
  fc.record({ kind: fc.constant("swap" as const), at: fc.nat(), word: fc.constant("") })
)
const applyEdits = (base: ReadonlyArray<string>, edits: ReadonlyArray<{ kind: string; at: number; word: string }>): Array<string> => {
  const out = [...base]
  for (const e of edits) {
    const at = out.length === 0 ? 0 : e.at % out.length
    if (e.kind === "sub" && out.length > 0) out[at] = e.word
    else if (e.kind === "ins") out.splice(at, 0, e.word)
    else if (e.kind === "del") out.splice(at, 1)
    else if (e.kind === "swap" && out.length > 1) [out[at], out[(at + 1) % out.length]] = [out[(at + 1) % out.length]!, out[at]!]
  }
  return out
}
const decoration = fc.constantFrom("", ".", "!", " ?", " ...", ",")
const plantedSet = fc
  .tuple(
    fc.array(sentence, { minLength: 1, maxLength: 25 }),
    fc.array(fc.tuple(fc.nat(), fc.array(edit, { maxLength: 3 }), decoration), { maxLength: 40 }),
    fc.array(fc.constantFrom("", "!!!", "日本語", "   "), { maxLength: 3 }),
    fc.nat()
  )
  .map(([bases, copies, empties, seed]) => {
    const texts = [
      ...bases.map((b) => b.join(" ")),
      ...copies.map(([i, edits, end]) => applyEdits(bases[i % bases.length]!, edits).join(" ") + end),
      ...empties
    ]
    // a deterministic shuffle, so copies can come before their originals
    let s = seed | 1
    for (let i = texts.length - 1; i > 0; i--) {
      s = (Math.imul(s, 1103515245) + 12345) | 0
      const j = (s >>> 8) % (i + 1)
      ;[texts[i], texts[j]] = [texts[j]!, texts[i]!]
    }
    return texts
  })

describe("noveltyFilter equals the brute force (property)", () => {
  const threshold = fc.oneof(fc.constantFrom(0, 0.5, 0.7, 1), fc.double({ min: 0, max: 1.2, noNaN: true }))
  const keepTop = fc.constantFrom(0, 1, 3, 10)

  it("kept set, matches, scores and similar lists, exactly", () => {
    fc.assert(
      fc.property(plantedSet, threshold, keepTop, (texts, t, k) => {
        const fast = noveltyFilter(texts, { threshold: t, keepTop: k })
        const brute = noveltyFilterBruteForce(texts, { threshold: t, keepTop: k })
        expect(fast.decisions).toEqual(brute.decisions)
        expect(fast.stats.kept).toBe(brute.stats.kept)
        expect(fast.stats.lcs).toBeLessThanOrEqual(brute.stats.lcs)
      }),
      { numRuns: 600 }
    )
  })

  it("at each of 0, 0.5, 0.7 and 1 with the defaults' keepTop", () => {
    for (const t of [0, 0.5, 0.7, 1]) {
      fc.assert(
        fc.property(plantedSet, (texts) => {
          expect(noveltyFilter(texts, { threshold: t }).decisions).toEqual(noveltyFilterBruteForce(texts, { threshold: t }).decisions)
        }),
        { numRuns: 150 }
      )
    }
  })

  it("on larger sets mixing a few common words with many rare ones (so reading stops early)", () => {
    const common = ["the", "a", "of", "write", "make", "sure", "to"]
    const rare = Array.from({ length: 300 }, (_, i) => `w${i}`)
    const word = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...common) }, { weight: 3, arbitrary: fc.constantFrom(...rare) })
    const base = fc.array(word, { minLength: 1, maxLength: 20 })
    const set = fc
      .tuple(fc.array(base, { minLength: 20, maxLength: 120 }), fc.array(fc.tuple(fc.nat(), fc.array(edit, { maxLength: 4 })), { maxLength: 80 }))
      .map(([bases, copies]) => [...bases.map((b) => b.join(" ")), ...copies.map(([i, edits]) => applyEdits(bases[i % bases.length]!, edits).join(" "))])
    fc.assert(
      fc.property(set, fc.constantFrom(0, 0.3, 0.5, 0.7, 1), keepTop, (texts, t, k) => {
        expect(noveltyFilter(texts, { threshold: t, keepTop: k }).decisions).toEqual(noveltyFilterBruteForce(texts, { threshold: t, keepTop: k }).decisions)
      }),
      { numRuns: 150 }
    )
  })

  it("on 600 items where many common words reach the mask bits (32 items or more)", () => {
    let seed = 12345
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) | 0
      return (seed >>> 8) % n
    }
    const common = Array.from({ length: 40 }, (_, i) => `c${i}`)
    const texts: Array<string> = []
    for (let i = 0; i < 600; i++) {
      if (texts.length > 0 && next(4) === 0) {
        const words = texts[next(texts.length)]!.split(" ")
        words[next(words.length)] = `r${next(500)}`
        texts.push(words.join(" "))
      } else texts.push(Array.from({ length: 4 + next(14) }, () => (next(3) === 0 ? `r${next(500)}` : common[next(common.length)]!)).join(" "))
    }
    for (const threshold of [0.3, 0.5, 0.7]) {
      for (const keepTop of [0, 10]) {
        expect(noveltyFilter(texts, { threshold, keepTop }).decisions).toEqual(noveltyFilterBruteForce(texts, { threshold, keepTop }).decisions)
      }
    }
  })

  it("does far fewer LCS computations than the brute force on a larger planted set", () => {
    const [texts] = fc.sample(plantedSet.chain(() => fc.array(plantedSet, { minLength: 30, maxLength: 30 })), { numRuns: 1, seed: 7 })
    const all = texts!.flat()
    const fast = noveltyFilter(all, { keepTop: 0 })
    const brute = noveltyFilterBruteForce(all, { keepTop: 0 })
    expect(fast.decisions).toEqual(brute.decisions)
    expect(fast.stats.lcs * 5).toBeLessThan(brute.stats.lcs)
  })
})
