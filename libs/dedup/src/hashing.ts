/*
 * Normalisation and the fast hashes the methods share, with no imports: worker threads load this module
 * (see worker.ts), and importing #core would make each of them load Effect: 0.9 s for `import("#core")` in a
 * fresh process here, against 0.15-0.27 s for starting two workers and getting a first batch back.
 */

/**
 * The one normalisation every method here shares (the issue's, and rouge_score's tokeniser generalised to
 * Unicode): NFKC, lower case, every run of characters that are not letters, marks or digits becomes one
 * space, split on white space. For ASCII text this is exactly rouge_score's `[^a-z0-9]+` rule; letters of
 * other scripts are kept rather than erased, so a Greek or Chinese row is not reduced to nothing.
 *
 *   "Hello,  WORLD!!" → ["hello", "world"]      "e.g. 3.5%" → ["e", "g", "3", "5"]
 */
export const normaliseWords = (text: string): Array<string> => {
  const folded = text.normalize("NFKC").toLowerCase().replace(NON_ALNUM, " ").trim()
  return folded === "" ? [] : folded.split(" ")
}

const NON_ALNUM = /[^\p{L}\p{M}\p{N}]+/gu

// ---- Fast non-cryptographic hashing shared by MinHash and decontamination ----

/** murmur3's 32-bit finaliser: a bijection on 32-bit integers that mixes every input bit into every output bit. */
export const fmix32 = (h: number): number => {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** 32-bit hash of a string's UTF-16 code units from `seed` (murmur3-style mixing per code unit, fmix32 at the end). */
export const hashString32 = (text: string, seed: number): number => {
  let h = seed | 0
  for (let i = 0; i < text.length; i++) {
    let k = Math.imul(text.charCodeAt(i), 0xcc9e2d51)
    k = (k << 15) | (k >>> 17)
    h ^= Math.imul(k, 0x1b873593)
    h = (h << 13) | (h >>> 19)
    h = (Math.imul(h, 5) + 0xe6546b64) | 0
  }
  return fmix32(h ^ text.length)
}

/** Mixes `value` into the running 32-bit hash `h`, order-sensitively (hash of a sequence of hashes). */
export const combine32 = (h: number, value: number): number => {
  let k = Math.imul(value, 0xcc9e2d51)
  k = (k << 15) | (k >>> 17)
  h ^= Math.imul(k, 0x1b873593)
  h = (h << 13) | (h >>> 19)
  return (Math.imul(h, 5) + 0xe6546b64) | 0
}

/**
 * A 53-bit hash (exact in a JS number) from two independent 32-bit hashes: 21 bits of `hi`, 32 of `lo`.
 * Two different strings share one with probability 2^-53 per pair, so sets of these stand in for sets of
 * strings: across a billion pairs of shingles the expected number of false matches is about 1e-7.
 */
export const join53 = (hi: number, lo: number): number => (hi & 0x1fffff) * 4294967296 + (lo >>> 0)

const SEED_HI = 0x2545f491
const SEED_LO = 0x9e3779b9

/** Per word, its two 32-bit hashes (computed once; n-grams are hashed from these, not from joined strings). */
export const wordHashes = (words: ReadonlyArray<string>): { readonly hi: Int32Array; readonly lo: Int32Array } => {
  const hi = new Int32Array(words.length)
  const lo = new Int32Array(words.length)
  for (let i = 0; i < words.length; i++) {
    hi[i] = hashString32(words[i]!, SEED_HI)
    lo[i] = hashString32(words[i]!, SEED_LO)
  }
  return { hi, lo }
}

/**
 * The 53-bit hash of each run of `n` consecutive words (position i covers words i..i+n-1); empty when there
 * are fewer than n words. Equal n-grams get equal hashes wherever they occur, in any text.
 */
export const ngramHashes = (words: ReadonlyArray<string>, n: number): Float64Array => {
  const count = words.length - n + 1
  if (count <= 0) return new Float64Array(0)
  const { hi, lo } = wordHashes(words)
  const out = new Float64Array(count)
  for (let i = 0; i < count; i++) {
    let a = SEED_HI ^ n
    let b = SEED_LO ^ n
    for (let j = i; j < i + n; j++) {
      a = combine32(a, hi[j]!)
      b = combine32(b, lo[j]!)
    }
    out[i] = join53(fmix32(a ^ n), fmix32(b ^ n))
  }
  return out
}

/** The 53-bit hash of each run of `n` consecutive characters of `text` (empty when it is shorter). */
export const charNgramHashes = (text: string, n: number): Float64Array => {
  const count = text.length - n + 1
  if (count <= 0) return new Float64Array(0)
  const out = new Float64Array(count)
  for (let i = 0; i < count; i++) {
    const piece = text.slice(i, i + n)
    out[i] = join53(hashString32(piece, SEED_HI), hashString32(piece, SEED_LO))
  }
  return out
}
