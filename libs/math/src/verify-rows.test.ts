import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect } from "effect"
import { MalformedVerifyRow, VerifyRowsFileError, verifyRowsFile } from "./verify-rows.ts"

let dir = ""
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "verify-rows-"))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const file = async (name: string, content: string): Promise<string> => {
  const path = join(dir, name)
  await writeFile(path, content)
  return path
}

const good = { question: "Janet's ducks?", answer: "She sells 16-3-4=<<16-3-4=9>>9 eggs.\nShe makes 9*2=$<<9*2=18>>18.\n#### 18" }
const badCalc = { question: "q", answer: "She makes 9*2=$<<9*2=19>>19.\n#### 19" }
const wrongExpected = { ...good, expected: "20" }

describe("verifyRowsFile", () => {
  it("verifies every JSONL row and counts results, skipping blank lines", async () => {
    const path = await file("rows.jsonl", [good, badCalc, "", wrongExpected, { ...good, expected: 18 }].map((r) => (r === "" ? "" : JSON.stringify(r))).join("\n") + "\n")
    const report = await Effect.runPromise(verifyRowsFile(path, { format: "gsm8k" }))
    expect(report).toEqual({
      total: 4,
      correct: 2,
      incorrect: 2,
      rows: [
        { line: 1, correct: true },
        { line: 2, correct: false, first_error_step: 1, code: "annotation_mismatch", reason: "annotation_mismatch: step 1: 9*2 = 18, annotation says 19" },
        {
          line: 4,
          correct: false,
          code: "final_answer_mismatch",
          reason: "final_answer_mismatch: final answer 18 does not equal expected 20"
        },
        { line: 5, correct: true }
      ]
    })
  })

  it("reads a .json array of rows", async () => {
    const path = await file("rows.json", JSON.stringify([good, badCalc]))
    const report = await Effect.runPromise(verifyRowsFile(path, { format: "gsm8k" }))
    expect([report.total, report.correct, report.incorrect]).toEqual([2, 1, 1])
  })

  it("fails with MalformedVerifyRow naming file and line for invalid JSON", async () => {
    const path = await file("badjson.jsonl", `${JSON.stringify(good)}\n{"question": "q", "answer": \n`)
    const error = await Effect.runPromise(Effect.flip(verifyRowsFile(path, { format: "gsm8k" })))
    expect(error).toBeInstanceOf(MalformedVerifyRow)
    expect(error).toMatchObject({ _tag: "MalformedVerifyRow", file: path, line: 2 })
    expect((error as MalformedVerifyRow).message).toMatch(/invalid JSON .*fix or remove the line/)
  })

  it("fails with MalformedVerifyRow naming the missing answer field", async () => {
    const path = await file("noanswer.jsonl", `${JSON.stringify(good)}\n${JSON.stringify(good)}\n${JSON.stringify({ question: "q" })}\n`)
    const error = await Effect.runPromise(Effect.flip(verifyRowsFile(path, { format: "gsm8k" })))
    expect(error).toMatchObject({ _tag: "MalformedVerifyRow", file: path, line: 3, field: "answer" })
    expect((error as MalformedVerifyRow).message).toContain(`field "answer" is missing`)
  })

  it("fails with MalformedVerifyRow for a wrongly typed field", async () => {
    const path = await file("typed.json", JSON.stringify([good, { question: "q", answer: 18 }]))
    const error = await Effect.runPromise(Effect.flip(verifyRowsFile(path, { format: "gsm8k" })))
    expect(error).toMatchObject({ _tag: "MalformedVerifyRow", line: 2, field: "answer" })
  })

  it("fails with VerifyRowsFileError for a missing file or an unsupported layout", async () => {
    const missing = await Effect.runPromise(Effect.flip(verifyRowsFile(join(dir, "nope.jsonl"), { format: "gsm8k" })))
    expect(missing).toBeInstanceOf(VerifyRowsFileError)
    expect((missing as VerifyRowsFileError).message).toMatch(/cannot read file/)
    const csv = await Effect.runPromise(Effect.flip(verifyRowsFile(await file("rows.csv", "a,b"), { format: "gsm8k" })))
    expect((csv as VerifyRowsFileError).message).toMatch(/unsupported file type/)
    const object = await Effect.runPromise(Effect.flip(verifyRowsFile(await file("obj.json", "{}"), { format: "gsm8k" })))
    expect((object as VerifyRowsFileError).message).toMatch(/expected a JSON array/)
  })
})
