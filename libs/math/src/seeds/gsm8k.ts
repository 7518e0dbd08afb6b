import { contentId, type Task } from "#core"
import { Result, Schema } from "effect"
import type { BadSeedRow } from "./errors.ts"
import { decodeRow, NonBlankString, required } from "./decode-row.ts"

// GSM8K (openai/grade-school-math): rows {question, answer}; the answer's steps end in a line
// "#### N", and the reference final answer is N with thousands separators removed.

const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)$/

/** The final answer of a GSM8K solution, normalised (commas, `$` and spaces removed), or why there is none. */
export const finalAnswerOf = (answer: string): Result.Result<string, string> => {
  const lines = answer.split(/\r?\n/).filter((line) => line.trim() !== "")
  const last = lines.at(-1)?.trim() ?? ""
  if (!last.startsWith("####")) {
    return Result.fail(
      lines.some((line) => line.trim().startsWith("####"))
        ? `the "#### <number>" line must be the last line`
        : `missing "#### <number>" final line`
    )
  }
  const raw = last.slice(4).trim()
  const value = raw.replace(/[,$\s]/g, "")
  return NUMBER.test(value) ? Result.succeed(value) : Result.fail(`final answer "${raw}" after "####" is not a number`)
}

export const Gsm8kRow = Schema.Struct({
  question: required(NonBlankString),
  answer: required(NonBlankString.check(
    Schema.makeFilter((answer: string) => Result.match(finalAnswerOf(answer), { onSuccess: () => undefined, onFailure: (why) => why }))
  ))
})
export type Gsm8kRow = typeof Gsm8kRow.Type

const hintFor = (field: string, reason: string): string | undefined =>
  field === "answer" && reason.includes("####")
    ? `end the answer with a line "#### <number>" or use --on-bad-rows skip`
    : undefined

/** A decoded GSM8K row as a math Task; the id depends only on the (normalised) question text. */
export const gsm8kTask = (row: Gsm8kRow, file: string, line: number): Task => {
  const reference = row.answer.trim()
  const answer = Result.getOrThrow(finalAnswerOf(reference))
  return {
    id: contentId("task", row.question),
    domain: "math",
    question: row.question.trim(),
    reference,
    answer,
    source: { kind: "seed", file, line },
    parent_ids: []
  }
}

/** Decodes one GSM8K row into a Task, or a BadSeedRow naming the field at fault. */
export const decodeGsm8k = (file: string, line: number, row: unknown): Result.Result<Task, BadSeedRow> =>
  Result.map(decodeRow(Gsm8kRow, { file, line, hintFor })(row), (decoded) => gsm8kTask(decoded, file, line))
