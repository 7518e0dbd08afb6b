import { createHash } from "node:crypto"
import { canonicalJson } from "./canonical-json.ts"

export const sha256Hex = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex")

/** Hash of any JSON-like value, independent of object key order. */
export const hashValue = (value: unknown): string => sha256Hex(canonicalJson(value))

/**
 * Text folded for identity: Unicode NFKC, lower case, runs of white space collapsed, trimmed.
 * Two records whose text differs only in case or spacing get the same id.
 */
export const normaliseText = (text: string): string => text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim()

/**
 * Record ids are content hashes prefixed by kind (`task-3f2a…`), so the same content always gets
 * the same id whichever run, order or machine produced it. 16 bytes of sha256 keep ids short while
 * leaving collisions out of reach for any dataset size we will see (2^64 birthday bound).
 */
export const contentId = (kind: string, content: unknown): string =>
  `${kind}-${sha256Hex(typeof content === "string" ? normaliseText(content) : canonicalJson(content)).slice(0, 32)}`
