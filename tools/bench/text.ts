/**
 * Deterministic benchmark text: the store and scale benchmarks draw their rows from the same generator, so
 * their rows compress alike and their figures compare.
 */

/** mulberry32: a small, good PRNG (the high bits matter: an LCG's low bits repeat too soon and would compress unrealistically). */
export const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const syllables = "ba ce di fo gu ha je ki lo mu na pe qui ro su ta ve wi xo yu ze an er in on un al el il ol ul ar or ur st tr pl gr".split(" ")
const vocabulary = Array.from({ length: 3000 }, (_, i) => {
  const r = prng(i + 1)
  return Array.from({ length: 1 + Math.floor(r() * 3) }, () => syllables[Math.floor(r() * syllables.length)]).join("")
})

/** Text of `length` characters, words drawn Zipf-like from a 3000-word vocabulary, one in ten a number. */
export const text = (seed: number, length: number): string => {
  const r = prng(seed)
  const out: Array<string> = []
  let n = 0
  while (n < length) {
    const u = r()
    const w = u < 0.1 ? String(Math.floor(r() * 10_000)) : vocabulary[Math.floor(vocabulary.length * r() ** 3)]!
    out.push(w)
    n += w.length + 1
  }
  return out.join(" ").slice(0, length)
}
