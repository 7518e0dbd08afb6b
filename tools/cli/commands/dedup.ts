import { Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import { batchRunner, defaultThreads, ExactDeduper, fieldText, MINHASH_DEFAULTS, MinHashDeduper, NOVELTY_DEFAULTS, NoveltyFilter, signatureBatch, type Decision, type SignatureBatch } from "#dedup"
import { UsageError } from "../errors.ts"
import { filterRows, filterRowsFlags, rowRef, threadsFlag } from "../filter-rows.ts"
import { emit } from "../output.ts"

export const dedupCommand = Command.make(
  "dedup",
  {
    file: filterRowsFlags.file,
    field: Flag.String("field").pipe(Flag.withDescription("the text field compared (e.g. question, instruction)")),
    method: Flag.Literals("method", ["exact", "minhash", "rouge"] as const).pipe(
      Flag.withDescription("exact: same text once case, white space and punctuation are folded; minhash: MinHash LSH, Jaccard of shingles >= --threshold; rouge: Self-Instruct's ROUGE-L novelty filter")
    ),
    threshold: Flag.Finite("threshold").pipe(
      Flag.withDescription(`minhash: remove at Jaccard >= x (default ${MINHASH_DEFAULTS.threshold}); rouge: remove at ROUGE-L F1 > x (default 0.7)`),
      Flag.optional
    ),
    ngram: Flag.Int("ngram").pipe(
      Flag.withDescription(`minhash shingle size: words (default ${MINHASH_DEFAULTS.wordSize}) or characters (default ${MINHASH_DEFAULTS.charSize})`),
      Flag.optional
    ),
    shingle: Flag.Literals("shingle", ["word", "char"] as const).pipe(Flag.withDescription("minhash shingles: word n-grams (default) or character n-grams"), Flag.optional),
    threads: threadsFlag("minhash: worker threads for shingling and signatures"),
    out: filterRowsFlags.out,
    json: filterRowsFlags.json
  },
  (flags) =>
    Effect.gen(function* () {
      const threads = Option.getOrUndefined(flags.threads)
      if (threads !== undefined && flags.method !== "minhash") return yield* new UsageError({ message: `--threads: only for --method minhash; ${flags.method} runs on the main thread` })
      if (threads !== undefined && threads < 1) return yield* new UsageError({ message: `--threads takes a whole number of at least 1, got ${threads}` })
      const threshold = Option.getOrUndefined(flags.threshold)
      const ngram = Option.getOrUndefined(flags.ngram)
      const shingle = Option.getOrUndefined(flags.shingle)
      if (flags.method === "exact") {
        const extra = [threshold !== undefined && "--threshold", ngram !== undefined && "--ngram", shingle !== undefined && "--shingle"].filter((f) => f !== false)
        if (extra.length > 0) return yield* new UsageError({ message: `${extra.join(", ")}: only for --method minhash or rouge; exact dedup has no parameters` })
      }
      if (flags.method === "rouge") {
        const extra = [ngram !== undefined && "--ngram", shingle !== undefined && "--shingle"].filter((f) => f !== false)
        if (extra.length > 0) return yield* new UsageError({ message: `${extra.join(", ")}: only for --method minhash; rouge compares whole token sequences` })
        if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) {
          return yield* new UsageError({ message: `--threshold takes a number in [0, 1] for rouge, got ${threshold}` })
        }
      } else if (threshold !== undefined && !(threshold > 0 && threshold <= 1)) {
        return yield* new UsageError({ message: `--threshold takes a number in (0, 1], got ${threshold}` })
      }
      if (ngram !== undefined && ngram < 1) return yield* new UsageError({ message: `--ngram takes a whole number of at least 1, got ${ngram}` })
      type Ref = string | number
      const rougeThreshold = threshold ?? NOVELTY_DEFAULTS.threshold
      // The novelty filter's kept items' most similar neighbours are not written (kept rows stay unchanged): keepTop 0.
      const deduper: { add: (key: Ref, text: string) => Decision<Ref> } = flags.method === "exact"
        ? new ExactDeduper<Ref>()
        : flags.method === "rouge"
        ? new NoveltyFilter<Ref>({ threshold: rougeThreshold, keepTop: 0 })
        : new MinHashDeduper<Ref>({ shingle: shingle ?? "word", ...(ngram === undefined ? {} : { size: ngram }), ...(threshold === undefined ? {} : { threshold }) })
      const workers = threads ?? defaultThreads()
      const m = deduper instanceof MinHashDeduper ? deduper : undefined
      const r = deduper instanceof NoveltyFilter ? deduper : undefined
      const params = m !== undefined
        ? { shingle: m.shingle, ngram: m.size, threshold: m.threshold, bands: m.bands, rows: m.rows, threads: workers }
        : r !== undefined
        ? { threshold: rougeThreshold }
        : {}
      const removal = (d: Decision<Ref>) => (d.kept ? undefined : { matched: d.matched, score: d.score })
      const counts = m === undefined
        ? yield* filterRows(`dedup ${flags.file}`, flags.file, flags.out, (input) => removal(deduper.add(rowRef(input), fieldText(flags.file, input, flags.field))))
        : yield* Effect.gen(function* () {
          // Shingles and signatures on worker threads, a few batches ahead; the LSH tables and Jaccard checks here, in input order.
          const params = m.params
          const runner = yield* batchRunner<SignatureBatch>({ kind: "signatures", params }, (texts) => signatureBatch(texts, params), workers)
          return yield* filterRows(`dedup ${flags.file}`, flags.file, flags.out, {
            prepare: (batch) => runner.run(batch.map((input) => fieldText(flags.file, input, flags.field))),
            decide: (batch, signatures) => m.addBatch(batch.map(rowRef), signatures).map(removal),
            ahead: workers * 2
          })
        }).pipe(Effect.scoped)
      const result = { file: flags.file, field: flags.field, method: flags.method, ...params, ...counts, ...(r === undefined ? {} : { rouge: r.stats }) }
      yield* emit(flags.json, result, () => {
        const how = m !== undefined
          ? `minhash, ${m.shingle} ${m.size}-grams, Jaccard >= ${m.threshold}, ${m.bands} bands x ${m.rows} rows`
          : r !== undefined
          ? `rouge, ROUGE-L F1 > ${rougeThreshold}, ${r.stats.lcs} LCS computed of ${r.stats.allPairs} pairs`
          : "exact, normalised text"
        return `${flags.file}: ${counts.total} rows, ${counts.kept} kept, ${counts.removed} removed (${how}) → ${counts.out.kept}, ${counts.out.removed}`
      })
    })
).pipe(
  Command.withDescription(
    "Remove near-duplicate rows: writes <out>/kept.jsonl (the rows kept, unchanged, in input order) and <out>/removed.jsonl " +
      "(each removed row plus `matched`, the id, or line when the row has no id, of the kept row it duplicates, and `score`)."
  )
)
