/** One parsed row of a seed file; `line` is where a user finds it (see `readRows` for what it counts). */
export interface SeedRow {
  readonly line: number
  readonly row: Record<string, unknown>
}

/** A row that is not a JSON object at all; `text` is what the file held, for the rejects file. */
export interface MalformedRow {
  readonly line: number
  readonly malformed: string
  readonly text: string
}

export type RawRow = SeedRow | MalformedRow

export const isMalformed = (raw: RawRow): raw is MalformedRow => "malformed" in raw

/** A JSON value usable as a row: a plain object, not an array or a scalar. */
export const isRowObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

export const describeJsonValue = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : `a ${typeof value}`

const MAX_MALFORMED = 200

/**
 * Words why a row is malformed, safe to store: a parser's message quotes the row, and a binary file's
 * bytes (lone surrogates, control characters) would make the rejects file unwritable as JSON.
 */
export const malformedReason = (what: string, error: unknown): string => {
  const detail = (error instanceof Error ? error.message : String(error)).toWellFormed().replace(/[\u0000-\u001f\u007f\ufffd]/g, "?")
  const reason = `${what} (${detail})`
  return reason.length > MAX_MALFORMED ? `${reason.slice(0, MAX_MALFORMED - 1)}…` : reason
}
