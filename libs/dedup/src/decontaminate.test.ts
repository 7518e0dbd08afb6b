import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { rngFor } from "#core"
import { benchmarkIndex, BenchmarkIndex, decontaminate } from "./decontaminate.ts"

const words = (from: number, count: number) => Array.from({ length: count }, (_, i) => `w${from + i}`).join(" ")

describe("BenchmarkIndex", () => {
  const bench = benchmarkIndex([
    { file: "gsm8k.jsonl", line: 1, text: "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May." },
    { file: "gsm8k.jsonl", line: 3, text: "Too short to hold a 13-gram." },
    { file: "math.parquet", line: 2, text: words(0, 20) },
    { file: "math.parquet", line: 5, text: words(0, 13) } // every n-gram already held: the first place is kept
  ])

  it("counts rows, short rows and distinct n-grams", () => {
    expect(bench.rows).toBe(4)
    expect(bench.shortRows).toBe(1)
    // 20 words in the first row and 20 in the third: 8 13-grams each.
    expect(bench.size).toBe(8 + 8)
  })

  it.each([
    [
      "a verbatim copy with different case and punctuation",
      "NATALIA sold clips to 48 of her friends in April -- and then she sold half as many clips in May!!",
      { file: "gsm8k.jsonl", line: 1, ngram: "natalia sold clips to 48 of her friends in april and then she" }
    ],
    [
      "13 shared words inside other text",
      "Here is a question: her friends in April, and then she sold half as many clips in May? Answer it.",
      { file: "gsm8k.jsonl", line: 1, ngram: "her friends in april and then she sold half as many clips in" }
    ],
    ["the leftmost shared n-gram is named", `x y ${words(5, 15)}`, { file: "math.parquet", line: 2, ngram: words(5, 13) }],
    ["an n-gram two benchmark rows share names the first", `a ${words(0, 13)} b`, { file: "math.parquet", line: 2, ngram: words(0, 13) }],
    ["12 shared words are a near-miss", "Natalia sold clips to 48 of her friends in April, and then he bought none.", undefined],
    ["12 shared words twice, broken differently, are a near-miss", `${words(0, 12)} gap ${words(1, 12)}`, undefined],
    ["a text shorter than 13 words", "Too short to hold a 13-gram.", undefined],
    ["an empty text", "", undefined]
  ] as const)("%s", (_, text, expected) => {
    expect(bench.match(text)).toEqual(expected)
  })

  it("rejects a bad n", () => {
    expect(() => new BenchmarkIndex(0)).toThrow(/n-gram/)
  })
})

describe("decontaminate", () => {
  it("finds planted copies among 2,000 rows, names them, and leaves 12-shared-word near-misses alone", () => {
    const rng = rngFor(5, "decontaminate-test", "planted")
    const randomText = (length: number) => Array.from({ length }, () => `t${rng.int(0, 49_999)}`)
    const benchmark = Array.from({ length: 300 }, (_, i) => ({ file: i < 150 ? "a.jsonl" : "b.parquet", line: (i % 150) + 1, words: randomText(rng.int(20, 60)) }))
    const index = benchmarkIndex(benchmark.map((b) => ({ file: b.file, line: b.line, text: b.words.join(" ") })))
    const rows: Array<{ key: number; text: string; plant?: { file: string; line: number; ngram: string } }> = []
    for (let i = 0; i < 2000; i++) {
      const kind = i % 10
      const b = benchmark[rng.int(0, benchmark.length - 1)]!
      const start = rng.int(0, b.words.length - 13)
      if (kind === 0) {
        // A planted copy: 13 to 20 consecutive benchmark words inside fresh text.
        const take = b.words.slice(start, start + Math.min(b.words.length - start, rng.int(13, 20)))
        rows.push({ key: i, text: [...randomText(rng.int(0, 30)), ...take.map((w) => w.toUpperCase() + ","), ...randomText(rng.int(0, 30))].join(" "), plant: { file: b.file, line: b.line, ngram: take.slice(0, 13).join(" ") } })
      } else if (kind === 1) {
        // A near-miss: 12 consecutive benchmark words, then fresh ones.
        rows.push({ key: i, text: [...randomText(rng.int(0, 30)), ...b.words.slice(start, start + 12), ...randomText(rng.int(1, 30))].join(" ") })
      } else rows.push({ key: i, text: randomText(rng.int(5, 80)).join(" ") })
    }
    const decisions = [...decontaminate(rows, index)]
    let found = 0
    decisions.forEach((d, i) => {
      const row = rows[i]!
      expect(d.key).toBe(row.key)
      if (row.plant === undefined) return expect(d.kept).toBe(true)
      expect(d).toEqual({ kept: false, key: row.key, index: i, matched: row.plant })
      found++
    })
    expect(found).toBe(200)
  })

  it("removes a row exactly when it shares n consecutive normalised words with a benchmark row", () => {
    const text = fc.array(fc.constantFrom("a", "b", "c", "A,", "b."), { maxLength: 10 })
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 5 }), fc.array(text, { maxLength: 10 }), fc.integer({ min: 1, max: 4 }), (bench, inputs, n) => {
        const norm = (ws: ReadonlyArray<string>) => ws.map((w) => w.toLowerCase().replace(/[^a-z]/g, ""))
        const grams = (ws: ReadonlyArray<string>) => Array.from({ length: Math.max(0, ws.length - n + 1) }, (_, i) => norm(ws).slice(i, i + n).join(" "))
        const held = new Set(bench.flatMap(grams))
        const index = benchmarkIndex(bench.map((ws, i) => ({ file: "f", line: i + 1, text: ws.join(" ") })), n)
        for (const d of decontaminate(inputs.map((ws, key) => ({ key, text: ws.join(" ") })), index)) {
          const first = grams(inputs[d.key]!).find((g) => held.has(g))
          if (first === undefined) expect(d.kept).toBe(true)
          else {
            expect(d.kept).toBe(false)
            if (!d.kept) {
              expect(d.matched.ngram).toBe(first)
              expect(grams(bench[d.matched.line - 1]!)).toContain(first)
              expect(bench.findIndex((ws) => grams(ws).includes(first))).toBe(d.matched.line - 1)
            }
          }
        }
      })
    )
  })
})
