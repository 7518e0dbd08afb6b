import { lcsLengthIds, rougeLFromLcs, rougeTokenize } from "./rouge.ts"

/**
 * The Self-Instruct ROUGE-L novelty filter. Items are decided in input order; an item is dropped when its best
 * ROUGE-L F1 (rouge_score's, see rouge.ts) against the items kept before it is strictly greater than the
 * threshold (Self-Instruct's `max(rouge_scores) > 0.7`), otherwise kept.
 *
 * What is recorded:
 * - a removed item: `matched`, the kept item with the highest score (ties: the earliest), and that `score`;
 * - a kept item: `similar`, its `keepTop` most similar earlier kept items with their scores, highest first
 *   (ties: earliest first), as Self-Instruct's `most_similar_instructions`. Only items with a score above 0
 *   (at least one shared token) are listed, so an item with fewer than `keepTop` such neighbours lists fewer.
 *   Self-Instruct's `avg_similarity_score` (the mean over the whole pool, zeros included) is not recorded: it
 *   needs the score against every earlier item, which is exactly the O(N²) work this filter avoids.
 * - Items with no tokens (empty, punctuation-only, non-ASCII-only text): their F against anything is 0 by
 *   rouge_score's rule, which never exceeds a threshold ≥ 0, so they are always kept, with no similar items,
 *   and they never match a later item.
 *
 * Scores are compared as the doubles rouge_score computes (2·lcs/(la+lb) exactly 0.7 can come out as
 * 0.7000000000000001, which Self-Instruct drops; so does this filter).
 *
 * How it avoids O(N²) LCS work while returning exactly the brute-force result (`noveltyFilterBruteForce`):
 * - an inverted index maps each token to the kept items holding it (with its count there), so one pass over
 *   the candidate's tokens' postings gives, for every kept item sharing a token, the size of the multiset
 *   intersection `ov` of their tokens. Kept items sharing no token score 0 and are never looked at.
 * - LCS ≤ ov ≤ min(la, lb), so F = 2·lcs/(la+lb) ≤ 2·ov/(la+lb): an exact upper bound (the length bound
 *   2·min(la, lb)/(la+lb) is implied, since ov ≤ min(la, lb)). The bound is inflated by a relative 1e-12, far
 *   above the few ulps by which the float F can differ from the rational 2·lcs/(la+lb), so a pair whose bound is
 *   ≤ a score can only have a float F strictly below it.
 * - candidates are scored (exact LCS) in decreasing order of bound and the scan stops at the first bound that
 *   can change nothing: not above the threshold, and not above the `keepTop`-th best score found so far (once
 *   `keepTop` are found); after a score exceeds the threshold only the best match is needed, so it stops at the
 *   first bound not above the best score.
 *
 * Threshold: any number ≥ 0 (1 or more removes nothing; 0 removes every item sharing a token with a kept one).
 * Deterministic: no randomness, and every tie is broken by input order.
 */
export interface NoveltyOptions {
  /** An item goes when its best ROUGE-L F1 against the kept items is strictly greater than this. Default 0.7. */
  readonly threshold?: number
  /** How many most similar kept items a kept item records. Default 10. */
  readonly keepTop?: number
}

/** One item: a key the caller chooses (an id, a line number) and its text (the same shape as the other methods' `Item`). */
export interface NoveltyItem<K> {
  readonly key: K
  readonly text: string
}

export const NOVELTY_DEFAULTS = { threshold: 0.7, keepTop: 10 } as const

export interface Similar<K> {
  readonly key: K
  /** Input position of the similar kept item. */
  readonly index: number
  readonly score: number
}

/** One item's verdict; assignable to the other methods' `Decision<K>`. */
export type NoveltyDecision<K> =
  | {
    readonly kept: true
    readonly key: K
    readonly index: number
    /** Up to `keepTop` most similar earlier kept items with a score above 0, highest first, ties earliest first. */
    readonly similar: ReadonlyArray<Similar<K>>
  }
  | {
    readonly kept: false
    readonly key: K
    readonly index: number
    /** The key of the kept item with the highest score (the earliest of equals). */
    readonly matched: K
    /** Input position of `matched`. */
    readonly matchedIndex: number
    /** Its ROUGE-L F1, greater than the threshold. */
    readonly score: number
  }

export interface NoveltyStats {
  /** Items decided. */
  readonly items: number
  readonly kept: number
  /** Exact LCS computations (dynamic programmes run). */
  readonly lcs: number
  /** Pairs (item, earlier kept item) sharing at least one token: what the inverted index visited. */
  readonly candidatePairs: number
  /** Pairs (item, earlier kept item) the brute force would score. */
  readonly allPairs: number
}

export interface NoveltyResult<K> {
  readonly decisions: Array<NoveltyDecision<K>>
  readonly stats: NoveltyStats
}

const SLACK = 1 + 1e-12

const checkOptions = (options: NoveltyOptions): { threshold: number; keepTop: number } => {
  const threshold = options.threshold ?? NOVELTY_DEFAULTS.threshold
  const keepTop = options.keepTop ?? NOVELTY_DEFAULTS.keepTop
  if (!(threshold >= 0)) throw new RangeError(`novelty filter: threshold must be a number ≥ 0, got ${threshold}`)
  if (!Number.isInteger(keepTop) || keepTop < 0) throw new RangeError(`novelty filter: keepTop must be an integer ≥ 0, got ${keepTop}`)
  return { threshold, keepTop }
}

/** Token ids for texts: one vocabulary per filter. */
class Vocabulary {
  private readonly ids = new Map<string, number>()
  idsOf(text: string): Int32Array {
    const tokens = rougeTokenize(text)
    const out = new Int32Array(tokens.length)
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!
      let id = this.ids.get(token)
      if (id === undefined) {
        id = this.ids.size
        this.ids.set(token, id)
      }
      out[i] = id
    }
    return out
  }
}

/** A bounded list of the best (score, kept position) pairs: score descending, then position ascending. */
class TopList {
  readonly scores: Array<number> = []
  readonly positions: Array<number> = []
  limit: number
  constructor(limit: number) {
    this.limit = limit
  }
  get full(): boolean {
    return this.scores.length >= this.limit
  }
  /** The worst score held (only meaningful when full). */
  get floor(): number {
    return this.scores[this.scores.length - 1]!
  }
  offer(score: number, position: number): void {
    let at = this.scores.length
    while (at > 0 && (this.scores[at - 1]! < score || (this.scores[at - 1] === score && this.positions[at - 1]! > position))) at--
    if (at >= this.limit) return
    this.scores.splice(at, 0, score)
    this.positions.splice(at, 0, position)
    if (this.scores.length > this.limit) {
      this.scores.length = this.limit
      this.positions.length = this.limit
    }
  }
  shrink(limit: number): void {
    this.limit = limit
    if (this.scores.length > limit) {
      this.scores.length = limit
      this.positions.length = limit
    }
  }
}

/**
 * The filter, one item at a time (input order). Memory: the kept items' token ids and one posting
 * (kept position, count) per distinct token of each kept item.
 */
export class NoveltyFilter<K> {
  readonly threshold: number
  readonly keepTop: number
  private readonly vocabulary = new Vocabulary()
  private readonly keptTokens: Array<Int32Array> = []
  private readonly keptKeys: Array<K> = []
  private readonly keptIndex: Array<number> = []
  /** postings[token] = [position, count, position, count, ...] over kept items, positions ascending. */
  private readonly postings: Array<Array<number>> = []
  private overlap = new Int32Array(1024)
  private items = 0
  private lcsCount = 0
  private candidatePairCount = 0
  private allPairCount = 0

  constructor(options: NoveltyOptions = {}) {
    const checked = checkOptions(options)
    this.threshold = checked.threshold
    this.keepTop = checked.keepTop
  }

  add(key: K, text: string): NoveltyDecision<K> {
    const index = this.items++
    const tokens = this.vocabulary.idsOf(text)
    const la = tokens.length
    const keptCount = this.keptTokens.length
    this.allPairCount += keptCount
    if (la === 0) return this.keep(key, index, tokens, [], new TopList(0))

    // Distinct tokens with their counts.
    const sorted = Int32Array.from(tokens).sort()
    const distinct: Array<number> = []
    const counts: Array<number> = []
    for (let i = 0; i < sorted.length; i++) {
      if (i > 0 && sorted[i] === sorted[i - 1]) counts[counts.length - 1]!++
      else {
        distinct.push(sorted[i]!)
        counts.push(1)
      }
    }

    // Multiset intersection with every kept item sharing a token.
    if (this.overlap.length < keptCount) this.overlap = new Int32Array(Math.max(keptCount, this.overlap.length * 2))
    const overlap = this.overlap
    const touched: Array<number> = []
    for (let t = 0; t < distinct.length; t++) {
      const list = this.postings[distinct[t]!]
      if (list === undefined) continue
      const c = counts[t]!
      for (let p = 0; p < list.length; p += 2) {
        const position = list[p]!
        if (overlap[position] === 0) touched.push(position)
        const cj = list[p + 1]!
        overlap[position]! += cj < c ? cj : c
      }
    }
    this.candidatePairCount += touched.length

    // Upper bounds, highest first (ties: earliest first).
    const bounds = new Float64Array(touched.length)
    const order = new Int32Array(touched.length)
    for (let i = 0; i < touched.length; i++) {
      const position = touched[i]!
      const ov = overlap[position]!
      overlap[position] = 0
      bounds[i] = ((2 * ov) / (la + this.keptTokens[position]!.length)) * SLACK
      order[i] = i
    }
    order.sort((x, y) => bounds[y]! - bounds[x]! || touched[x]! - touched[y]!)

    const top = new TopList(Math.max(this.keepTop, 1))
    let removed = false
    for (let o = 0; o < order.length; o++) {
      const i = order[o]!
      const bound = bounds[i]!
      if (removed) {
        if (bound <= top.floor) break
      } else if (bound <= this.threshold && (this.keepTop === 0 || (top.full && bound <= top.floor))) break
      const position = touched[i]!
      const other = this.keptTokens[position]!
      this.lcsCount++
      // As Self-Instruct calls it: _score_lcs(new instruction's tokens, existing instruction's tokens).
      const score = rougeLFromLcs(lcsLengthIds(tokens, other), la, other.length)
      top.offer(score, position)
      if (!removed && score > this.threshold) {
        removed = true
        top.shrink(1)
      }
    }

    if (removed) {
      const position = top.positions[0]!
      return { kept: false, key, index, matched: this.keptKeys[position]!, matchedIndex: this.keptIndex[position]!, score: top.scores[0]! }
    }
    if (top.scores.length > this.keepTop) top.shrink(this.keepTop)
    return this.keep(key, index, tokens, distinct, top, counts)
  }

  private keep(key: K, index: number, tokens: Int32Array, distinct: ReadonlyArray<number>, top: TopList, counts: ReadonlyArray<number> = []): NoveltyDecision<K> {
    const position = this.keptTokens.length
    this.keptTokens.push(tokens)
    this.keptKeys.push(key)
    this.keptIndex.push(index)
    for (let t = 0; t < distinct.length; t++) {
      const token = distinct[t]!
      const list = this.postings[token] ?? (this.postings[token] = [])
      list.push(position, counts[t]!)
    }
    const similar = top.positions.map((p, i) => ({ key: this.keptKeys[p]!, index: this.keptIndex[p]!, score: top.scores[i]! }))
    return { kept: true, key, index, similar }
  }

  get stats(): NoveltyStats {
    return { items: this.items, kept: this.keptTokens.length, lcs: this.lcsCount, candidatePairs: this.candidatePairCount, allPairs: this.allPairCount }
  }
}

const asItems = <K>(items: ReadonlyArray<NoveltyItem<K>> | ReadonlyArray<string>): ReadonlyArray<NoveltyItem<K>> =>
  items.map((item, i) => (typeof item === "string" ? { key: i as K, text: item } : item))

/**
 * The novelty filter over a list: one decision per item, in input order. Plain strings are keyed by their
 * position.
 */
export function noveltyFilter(items: ReadonlyArray<string>, options?: NoveltyOptions): NoveltyResult<number>
export function noveltyFilter<K>(items: ReadonlyArray<NoveltyItem<K>>, options?: NoveltyOptions): NoveltyResult<K>
export function noveltyFilter<K>(items: ReadonlyArray<NoveltyItem<K>> | ReadonlyArray<string>, options: NoveltyOptions = {}): NoveltyResult<K> {
  const filter = new NoveltyFilter<K>(options)
  const decisions = asItems<K>(items).map((item) => filter.add(item.key, item.text))
  return { decisions, stats: filter.stats }
}

/**
 * The reference: every item scored against every earlier kept item (exact LCS each time), same rules and
 * tie-breaks, no index and no bounds. For tests and the benchmark.
 */
export function noveltyFilterBruteForce(items: ReadonlyArray<string>, options?: NoveltyOptions): NoveltyResult<number>
export function noveltyFilterBruteForce<K>(items: ReadonlyArray<NoveltyItem<K>>, options?: NoveltyOptions): NoveltyResult<K>
export function noveltyFilterBruteForce<K>(items: ReadonlyArray<NoveltyItem<K>> | ReadonlyArray<string>, options: NoveltyOptions = {}): NoveltyResult<K> {
  const { threshold, keepTop } = checkOptions(options)
  const vocabulary = new Vocabulary()
  const kept: Array<{ key: K; index: number; tokens: Int32Array }> = []
  const decisions: Array<NoveltyDecision<K>> = []
  let lcs = 0
  let allPairs = 0
  asItems<K>(items).forEach(({ key, text }, index) => {
    const tokens = vocabulary.idsOf(text)
    const best = new TopList(Math.max(keepTop, 1))
    allPairs += kept.length
    for (let position = 0; position < kept.length; position++) {
      const other = kept[position]!.tokens
      if (tokens.length === 0 || other.length === 0) continue // rouge_score: score 0 without an LCS
      lcs++
      const score = rougeLFromLcs(lcsLengthIds(tokens, other), tokens.length, other.length)
      if (score > 0) best.offer(score, position)
    }
    if (best.scores.length > 0 && best.scores[0]! > threshold) {
      const match = kept[best.positions[0]!]!
      decisions.push({ kept: false, key, index, matched: match.key, matchedIndex: match.index, score: best.scores[0]! })
      return
    }
    best.shrink(keepTop)
    const similar = best.positions.map((p, i) => ({ key: kept[p]!.key, index: kept[p]!.index, score: best.scores[i]! }))
    decisions.push({ kept: true, key, index, similar })
    kept.push({ key, index, tokens })
  })
  return { decisions, stats: { items: decisions.length, kept: kept.length, lcs, candidatePairs: allPairs, allPairs } }
}
