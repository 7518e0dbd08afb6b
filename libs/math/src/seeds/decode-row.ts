import { Result, Schema, SchemaIssue, SchemaParser } from "effect"
import { BadSeedRow, DEFAULT_BAD_ROW_HINT, WHOLE_ROW } from "./errors.ts"

/** A required field whose absence reads "is missing" rather than Effect's generic "Missing key". */
export const required = <S extends Schema.Top>(schema: S) => schema.pipe(Schema.annotateKey({ messageMissingKey: "is missing" }))

/** A string with at least one non-space character. */
export const NonBlankString = Schema.String.check(
  Schema.makeFilter((text: string) => (text.trim() === "" ? "is empty" : undefined))
)

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

const MAX_REASON = 200

/** "Expected string, got 3" reads better mid-sentence in lower case; a huge reported value is cut short. */
const asReason = (message: string): string => {
  const reason = message.charAt(0).toLowerCase() + message.slice(1)
  return reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason
}

/**
 * Decodes one seed row against `schema`, turning the first schema issue into a `BadSeedRow` that
 * names the field (a dotted path such as `instances.0.output`) and what is wrong with it.
 * `hintFor` supplies field-specific advice; the default points at fixing the row or skipping.
 */
export const decodeRow = <S extends Schema.ConstraintDecoder<unknown>>(
  schema: S,
  context: { readonly file: string; readonly line: number; readonly hintFor?: (field: string, reason: string) => string | undefined }
) => {
  const decode = SchemaParser.decodeUnknownResult(schema)
  return (row: unknown): Result.Result<S["Type"], BadSeedRow> =>
    Result.mapError(decode(row, { errors: "first", reportInput: true }), (issue) => {
      const first = formatter(issue).issues[0]
      const path = first?.path ?? []
      const field = path.length === 0 ? WHOLE_ROW : path.map(String).join(".")
      const reason = asReason(first?.message ?? "does not match the expected shape")
      return new BadSeedRow({
        file: context.file,
        line: context.line,
        field,
        reason,
        hint: context.hintFor?.(field, reason) ?? DEFAULT_BAD_ROW_HINT
      })
    })
}
