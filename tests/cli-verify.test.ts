import { mkdtemp, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DuckDBInstance } from "@duckdb/node-api"
import { describe, expect, it } from "vitest"
import { autodidact } from "./helpers.ts"

const rows = [
  // A GSM8K-style reference with $, thousands separators and a step without an annotation.
  { question: "q1", answer: "The house cost $80,000.\nRepairs cost 80000 * 1.5 = $<<80000*1.5=120000>>120,000.\n#### 120,000" },
  // The calculator result is wrong in step 2.
  { question: "q2", answer: "She has 3 * 4 = <<3*4=12>>12 pens.\nThen 12 + 5 = <<12+5=18>>18 pens.\n#### 18" },
  // Arithmetic is right, but the final answer is not the expected one.
  { question: "q3", answer: "He pays 7 * 2 = $<<7*2=14>>14.\n#### 14", expected: "15" }
]

describe("autodidact verify", () => {
  it("prints per-row verdicts as JSON and exits 0", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "autodidact-verify-")), "rows.jsonl")
    await writeFile(file, rows.map((r) => JSON.stringify(r)).join("\n") + "\n")
    const r = await autodidact(["verify", file, "--format", "gsm8k", "--json"])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect({ total: out.total, correct: out.correct, incorrect: out.incorrect }).toEqual({ total: 3, correct: 1, incorrect: 2 })
    expect(out.rows.map((x: { line: number; correct: boolean; first_error_step?: number }) => [x.line, x.correct, x.first_error_step])).toEqual([
      [1, true, undefined],
      [2, false, 2],
      [3, false, undefined]
    ])
    expect(out.rows[1].reason).toContain("annotation_mismatch: step 2")
    expect(out.rows[2].reason).toContain("final_answer_mismatch")
  })

  it("names the file, line and field of a malformed row and exits 1", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "autodidact-verify-")), "rows.jsonl")
    await writeFile(file, JSON.stringify(rows[0]) + "\n" + JSON.stringify({ question: "no answer" }) + "\n")
    const r = await autodidact(["verify", file])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${file}:2`)
    expect(r.stderr).toContain("answer")
  })

  // Rows as a build publishes them: plain training text, the annotated text beside it, `answer` the final answer.
  const user = (content: string) => [{ role: "user", content }]
  const assistant = (content: string) => [{ role: "assistant", content }]
  const published = [
    // sft: the annotated solution is right (the plain one has no annotations to check).
    {
      messages: [...user("Maya sells 42 cups and 35 cups. How many cups?"), ...assistant("She sold 42 + 35 = 77 cups.\n#### 77")],
      annotated_solution: "She sold 42 + 35 = <<42+35=77>>77 cups.\n#### 77",
      answer: "77"
    },
    // sft: the annotation in step 2 is wrong, which only the annotated column shows.
    {
      messages: [...user("3 boxes of 4 pens and 5 more?"), ...assistant("She has 3 * 4 = 12 pens.\nThen 12 + 5 = 18 pens.\n#### 18")],
      annotated_solution: "She has 3 * 4 = <<3*4=12>>12 pens.\nThen 12 + 5 = <<12+5=18>>18 pens.\n#### 18",
      answer: "18"
    },
    // preference: checked on the chosen side against `answer`.
    {
      prompt: user("He pays 7 twice. How much?"),
      chosen: assistant("He pays 7 * 2 = $14.\n#### 14"),
      rejected: assistant("He pays 7 * 3 = $21.\n#### 21"),
      annotated_chosen: "He pays 7 * 2 = $<<7*2=14>>14.\n#### 14",
      annotated_rejected: "He pays 7 * 3 = $<<7*3=21>>21.\n#### 21",
      answer: "14"
    },
    // step pair: a correct partial solution needs no final answer.
    {
      prompt: user("He pays 7 twice, then 5 more. How much?"),
      chosen: assistant("He pays 7 * 2 = $14."),
      rejected: assistant("He pays 7 * 3 = $21."),
      annotated_chosen: "He pays 7 * 2 = $<<7*2=14>>14.",
      annotated_rejected: "He pays 7 * 3 = $<<7*3=21>>21.",
      initial_reason_steps: "",
      chosen_step: "He pays 7 * 2 = $14.",
      rejected_step: "He pays 7 * 3 = $21.",
      answer: "19"
    },
    // correction: only messages (an older layout): the assistant turn is checked.
    { messages: [...user("2 and 2?"), ...assistant("2 + 2 = 4.\n#### 4")], answer: "5" }
  ]
  const verdicts = (out: { rows: Array<{ line: number; correct: boolean; first_error_step?: number; code?: string }> }) =>
    out.rows.map((x) => [x.line, x.correct, x.first_error_step, x.code])
  const expected = [
    [1, true, undefined, undefined],
    [2, false, 2, "annotation_mismatch"],
    [3, true, undefined, undefined],
    [4, true, undefined, undefined],
    [5, false, undefined, "final_answer_mismatch"]
  ]

  it("checks published rows on their annotated column against `answer`, from JSONL and from a Parquet shard", async () => {
    const dir = await mkdtemp(join(tmpdir(), "autodidact-verify-"))
    const jsonl = join(dir, "published.jsonl")
    await writeFile(jsonl, published.map((r) => JSON.stringify(r)).join("\n") + "\n")
    const fromJsonl = await autodidact(["verify", jsonl, "--json"])
    expect(fromJsonl.code, fromJsonl.stderr).toBe(0)
    expect(verdicts(JSON.parse(fromJsonl.stdout))).toEqual(expected)

    // The same rows as a Parquet file with the published column types (lists of {role, content} structs).
    const parquet = join(dir, "train-00000-of-00001.parquet")
    const db = await DuckDBInstance.create(":memory:")
    const c = await db.connect()
    await c.run(`COPY (SELECT * FROM read_json('${jsonl}', format = 'newline_delimited')) TO '${parquet}' (FORMAT parquet)`)
    c.closeSync()
    db.closeSync()
    const fromParquet = await autodidact(["verify", parquet, "--json"])
    expect(fromParquet.code, fromParquet.stderr).toBe(0)
    expect(verdicts(JSON.parse(fromParquet.stdout))).toEqual(expected)
  })
})
