import { contentId } from "#core"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { decodeGsm8k, finalAnswerOf } from "./gsm8k.ts"

describe("finalAnswerOf", () => {
  it("takes the number after the last-line ####, without $ and thousands separators", () => {
    expect(finalAnswerOf("Step.\n#### 18")).toEqual(Result.succeed("18"))
    expect(finalAnswerOf("Step.\n#### $1,200\n")).toEqual(Result.succeed("1200"))
    expect(finalAnswerOf("Step.\n####-3.5")).toEqual(Result.succeed("-3.5"))
  })

  it("says what is wrong when there is no usable final line", () => {
    expect(finalAnswerOf("It is 4.")).toEqual(Result.fail(`missing "#### <number>" final line`))
    expect(finalAnswerOf("#### 4\nThen more text.")).toEqual(Result.fail(`the "#### <number>" line must be the last line`))
    expect(finalAnswerOf("Guess.\n#### many")).toEqual(Result.fail(`final answer "many" after "####" is not a number`))
  })
})

describe("decodeGsm8k", () => {
  it("turns a row into a math Task traced to its seed file and line", () => {
    const row = { question: "Ivy has 4 bags of 6 apples. How many apples?", answer: "4 * 6 = <<4*6=24>>24\n#### 24" }
    expect(decodeGsm8k("data/seeds/x.jsonl", 12, row)).toEqual(Result.succeed({
      id: contentId("task", row.question),
      domain: "math",
      question: row.question,
      reference: row.answer,
      answer: "24",
      source: { kind: "seed", file: "data/seeds/x.jsonl", line: 12 },
      parent_ids: []
    }))
  })

  it("names the field and the fix for a missing #### line", () => {
    const result = decodeGsm8k("data/seeds/x.jsonl", 12, { question: "q?", answer: "It is 4." })
    const error = Result.isFailure(result) ? result.failure : undefined
    expect(error?.message).toBe(
      `data/seeds/x.jsonl:12: field "answer": missing "#### <number>" final line; ` +
        `end the answer with a line "#### <number>" or use --on-bad-rows skip`
    )
  })

  it("reports missing, empty and mistyped fields by name", () => {
    const reasonFor = (row: unknown) => {
      const result = decodeGsm8k("f.jsonl", 1, row)
      return Result.isFailure(result) ? [result.failure.field, result.failure.reason] : undefined
    }
    expect(reasonFor({ question: "q?" })).toEqual(["answer", "is missing"])
    expect(reasonFor({ question: "   ", answer: "#### 1" })).toEqual(["question", "is empty"])
    expect(reasonFor({ question: 7, answer: "#### 1" })).toEqual(["question", "expected string, got 7"])
  })
})
