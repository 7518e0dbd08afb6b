import { Effect } from "effect"
import { Command, Flag, Argument } from "effect/cli"
import { verifyRowsFile } from "#math"
import { emit } from "../output.ts"

export const verifyCommand = Command.make(
  "verify",
  {
    file: Argument.String("file").pipe(
      Argument.withDescription(
        "a .jsonl, .json or .parquet file of rows {question, answer, expected?} (answer is the solution text), or of published rows " +
          "(a shard of sft, correction, preference or step_preference: the annotated column is checked against `answer`)"
      )
    ),
    format: Flag.Literals("format", ["gsm8k"] as const).pipe(Flag.withDescription("solution format"), Flag.withDefault("gsm8k" as const)),
    json: Flag.Boolean("json").pipe(Flag.withDescription("print {total, correct, incorrect, rows: [{line, correct, first_error_step, reason}]}"), Flag.withDefault(false))
  },
  ({ file, format, json }) =>
    Effect.gen(function* () {
      const result = yield* verifyRowsFile(file, { format })
      yield* emit(json, result, () => {
        const lines = [`${file}: ${result.total} rows, ${result.correct} correct, ${result.incorrect} incorrect`]
        for (const r of result.rows) {
          if (!r.correct) lines.push(`  line ${r.line}: wrong${r.first_error_step === undefined ? "" : ` at step ${r.first_error_step}`}: ${r.reason}`)
        }
        return lines.join("\n")
      })
    })
).pipe(
  Command.withDescription(
    "Check GSM8K-style solutions: every <<expr=result>> annotation's arithmetic (exact rationals), the number written " +
      "after it, and the final answer (#### N, 'The answer is', \\boxed{}) against `expected` or the steps. Published rows are " +
      "checked on their annotated column (annotated_solution, annotated_chosen), else the assistant turn; a step pair needs no final answer. Exits 0 when it ran."
  )
)
