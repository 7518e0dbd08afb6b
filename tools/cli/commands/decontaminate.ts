import { Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import { batchRunner, DECONTAMINATION_NGRAM, defaultThreads, fieldText, indexBenchmarks, type MatchBatch } from "#dedup"
import { UsageError } from "../errors.ts"
import { filterRows, filterRowsFlags, threadsFlag } from "../filter-rows.ts"
import { emit } from "../output.ts"
import { progressLine } from "../row-input.ts"

export const decontaminateCommand = Command.make(
  "decontaminate",
  {
    file: filterRowsFlags.file,
    field: Flag.String("field").pipe(Flag.withDescription("the text field checked (e.g. question)")),
    against: Flag.String("against").pipe(Flag.withDescription("benchmark files, comma-separated (.jsonl or .parquet), e.g. gsm8k-test.jsonl,math-test.parquet")),
    againstField: Flag.String("against-field").pipe(Flag.withDescription("the benchmark files' text field (default: --field)"), Flag.optional),
    ngram: Flag.Int("ngram").pipe(
      Flag.withDescription(`a row goes when it shares a run of this many normalised words with a benchmark row (default ${DECONTAMINATION_NGRAM}); shorter rows are not compared`),
      Flag.withDefault(DECONTAMINATION_NGRAM)
    ),
    threads: threadsFlag("worker threads for n-gram hashing and look-ups"),
    out: filterRowsFlags.out,
    json: filterRowsFlags.json
  },
  (flags) =>
    Effect.gen(function* () {
      if (flags.ngram < 1) return yield* new UsageError({ message: `--ngram takes a whole number of at least 1, got ${flags.ngram}` })
      const threads = Option.getOrElse(flags.threads, defaultThreads)
      if (threads < 1) return yield* new UsageError({ message: `--threads takes a whole number of at least 1, got ${threads}` })
      const against = flags.against.split(",").map((f) => f.trim()).filter((f) => f !== "")
      if (against.length === 0) return yield* new UsageError({ message: "--against needs at least one benchmark file" })
      const againstField = Option.getOrElse(flags.againstField, () => flags.field)
      const progress = new Map<string, ReturnType<typeof progressLine>>()
      const shown = (file: string) => progress.get(file) ?? progress.set(file, progressLine(`indexing ${file}`)).get(file)!
      const { index, files: benchmarks } = yield* indexBenchmarks(
        { files: against, field: againstField, ngram: flags.ngram, fieldFlag: "--against-field" },
        (file, rows) => shown(file).update(rows)
      )
      for (const b of benchmarks) shown(b.file).done(b.rows)
      // Workers look rows up in the index's shared memory; here only the matched rows' n-grams are spelled out.
      const counts = yield* Effect.scoped(
        Effect.gen(function* () {
          const runner = yield* batchRunner<MatchBatch>({ kind: "match", table: index.buffers, n: index.n }, (texts) => index.matchBatch(texts), threads)
          return yield* filterRows(`decontaminate ${flags.file}`, flags.file, flags.out, {
            prepare: (batch) => runner.run(batch.map((input) => fieldText(flags.file, input, flags.field))),
            decide: (batch, found) =>
              batch.map((input, i) =>
                found.rows[i]! < 0 ? undefined : { matched: index.contamination(fieldText(flags.file, input, flags.field), found.rows[i]!, found.positions[i]!) }
              ),
            ahead: threads * 2
          })
        })
      )
      const result = { file: flags.file, field: flags.field, ngram: flags.ngram, threads, against: benchmarks, benchmark_ngrams: index.size, ...counts }
      yield* emit(flags.json, result, () => {
        const short = benchmarks.reduce((n, b) => n + b.short_rows, 0)
        const lines = [
          `${flags.file}: ${counts.total} rows, ${counts.kept} kept, ${counts.removed} removed (sharing a ${flags.ngram}-gram with ${benchmarks.map((b) => `${b.file} (${b.rows} rows)`).join(", ")}) → ${counts.out.kept}, ${counts.out.removed}`
        ]
        if (short > 0) lines.push(`note: ${short} benchmark rows are shorter than ${flags.ngram} words and were not compared; lower --ngram to catch them`)
        return lines.join("\n")
      })
    })
).pipe(
  Command.withDescription(
    "Remove rows that share an n-gram (13 normalised words by default) with a benchmark row: writes <out>/kept.jsonl (unchanged, " +
      "input order) and <out>/removed.jsonl (each removed row plus `matched`: {file, line, ngram}, the benchmark file, its line " +
      "or row number from 1, and the shared n-gram)."
  )
)
