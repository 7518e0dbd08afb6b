import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { sha256Hex } from "#core"
import { exactHash, ngramHashes, normalisedText, normaliseWords } from "./normalise.ts"

describe("normaliseWords", () => {
  it.each([
    ["Hello,  WORLD!!", ["hello", "world"]],
    ["", []],
    ["   \t\n ", []],
    ["?!...---", []],
    ["e.g. 3.5% of $1,000", ["e", "g", "3", "5", "of", "1", "000"]],
    ["don't", ["don", "t"]],
    ["snake_case-and-kebab", ["snake", "case", "and", "kebab"]],
    ["Ünïcödé CAFÉ", ["ünïcödé", "café"]],
    ["ｆｕｌｌ　ｗｉｄｔｈ", ["full", "width"]],
    ["Ωmega 日本語", ["ωmega", "日本語"]],
    ["tab\tnew\nline", ["tab", "new", "line"]]
  ] as const)("%j → %j", (text, words) => {
    expect(normaliseWords(text)).toEqual(words)
  })

  it("agrees with rouge_score's tokeniser (lowercase, [^a-z0-9]+ → space, split) on ASCII text", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."aZ9 ,.!-_'\t\nQq0") }), (text) => {
        const rouge = text.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim().split(/\s+/).filter((w) => w !== "")
        expect(normaliseWords(text)).toEqual(rouge)
      })
    )
  })
})

describe("exactHash", () => {
  it.each([
    ["The cat sat.", "the  CAT sat", true],
    ["The cat sat.", "the-cat-sat!", true],
    ["The cat sat.", "The cat sat on", false],
    ["thecat sat", "the cat sat", false],
    ["", "!!!", true]
  ] as const)("%j vs %j: same = %s", (a, b, same) => {
    expect(exactHash(a) === exactHash(b)).toBe(same)
  })

  it("is the first 32 hex digits of sha256 of the normalised text", () => {
    expect(exactHash("Hello, World")).toBe(sha256Hex("hello world").slice(0, 32))
    expect(normalisedText("Hello, World")).toBe("hello world")
  })
})

describe("ngramHashes", () => {
  it("gives one hash per window, equal for equal n-grams wherever they are, none for short texts", () => {
    const h = ngramHashes(["a", "b", "c", "a", "b"], 2)
    expect(h.length).toBe(4)
    expect(h[0]).toBe(h[3]) // "a b" twice
    expect(new Set(h).size).toBe(3)
    expect(ngramHashes(["a", "b"], 3).length).toBe(0)
    expect(ngramHashes(["x", "a", "b"], 2)[1]).toBe(h[0])
    for (const v of h) expect(Number.isSafeInteger(v)).toBe(true)
  })

  it("tells word boundaries apart (\"ab c\" is not \"a bc\")", () => {
    expect(ngramHashes(["ab", "c"], 2)[0]).not.toBe(ngramHashes(["a", "bc"], 2)[0])
  })
})
