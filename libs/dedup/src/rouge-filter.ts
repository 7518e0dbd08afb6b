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
 * - bounds: LCS ≤ ov ≤ min(la, lb), where ov is the size of the multiset intersection of the two token lists,
 *   so F = 2·lcs/(la+lb) ≤ 2·ov/(la+lb) (this includes the length bound 2·min(la, lb)/(la+lb)). Every bound is
 *   inflated by a relative 1e-12, far above the few ulps by which the float F can differ from the rational
 *   2·lcs/(la+lb), so an item whose bound is ≤ a score has a float F strictly below it, and ties are safe.
 * - what can still matter: while the item is not removed, a kept item matters if it could exceed the threshold
 *   or enter the `keepTop` best found so far (any item while fewer than `keepTop` are found); once a score
 *   exceeds the threshold, only a better match matters. This "level" only rises.
 * - an inverted index maps each token to the kept items holding it (with its count there). The item's tokens
 *   are read rarest first; after reading some, a kept item not yet seen shares only unread tokens, so its ov is
 *   at most `rest`, the unread occurrences, and its F at most the largest 2·min(rest, lb)/(la+lb) over the
 *   lengths lb of kept items (≤ 2·rest/(la+rest)). Reading stops once that is at or below the level, so the
 *   long postings of common words are mostly never read.
 * - kept items seen so far wait in a max-heap by bound: ov so far plus the unread occurrences they could hold
 *   (up to 32 common tokens get a bit in a per-item mask, so an unread common token counts only for the items
 *   holding it), at most lb. The best is popped
 *   while its bound beats both the unseen bound and the level; a popped item first gets its whole ov (a lookup
 *   of its dozen distinct tokens in this item's counts) and goes back in if that lowers its bound; only an item
 *   whose exact-ov bound still leads gets an LCS computed.
 * Kept items sharing no token with the item score 0 and are never looked at.
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
  /** Pairs (item, earlier kept item) the inverted index reached: they share one of the tokens read. */
  readonly candidatePairs: number
  /** Pairs (item, earlier kept item) the brute force would score. */
  readonly allPairs: number
}

export interface NoveltyResult<K> {
  readonly decisions: Array<NoveltyDecision<K>>
  readonly stats: NoveltyStats
}

const SLACK = 1 + 1e-12
const SLOT_MIN_ITEMS = 32

const popcount = (x: number): number => {
  x -= (x >>> 1) & 0x55555555
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24
}

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
  get size(): number {
    return this.ids.size
  }
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

/** A max-heap of (bound, kept position) on typed arrays, popped best first. */
class BoundHeap {
  private keys = new Float64Array(1024)
  private ids = new Int32Array(1024)
  size = 0
  clear(): void {
    this.size = 0
  }
  insert(key: number, id: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.keys.length * 2)
      keys.set(this.keys)
      const ids = new Int32Array(this.ids.length * 2)
      ids.set(this.ids)
      this.keys = keys
      this.ids = ids
    }
    const keys = this.keys
    const ids = this.ids
    let i = this.size++
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (keys[parent]! >= key) break
      keys[i] = keys[parent]!
      ids[i] = ids[parent]!
      i = parent
    }
    keys[i] = key
    ids[i] = id
  }
  topKey(): number {
    return this.keys[0]!
  }
  pop(): number {
    const id = this.ids[0]!
    this.size--
    if (this.size > 0) {
      this.keys[0] = this.keys[this.size]!
      this.ids[0] = this.ids[this.size]!
      this.down(0)
    }
    return id
  }
  private down(i: number): void {
    const keys = this.keys
    const ids = this.ids
    const n = this.size
    const key = keys[i]!
    const id = ids[i]!
    for (;;) {
      let child = 2 * i + 1
      if (child >= n) break
      if (child + 1 < n && keys[child + 1]! > keys[child]!) child++
      if (keys[child]! <= key) break
      keys[i] = keys[child]!
      ids[i] = ids[child]!
      i = child
    }
    keys[i] = key
    ids[i] = id
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
  /**
   * Up to 32 common tokens get a bit (slotOf[token] = bit number + 1, 0 for none) the moment SLOT_MIN_ITEMS kept
   * items hold them; masks[p] has the bits of the tokens kept item p holds. A waiting item's bound then counts an
   * unread token with a bit only if the item holds it.
   */
  private slotOf = new Uint8Array(1024)
  private slotsUsed = 0
  private masks = new Int32Array(1024)
  /** For the item being decided: its whole multiset intersection with a kept item, once computed (0: not yet). */
  private exactOverlap = new Int32Array(1024)
  /** The kept items' distinct tokens as (id, count) pairs, one after another; item p's are [offsets[p], offsets[p + 1]). */
  private distinctPool = new Int32Array(1 << 16)
  private distinctOffsets = new Int32Array(1025)
  /** The item being decided: count of each token id (0 for the others). */
  private countOf = new Int32Array(1024)
  /** The distinct token counts of kept items (with tokens), ascending. */
  private readonly keptLengths: Array<number> = []
  /** Token counts of the kept items, by kept position. */
  private keptLength = new Int32Array(1024)
  private readonly touched: Array<number> = []
  private readonly heap = new BoundHeap()
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
    if (this.vocabulary.size > this.countOf.length) {
      const grown = new Int32Array(Math.max(this.vocabulary.size, this.countOf.length * 2))
      grown.set(this.countOf)
      this.countOf = grown
      const slots = new Uint8Array(grown.length)
      slots.set(this.slotOf)
      this.slotOf = slots
    }
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

    // Tokens rarest first (fewest kept items hold them), so the postings of common tokens are read last,
    // and only while an item sharing nothing but them could still matter.
    const order = distinct.map((_, t) => t)
    order.sort((x, y) => (this.postings[distinct[x]!]?.length ?? 0) - (this.postings[distinct[y]!]?.length ?? 0) || distinct[x]! - distinct[y]!)

    if (this.overlap.length < keptCount) {
      this.overlap = new Int32Array(Math.max(keptCount, this.overlap.length * 2))
      this.exactOverlap = new Int32Array(this.overlap.length)
    }
    const overlap = this.overlap
    const touched = this.touched
    touched.length = 0
    const top = new TopList(Math.max(this.keepTop, 1))
    let removed = false
    // A bound b (an upper bound on F, strictly above any float F it covers) can change nothing when b <= level.
    const keepTop = this.keepTop
    const threshold = this.threshold
    let level = keepTop === 0 ? threshold : -1
    // Token occurrences not read yet: an item that shares a token only among them has ov <= rest, so
    // F <= 2·min(rest, lb)/(la + lb) for its length lb. Once every token is read, no item is unseen.
    let rest = la
    let next = 0
    // Of the unread occurrences, those of tokens with a mask bit count only for kept items whose mask has it.
    const slotOf = this.slotOf
    let unslottedRest = 0
    // levels[k]: the bits of unread tokens with a bit that occur more than k times in this item (nested sets)
    const levels: Array<number> = []
    for (let t = 0; t < distinct.length; t++) {
      const slot = slotOf[distinct[t]!]!
      if (slot === 0) unslottedRest += counts[t]!
      else {
        for (let k = 0; k < counts[t]!; k++) levels[k] = (levels[k] ?? 0) | (1 << (slot - 1))
      }
    }
    const masks = this.masks
    const unreadFor = (position: number): number => {
      if (levels.length === 0) return unslottedRest
      const hit = masks[position]! & levels[0]!
      if (hit === 0) return unslottedRest
      let extra = unslottedRest + popcount(hit)
      for (let k = 1; k < levels.length; k++) {
        const h = hit & levels[k]!
        if (h === 0) break
        extra += popcount(h)
      }
      return extra
    }
    const lengths = this.keptLengths
    const unseen = (): number => {
      if (next >= order.length) return -1
      // max over the lengths lb of kept items of 2·min(rest, lb)/(la + lb); at most 2·rest/(la + rest)
      let best = 0
      for (let i = 0; i < lengths.length; i++) {
        const lb = lengths[i]!
        const f = (2 * (lb < rest ? lb : rest)) / (la + lb)
        if (f > best) best = f
      }
      return best * SLACK
    }
    const heap = this.heap
    const keptLength = this.keptLength
    heap.clear()
    const exactOverlap = this.exactOverlap
    // The bound of a seen item now: its whole multiset intersection once computed, else ov so far plus what
    // the unread tokens could add; at most lb.
    const boundOf = (position: number): number => {
      const lb = keptLength[position]!
      const known = exactOverlap[position]!
      const ov = known > 0 ? known : overlap[position]! + unreadFor(position)
      return ((2 * (ov < lb ? ov : lb)) / (la + lb)) * SLACK
    }
    // The whole multiset intersection with a kept item: its distinct tokens looked up in this item's counts, a
    // dozen steps where an LCS takes la·lb.
    const countOf = this.countOf
    for (let t = 0; t < distinct.length; t++) countOf[distinct[t]!] = counts[t]!
    const pool = this.distinctPool
    const offsets = this.distinctOffsets
    const intersect = (position: number): number => {
      let ov = 0
      for (let q = offsets[position]!, end = offsets[position + 1]!; q < end; q += 2) {
        const a = countOf[pool[q]!]!
        const b = pool[q + 1]!
        ov += a < b ? a : b
      }
      return ov
    }
    for (;;) {
      // Score the items seen, best bound first, while their bound beats both what an unseen item could reach
      // and what could change the outcome. Keys only fall as tokens are read, so a key in the heap is still an
      // upper bound; a popped item whose bound has fallen goes back in with the new one.
      const u = unseen()
      while (heap.size > 0) {
        const key = heap.topKey()
        if (key <= u || key <= level) break
        const position = heap.pop()
        if (exactOverlap[position] === 0) exactOverlap[position] = rest === 0 ? overlap[position]! : intersect(position)
        const current = boundOf(position)
        if (current < key) {
          // bounds only fall and the stop level only rises: one at or below it now never matters
          if (current > level) heap.insert(current, position)
          continue
        }
        const other = this.keptTokens[position]!
        this.lcsCount++
        // As Self-Instruct calls it: _score_lcs(new instruction's tokens, existing instruction's tokens).
        const score = rougeLFromLcs(lcsLengthIds(tokens, other), la, other.length)
        top.offer(score, position)
        if (!removed && score > threshold) {
          removed = true
          top.shrink(1)
        }
        level = removed ? top.floor : keepTop === 0 ? threshold : top.full ? Math.min(threshold, top.floor) : -1
      }
      // Done when neither an unseen item nor a seen one still waiting can change anything.
      if (u <= level && (heap.size === 0 || heap.topKey() <= level)) break
      if (next >= order.length) continue // all read: the next round scores the rest of the heap
      // Read the next token's postings; items seen for the first time join the heap.
      const t = order[next++]!
      const c = counts[t]!
      rest -= c
      const slot = slotOf[distinct[t]!]!
      if (slot === 0) unslottedRest -= c
      else for (let k = 0; k < levels.length; k++) levels[k]! &= ~(1 << (slot - 1))
      const list = this.postings[distinct[t]!]
      if (list === undefined) continue
      const first = touched.length
      for (let p = 0; p < list.length; p += 2) {
        const position = list[p]!
        if (overlap[position] === 0) touched.push(position)
        const cj = list[p + 1]!
        overlap[position]! += cj < c ? cj : c
      }
      for (let i = first; i < touched.length; i++) {
        const position = touched[i]!
        const lb = keptLength[position]!
        const ov = overlap[position]! + unreadFor(position)
        const bound = ((2 * (ov < lb ? ov : lb)) / (la + lb)) * SLACK
        if (bound > level) heap.insert(bound, position)
      }
    }
    this.candidatePairCount += touched.length
    for (let i = 0; i < touched.length; i++) {
      overlap[touched[i]!] = 0
      exactOverlap[touched[i]!] = 0
    }
    for (let t = 0; t < distinct.length; t++) countOf[distinct[t]!] = 0

    if (removed) {
      const position = top.positions[0]!
      return { kept: false, key, index, matched: this.keptKeys[position]!, matchedIndex: this.keptIndex[position]!, score: top.scores[0]! }
    }
    if (top.scores.length > this.keepTop) top.shrink(this.keepTop)
    return this.keep(key, index, tokens, distinct, top, counts)
  }

  private keep(key: K, index: number, tokens: Int32Array, distinct: ReadonlyArray<number>, top: TopList, counts: ReadonlyArray<number> = []): NoveltyDecision<K> {
    const position = this.keptTokens.length
    if (position === this.keptLength.length) {
      const grown = new Int32Array(position * 2)
      grown.set(this.keptLength)
      this.keptLength = grown
    }
    this.keptLength[position] = tokens.length
    if (tokens.length > 0 && !this.keptLengths.includes(tokens.length)) {
      this.keptLengths.push(tokens.length)
      this.keptLengths.sort((a, b) => a - b)
    }
    this.keptTokens.push(tokens)
    if (position + 2 > this.distinctOffsets.length) {
      const grown = new Int32Array(this.distinctOffsets.length * 2)
      grown.set(this.distinctOffsets)
      this.distinctOffsets = grown
    }
    const start = this.distinctOffsets[position]!
    const end = start + 2 * distinct.length
    if (end > this.distinctPool.length) {
      const grown = new Int32Array(Math.max(end, this.distinctPool.length * 2))
      grown.set(this.distinctPool)
      this.distinctPool = grown
    }
    for (let t = 0; t < distinct.length; t++) {
      this.distinctPool[start + 2 * t] = distinct[t]!
      this.distinctPool[start + 2 * t + 1] = counts[t]!
    }
    this.distinctOffsets[position + 1] = end
    this.keptKeys.push(key)
    this.keptIndex.push(index)
    if (position === this.masks.length) {
      const grown = new Int32Array(position * 2)
      grown.set(this.masks)
      this.masks = grown
    }
    let mask = 0
    for (let t = 0; t < distinct.length; t++) {
      const token = distinct[t]!
      const list = this.postings[token] ?? (this.postings[token] = [])
      list.push(position, counts[t]!)
      const slot = this.slotOf[token]!
      if (slot !== 0) mask |= 1 << (slot - 1)
      else if (this.slotsUsed < 32 && list.length >= 2 * SLOT_MIN_ITEMS) {
        // a common token gets a mask bit, set in every kept item holding it, this one included
        const bit = 1 << this.slotsUsed++
        this.slotOf[token] = this.slotsUsed
        for (let p = 0; p < list.length - 2; p += 2) this.masks[list[p]!]! |= bit
        mask |= bit
      }
    }
    this.masks[position] = mask
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
