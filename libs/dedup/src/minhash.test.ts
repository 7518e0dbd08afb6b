import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { rngFor } from "#core"
import { BandTable, candidateProbability, jaccard, MINHASH_DEFAULTS, MinHashDeduper, minhashDedup, SetPool, shingleSet } from "./minhash.ts"
import { normaliseWords } from "./normalise.ts"

/** Reference shingles as strings, independent of the hashing under test. */
const refShingles = (text: string, kind: "word" | "char", size: number): Set<string> => {
  const words = normaliseWords(text)
  if (words.length === 0) return new Set()
  if (kind === "word") {
    const n = Math.min(size, words.length)
    return new Set(Array.from({ length: words.length - n + 1 }, (_, i) => words.slice(i, i + n).join(" ")))
  }
  const joined = words.join(" ")
  const n = Math.min(size, joined.length)
  return new Set(Array.from({ length: joined.length - n + 1 }, (_, i) => joined.slice(i, i + n)))
}
const refJaccard = (a: Set<string>, b: Set<string>): number => {
  if (a.size === 0 && b.size === 0) return 1
  let both = 0
  for (const x of a) if (b.has(x)) both++
  return both / (a.size + b.size - both)
}

describe("shingleSet and jaccard", () => {
  it.each([
    ["the cat sat on the mat", "The cat sat on the mat!", "word", 2, 1],
    ["a b c d e", "a b c d", "word", 1, 4 / 5],
    ["a b c d e f", "a b c d e g", "word", 2, 4 / 6],
    ["one two", "one two three four five six", "word", 5, 0], // short text: one shingle, itself
    ["one two", "One, two.", "word", 5, 1],
    ["abcdef", "abcdeg", "char", 3, 3 / 5],
    ["", "...", "word", 5, 1]
  ] as const)("%j vs %j (%s %i-grams): Jaccard %d", (a, b, kind, size, expected) => {
    expect(jaccard(shingleSet(a, kind, size), shingleSet(b, kind, size))).toBeCloseTo(expected, 12)
    expect(refJaccard(refShingles(a, kind, size), refShingles(b, kind, size))).toBeCloseTo(expected, 12)
  })

  it("has as many distinct hashes as distinct shingles", () => {
    const text = "to be or not to be that is the question to be or not"
    expect(shingleSet(text, "word", 2).length).toBe(refShingles(text, "word", 2).size)
    expect(shingleSet(text, "char", 4).length).toBe(refShingles(text, "char", 4).size)
  })
})

describe("defaults", () => {
  it("find at least 0.99 of pairs at Jaccard 0.8 as candidates (20 bands × 7 rows)", () => {
    expect(MINHASH_DEFAULTS).toMatchObject({ shingle: "word", wordSize: 5, threshold: 0.8, bands: 20, rows: 7 })
    expect(candidateProbability(0.8, 20, 7)).toBeGreaterThan(0.99)
    expect(candidateProbability(0.8, 14, 8)).toBeLessThan(0.93) // datatrove's bands would miss 8% at 0.8
    expect(candidateProbability(0.5, 20, 7)).toBeLessThan(0.15)
  })
})

describe("MinHashDeduper", () => {
  // Many bands of one row: a pair sharing any word is a candidate almost surely, so these tables test the
  // decision rule (inclusive threshold, kept-only matching, best score) rather than the LSH's luck.
  const certain = { shingle: "word", size: 1, bands: 64, rows: 1 } as const

  it("removes at exactly the threshold, compares with kept items only, and names the best kept match", () => {
    const items = [
      { key: "A", text: "a b c d e" },
      { key: "B", text: "a b c d" }, // J(A) = 0.8: removed (inclusive)
      { key: "C", text: "a b c" }, // J(A) = 0.6, J(B) = 0.75 but B was removed: kept
      { key: "D", text: "a b c x" }, // J(C) = 0.75, J(A) = 0.5: kept
      { key: "E", text: "a b c x y" }, // J(D) = 0.8, J(C) = 0.6: removed, matched D
      { key: "F", text: "A, B, C!" } // J(C) = 1: removed
    ]
    expect([...minhashDedup(items, { ...certain, threshold: 0.8 })]).toEqual([
      { kept: true, key: "A", index: 0 },
      { kept: false, key: "B", index: 1, matched: "A", score: 0.8 },
      { kept: true, key: "C", index: 2 },
      { kept: true, key: "D", index: 3 },
      { kept: false, key: "E", index: 4, matched: "D", score: 0.8 },
      { kept: false, key: "F", index: 5, matched: "C", score: 1 }
    ])
  })

  it("keeps items without letters or digits (no shingles), and rejects bad options", () => {
    expect([...minhashDedup([{ key: 1, text: "" }, { key: 2, text: "!!" }])].map((d) => d.kept)).toEqual([true, true])
    expect(() => new MinHashDeduper({ threshold: 0 })).toThrow(/threshold/)
    expect(() => new MinHashDeduper({ bands: 0 })).toThrow(/bands/)
    expect(() => new MinHashDeduper({ size: 2.5 })).toThrow(/size/)
  })

  it("works on character shingles", () => {
    const items = [
      { key: 0, text: "The quick brown fox jumps over the lazy dog" },
      { key: 1, text: "the quick brown fox jumps over the lazy dog." },
      { key: 2, text: "the quick brown fox jumped over the lazy dog" },
      { key: 3, text: "Pack my box with five dozen liquor jugs" }
    ]
    const out = [...minhashDedup(items, { shingle: "char", size: 5 })]
    expect(out[1]).toEqual({ kept: false, key: 1, index: 1, matched: 0, score: 1 })
    const j2 = refJaccard(refShingles(items[0]!.text, "char", 5), refShingles(items[2]!.text, "char", 5))
    expect(out[2]).toEqual(j2 >= 0.8 ? { kept: false, key: 2, index: 2, matched: 0, score: j2 } : { kept: true, key: 2, index: 2 })
    expect(out[3]!.kept).toBe(true)
  })

  it("never removes below the threshold, and scores each removal with its true Jaccard against an earlier kept item", () => {
    const word = fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h")
    const doc = fc.array(word, { minLength: 0, maxLength: 12 }).map((w) => w.join(" "))
    fc.assert(
      fc.property(
        fc.array(doc, { minLength: 1, maxLength: 30 }),
        fc.constantFrom("word", "char"),
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0.3, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer(),
        (texts, kind, size, threshold, bands, rows, seed) => {
          const decisions = [...minhashDedup(texts.map((text, key) => ({ key, text })), { shingle: kind, size, threshold, bands, rows, seed })]
          const kept = new Set<number>()
          decisions.forEach((d, i) => {
            expect(d.index).toBe(i)
            if (d.kept) return void kept.add(i)
            expect(kept.has(d.matched)).toBe(true)
            const j = refJaccard(refShingles(texts[i]!, kind, size), refShingles(texts[d.matched]!, kind, size))
            expect(d.score).toBe(j)
            expect(j).toBeGreaterThanOrEqual(threshold)
          })
        }
      ),
      { numRuns: 300 }
    )
  })

  it("gives the same decisions for the same seed", () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ key: i, text: `w${i % 7} w${i % 5} w${i % 3} w${i % 2} common words here` }))
    expect([...minhashDedup(items, { seed: 3 })]).toEqual([...minhashDedup(items, { seed: 3 })])
  })
})

describe("planted near-duplicates", () => {
  it("removes at least 0.95 of the planted pairs at or above 0.8 and nothing below (2,000 documents)", () => {
    const rng = rngFor(1, "dedup-test", "planted")
    const WORDS = 200
    const randomDoc = () => Array.from({ length: WORDS }, () => `w${rng.int(0, 9999)}`)
    let fresh = 0
    /** Replaces m words, each at least 5 apart and inside the document, so each replacement changes 5 shingles. */
    const mutate = (doc: ReadonlyArray<string>, m: number) => {
      const out = [...doc]
      const start = rng.int(4, 20)
      for (let k = 0; k < m; k++) out[start + k * 12] = `new${fresh++}`
      // Case and punctuation differences are folded away.
      return out.map((w, i) => (i % 17 === 0 ? `${w.toUpperCase()},` : w))
    }
    const bases = Array.from({ length: 1700 }, randomDoc)
    const docs: Array<{ key: string; text: string; base?: string; j?: number }> = bases.map((d, i) => ({ key: `base-${i}`, text: d.join(" ") }))
    const plant = (count: number, ms: ReadonlyArray<number>, label: string) => {
      for (let p = 0; p < count; p++) {
        const b = rng.int(0, bases.length - 1)
        const text = mutate(bases[b]!, ms[p % ms.length]!).join(" ")
        const j = refJaccard(refShingles(bases[b]!.join(" "), "word", 5), refShingles(text, "word", 5))
        const at = docs.findIndex((d) => d.key === `base-${b}`)
        docs.splice(rng.int(at + 1, docs.length), 0, { key: `${label}-${p}`, text, base: `base-${b}`, j })
      }
    }
    plant(200, [0, 1, 2, 3, 4], "above") // J = 1, 0.950, 0.903, 0.858, 0.815
    plant(100, [5, 6, 8], "below") // J = 0.774, 0.735, 0.664
    expect(docs.length).toBe(2000)
    const above = docs.filter((d) => d.j !== undefined && d.j >= 0.8)
    const below = docs.filter((d) => d.j !== undefined && d.j < 0.8)
    expect(above.length).toBe(200)
    expect(Math.min(...above.map((d) => d.j!))).toBeCloseTo(176 / 216, 10)
    expect(below.length).toBe(100)

    const deduper = new MinHashDeduper<string>()
    const decisions = docs.map((d) => deduper.add(d.key, d.text))
    const byKey = new Map(decisions.map((d) => [d.key, d]))
    // Planted pairs found: removed, naming their base (bases are random, so all of them are kept), with the true Jaccard.
    let found = 0
    for (const d of above) {
      const decision = byKey.get(d.key)!
      if (!decision.kept && decision.matched === d.base) {
        found++
        expect(decision.score).toBe(d.j)
      }
    }
    const recall = found / above.length
    console.log(`MinHash planted recall ${recall.toFixed(3)} (${found}/${above.length}), ${deduper.comparisons} candidate comparisons`)
    expect(recall).toBeGreaterThanOrEqual(0.95)
    // Nothing below the threshold goes, and no unrelated document.
    for (const d of decisions) {
      if (d.kept) continue
      const doc = docs.find((x) => x.key === d.key)!
      expect(doc.j).toBeGreaterThanOrEqual(0.8)
    }
    for (const d of below) expect(byKey.get(d.key)!.kept).toBe(true)
  })

  it("finds at least 0.95 of 500 pairs just above the threshold (Jaccard 0.815), each with a fresh index", () => {
    const rng = rngFor(2, "dedup-test", "boundary")
    let found = 0
    for (let p = 0; p < 500; p++) {
      const base = Array.from({ length: 200 }, () => `w${rng.int(0, 9999)}`)
      const copy = [...base]
      for (let k = 0; k < 4; k++) copy[10 + k * 40] = `new${p}x${k}`
      const deduper = new MinHashDeduper<number>({ seed: p })
      deduper.add(0, base.join(" "))
      const d = deduper.add(1, copy.join(" "))
      if (!d.kept) {
        expect(d.score).toBe(refJaccard(refShingles(base.join(" "), "word", 5), refShingles(copy.join(" "), "word", 5)))
        found++
      }
    }
    console.log(`MinHash recall at J = 0.815: ${found / 500} (expected ${candidateProbability(176 / 216, 20, 7).toFixed(3)})`)
    expect(found / 500).toBeGreaterThanOrEqual(0.95)
  })
})

describe("internal tables", () => {
  it("SetPool packs sets across blocks, gives oversized sets their own, and compares each exactly", () => {
    const pool = new SetPool(8)
    const sets = [[], [1, 2, 3], [4, 5, 6, 7, 8], [1, 2], Array.from({ length: 20 }, (_, i) => i), [3], [9, 10, 11, 12, 13, 14, 15, 16], []].map((a) => Float64Array.from(a))
    for (const set of sets) pool.push(set)
    const probe = Float64Array.from([1, 2, 3, 9, 10])
    sets.forEach((set, i) => expect(pool.jaccard(probe, i)).toBe(jaccard(probe, set)))
    sets.forEach((set, i) => expect(pool.jaccard(set, i)).toBe(1))
  })

  it("BandTable holds repeated keys and keeps them through growth", () => {
    const table = new BandTable()
    for (let i = 0; i < 5000; i++) table.insert(i % 700 === 0 ? 42 : (i * 2654435761) | 0, i)
    const got: Array<number> = []
    table.forEach(42, (k) => got.push(k))
    expect(got.sort((a, b) => a - b)).toEqual(Array.from({ length: 8 }, (_, j) => j * 700))
    const one: Array<number> = []
    table.forEach((1 * 2654435761) | 0, (k) => one.push(k))
    expect(one).toEqual([1])
  })
})
