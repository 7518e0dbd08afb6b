import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { lcsLength, lcsLengthIds, rougeFmeasure, rougeL, rougeLFromLcs, rougeTokenize } from "./rouge.ts"

/**
 * Every expected figure below was worked out by hand with rouge_score's algorithm (tokenize.py, then
 * `_score_lcs(target, prediction)`: p = lcs/len(prediction), r = lcs/len(target), F = 2pr/(p+r)), and the
 * floats checked against a line-by-line Python transcription of those functions (the doubles are equal).
 */
describe("rougeTokenize (rouge_score's tokenizer, no stemmer)", () => {
  it.each<[string, Array<string>]>([
    ["The Cat sat.", ["the", "cat", "sat"]],
    ["", []],
    ["   \t\n ", []],
    ["!!! ??? ...", []],
    ["Step 1: add 2+2=4", ["step", "1", "add", "2", "2", "4"]],
    ["snake_case don't e-mail", ["snake", "case", "don", "t", "e", "mail"]],
    // Non-ASCII letters and digits are separators: they split words and vanish.
    ["café naïve", ["caf", "na", "ve"]],
    ["日本語 text", ["text"]],
    ["ＡＢＣ ١٢٣ x", ["x"]],
    ["Ünïcödé", ["n", "c", "d"]],
    // ...except where Unicode lowercasing gives ASCII (Python's str.lower does the same).
    ["\u212A", ["k"]], // KELVIN SIGN -> "k"
    ["İstanbul", ["i", "stanbul"]], // -> "i" + COMBINING DOT ABOVE + "stanbul"
    ["a\u00a0b\u2003c", ["a", "b", "c"]]
  ])("%j -> %j", (text, tokens) => {
    expect(rougeTokenize(text)).toEqual(tokens)
  })
})

describe("rougeL (rouge_score's _score_lcs on the default tokenizer)", () => {
  // [target, prediction, lcs, precision, recall, fmeasure]
  it.each<[string, string, number, number, number, number]>([
    // identical strings: 1.0 exactly
    ["The cat sat on the mat.", "the cat, sat on THE mat", 6, 1, 1, 1],
    // empty token lists score 0, even against each other and even when the strings are identical
    ["", "hello", 0, 0, 0, 0],
    ["hello", "", 0, 0, 0, 0],
    ["", "", 0, 0, 0, 0],
    ["!!! ???", "!!! ???", 0, 0, 0, 0],
    ["日本語", "日本語", 0, 0, 0, 0],
    ["...", "a b c", 0, 0, 0, 0],
    // no common token: lcs 0, F 0 (fmeasure's p + r > 0 guard)
    ["a b c", "d e f", 0, 0, 0, 0],
    // roles: precision over the prediction, recall over the target
    ["a b c d", "a b", 2, 1, 0.5, 0.6666666666666666],
    ["a b", "a b c d", 2, 0.5, 1, 0.6666666666666666],
    // repeated tokens: each token of the subsequence is used once
    ["a a a", "a", 1, 1, 1 / 3, 0.5],
    ["the cat the dog the", "the the the", 3, 1, 0.6, 0.7499999999999999], // not 0.75: float as Python's
    ["a b a b a b", "b a b a", 4, 1, 4 / 6, 0.8],
    // ties: several longest subsequences of the same length; only the length counts
    ["a b", "b a", 1, 0.5, 0.5, 0.5],
    ["x a b y", "a x y b", 2, 0.5, 0.5, 0.5],
    ["a b c d", "d c b a", 1, 0.25, 0.25, 0.25],
    // order matters (a subsequence, not a bag)
    ["one two three four", "four three two one one two", 2, 2 / 6, 2 / 4, 0.4],
    // unicode letters are dropped before matching: "café" and "cafe" differ ("caf" vs "cafe")
    ["café au lait", "cafe au lait", 2, 2 / 3, 2 / 3, 0.6666666666666666],
    ["naïve", "na ve", 2, 1, 1, 1],
    // the threshold boundary: 2·lcs/(la+lb) is exactly 7/10 in both, but the floats differ
    ["t1 t2 t3 t4 t5 t6 t7 t8 t9", "t1 t2 t3 t4 t5 t6 t7 x1 x2 x3 x4", 7, 7 / 11, 7 / 9, 0.7000000000000001],
    ["t1 t2 t3 t4 t5 t6 t7 t8 t9 t10", "t1 t2 t3 t4 t5 t6 t7 x1 x2 x3", 7, 0.7, 0.7, 0.7],
    ["one two three four five six seven", "one two three four five six eight", 6, 6 / 7, 6 / 7, 0.8571428571428571]
  ])("%j vs %j", (target, prediction, lcs, precision, recall, f) => {
    const score = rougeL(target, prediction)
    expect(lcsLength(rougeTokenize(target), rougeTokenize(prediction))).toBe(lcs)
    expect(score.precision).toBe(precision)
    expect(score.recall).toBe(recall)
    expect(score.fmeasure).toBe(f)
    // symmetric F (to the bit), and the same through the LCS-length entry point
    expect(rougeL(prediction, target).fmeasure).toBe(f)
    expect(rougeLFromLcs(lcs, rougeTokenize(target).length, rougeTokenize(prediction).length)).toBe(f)
  })

  it("rougeFmeasure is 0 when precision + recall is 0", () => {
    expect(rougeFmeasure(0, 0)).toBe(0)
  })
})

/** rouge_score's `_lcs_table`, the full table, as the reference for the one-row version. */
const lcsTable = (ref: ReadonlyArray<number>, can: ReadonlyArray<number>): number => {
  const t = Array.from({ length: ref.length + 1 }, () => new Array<number>(can.length + 1).fill(0))
  for (let i = 1; i <= ref.length; i++)
    for (let j = 1; j <= can.length; j++)
      t[i]![j] = ref[i - 1] === can[j - 1] ? t[i - 1]![j - 1]! + 1 : Math.max(t[i - 1]![j]!, t[i]![j - 1]!)
  return t[ref.length]![can.length]!
}

describe("lcsLength", () => {
  it("equals the full-table LCS on random sequences, either way round", () => {
    const seq = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 30 })
    fc.assert(
      fc.property(seq, seq, (a, b) => {
        const expected = lcsTable(a, b)
        expect(lcsLength(a, b)).toBe(expected)
        expect(lcsLength(b, a)).toBe(expected)
        expect(lcsLength(Int32Array.from(a), Int32Array.from(b))).toBe(expected)
        expect(lcsLengthIds(Int32Array.from(a), Int32Array.from(b))).toBe(expected)
        expect(lcsLengthIds(Int32Array.from(b), Int32Array.from(a))).toBe(expected)
      }),
      { numRuns: 2000 }
    )
  })
})
