import { Effect, Stream } from "effect"
import { readFile } from "node:fs/promises"
import { SeedFileError } from "./errors.ts"
import { describeJsonValue, isRowObject, type RawRow } from "./raw-row.ts"

/**
 * A .json seed file is one array of row objects. JSON.parse needs the whole text, so this reads
 * the file at once; use .jsonl for large seed sets. `line` is the 1-based array index.
 */
export const jsonArrayRows = (path: string): Stream.Stream<RawRow, SeedFileError> =>
  Stream.unwrap(
    Effect.gen(function*() {
      const text = yield* Effect.tryPromise({
        try: () => readFile(path, "utf8"),
        catch: (error) => new SeedFileError({ file: path, reason: `cannot read: ${String(error)}` })
      })
      const value = yield* Effect.try({
        try: (): unknown => JSON.parse(text.replace(/^\uFEFF/, "")),
        catch: (error) =>
          new SeedFileError({
            file: path,
            reason: `not valid JSON (${error instanceof Error ? error.message : String(error)}); a .json seed file ` +
              `must hold one array of objects (use .jsonl for one object per line)`
          })
      })
      if (!Array.isArray(value)) {
        return yield* new SeedFileError({
          file: path,
          reason: `expected a JSON array of row objects, got ${describeJsonValue(value)}`
        })
      }
      return Stream.fromIterable(value.map((item: unknown, index): RawRow =>
        isRowObject(item)
          ? { line: index + 1, row: item }
          : { line: index + 1, text: JSON.stringify(item), malformed: `expected a JSON object, got ${describeJsonValue(item)}` }
      ))
    })
  )
