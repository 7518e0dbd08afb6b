import { sha256Hex } from "#core"
import { normaliseWords } from "./hashing.ts"

export * from "./hashing.ts"

/** The normalised words joined by one space: what exact dedup compares. */
export const normalisedText = (text: string): string => normaliseWords(text).join(" ")

/**
 * Hash of the normalised text for exact dedup: two texts that differ only in case, white space or
 * punctuation get the same hash. The first 32 hex digits (128 bits) of sha256: collisions are out of reach
 * for any corpus (birthday bound 2^64), and a key costs half the memory of the full digest.
 */
export const exactHash = (text: string): string => sha256Hex(normalisedText(text)).slice(0, 32)
