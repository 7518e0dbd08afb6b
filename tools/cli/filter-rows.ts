import { mkdir } from "node:fs/promises"
import { Effect, Stream } from "effect"
import { Argument, Flag } from "effect/cli"
import { DedupWorkerError, jsonOf, PARALLEL_THRESHOLD, readRowBatches, RowFileError, type InputRow } from "#dedup"
import { type CannotWrite, requireWritableDir } from "./paths.ts"
import { outputFile, progressLine } from "./row-input.ts"

/** The argument and flags every row-filtering command (`dedup`, `decontaminate`) shares. */
export const filterRowsFlags = {
  file: Argument.String("file").pipe(Argument.withDescription("a .jsonl or .parquet file of rows")),
  out: Flag.String("out").pipe(Flag.withDescription("folder for kept.jsonl and removed.jsonl (made if missing)")),
  json: Flag.Boolean("json").pipe(Flag.withDescription("print {total, kept, removed, ...} as JSON on stdout"), Flag.withDefault(false))
}

/** `--threads`, for a command whose `what` runs on a BatchRunner's workers. */
export const threadsFlag = (what: string) =>
  Flag.Int("threads").pipe(
    Flag.withDescription(
      `${what} (default: the available cores; 1: all on the main thread; inputs under ${PARALLEL_THRESHOLD.toLocaleString("en-US")} rows never start workers). The result is the same for any number`
    ),
    Flag.optional
  )

export interface FilterCounts {
  readonly total: number
  readonly kept: number
  readonly removed: number
  readonly out: { readonly kept: string; readonly removed: string }
}

/** What `decide` says of a row: undefined to keep it, or the fields added to it in removed.jsonl. */
export type Removal = Readonly<Record<string, unknown>> | undefined

/**
 * A decider in two halves: `prepare` does a batch's order-free work (on worker threads, `ahead` batches at a
 * time), `decide` then takes the batches in input order with what `prepare` gave, so decisions are the same
 * however many batches were prepared at once or where. `prepare` may throw (a RowFileError from `fieldText`):
 * it reads the batch's text on this thread before handing anything on, so the first bad row in input order
 * is the one reported.
 */
export interface BatchDecider<P> {
  readonly prepare: (batch: ReadonlyArray<InputRow>) => Promise<P>
  readonly decide: (batch: ReadonlyArray<InputRow>, prepared: P) => ReadonlyArray<Removal>
  readonly ahead: number
}

/** A decider of one row at a time, as a BatchDecider with nothing to prepare. */
const perRow = (decide: (row: InputRow) => Removal): BatchDecider<undefined> => ({
  prepare: () => Promise.resolve(undefined),
  decide: (batch) => batch.map(decide),
  ahead: 1
})

/** Turns an exception thrown while deciding (a RowFileError from `fieldText`, a RangeError) into a typed failure. */
const asRowFileError = (e: unknown) => (e instanceof RowFileError ? e : new RowFileError({ message: e instanceof Error ? e.message : String(e) }))
const attempt = <A>(f: () => A) => Effect.try({ try: f, catch: asRowFileError })

/**
 * Reads `file` in order, asks `decide` about each row, and writes `<out>/kept.jsonl` (the rows as they were)
 * and `<out>/removed.jsonl` (each removed row with `decide`'s fields added). Both files appear only when every
 * row was read; progress goes to stderr on long inputs. A DedupWorkerError from a worker thread fails it as is.
 */
export const filterRows = <P>(
  label: string,
  file: string,
  out: string,
  decider: ((row: InputRow) => Removal) | BatchDecider<P>
): Effect.Effect<FilterCounts, RowFileError | CannotWrite | DedupWorkerError> =>
  Effect.scoped(
    Effect.gen(function* () {
      yield* requireWritableDir("--out", out)
      yield* Effect.tryPromise({ try: () => mkdir(out, { recursive: true }), catch: (e) => new RowFileError({ message: `cannot make --out ${out}: ${(e as Error).message}` }) })
      const kept = yield* outputFile(out, "kept.jsonl")
      const removed = yield* outputFile(out, "removed.jsonl")
      const progress = progressLine(label)
      let total = 0
      let removedCount = 0
      const d = (typeof decider === "function" ? perRow(decider) : decider) as BatchDecider<unknown>
      const prepared = readRowBatches(file).pipe(
        Stream.mapEffect(
          (batch) =>
            Effect.tryPromise({ try: () => d.prepare(batch), catch: (e) => (e instanceof DedupWorkerError ? e : asRowFileError(e)) }).pipe(
              Effect.map((p) => ({ batch, p }))
            ),
          { concurrency: d.ahead }
        )
      )
      yield* Stream.runForEach(prepared, ({ batch, p }) =>
        Effect.gen(function* () {
          const lines = yield* attempt(() => {
            const removals = d.decide(batch, p)
            return batch.map((input, i) => {
              const removal = removals[i]
              return removal === undefined ? { keep: true, text: input.json } : { keep: false, text: jsonOf({ ...input.row, ...removal }) }
            })
          })
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
