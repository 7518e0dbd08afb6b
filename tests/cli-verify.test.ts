import { mkdtemp, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
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
})
