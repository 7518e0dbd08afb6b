import { Effect, Stream } from "effect"
import { BenchmarkIndex } from "./decontaminate.ts"
import { fieldText, readRowBatches, RowFileError } from "./row-files.ts"

/** What one benchmark file gave the index: its rows, and those shorter than n words (which can match nothing). */
export interface IndexedBenchmark {
  readonly file: string
  readonly rows: number
  readonly short_rows: number
}

export interface BenchmarkSource {
  /** Benchmark files (.jsonl or .parquet), indexed in this order: an n-gram in two of them names the first. */
  readonly files: ReadonlyArray<string>
  /** The text field of every benchmark row. */
  readonly field: string
  readonly ngram: number
  /** The option that chose `field`, named when a row lacks it (e.g. "--against-field"). */
  readonly fieldFlag?: string
}

/**
 * Reads every benchmark file into one n-gram index (`BenchmarkIndex`), the same way for the `decontaminate`
 * command and the math pipeline's decontaminate stage. A file that cannot be read, a line that is not a JSON
 * object, or a row without the text field fails with a RowFileError naming the file and line.
 * `onRows(file, rows)` is told after each batch how many rows of that file are indexed (for progress).
 */
export const indexBenchmarks = (
  source: BenchmarkSource,
  onRows: (file: string, rows: number) => void = () => undefined
): Effect.Effect<{ readonly index: BenchmarkIndex; readonly files: ReadonlyArray<IndexedBenchmark> }, RowFileError> =>
  Effect.gen(function* () {
    const index = yield* Effect.try({ try: () => new BenchmarkIndex(source.ngram), catch: (e) => new RowFileError({ message: (e as Error).message }) })
    const files: Array<IndexedBenchmark> = []
    for (const file of source.files) {
      const before = { rows: index.rows, short: index.shortRows }
      yield* Stream.runForEach(readRowBatches(file), (batch) =>
        Effect.try({
          try: () => {
            for (const input of batch) index.add(file, input.line, fieldText(file, input, source.field, source.fieldFlag))
            onRows(file, index.rows - before.rows)
          },
          catch: (e) => (e instanceof RowFileError ? e : new RowFileError({ message: `${file}: ${(e as Error).message}` }))
        }))
      files.push({ file, rows: index.rows - before.rows, short_rows: index.shortRows - before.short })
    }
    return { index, files }
  })
