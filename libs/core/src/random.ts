import { createHash } from "node:crypto"

/**
 * Seeded randomness. A generator is derived from (run seed, stage, record id) and nothing else, so
 * the draws a record gets never depend on batch order, concurrency or timing. The core generator is
 * xoshiro128** (Blackman & Vigna), seeded from sha256 of the three parts.
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  readonly next: () => number
  /** Uniform integer in [lo, hi] (both inclusive). */
  readonly int: (lo: number, hi: number) => number
  /** One element of a non-empty array. */
  readonly pick: <A>(items: ReadonlyArray<A>) => A
  /** A shuffled copy (Fisher-Yates). */
  readonly shuffle: <A>(items: ReadonlyArray<A>) => Array<A>
  /** true with probability p. */
  readonly chance: (p: number) => boolean
  /** A child generator for a sub-purpose (e.g. "variant-3"), independent of this one's position. */
  readonly fork: (label: string) => Rng
}

export const rngFor = (seed: number | string, stage: string, recordId: string): Rng =>
  fromKey(`${seed}\u0000${stage}\u0000${recordId}`)

const fromKey = (key: string): Rng => {
  const digest = createHash("sha256").update(key).digest()
  let s0 = digest.readUInt32LE(0) | 0
  let s1 = digest.readUInt32LE(4) | 0
  let s2 = digest.readUInt32LE(8) | 0
  let s3 = digest.readUInt32LE(12) | 0
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0
    const t = s1 << 9
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 11)
    return result
  }
  const next = (): number => nextU32() / 4294967296
  const int = (lo: number, hi: number): number => {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) {
      throw new RangeError(`Rng.int: need integers lo <= hi, got ${lo}, ${hi}`)
    }
    return lo + Math.floor(next() * (hi - lo + 1))
  }
  const pick = <A>(items: ReadonlyArray<A>): A => {
    if (items.length === 0) throw new RangeError("Rng.pick: empty array")
    return items[int(0, items.length - 1)] as A
  }
  const shuffle = <A>(items: ReadonlyArray<A>): Array<A> => {
    const out = items.slice()
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(0, i)
      const tmp = out[i] as A
      out[i] = out[j] as A
      out[j] = tmp
    }
    return out
  }
  return { next, int, pick, shuffle, chance: (p) => next() < p, fork: (label) => fromKey(`${key}\u0000${label}`) }
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k))
