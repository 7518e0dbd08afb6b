import { Effect, Stream } from "effect"
import { open } from "node:fs/promises"
import { createInterface } from "node:readline"
import { SeedFileError } from "./errors.ts"
import { describeJsonValue, isRowObject, malformedReason, type RawRow } from "./raw-row.ts"

const parseLine = (text: string, line: number): RawRow => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { line, text, malformed: malformedReason("not valid JSON", error) }
  }
  return isRowObject(value)
    ? { line, row: value }
    : { line, text, malformed: `expected a JSON object, got ${describeJsonValue(value)}` }
}

/** JSON Lines, read one line at a time so a seed file of any size streams in constant memory. */
export const jsonlRows = (path: string): Stream.Stream<RawRow, SeedFileError> =>
  Stream.unwrap(
    Effect.gen(function*() {
      // Opening first turns a missing file into a typed error before any line is read.
      const handle = yield* Effect.acquireRelease(
        Effect.tryPromise({
          try: () => open(path, "r"),
          catch: (error) => new SeedFileError({ file: path, reason: `cannot open: ${String(error)}` })
        }),
        (handle) => Effect.promise(() => handle.close())
      )
      const lines = yield* Effect.acquireRelease(
        Effect.sync(() => createInterface({ input: handle.createReadStream({ encoding: "utf8", autoClose: false }), crlfDelay: Infinity })),
        (lines) => Effect.sync(() => lines.close())
      )
      return Stream.fromAsyncIterable(
        lines,
        (error) => new SeedFileError({ file: path, reason: `read failed: ${String(error)}` })
      ).pipe(
        Stream.map((text, index) => ({ text: index === 0 ? text.replace(/^\uFEFF/, "") : text, line: index + 1 })),
        Stream.filter(({ text }) => text.trim() !== ""),
        Stream.map(({ text, line }) => parseLine(text, line))
      )
    })
  )
