import { mkdir } from "node:fs/promises"
import { Effect, Stream } from "effect"
import { jsonOf, readRowBatches, RowFileError, type InputRow } from "#dedup"
import { type CannotWrite, requireWritableDir } from "./paths.ts"
import { outputFile, progressLine } from "./row-input.ts"

export interface FilterCounts {
  readonly total: number
  readonly kept: number
  readonly removed: number
  readonly out: { readonly kept: string; readonly removed: string }
}

/** What `decide` says of a row: undefined to keep it, or the fields added to it in removed.jsonl. */
export type Removal = Readonly<Record<string, unknown>> | undefined

/** Turns an exception thrown while deciding (a RowFileError from `fieldText`, a RangeError) into a typed failure. */
const attempt = <A>(f: () => A) =>
  Effect.try({ try: f, catch: (e) => (e instanceof RowFileError ? e : new RowFileError({ message: e instanceof Error ? e.message : String(e) })) })

/**
 * Reads `file` in order, asks `decide` about each row, and writes `<out>/kept.jsonl` (the rows as they were)
 * and `<out>/removed.jsonl` (each removed row with `decide`'s fields added). Both files appear only when every
 * row was read; progress goes to stderr on long inputs.
 */
export const filterRows = (
  label: string,
  file: string,
  out: string,
  decide: (row: InputRow) => Removal
): Effect.Effect<FilterCounts, RowFileError | CannotWrite> =>
  Effect.scoped(
    Effect.gen(function* () {
      yield* requireWritableDir("--out", out)
      yield* Effect.tryPromise({ try: () => mkdir(out, { recursive: true }), catch: (e) => new RowFileError({ message: `cannot make --out ${out}: ${(e as Error).message}` }) })
      const kept = yield* outputFile(out, "kept.jsonl")
      const removed = yield* outputFile(out, "removed.jsonl")
      const progress = progressLine(label)
      let total = 0
      let removedCount = 0
      yield* Stream.runForEach(readRowBatches(file), (batch) =>
        Effect.gen(function* () {
          const lines = yield* attempt(() =>
            batch.map((input) => {
              const removal = decide(input)
              return removal === undefined ? { keep: true, text: input.json } : { keep: false, text: jsonOf({ ...input.row, ...removal }) }
            })
          )
          yield* Effect.tryPromise({
            try: async () => {
              for (const l of lines) {
                if (l.keep) await kept.line(l.text)
                else {
                  removedCount++
                  await removed.line(l.text)
                }
              }
            },
            catch: (e) => new RowFileError({ message: `cannot write to --out ${out}: ${(e as Error).message}` })
          })
          total += batch.length
          progress.update(total, removedCount)
        }))
      yield* Effect.tryPromise({
        try: async () => {
          await kept.commit()
          await removed.commit()
        },
        catch: (e) => new RowFileError({ message: `cannot write to --out ${out}: ${(e as Error).message}` })
      })
      progress.done(total, removedCount)
      return { total, kept: total - removedCount, removed: removedCount, out: { kept: kept.path, removed: removed.path } }
    })
  )

/** How removed.jsonl names a kept row: its `id` when it has a string or number one, else its line. */
export const rowRef = (input: InputRow): string | number => {
  const id = input.row["id"]
  return typeof id === "string" || (typeof id === "number" && Number.isFinite(id)) ? id : input.line
}
