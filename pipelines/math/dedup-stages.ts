import { extname } from "node:path"
import { Effect, Schema, Stream } from "effect"
import { errorMessage, fileDigest } from "#io"
import { NO_ROW, streamStage, type InputError, type NoRow, type RunSummary } from "#dag"
import { DECONTAMINATION_NGRAM, ExactDeduper, indexBenchmarks, ROW_FILE_EXTENSIONS } from "#dedup"
import { VerifiedTask, familyOf } from "./rows.ts"

/** Reject reasons of the two stages, as the summary, the card and the rejects files name them. */
export const DUPLICATE_QUESTION = "duplicate_question"
export const CONTAMINATED = "contaminated"

/**
 * Exact dedup of the questions of seeds and variants, across families: a task goes when its question,
 * normalised as everywhere in libs/dedup (NFKC, lower case, every run of characters other than letters and
 * digits one space), equals an earlier task's; the first one stays and the reject names it as `matched`.
 *
 * Near-duplicates are left alone on purpose: variants of one seed share most of their words by design (on the
 * default seeds, MinHash at Jaccard 0.8 on word 5-grams finds 568 such pairs, every one inside a family and
 * none across families), and removing them would only starve families of their share. The published split is
 * by family, so near-duplicate variants never straddle train and test.
 */
export const dedupStage = (input: string) =>
  streamStage({
    name: "dedup",
    version: 1,
    inputs: [input],
    schema: VerifiedTask,
    config: { method: "exact", field: "question" },
    description: "exact duplicates of questions removed (case, white space and punctuation folded)",
    run: (ctx) => {
      const deduper = new ExactDeduper<string>()
      return (ctx.input(input) as Stream.Stream<VerifiedTask, InputError>).pipe(
        Stream.map((task): VerifiedTask | NoRow => {
          const decision = deduper.add(task.id, task.question)
          if (decision.kept) return task
          ctx.reject(DUPLICATE_QUESTION, { id: task.id, detail: { family: familyOf(task), matched: decision.matched } })
          return NO_ROW
        })
      )
    }
  })

/** What `--decontaminate-against` asks: benchmark files with their content hashes, the field read from them, the n-gram size. */
export interface DecontaminateSettings {
  readonly against: ReadonlyArray<{ readonly file: string; readonly sha256: string }>
  readonly field: string
  readonly ngram: number
}

export const DECONTAMINATE_DEFAULTS = { field: "question", ngram: DECONTAMINATION_NGRAM } as const

/**
 * Removes every task whose question shares a run of `ngram` normalised words with a row of a benchmark file
 * (libs/dedup's `BenchmarkIndex`); the reject records the benchmark file, its line (row number for Parquet)
 * and the shared n-gram. Only questions are compared: a benchmark leaks through its questions (a model that
 * has seen a test question verbatim is contaminated whatever solution came with it), and a reference solution
 * restates little of a question, so comparing solutions with benchmark questions would find next to nothing.
 *
 * The config holds each file's sha256, so an edited benchmark file recomputes the stage. A benchmark file that
 * cannot be read, or a row of it that is not a JSON object or lacks the field, fails the stage naming the file
 * and line.
 */
export const decontaminateStage = (input: string, settings: DecontaminateSettings) =>
  streamStage({
    name: "decontaminate",
    version: 1,
    inputs: [input],
    schema: VerifiedTask,
    config: { ...settings, checked: "question" },
    description: `tasks sharing a ${settings.ngram}-gram with a benchmark question removed`,
    run: (ctx) =>
      Stream.unwrap(
        Effect.map(
          indexBenchmarks({ files: settings.against.map((a) => a.file), field: settings.field, ngram: settings.ngram, fieldFlag: "--decontaminate-field" }),
          ({ index, files }) => {
            for (const f of files) {
              ctx.count("decontaminate/benchmark_rows", f.rows)
              ctx.count("decontaminate/short_benchmark_rows", f.short_rows)
            }
            return (ctx.input(input) as Stream.Stream<VerifiedTask, InputError>).pipe(
              Stream.map((task): VerifiedTask | NoRow => {
                const matched = index.match(task.question)
                if (matched === undefined) return task
                ctx.reject(CONTAMINATED, { id: task.id, detail: { family: familyOf(task), ...matched } })
                return NO_ROW
              })
            )
          }
        )
      )
  })

/** A benchmark file named by `--decontaminate-against` cannot be used: exit code 1, naming the file. */
export class BenchmarkFileError extends Schema.TaggedError<BenchmarkFileError>()("BenchmarkFileError", {
  file: Schema.String,
  message: Schema.String
}) {}

/**
 * The decontaminate stage's settings for the benchmark files a build names: each file's sha256, found before
 * any stage runs, so a missing file or one of another format fails at once rather than after the variants.
 */
export const decontaminateSettings = (options: { readonly files: ReadonlyArray<string>; readonly field?: string; readonly ngram?: number }) =>
  Effect.gen(function* () {
    const ngram = options.ngram ?? DECONTAMINATE_DEFAULTS.ngram
    const field = options.field ?? DECONTAMINATE_DEFAULTS.field
    const against: Array<{ file: string; sha256: string }> = []
    for (const file of options.files) {
      const extension = extname(file).toLowerCase()
      if (!(ROW_FILE_EXTENSIONS as ReadonlyArray<string>).includes(extension)) {
        return yield* new BenchmarkFileError({ file, message: `benchmark file ${file}: unsupported file extension "${extension || "(none)"}"; use ${ROW_FILE_EXTENSIONS.join(" or ")}` })
      }
      const digest = yield* Effect.tryPromise({
        try: () => fileDigest(file),
        catch: (e) =>
          new BenchmarkFileError({
            file,
            message: `cannot read the benchmark file ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : errorMessage(e)}; check the --decontaminate-against path`
          })
      })
      against.push({ file, sha256: digest.sha256 })
    }
    return { against, field, ngram } satisfies DecontaminateSettings
  })

const n = (value: number) => value.toLocaleString("en-US")

/**
 * The card's statement of what was and was not deduplicated and decontaminated, from the run summary: exact
 * duplicates removed (in the seed file and among seeds and variants), near-duplicates kept and why, and the
 * benchmark files (name, sha256, n-gram, tasks removed) or that there were none.
 */
export const dedupMarkdown = (summary: RunSummary, options: { readonly decontaminate?: DecontaminateSettings | undefined }): string => {
  const stage = (name: string) => summary.stages.find((s) => s.name === name)
  const seedRepeats = stage("seeds")?.rejects[DUPLICATE_QUESTION] ?? 0
  const duplicates = stage("dedup")?.rejects[DUPLICATE_QUESTION] ?? 0
  // The variants stage already drops a draw that repeats its seed or a sibling: the dedup stage sees none of those.
  const repeatedDraws = stage("variants")?.rejects["variant:duplicate"] ?? 0
  const out = [
    "## Deduplication and decontamination",
    "",
    `- **Exact duplicates of questions removed: ${n(duplicates)}** by the \`dedup\` stage among seeds and variants, across all ` +
      "seed families (normalised text: Unicode NFKC, lower case, every run of characters other than letters and digits one " +
      `space; the first copy kept), and ${n(seedRepeats)} repeated question${seedRepeats === 1 ? "" : "s"} in the seed file. ` +
      `Before that, the \`variants\` stage drew and dropped ${n(repeatedDraws)} variant${repeatedDraws === 1 ? "" : "s"} whose question repeated ` +
      "its seed or a sibling (`variant:duplicate` among the rejects), so no family holds the same question twice.",
    "- **Near-duplicates: not removed.** Variants of one seed are near-duplicates by design (the same problem with " +
      "other numbers); the train/test split is by seed family, so no family is in both splits."
  ]
  const settings = options.decontaminate
  if (settings === undefined || settings.against.length === 0) {
    out.push("- **Not decontaminated against any benchmark**: no benchmark file was given (`--decontaminate-against`); " +
      "check the data against your evaluation sets before training on it.")
    return out.join("\n") + "\n"
  }
  const s = stage("decontaminate")
  const removed = s?.rejects[CONTAMINATED] ?? 0
  const short = s?.counters["decontaminate/short_benchmark_rows"] ?? 0
  out.push(
    `- **Decontaminated against ${settings.against.length} benchmark file${settings.against.length === 1 ? "" : "s"}, removed ${n(removed)} ` +
      `task${removed === 1 ? "" : "s"}**: every task whose question shares a run of ${settings.ngram} normalised words with the ` +
      `\`${settings.field}\` field of a benchmark row (the rejects of the \`decontaminate\` stage name the file, line and n-gram). ` +
      "Reference solutions were not compared: a benchmark leaks through its questions.",
    "",
    "| benchmark file | sha256 |",
    "|---|---|",
    ...settings.against.map((a) => `| \`${a.file}\` | \`${a.sha256}\` |`)
  )
  if (short > 0) {
    out.push("", `${n(short)} benchmark row${short === 1 ? " is" : "s are"} shorter than ${settings.ngram} words and could match nothing; a smaller \`--decontaminate-ngram\` would compare ${short === 1 ? "it" : "them"}.`)
  }
  return out.join("\n") + "\n"
}

/** The decontamination settings a math build's config records (see the pipeline's `stages`), if it asked for any. */
export const decontaminationOf = (config: unknown): DecontaminateSettings | undefined =>
  typeof config === "object" && config !== null && "decontaminate" in config ? (config as { readonly decontaminate: DecontaminateSettings }).decontaminate : undefined
