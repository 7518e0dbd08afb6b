/**
 * Verifies a file of GSM8K-format rows `{question, answer, expected?}` (openai/grade-school-math JSONL,
 * where `answer` is the solution text ending in `#### N`), or of rows a build published. JSONL is streamed
 * line by line so large files are never held in memory whole; a `.json` file holds one array and is read
 * whole; a `.parquet` shard is read in DuckDB chunks.
 */
import { createReadStream } from "node:fs"
import { readFile } from "node:fs/promises"
import { createInterface } from "node:readline"
import { Effect, Schema, Stream } from "effect"
import { isMalformed } from "./seeds/raw-row.ts"
import { readRawRows } from "./seeds/rows.ts"
import { verifySolution } from "./verify.ts"
import type { RoundingRule, VerifyCode, VerifyResult } from "./verify.ts"

/** A row that is not valid JSON or lacks a required field. */
export class MalformedVerifyRow extends Schema.TaggedError<MalformedVerifyRow>()("MalformedVerifyRow", {
  file: Schema.String,
  /** 1-based line (JSONL) or array position (JSON). */
  line: Schema.Number,
  /** The offending field; absent when the whole row is unreadable. */
  field: Schema.optional(Schema.String),
  message: Schema.String
}) {}

/** The file itself cannot be read or has an unsupported layout. */
export class VerifyRowsFileError extends Schema.TaggedError<VerifyRowsFileError>()("VerifyRowsFileError", {
  file: Schema.String,
  message: Schema.String
}) {}

export interface VerifyRowsOptions {
  readonly format: "gsm8k"
  readonly rounding?: RoundingRule
}

export interface RowVerdict {
  readonly line: number
  readonly correct: boolean
  readonly first_error_step?: number
  readonly code?: VerifyCode
  readonly reason?: string
}

export interface VerifyRowsReport {
  readonly total: number
  readonly correct: number
  readonly incorrect: number
  readonly rows: RowVerdict[]
}

/**
 * The judgement of one GSM8K row `{question?, answer, expected?}`: what `autodidact verify` reports for a row,
 * and what the build's `verified` stage requires of a seed's reference solution. Both call this one
 * function, with the row as it is, so the build can never accept a row that `verify` flags (issue #9): in
 * particular no `expected` is made up from the row's own `#### N`, which would only compare the answer with
 * itself. The question is passed on when the row has one: a question asked "in cents" lets the steps end
 * on a dollar amount.
 */
export const judgeRow = (
  answer: string,
  options: { readonly expected?: string; readonly rounding?: RoundingRule; readonly question?: string } = {}
): VerifyResult => verifySolution(answer, options)

const ROW_SHAPE =
  `each row must be {"question": "...", "answer": "<solution ending in #### N>", "expected"?: "N"}, or a published row ` +
  `with its solution in "annotated_solution", "annotated_chosen" or an assistant turn of "messages", and "answer" the expected final answer`

/**
 * Where a published row keeps the solution to check: the annotated text (training text has no calculator
 * annotations, so the annotated column is what re-checks every step), else the last assistant turn. A
 * preference row is checked on its chosen side: the rejected side is wrong by design.
 */
const PUBLISHED_SOLUTION = ["annotated_solution", "annotated_chosen"] as const

type Turn = { readonly role?: unknown; readonly content?: unknown }

const turns = (value: unknown): ReadonlyArray<Turn> => (Array.isArray(value) ? (value as ReadonlyArray<Turn>) : [])

const publishedSolution = (r: Record<string, unknown>): string | undefined => {
  for (const field of PUBLISHED_SOLUTION) if (typeof r[field] === "string") return r[field]
  const turn = [...turns(r["messages"])].reverse().find((m) => m?.role === "assistant")
  return typeof turn?.content === "string" ? turn.content : undefined
}

/** The question of a GSM8K row, or of a published row (a string prompt, or the user turn of `prompt` or `messages`). */
const questionOf = (r: Record<string, unknown>): string | undefined => {
  for (const field of ["question", "prompt"]) if (typeof r[field] === "string") return r[field]
  const user = [...turns(r["prompt"]), ...turns(r["messages"])].find((m) => m?.role === "user")
  return typeof user?.content === "string" ? user.content : undefined
}

type Checked = { readonly ok: true; readonly verdict: RowVerdict } | { readonly ok: false; readonly error: MalformedVerifyRow }

const checkRow = (file: string, line: number, row: unknown, rounding: RoundingRule | undefined): Checked => {
  const bad = (message: string, field?: string): Checked => ({
    ok: false,
    error: new MalformedVerifyRow({ file, line, ...(field !== undefined ? { field } : {}), message: `${file}:${line}: ${message}; ${ROW_SHAPE}` })
  })
  if (typeof row !== "object" || row === null || Array.isArray(row)) return bad("row is not a JSON object")
  const r = row as Record<string, unknown>
  const published = publishedSolution(r)
  if (published === undefined && !("answer" in r)) return bad(`field "answer" is missing`, "answer")
  if (published === undefined && typeof r.answer !== "string") return bad(`field "answer" must be a string (the solution text), got ${typeof r.answer}`, "answer")
  if ("question" in r && typeof r.question !== "string") return bad(`field "question" must be a string`, "question")
  let expected: string | undefined
  if ("expected" in r && r.expected !== null && r.expected !== undefined) {
    if (typeof r.expected === "string") expected = r.expected
    else if (typeof r.expected === "number" && Number.isFinite(r.expected)) expected = String(r.expected)
    else return bad(`field "expected" must be a string or number`, "expected")
  }
  // A published row's `answer` is the reference final answer, not a solution.
  if (published !== undefined && expected === undefined && typeof r.answer === "string" && r.answer.trim() !== "") expected = r.answer
  const question = questionOf(r)
  const judged = judgeRow(published ?? (r.answer as string), {
    ...(expected !== undefined ? { expected } : {}),
    ...(rounding ? { rounding } : {}),
    ...(question !== undefined ? { question } : {})
  })
  // A step pair's sides stop after the error step: no final answer is due, every step's arithmetic is.
  const partial = published !== undefined && typeof r["initial_reason_steps"] === "string"
  const v = partial && judged.code === "no_final_answer" ? { ...judged, correct: true, code: undefined, reason: undefined } : judged
  return {
    ok: true,
    verdict: {
      line,
      correct: v.correct,
      ...(v.first_error_step !== undefined ? { first_error_step: v.first_error_step } : {}),
      ...(v.code !== undefined ? { code: v.code } : {}),
      ...(v.reason !== undefined ? { reason: v.reason } : {})
    }
  }
}

type Scan = { readonly ok: true; readonly rows: RowVerdict[] } | { readonly ok: false; readonly error: MalformedVerifyRow | VerifyRowsFileError }

const scanJsonl = async (file: string, rounding: RoundingRule | undefined): Promise<Scan> => {
  const stream = createReadStream(file, { encoding: "utf8" })
  const lines = createInterface({ input: stream, crlfDelay: Infinity })
  const rows: RowVerdict[] = []
  let n = 0
  try {
    for await (const text of lines) {
      n++
      if (text.trim() === "") continue
      let row: unknown
      try {
        row = JSON.parse(text)
      } catch (e) {
        return {
          ok: false,
          error: new MalformedVerifyRow({ file, line: n, message: `${file}:${n}: invalid JSON (${(e as Error).message}); fix or remove the line` })
        }
      }
      const checked = checkRow(file, n, row, rounding)
      if (!checked.ok) return checked
      rows.push(checked.verdict)
    }
  } finally {
    lines.close()
    stream.destroy()
  }
  return { ok: true, rows }
}

const scanParquet = (file: string, rounding: RoundingRule | undefined): Effect.Effect<ReadonlyArray<RowVerdict>, MalformedVerifyRow | VerifyRowsFileError> =>
  readRawRows(file).pipe(
    Stream.mapError((e) => new VerifyRowsFileError({ file, message: e.message })),
    Stream.mapEffect((raw) => {
      if (isMalformed(raw)) return Effect.fail(new MalformedVerifyRow({ file, line: raw.line, message: `${file}:${raw.line}: ${raw.malformed}; ${ROW_SHAPE}` }))
      const checked = checkRow(file, raw.line, raw.row, rounding)
      return checked.ok ? Effect.succeed(checked.verdict) : Effect.fail(checked.error)
    }),
    Stream.runCollect
  )

const scanJson = async (file: string, rounding: RoundingRule | undefined): Promise<Scan> => {
  const text = await readFile(file, "utf8")
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    return { ok: false, error: new VerifyRowsFileError({ file, message: `${file}: invalid JSON (${(e as Error).message}); a .json file must hold an array of rows` }) }
  }
  if (!Array.isArray(data)) {
    return { ok: false, error: new VerifyRowsFileError({ file, message: `${file}: expected a JSON array of rows; for one row per line use a .jsonl file` }) }
  }
  const rows: RowVerdict[] = []
  for (const [i, row] of data.entries()) {
    const checked = checkRow(file, i + 1, row, rounding)
    if (!checked.ok) return checked
    rows.push(checked.verdict)
  }
  return { ok: true, rows }
}

/** Verifies every row of a .jsonl or .json file; fails on the first malformed row. */
export const verifyRowsFile = (
  path: string,
  options: VerifyRowsOptions = { format: "gsm8k" }
): Effect.Effect<VerifyRowsReport, MalformedVerifyRow | VerifyRowsFileError> =>
  Effect.gen(function* () {
    const lower = path.toLowerCase()
    const report = (rows: RowVerdict[]): VerifyRowsReport => {
      const correct = rows.filter((r) => r.correct).length
      return { total: rows.length, correct, incorrect: rows.length - correct, rows }
    }
    if (lower.endsWith(".parquet")) return report([...(yield* scanParquet(path, options.rounding))])
    const scan = lower.endsWith(".jsonl") ? scanJsonl : lower.endsWith(".json") ? scanJson : undefined
    if (scan === undefined) {
      return yield* new VerifyRowsFileError({ file: path, message: `${path}: unsupported file type; give a .jsonl (one row per line), .json (array) or .parquet (a published shard) file` })
    }
    const result = yield* Effect.tryPromise({
      try: () => scan(path, options.rounding),
      catch: (e) => new VerifyRowsFileError({ file: path, message: `${path}: cannot read file (${(e as Error).message ?? String(e)}); check the path and permissions` })
    })
    if (!result.ok) return yield* result.error
    return report(result.rows)
  })
