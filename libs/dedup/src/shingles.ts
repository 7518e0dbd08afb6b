import { charNgramHashes, combine32, fmix32, ngramHashes, normaliseWords } from "./hashing.ts"

/*
 * The per-item half of MinHash LSH: shingle sets and band keys. It depends on nothing but the item, so it runs
 * on worker threads (worker.ts) as well as on the main thread, with this same code either way; the sequential
 * half (band tables, Jaccard against kept items) stays in minhash.ts.
 */

export type ShingleKind = "word" | "char"

/**
 * The shingle set of a text as sorted, distinct 53-bit hashes (see `join53`). Text is normalised first
 * (`normaliseWords`); char shingles run over the normalised words joined by single spaces, counted in UTF-16
 * code units (a character outside the BMP is two). A text shorter than
 * one shingle (but not empty) is one shingle, itself; an empty text has none.
 */
export const shingleSet = (text: string, shingle: ShingleKind = "word", size: number = shingle === "word" ? 5 : 24): Float64Array => {
  const words = normaliseWords(text)
  if (words.length === 0) return new Float64Array(0)
  const hashes = shingle === "word"
    ? ngramHashes(words, Math.min(size, words.length))
    : (() => {
      const joined = words.join(" ")
      return charNgramHashes(joined, Math.min(size, joined.length))
    })()
  hashes.sort()
  let n = 0
  for (let i = 0; i < hashes.length; i++) if (i === 0 || hashes[i] !== hashes[n - 1]) hashes[n++] = hashes[i]!
  return hashes.slice(0, n)
}

/** What the per-item half needs: the shingles and the LSH shape, and the permutation seeds (`bands × rows`). */
export interface SignatureParams {
  readonly shingle: ShingleKind
  readonly size: number
  readonly bands: number
  readonly rows: number
  readonly seeds: Int32Array
}

/**
 * The band keys of a non-empty shingle set, written to `keys` at `at` (`bands` of them). Each shingle is
 * hashed by `bands × rows` functions h_i(x) = fmix32(x xor s_i) (each a permutation of the 32-bit values), the
 * minimum per function is the signature, and each band of `rows` values is hashed to one 32-bit key.
 * `scratch` holds the signature (`bands × rows` values), reused between calls.
 */
export const bandKeysInto = (set: Float64Array, p: SignatureParams, scratch: Int32Array, keys: Int32Array, at: number): void => {
  const seeds = p.seeds
  const count = p.bands * p.rows
  // The low 32 bits of each 53-bit shingle hash are one independent 32-bit hash of the shingle.
  const lows = new Int32Array(set.length)
  for (let j = 0; j < set.length; j++) lows[j] = set[j]! % 4294967296
  for (let i = 0; i < count; i++) {
    const s = seeds[i]!
    let min = 0xffffffff
    for (let j = 0; j < lows.length; j++) {
      const h = fmix32(lows[j]! ^ s)
      if (h < min) min = h
    }
    scratch[i] = min | 0
  }
  for (let b = 0; b < p.bands; b++) {
    let h = b
    for (let r = 0; r < p.rows; r++) h = combine32(h, scratch[b * p.rows + r]!)
    keys[at + b] = fmix32(h ^ p.rows) | 0
  }
}

/**
 * A batch of items' shingle sets and band keys as three flat typed arrays, so a batch crosses between threads
 * as three transferable buffers and no per-item object: item i's set is `sets[offsets[i], offsets[i + 1])`,
 * its band keys `bandKeys[i × bands, (i + 1) × bands)` (all zero for an item with no shingles).
 */
export interface SignatureBatch {
  readonly sets: Float64Array
  readonly offsets: Int32Array
  readonly bandKeys: Int32Array
}

/** The shingle sets and band keys of `texts`, in order: the same on any thread. */
export const signatureBatch = (texts: ReadonlyArray<string>, p: SignatureParams): SignatureBatch => {
  const perItem: Array<Float64Array> = new Array(texts.length)
  const offsets = new Int32Array(texts.length + 1)
  const bandKeys = new Int32Array(texts.length * p.bands)
  const scratch = new Int32Array(p.bands * p.rows)
  for (let i = 0; i < texts.length; i++) {
    const set = shingleSet(texts[i]!, p.shingle, p.size)
    perItem[i] = set
    offsets[i + 1] = offsets[i]! + set.length
    if (set.length > 0) bandKeysInto(set, p, scratch, bandKeys, i * p.bands)
  }
  const sets = new Float64Array(offsets[texts.length]!)
  for (let i = 0; i < texts.length; i++) sets.set(perItem[i]!, offsets[i]!)
  return { sets, offsets, bandKeys }
}
