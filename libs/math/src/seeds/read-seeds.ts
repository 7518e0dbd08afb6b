import type { Task } from "#core"
import { Effect, Ref, Result, Stream } from "effect"
import { BadSeedRow, DEFAULT_BAD_ROW_HINT, type SeedReadError, UnknownSeedFormat, WHOLE_ROW } from "./errors.ts"
import { seedFileGuard, type SeedFormat } from "./header.ts"
import { decodeGsm8k } from "./gsm8k.ts"
import { isMalformed, type RawRow, type SeedRow } from "./raw-row.ts"
import { openRejectsFile, type RejectRecord, type RejectsFile } from "./rejects.ts"
import { readRawRows } from "./rows.ts"
import { decodeSelfInstruct, type InstructSeed } from "./self-instruct.ts"

export type { SeedFormat } from "./header.ts"
export type BadRowPolicy = "fail" | "skip"

export interface ReadSeedsOptions {
  /** Default "auto": decided by the first row that parses (see `detectFormat`). */
  readonly format?: SeedFormat | "auto"
  /** Default "fail": the first bad row fails the stream. "skip" counts it and goes on. */
  readonly onBadRows?: BadRowPolicy
  /** JSONL file for rejected rows ({file, line, field, reason, row}); truncated when the stream starts. */
  readonly rejectsPath?: string
}

export type SeedRecord =
  | { readonly format: "gsm8k"; readonly task: Task }
  | ({ readonly format: "self-instruct" } & InstructSeed)

export interface SeedSummary {
  /** Rows read, blank lines not counted. */
  readonly rows: number
  readonly kept: number
  /** Bad rows skipped plus duplicates dropped. */
  readonly rejected: number
  readonly duplicates: number
  /** The format used; undefined until a row has been decoded. */
  readonly format: SeedFormat | undefined
}

/**
 * What `readSeeds` gives back: lazy streams over the file, and the tally of the latest run.
 * `tasks` and `records` are two views of the same read; run one of them. `summary` is reset when
 * a run starts and final once the run ends, e.g.
 *
 *   const seeds = readSeeds("data/seeds/math.jsonl", { onBadRows: "skip", rejectsPath })
 *   const tasks = yield* Stream.runCollect(seeds.tasks)
 *   const { rejected } = yield* seeds.summary
 */
export interface SeedReader {
  readonly records: Stream.Stream<SeedRecord, SeedReadError>
  readonly tasks: Stream.Stream<Task, SeedReadError>
  readonly summary: Effect.Effect<SeedSummary>
}

const emptySummary: SeedSummary = { rows: 0, kept: 0, rejected: 0, duplicates: 0, format: undefined }

/**
 * GSM8K rows have "question"/"answer"; Self-Instruct rows have "instruction"/"instances". One
 * matching field is enough, so a first row that lacks the other gets a precise missing-field error.
 */
export const detectFormat = (row: Record<string, unknown>): SeedFormat | undefined => {
  const gsm8k = "question" in row || "answer" in row
  const instruct = "instruction" in row || "instances" in row
  return gsm8k === instruct ? undefined : gsm8k ? "gsm8k" : "self-instruct"
}

const decodeAs = (format: SeedFormat, file: string, { line, row }: SeedRow): Result.Result<SeedRecord, BadSeedRow> =>
  format === "gsm8k"
    ? Result.map(decodeGsm8k(file, line, row), (task): SeedRecord => ({ format, task }))
    : Result.map(decodeSelfInstruct(file, line, row), (seed): SeedRecord => ({ format, ...seed }))

/**
 * Reads a seed file (.jsonl, .json, .csv or .parquet) as Tasks. Duplicate tasks (same id, i.e. the
 * same normalised question or instruction) keep the first occurrence; later ones are dropped and
 * counted as rejects with reason "duplicate" under either policy, since they are not errors.
 */
export const readSeeds = (path: string, options: ReadSeedsOptions = {}): SeedReader => {
  const policy = options.onBadRows ?? "fail"
  const summary = Ref.makeUnsafe(emptySummary)
  const tally = (change: Partial<Record<"rows" | "kept" | "rejected" | "duplicates", number>>, format?: SeedFormat) =>
    Ref.update(summary, (s) => ({
      rows: s.rows + (change.rows ?? 0),
      kept: s.kept + (change.kept ?? 0),
      rejected: s.rejected + (change.rejected ?? 0),
      duplicates: s.duplicates + (change.duplicates ?? 0),
      format: format ?? s.format
    }))

  const records: Stream.Stream<SeedRecord, SeedReadError> = Stream.unwrap(
    Effect.gen(function*() {
      yield* Ref.set(summary, emptySummary)
      const rejects: RejectsFile | undefined = options.rejectsPath === undefined
        ? undefined
        : yield* openRejectsFile(options.rejectsPath)
      const record = (entry: RejectRecord) => (rejects === undefined ? Effect.void : rejects.write(entry))
      // Per-run state: a second run of the stream starts over.
      let format: SeedFormat | undefined = options.format === "auto" || options.format === undefined
        ? undefined
        : options.format
      const keptAt = new Map<string, number>()
      // Garbage (the wrong file) stops early rather than filling the rejects file row after row.
      const leading = seedFileGuard(path)

      const reject = (error: BadSeedRow, row: unknown) => {
        if (policy === "fail") return Effect.fail(error)
        const garbage = leading.bad(error)
        if (garbage !== undefined) return Effect.fail(garbage)
        return record({ file: path, line: error.line, field: error.field, reason: error.reason, row }).pipe(
          Effect.andThen(tally({ rejected: 1 })),
          Effect.as(undefined)
        )
      }

      const handle = (raw: RawRow): Effect.Effect<SeedRecord | undefined, SeedReadError> =>
        Effect.gen(function*() {
          yield* tally({ rows: 1 })
          if (isMalformed(raw)) {
            const error = new BadSeedRow({
              file: path,
              line: raw.line,
              field: WHOLE_ROW,
              reason: raw.malformed,
              hint: DEFAULT_BAD_ROW_HINT
            })
            return yield* reject(error, raw.text)
          }
          if (format === undefined) {
            format = detectFormat(raw.row)
            if (format === undefined) {
              return yield* new UnknownSeedFormat({ file: path, line: raw.line, fields: Object.keys(raw.row) })
            }
          }
          const decoded = decodeAs(format, path, raw)
          if (Result.isFailure(decoded)) return yield* reject(decoded.failure, raw.row)
          const seed = decoded.success
          leading.good()
          const firstLine = keptAt.get(seed.task.id)
          if (firstLine !== undefined) {
            yield* record({
              file: path,
              line: raw.line,
              field: seed.format === "gsm8k" ? "question" : "instruction",
              reason: "duplicate",
              row: raw.row,
              duplicate_of: firstLine
            })
            yield* tally({ rejected: 1, duplicates: 1 })
            return undefined
          }
          keptAt.set(seed.task.id, raw.line)
          yield* tally({ kept: 1 }, format)
          return seed
        })

      const formats: ReadonlyArray<SeedFormat> = format === undefined ? ["gsm8k", "self-instruct"] : [format]
      return readRawRows(path, { formats }).pipe(
        Stream.mapEffect(handle),
        Stream.filter((seed): seed is SeedRecord => seed !== undefined)
      )
    })
  )

  return {
    records,
    tasks: Stream.map(records, (seed) => seed.task),
    summary: Ref.get(summary)
  }
}
