import { Schema } from "effect"

/** Advice appended to every bad-row message: the two ways out a user has. */
export const DEFAULT_BAD_ROW_HINT = "fix the row or use --on-bad-rows skip"

/**
 * One seed row that cannot become a task. `field` names the offending field, or `(row)` when
 * the row as a whole is unusable (not JSON, not an object); `reason` says what is wrong in a
 * few words and is what the rejects file records.
 */
export class BadSeedRow extends Schema.TaggedError<BadSeedRow>()("BadSeedRow", {
  file: Schema.String,
  line: Schema.Number,
  field: Schema.String,
  reason: Schema.String,
  hint: Schema.String
}) {
  override get message(): string {
    const where = this.field === WHOLE_ROW ? "" : ` field "${this.field}":`
    return `${this.file}:${this.line}:${where} ${this.reason}; ${this.hint}`
  }
}

/** The `field` of a BadSeedRow that concerns the whole row rather than one field. */
export const WHOLE_ROW = "(row)"

/** The seed file itself cannot be read: missing, unsupported extension, or rejected by DuckDB. */
export class SeedFileError extends Schema.TaggedError<SeedFileError>()("SeedFileError", {
  file: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.file}: ${this.reason}`
  }
}

/** `format: "auto"` could not tell from the first row which seed format the file holds. */
export class UnknownSeedFormat extends Schema.TaggedError<UnknownSeedFormat>()("UnknownSeedFormat", {
  file: Schema.String,
  line: Schema.Number,
  fields: Schema.Array(Schema.String)
}) {
  override get message(): string {
    const found = this.fields.length === 0 ? "no fields" : `fields ${this.fields.map((f) => `"${f}"`).join(", ")}`
    return `${this.file}:${this.line}: cannot detect the seed format from ${found}; expected "question" and "answer" ` +
      `(GSM8K) or "instruction" and "instances" (Self-Instruct); rename the fields, or give readSeeds its "format" option`
  }
}

const quoted = (names: ReadonlyArray<string>) => names.map((n) => `"${n}"`).join(", ")

/** A CSV header or Parquet schema without the columns of any seed format it may hold: one error for the file, not one per row. */
export class SeedHeaderError extends Schema.TaggedError<SeedHeaderError>()("SeedHeaderError", {
  file: Schema.String,
  found: Schema.Array(Schema.String),
  expected: Schema.Array(Schema.Struct({ format: Schema.String, columns: Schema.Array(Schema.String), missing: Schema.Array(Schema.String) }))
}) {
  override get message(): string {
    const found = this.found.length === 0 ? "has no columns" : `has columns ${quoted(this.found)}`
    const expected = this.expected
      .map((e) => `a ${e.format} seed file needs ${quoted(e.columns)} (missing ${quoted(e.missing)})`)
      .join(", or ")
    return `${this.file}: ${found}; ${expected}; rename the columns or use the right file (no row was read, whatever --on-bad-rows says)`
  }
}

/** The first `rows` rows of a file were all bad: it is taken for something other than a seed file, and reading stops. */
export class NotASeedFile extends Schema.TaggedError<NotASeedFile>()("NotASeedFile", {
  file: Schema.String,
  rows: Schema.Number,
  reasons: Schema.Array(Schema.Struct({ reason: Schema.String, rows: Schema.Number })),
  first: Schema.String
}) {
  override get message(): string {
    const reasons = this.reasons.slice(0, 3).map((r) => `${r.reason} ${r.rows}`).join(", ")
    return `${this.file} does not look like a seed file: its first ${this.rows} rows are all bad (${reasons}; ${this.first}), ` +
      `so reading stopped even with --on-bad-rows skip; check that this is the seed file you meant (--seeds) and that it holds ` +
      `JSONL, JSON, CSV or Parquet rows in the expected format`
  }
}

export type SeedReadError = BadSeedRow | SeedFileError | UnknownSeedFormat | SeedHeaderError | NotASeedFile
