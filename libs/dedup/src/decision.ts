/** What a dedup method decided for one item, in input order. */
export type Decision<K> =
  | { readonly kept: true; readonly key: K; readonly index: number }
  | {
    readonly kept: false
    readonly key: K
    readonly index: number
    /** The key of the earlier kept item this one duplicates. */
    readonly matched: K
    /** How similar: 1 for an exact duplicate, the Jaccard of the shingle sets for MinHash. */
    readonly score: number
  }

/** One item to deduplicate: a key the caller chooses (an id, a line number) and its text. */
export interface Item<K> {
  readonly key: K
  readonly text: string
}
