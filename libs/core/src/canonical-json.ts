/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` fields dropped.
 * Hashes and cache keys are computed over this form so that key order in a config file or a
 * record literal never changes an id.
 */
export const canonicalJson = (value: unknown): string => JSON.stringify(normalise(value))

const normalise = (value: unknown): unknown => {
  if (value === null || typeof value !== "object") {
    if (typeof value === "bigint") return value.toString()
    if (typeof value === "number" && !Number.isFinite(value)) {
      throw new TypeError(`canonicalJson: non-finite number ${value} cannot be hashed`)
    }
    return value
  }
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : normalise(v)))
  // No prototype: a "__proto__" key (valid JSON) must stay a key, not become the object's prototype.
  const out: Record<string, unknown> = Object.create(null)
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key]
    if (v !== undefined) out[key] = normalise(v)
  }
  return out
}
