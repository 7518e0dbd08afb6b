/**
 * Verifies a file of GSM8K-format rows `{question, answer, expected?}` (openai/grade-school-math JSONL,
 * where `answer` is the solution text ending in `#### N`). JSONL is streamed line by line so large files are
 * never held in memory whole; a `.json` file holds one array and is read whole.
 */
import { createReadStream } from "node:fs"
import { readFile } from "node:fs/promises"
import { createInterface } from "node:readline"
import { Effect, Schema } from "effect"
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

const ROW_SHAPE = `each row must be {"question": "...", "answer": "<solution ending in #### N>", "expected"?: "N"}`

type Checked = { readonly ok: true; readonly verdict: RowVerdict } | { readonly ok: false; readonly error: MalformedVerifyRow }

const checkRow = (file: string, line: number, row: unknown, rounding: RoundingRule | undefined): Checked => {
  const bad = (message: string, field?: string): Checked => ({
    ok: false,
    error: new MalformedVerifyRow({ file, line, ...(field !== undefined ? { field } : {}), message: `${file}:${line}: ${message}; ${ROW_SHAPE}` })
  })
  if (typeof row !== "object" || row === null || Array.isArray(row)) return bad("row is not a JSON object")
  const r = row as Record<string, unknown>
  if (!("answer" in r)) return bad(`field "answer" is missing`, "answer")
  if (typeof r.answer !== "string") return bad(`field "answer" must be a string (the solution text), got ${typeof r.answer}`, "answer")
  if ("question" in r && typeof r.question !== "string") return bad(`field "question" must be a string`, "question")
  let expected: string | undefined
  if ("expected" in r && r.expected !== null && r.expected !== undefined) {
    if (typeof r.expected === "string") expected = r.expected
    else if (typeof r.expected === "number" && Number.isFinite(r.expected)) expected = String(r.expected)
    else return bad(`field "expected" must be a string or number`, "expected")
  }
  const v = judgeRow(r.answer, {
    ...(expected !== undefined ? { expected } : {}),
    ...(rounding ? { rounding } : {}),
    ...(typeof r.question === "string" ? { question: r.question } : {})
  })
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
    const scan = lower.endsWith(".jsonl") ? scanJsonl : lower.endsWith(".json") ? scanJson : undefined
    if (scan === undefined) {
      return yield* new VerifyRowsFileError({ file: path, message: `${path}: unsupported file type; give a .jsonl (one row per line) or .json (array) file` })
    }
    const result = yield* Effect.tryPromise({
      try: () => scan(path, options.rounding),
      catch: (e) => new VerifyRowsFileError({ file: path, message: `${path}: cannot read file (${(e as Error).message ?? String(e)}); check the path and permissions` })
    })
    if (!result.ok) return yield* result.error
    const correct = result.rows.filter((r) => r.correct).length
    return { total: result.rows.length, correct, incorrect: result.rows.length - correct, rows: result.rows }
  })
