/**
 * Self-Instruct ROUGE-L novelty filter benchmark: the pruned filter (`noveltyFilter`) against the brute force
 * (`noveltyFilterBruteForce`, every item scored against every kept item) in the same invocation, on synthetic
 * instructions made deterministically from templates over a vocabulary, with planted near-duplicates (copies
 * of earlier instructions with one to three word edits). Both record the 10 most similar kept items
 * (Self-Instruct's `most_similar_instructions`), threshold 0.7.
 *
 * Reports both times (the fast one the median of three runs), the LCS computations each did, the speedup and whether the outputs are identical.
 * When the brute force on all items would take longer than --brute-budget seconds (estimated from its cost
 * per LCS on a 2,000-item prefix and the exact number of pairs it would score, which the fast run counts), it
 * runs on the longest prefix that fits instead and says so; the fast filter is timed on that same prefix
 * too (its decisions there are the first ones of the full run: the filter is online), and the LCS counts on
 * the prefixes show how each scales.
 *
 *   node tools/bench/rouge.ts [items=20000] [--brute-budget seconds=300] [--brute-items n]
 */
import { isDeepStrictEqual } from "node:util"
import { rngFor, type Rng } from "#core"
import { noveltyFilter, noveltyFilterBruteForce, type NoveltyResult } from "#dedup"

const args = process.argv.slice(2)
const flag = (name: string): number | undefined => {
  const at = args.indexOf(name)
  return at < 0 ? undefined : Number(args[at + 1])
}
const positional = args.filter((a, i) => !a.startsWith("--") && (i === 0 || !args[i - 1]!.startsWith("--")))
const ITEMS = positional[0] === undefined ? 20_000 : Number(positional[0])
const BRUTE_BUDGET_S = flag("--brute-budget") ?? 300
const BRUTE_ITEMS = flag("--brute-items")
const OPTIONS = { threshold: 0.7, keepTop: 10 }

// ---- synthetic instructions ------------------------------------------------------------------------------

const syllables = ["ka", "lo", "mi", "ren", "tas", "vo", "dri", "pel", "sun", "gar", "bel", "nor", "fi", "quo", "zan", "tor", "ami", "lek"]
const makeWords = (rng: Rng, n: number): Array<string> => {
  const out = new Set<string>()
  while (out.size < n) out.add(Array.from({ length: rng.int(2, 3) }, () => rng.pick(syllables)).join(""))
  return [...out]
}

const templates: ReadonlyArray<string> = [
  "Write a {adj} {form} about {topic} for {audience}.",
  "Explain how {topic} affects {topic} in {n} sentences.",
  "Give me a list of {n} {adj} {thing} related to {topic}.",
  "Classify the following {thing} as {adj} or {adj}: {free}",
  "Translate the following sentence into {lang}: {free}",
  "Summarize the {form} below in {n} words. {free}",
  "What are the main differences between {topic} and {topic}?",
  "Suggest {n} ways to improve {topic} at {place}.",
  "Generate a {adj} title for a {form} about {topic}.",
  "Rewrite this {form} so that it sounds more {adj}: {free}",
  "Find the {adj} {thing} in the following text and explain why. {free}",
  "Create a {n} step plan to learn {topic} for {audience}."
]

const pools = (rng: Rng) => ({
  adj: ["short", "funny", "formal", "persuasive", "detailed", "simple", "creative", "polite", "positive", "negative", "neutral", "technical", "friendly", "sad", "happy", "clear"],
  form: ["story", "poem", "email", "essay", "letter", "tweet", "review", "speech", "report", "article", "dialogue", "summary"],
  audience: ["children", "students", "engineers", "a manager", "beginners", "experts", "tourists", "parents", "customers"],
  lang: ["French", "German", "Spanish", "Italian", "Japanese", "Korean", "Dutch", "Polish"],
  place: ["home", "work", "school", "the office", "a small company", "a hospital", "a restaurant"],
  thing: ["words", "sentences", "items", "animals", "foods", "countries", "tools", "movies", "books", "ideas"],
  n: ["two", "three", "four", "five", "six", "seven", "ten", "3", "5", "100"],
  topic: makeWords(rng.fork("topics"), 400),
  words: makeWords(rng.fork("words"), 3000)
})

/** `count` instructions; about one in eight is an edited copy of an earlier one. */
export const syntheticInstructions = (count: number, seed = 1): Array<string> => {
  const rng = rngFor(seed, "bench-rouge", "instructions")
  const p = pools(rng)
  const out: Array<string> = []
  for (let i = 0; i < count; i++) {
    if (out.length > 0 && rng.chance(0.125)) {
      const words = rng.pick(out).split(" ")
      const edits = rng.int(1, 3)
      for (let e = 0; e < edits; e++) {
        const at = rng.int(0, words.length - 1)
        const kind = rng.int(0, 2)
        if (kind === 0) words[at] = rng.pick(p.words)
        else if (kind === 1) words.splice(at, 0, rng.pick(p.words))
        else if (words.length > 1) words.splice(at, 1)
      }
      out.push(words.join(" "))
      continue
    }
    const free = () => Array.from({ length: rng.int(3, 8) }, () => rng.pick(p.words)).join(" ")
    let text = rng.pick(templates).replace(/\{(\w+)\}/g, (_, slot: string) =>
      slot === "free" ? free() : rng.pick((p as unknown as Record<string, ReadonlyArray<string>>)[slot]!)
    )
    // Most instructions carry a clause of their own, as generated ones do.
    if (rng.chance(0.8)) text += ` Make sure to mention ${free()}.`
    out.push(text)
  }
  return out
}

// ---- runs -----------------------------------------------------------------------------------------------

const fmt = (x: number, digits = 0) => x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })

const timed = <A>(f: () => A): { result: A; ms: number } => {
  const t0 = performance.now()
  const result = f()
  return { result, ms: performance.now() - t0 }
}

const summary = (r: NoveltyResult<number>) => ({ kept: r.stats.kept, removed: r.stats.items - r.stats.kept, lcs: r.stats.lcs, allPairs: r.stats.allPairs })

const texts = syntheticInstructions(ITEMS)
const tokens = texts.reduce((n, t) => n + t.split(/\s+/).length, 0)
console.log(`novelty filter: ${fmt(ITEMS)} synthetic instructions (${fmt(tokens / ITEMS, 1)} words on average), threshold ${OPTIONS.threshold}, keepTop ${OPTIONS.keepTop}`)

// The fast filter runs in seconds, so it is timed three times and the median taken (the first run includes
// compiling its code); the brute force runs once, for minutes, which amortises that.
const fastRuns = [0, 1, 2].map(() => timed(() => noveltyFilter(texts, OPTIONS)))
const fastMs = fastRuns.map((r) => r.ms)
const fast = { result: fastRuns[0]!.result, ms: [...fastMs].sort((a, b) => a - b)[1]! }
console.log(`  fast    ${fmt(ITEMS)} items: ${fmt(fast.ms / 1000, 2)} s (median of ${fastMs.map((ms) => fmt(ms / 1000, 2)).join(", ")}), ${fmt(fast.result.stats.lcs)} LCS computations (${fmt(fast.result.stats.lcs / ITEMS, 1)} per item), ${fmt(fast.result.stats.candidatePairs)} pairs reached through the index of ${fmt(fast.result.stats.allPairs)}; kept ${fmt(fast.result.stats.kept)}, removed ${fmt(ITEMS - fast.result.stats.kept)}`)

// The brute force's cost per LCS on a small prefix, to decide whether all items fit the budget.
const probeItems = Math.min(2_000, ITEMS)
const probe = timed(() => noveltyFilterBruteForce(texts.slice(0, probeItems), OPTIONS))
const msPerLcs = probe.ms / Math.max(1, probe.result.stats.lcs)
const estimatedFullS = (msPerLcs * fast.result.stats.allPairs) / 1000
let bruteItems = BRUTE_ITEMS ?? ITEMS
if (BRUTE_ITEMS === undefined && estimatedFullS > BRUTE_BUDGET_S) {
  // pairs grow about quadratically with the prefix length
  bruteItems = Math.max(probeItems, Math.floor(ITEMS * Math.sqrt(BRUTE_BUDGET_S / estimatedFullS) * 0.9 / 1000) * 1000)
}
const prefix = bruteItems < ITEMS
if (prefix && BRUTE_ITEMS !== undefined) {
  console.log(`  brute force on the first ${fmt(bruteItems)} items, as asked (all ${fmt(ITEMS)} would take about ${fmt(estimatedFullS)} s: ${fmt(msPerLcs * 1e6)} ns per LCS on a ${fmt(probeItems)}-item prefix, ${fmt(fast.result.stats.allPairs)} pairs)`)
} else if (prefix) {
  console.log(`  brute force on all ${fmt(ITEMS)} items would take about ${fmt(estimatedFullS)} s (${fmt(msPerLcs * 1e6)} ns per LCS on a ${fmt(probeItems)}-item prefix, ${fmt(fast.result.stats.allPairs)} pairs): over the ${BRUTE_BUDGET_S} s budget, so it runs on the first ${fmt(bruteItems)}`)
}

const prefixTexts = texts.slice(0, bruteItems)
const brute = timed(() => noveltyFilterBruteForce(prefixTexts, OPTIONS))
const fastSame = prefix
  ? (() => {
    const runs = [0, 1, 2].map(() => timed(() => noveltyFilter(prefixTexts, OPTIONS)))
    return { result: runs[0]!.result, ms: runs.map((r) => r.ms).sort((a, b) => a - b)[1]! }
  })()
  : fast
const identical = isDeepStrictEqual(fastSame.result.decisions, brute.result.decisions)
const deterministic = fastRuns.every((r) => isDeepStrictEqual(r.result.decisions, fast.result.decisions))
const prefixOfFull = !prefix || isDeepStrictEqual(fast.result.decisions.slice(0, bruteItems), fastSame.result.decisions)
const probeFast = noveltyFilter(texts.slice(0, probeItems), OPTIONS)
const speedup = brute.ms / fastSame.ms
const lcsRatio = brute.result.stats.lcs / Math.max(1, fastSame.result.stats.lcs)
console.log(`  brute   ${fmt(bruteItems)} items: ${fmt(brute.ms / 1000, 2)} s, ${fmt(brute.result.stats.lcs)} LCS computations`)
if (prefix) console.log(`  fast    ${fmt(bruteItems)} items: ${fmt(fastSame.ms / 1000, 2)} s, ${fmt(fastSame.result.stats.lcs)} LCS computations; its decisions are the first ${fmt(bruteItems)} of the full run: ${prefixOfFull}`)
console.log(`  speedup ${fmt(speedup, 1)}x in time (target 50x), ${fmt(lcsRatio, 1)}x fewer LCS computations; outputs identical: ${identical}; the three fast runs agree: ${deterministic}`)
console.log(`  scaling: LCS computations at ${fmt(probeItems)} / ${fmt(bruteItems)}${prefix ? ` / ${fmt(ITEMS)}` : ""} items: brute ${fmt(probe.result.stats.lcs)} / ${fmt(brute.result.stats.lcs)}${prefix ? ` / ${fmt(fast.result.stats.allPairs)} (counted)` : ""}, fast ${fmt(probeFast.stats.lcs)} / ${fmt(fastSame.result.stats.lcs)}${prefix ? ` / ${fmt(fast.result.stats.lcs)}` : ""}`)
if (prefix) console.log(`  estimated speedup on all ${fmt(ITEMS)} items: ${fmt((estimatedFullS * 1000) / fast.ms, 1)}x (brute's measured cost per LCS times the pairs it would score)`)

console.log(
  JSON.stringify({
    items: ITEMS,
    options: OPTIONS,
    fast: { items: ITEMS, ms: fast.ms, runsMs: fastMs, ...summary(fast.result) },
    brute: { items: bruteItems, ms: brute.ms, ...summary(brute.result), prefix, estimatedFullMs: estimatedFullS * 1000 },
    fastOnBruteItems: { items: bruteItems, ms: fastSame.ms, ...summary(fastSame.result) },
    speedup,
    lcsRatio,
    identical,
    deterministic,
    prefixOfFull,
    scaling: {
      items: [probeItems, bruteItems, ITEMS],
      bruteLcs: [probe.result.stats.lcs, brute.result.stats.lcs, fast.result.stats.allPairs],
      fastLcs: [probeFast.stats.lcs, fastSame.result.stats.lcs, fast.result.stats.lcs]
    }
  })
)
if (!identical || !deterministic || !prefixOfFull) process.exitCode = 1
