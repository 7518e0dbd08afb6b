import type { Decision, Item } from "./decision.ts"
import { exactHash } from "./normalise.ts"

/**
 * Exact dedup: an item goes when its normalised text (case, white space and punctuation folded, see
 * `normaliseWords`) equals an earlier item's; the first one is kept and named as `matched`, score 1.
 * Texts with no letters or digits at all normalise to "" and are duplicates of each other.
 *
 * Memory: one 32-hex-digit hash and the kept item's key per distinct text (about 150 bytes each in V8),
 * nothing per removed item.
 */
export class ExactDeduper<K> {
  private readonly seen = new Map<string, K>()
  private count = 0

  /** Decides the next item in input order. */
  add(key: K, text: string): Decision<K> {
    const index = this.count++
    const hash = exactHash(text)
    const first = this.seen.get(hash)
    if (first !== undefined || this.seen.has(hash)) return { kept: false, key, index, matched: first as K, score: 1 }
    this.seen.set(hash, key)
    return { kept: true, key, index }
  }

  /** Distinct texts kept so far. */
  get kept(): number {
    return this.seen.size
  }
}

/** Exact dedup over an ordered iterable: one decision per item, in input order (lazy). */
export function* exactDedup<K>(items: Iterable<Item<K>>): Generator<Decision<K>> {
  const deduper = new ExactDeduper<K>()
  for (const item of items) yield deduper.add(item.key, item.text)
}
