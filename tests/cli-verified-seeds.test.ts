import { mkdtemp, readFile, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { autodidact } from "./helpers.ts"

/**
 * Issue #9 item 1: a seed whose `#### N` contradicts its own steps is judged the same way by the build's
 * `verified` stage as by `autodidact verify`: rejected with its reason (or the build stops under
 * --on-bad-rows fail, naming file and line), counted in the card's pass rate, never published.
 */
const seedLines = [
  { question: "Tom has 12 apples and buys 30 more. How many apples does he have?", answer: "He has 12 + 30 = <<12+30=42>>42 apples.\n#### 42" },
  {
    question: "A bakery bakes 8 trays of 24 muffins and sells 3/4 of them in the morning. How many are left?",
    answer:
      "The bakery bakes 8 * 24 = <<8*24=192>>192 muffins.\nIn the morning it sells 192 * 3 / 4 = <<192*3/4=144>>144 muffins.\n" +
      "That leaves 192 - 144 = <<192-144=48>>48 muffins for the afternoon.\n#### 49"
  },
  { question: "Sara reads 20 pages a day for 7 days. How many pages does she read?", answer: "She reads 20 * 7 = <<20*7=140>>140 pages.\n#### 140" }
]
const REASON = "unsupported_final_answer: final answer 49 is not the result the solution ends on (step 3: 48)"

let dir = ""
let seeds = ""
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "autodidact-verified-"))
  seeds = join(dir, "seeds.jsonl")
  await writeFile(seeds, seedLines.map((l) => JSON.stringify(l)).join("\n") + "\n")
})

describe("a seed whose final answer contradicts its steps", () => {
  it("is flagged by autodidact verify", async () => {
    const r = await autodidact(["verify", seeds, "--json"])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.rows.map((x: { line: number; correct: boolean }) => [x.line, x.correct])).toEqual([[1, true], [2, false], [3, true]])
    expect(out.rows[1].reason).toBe(REASON)
  })

  it("stops the build under --on-bad-rows fail, naming the stage, file, line and reason", async () => {
    const r = await autodidact(["build", "--seeds", seeds, "--out", join(dir, "fail"), "--size", "4"])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/stage "verified" failed( in batch \d+)?( at record task-[0-9a-f]+)?: /)
    expect(r.stderr).toContain(`${seeds}:2: field "answer": the solution does not verify: ${REASON}`)
    expect(r.stderr).toContain("--on-bad-rows skip")
  })

  it("is a reject with its reason under --on-bad-rows skip, counted in the pass rate and never published", async () => {
    const r = await autodidact(["build", "--seeds", seeds, "--out", join(dir, "skip"), "--size", "4", "--on-bad-rows", "skip", "--json"])
    expect(r.code, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout)
    const verified = result.summary.stages.find((s: { name: string }) => s.name === "verified")
    expect(verified.rows_out).toBe(2)
    expect(verified.rejects).toEqual({ "unverified:unsupported_final_answer": 1 })
    expect(verified.counters).toMatchObject({ "verify/seed/passed": 2, "verify/seed/failed": 1 })
    const card = await readFile(join(result.dataset.dir, "README.md"), "utf8")
    expect(card).toContain("| verified | seed | 2 | 1 | 66.7% |")
    expect(card).toContain("| verified | unverified:unsupported_final_answer | 1 |")
    expect(result.dataset.rows.rl).toBe(4)
  })
})
