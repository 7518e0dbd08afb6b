import { mkdtemp, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { autodidact } from "./helpers.ts"

const temp = () => mkdtemp(join(tmpdir(), "autodidact-cli-"))

const seedLines = [
  { question: "Tom has 12 apples and buys 30 more. How many apples does he have?", answer: "He has 12 + 30 = <<12+30=42>>42 apples.\n#### 42" },
  { question: "A pen costs $3. How much do 15 pens cost?", answer: "" },
  { question: "Sara reads 20 pages a day for 7 days. How many pages does she read?", answer: "She reads 20 * 7 = <<20*7=140>>140 pages.\n#### 140" }
]

describe("autodidact build", () => {
  it("exits 2 on an unknown flag or pipeline, naming it", async () => {
    const flag = await autodidact(["build", "--sizee", "3"])
    expect(flag.code).toBe(2)
    expect(flag.stdout + flag.stderr).toContain("--sizee")
    const pipeline = await autodidact(["build", "chemistry", "--out", await temp()])
    expect(pipeline.code).toBe(2)
    expect(pipeline.stderr).toContain('unknown pipeline "chemistry"; known pipelines: math')
  })

  it("exits 1 when the seed file is missing, saying which and what to do", async () => {
    const r = await autodidact(["build", "--seeds", "no/such/seeds.jsonl", "--out", await temp()])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("cannot read the seed file no/such/seeds.jsonl: no such file; check the --seeds path")
  })

  it("stops on a bad seed row naming file, line and field, or keeps it as a reject with --on-bad-rows skip", async () => {
    const dir = await temp()
    const seeds = join(dir, "seeds.jsonl")
    await writeFile(seeds, seedLines.map((l) => JSON.stringify(l)).join("\n") + "\nnot json\n")
    const failed = await autodidact(["build", "--seeds", seeds, "--out", dir, "--size", "4"])
    expect(failed.code).toBe(1)
    expect(failed.stderr).toMatch(new RegExp(`stage "seeds" failed: ${seeds}:2: field "answer": .*--on-bad-rows skip`))

    const skipped = await autodidact(["build", "--seeds", seeds, "--out", dir, "--size", "4", "--on-bad-rows", "skip", "--json"])
    expect(skipped.code).toBe(0)
    const result = JSON.parse(skipped.stdout)
    const seedStage = result.summary.stages.find((s: { name: string }) => s.name === "seeds")
    expect(seedStage.rows_out).toBe(2)
    expect(seedStage.rejects).toEqual({ "bad_row:(row)": 1, "bad_row:answer": 1 })
    expect(result.dataset.status).toBe("published")
    expect(result.dataset.rows.rl).toBe(4)
  })

  it("reuses every stage and publishes nothing new when run again with the same inputs", async () => {
    const dir = await temp()
    const first = await autodidact(["build", "math", "--out", dir, "--size", "60", "--seed", "5", "--json"])
    expect(first.code).toBe(0)
    expect(JSON.parse(first.stdout).dataset.version).toBe("v0001")
    const again = await autodidact(["build", "math", "--out", dir, "--size", "60", "--seed", "5", "--json"])
    const result = JSON.parse(again.stdout)
    expect(result.summary.stages.every((s: { cache: string }) => s.cache === "hit")).toBe(true)
    expect(result.dataset.status).toBe("unchanged")
    const other = await autodidact(["build", "math", "--out", dir, "--size", "60", "--seed", "6", "--json"])
    expect(JSON.parse(other.stdout).dataset.version).toBe("v0002")
  })
})
