import { Effect } from "effect"
import { readFile, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { NotASeedFile, SeedHeaderError } from "./errors.ts"
import { MAX_LEADING_BAD_ROWS } from "./header.ts"
import { readSeeds } from "./read-seeds.ts"
import { readRawRows } from "./rows.ts"
import { collect, failureOf, tempDir, writeParquet } from "./test-helpers.ts"

const IVY = { question: "Ivy has 4 bags with 6 apples in each. How many apples does she have?", answer: "4 * 6 = <<4*6=24>>24\n#### 24" }
const dirs: Array<string> = []
const file = async (name: string, content: string | Buffer): Promise<string> => {
  const dir = await tempDir()
  dirs.push(dir)
  const path = join(dir, name)
  await writeFile(path, content)
  return path
}
/** Lines of bytes that are not JSON (invalid UTF-8, NUL, a lone surrogate once decoded). */
const garbage = (lines: number) =>
  Buffer.concat(Array.from({ length: lines }, (_, i) => Buffer.from([0xff, 0xfe, 0x80 + (i % 64), 0x00, 0xed, 0xa0, 0x80, 0x41, 0x0a])))

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

describe("a CSV or Parquet header without the expected columns", () => {
  it("fails once naming the columns found and expected (GSM8K), not once per row", async () => {
    const csv = await file("wrong.csv", "prompt,response\n" + "q,a\n".repeat(100))
    const error = await failureOf(readRawRows(csv, { formats: ["gsm8k"] }))
    expect(error).toBeInstanceOf(SeedHeaderError)
    expect(error.message).toBe(
      `${csv}: has columns "prompt", "response"; a GSM8K seed file needs "question", "answer" (missing "question", "answer"); ` +
        `rename the columns or use the right file (no row was read, whatever --on-bad-rows says)`
    )
  })

  it("names both formats when the format is detected, and applies under --on-bad-rows skip", async () => {
    const parquet = await file("wrong.parquet", "")
    await writeParquet(parquet, "SELECT 'q' AS question, 'a' AS solution FROM range(10)")
    const error = await failureOf(readSeeds(parquet, { onBadRows: "skip" }).tasks)
    expect(error).toBeInstanceOf(SeedHeaderError)
    expect(error.message).toContain(`has columns "question", "solution"; a GSM8K seed file needs "question", "answer" (missing "answer"), or a Self-Instruct seed file needs "id", "name", "instruction", "instances", "is_classification"`)
  })

  it("passes a header that has the columns, extra ones included, and reads an empty or header-only CSV as no rows", async () => {
    const csv = await file("ok.csv", `extra,question,answer\n1,"${IVY.question}","${IVY.answer}"\n`)
    expect(await collect(readSeeds(csv).tasks)).toHaveLength(1)
    expect(await collect(readRawRows(await file("empty.csv", ""), { formats: ["gsm8k"] }))).toEqual([])
    expect(await collect(readRawRows(await file("header.csv", "question,answer\n"), { formats: ["gsm8k"] }))).toEqual([])
  })
})

describe("garbage input", () => {
  it(`stops after ${MAX_LEADING_BAD_ROWS} bad rows with no good one, even under skip, without writing them all`, async () => {
    const binary = await file("binary.jsonl", garbage(5000))
    const rejectsPath = join(dirs.at(-1)!, "rejects.jsonl")
    const seeds = readSeeds(binary, { onBadRows: "skip", rejectsPath })
    const error = await failureOf(seeds.tasks)
    expect(error).toBeInstanceOf(NotASeedFile)
    expect(error.message).toContain(`${binary} does not look like a seed file: its first ${MAX_LEADING_BAD_ROWS} rows are all bad ((row) ${MAX_LEADING_BAD_ROWS}; line 1: not valid JSON (`)
    expect(error.message).not.toContain("fix the row")
    expect((await Effect.runPromise(seeds.summary)).rows).toBe(MAX_LEADING_BAD_ROWS)
    const rejects = (await readFile(rejectsPath, "utf8")).split("\n").filter((l) => l !== "")
    expect(rejects).toHaveLength(MAX_LEADING_BAD_ROWS - 1)
  })

  it("goes on past any number of bad rows once a good row came first", async () => {
    const mixed = await file("mixed.jsonl", Buffer.concat([Buffer.from(JSON.stringify(IVY) + "\n"), garbage(1500)]))
    const seeds = readSeeds(mixed, { onBadRows: "skip" })
    expect(await collect(seeds.tasks)).toHaveLength(1)
    expect(await Effect.runPromise(seeds.summary)).toMatchObject({ rows: 1501, kept: 1, rejected: 1500 })
  })

  it("words a binary row's reason so that it stays valid JSON text: no lone surrogates or control characters, cut short", async () => {
    const raws = await collect(readRawRows(await file("few.jsonl", garbage(3))))
    expect(raws).toHaveLength(3)
    for (const raw of raws) {
      const reason = "malformed" in raw ? raw.malformed : ""
      expect(reason).toMatch(/^not valid JSON \(/)
      expect(reason.isWellFormed()).toBe(true)
      expect(reason).not.toMatch(/[\u0000-\u001f\ufffd]/)
      expect(reason.length).toBeLessThanOrEqual(200)
    }
  })
})
