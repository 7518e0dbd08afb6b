import { Effect, Result, Schema, Stream } from "effect"
import type { Task } from "#core"
import { errorMessage, fileDigest } from "#io"
import { mapStage, NO_ROW, streamStage, type NoRow } from "#dag"
import { BadSeedRow, DEFAULT_BAD_ROW_HINT, WHOLE_ROW, decodeGsm8k, isMalformed, judgeRow, readRawRows, seedFileGuard } from "#math"
import { VerifiedTask } from "./rows.ts"

export interface SeedStageConfig {
  readonly file: string
  /** The seed file's content hash: part of the stage's identity, so an edited seed file recomputes. */
  readonly sha256: string
  readonly onBadRows: "fail" | "skip"
}

/**
 * Reads the seed file (JSONL, JSON, CSV or Parquet in GSM8K format). A bad row stops the build with
 * its file, line and field, or with --on-bad-rows skip is kept in the stage's rejects with its reason.
 * A repeated question is always a reject ("duplicate_question"), never an error. A CSV or Parquet file
 * without the GSM8K columns fails at once naming them; a file whose first MAX_LEADING_BAD_ROWS rows
 * are all bad is taken for garbage and fails even under skip, so its rejects never pile up.
 */
export const seedsStage = (config: SeedStageConfig) =>
  streamStage({
    name: "seeds",
    // 2: header check and early stop on garbage, so an old cached result of a garbage file is not reused.
    version: 2,
    inputs: [],
    schema: VerifiedTask,
    config,
    description: "seed problems read from the seed file",
    run: (ctx) => {
      const seen = new Set<string>()
      const leading = seedFileGuard(config.file)
      return readRawRows(config.file, { formats: ["gsm8k"] }).pipe(
        Stream.mapEffect((raw) =>
          Effect.gen(function* () {
            const bad = (error: BadSeedRow) => {
              if (config.onBadRows === "fail") return Effect.fail(error)
              const garbage = leading.bad(error, `bad_row:${error.field}`)
              if (garbage !== undefined) return Effect.fail(garbage)
              return Effect.sync(() => {
                ctx.reject(`bad_row:${error.field}`, { id: `${error.file}:${error.line}`, detail: { message: error.message } })
                // Lets the engine write rejects part by part: a file of mostly bad rows never piles them up.
                return [NO_ROW] as Array<VerifiedTask | NoRow>
              })
            }
            if (isMalformed(raw)) {
              return yield* bad(new BadSeedRow({ file: config.file, line: raw.line, field: WHOLE_ROW, reason: raw.malformed, hint: DEFAULT_BAD_ROW_HINT }))
            }
            const decoded = decodeGsm8k(config.file, raw.line, raw.row)
            if (Result.isFailure(decoded)) return yield* bad(decoded.failure)
            const task: Task = decoded.success
            leading.good()
            if (seen.has(task.id)) {
              ctx.reject("duplicate_question", { id: task.id, detail: { file: config.file, line: raw.line } })
              return [NO_ROW] as Array<VerifiedTask | NoRow>
            }
            seen.add(task.id)
            return [{ ...task, steps: 0, origin: "seed" }] as Array<VerifiedTask | NoRow>
          })
        ),
        Stream.flattenIterable
      )
    }
  })

/**
 * Keeps the seed tasks whose reference solution verifies, with the same judgement as `autodidact verify`
 * on the seed file (`judgeRow`: every annotation's arithmetic, the numbers written after them, equations in
 * prose, and a final answer that is the result the steps end on). A seed that does not verify stops the
 * build naming its file and line, or with --on-bad-rows skip is a reject (`unverified:<code>`) with the
 * verifier's reason; either way it is counted in the card's pass rate (`verify/<origin>/failed`).
 */
export const verifiedStage = (input: string, options: { readonly onBadRows: "fail" | "skip" } = { onBadRows: "fail" }) => {
  const config = { rounding: "gsm8k", onBadRows: options.onBadRows } as const
  return mapStage({
    name: "verified",
    // 2: the judgement of `autodidact verify` (no expected answer taken from the row's own `####`), and
    // --on-bad-rows for seeds that do not verify. 3: the review of the verifier after issue #9 (the final
    // answer's ending, agreeing final answers, prose equations after ":" and "of", `//`, the question
    // passed on for answers asked in cents).
    version: 3,
    inputs: [input],
    schema: VerifiedTask,
    config,
    batchSize: 500,
    description: "tasks whose reference solution verifies",
    process: (batch: ReadonlyArray<VerifiedTask>, ctx) =>
      Effect.forEach(batch, (task) => {
        const result = judgeRow(task.reference ?? "", { rounding: config.rounding, question: task.question })
        if (result.correct) {
          ctx.count(`verify/${task.origin}/passed`)
          return Effect.succeed([{ ...task, steps: result.steps.length }])
        }
        const file = task.source.file ?? ""
        const line = task.source.line ?? 0
        const reason = result.reason ?? result.code ?? "unknown"
        if (config.onBadRows === "fail") {
          return Effect.fail(new BadSeedRow({ file, line, field: "answer", reason: `the solution does not verify: ${reason}`, hint: DEFAULT_BAD_ROW_HINT }))
        }
        ctx.count(`verify/${task.origin}/failed`)
        ctx.reject(`unverified:${result.code ?? "unknown"}`, { id: task.id, detail: { file, line, reason, step: result.first_error_step } })
        return Effect.succeed([] as Array<VerifiedTask>)
      }).pipe(Effect.map((kept) => kept.flat()))
  })
}

/** Content hash of a file, for stage configs. */
export const fileSha256 = (path: string) =>
  Effect.tryPromise({
    try: async () => (await fileDigest(path)).sha256,
    catch: (e) =>
      new SeedFileMissing({
        file: path,
        message: `cannot read the seed file ${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : errorMessage(e)}; check the --seeds path`
      })
  })

export class SeedFileMissing extends Schema.TaggedError<SeedFileMissing>()("SeedFileMissing", {
  file: Schema.String,
  message: Schema.String
}) {}

