import { copyFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { sqlString } from "#io"
import { BadSeedRow, SeedFileError } from "./errors.ts"
import { readRawRows, readRows } from "./rows.ts"
import { collect, failureOf, fixture, tempDir, writeParquet } from "./test-helpers.ts"

const IVY = "Ivy has 4 bags with 6 apples in each. How many apples does she have?"

describe("readRows", () => {
  it("reads .jsonl line by line, skipping blank lines but counting them in line numbers", async () => {
    const rows = await collect(readRows(fixture("gsm8k.jsonl")))
    expect(rows.map((r) => r.line)).toEqual([1, 3, 5])
    expect(rows[0]?.row["question"]).toBe(IVY)
    expect(rows[1]?.row["answer"]).toBe("Both cost 1150 + 50 = $<<1150+50=1200>>1,200.\n#### $1,200")
  })

  it("reads a .json array with 1-based indexes as lines", async () => {
    const rows = await collect(readRows(fixture("gsm8k.json")))
    expect(rows.map((r) => r.line)).toEqual([1, 2])
    expect(rows[1]?.row["question"]).toBe("A coat costs $1,150 and a hat costs $50. What do both cost?")
  })

  it("reads .csv through DuckDB as text, with multi-line quoted fields and line = data row + 1", async () => {
    const rows = await collect(readRows(fixture("gsm8k.csv")))
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4])
    expect(rows[0]?.row).toEqual({ question: IVY, answer: "She has 4 * 6 = <<4*6=24>>24 apples.\n#### 24" })
    expect(typeof rows[1]?.row["answer"]).toBe("string")
  })

  it("reads .parquet across several DuckDB chunks with consecutive row numbers", async () => {
    const path = join(await tempDir(), "many.parquet")
    await writeParquet(path, "SELECT 'q' || i AS question, 'a\n#### ' || i AS answer FROM range(1, 5001) t(i)")
    const rows = await collect(readRows(path))
    expect(rows).toHaveLength(5000)
    expect(rows.map((r) => r.line)).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1))
    expect(rows[4999]?.row).toEqual({ question: "q5000", answer: "a\n#### 5000" })
  })

  it("escapes single quotes in paths given to DuckDB", async () => {
    const path = join(await tempDir(), "it's seeds.csv")
    await copyFile(fixture("gsm8k.csv"), path)
    expect(sqlString(path)).toContain("it''s seeds.csv")
    const rows = await collect(readRows(path))
    expect(rows).toHaveLength(3)
  })

  it("fails on a malformed JSON line with the file, line and what to do", async () => {
    const error = await failureOf(readRows(fixture("gsm8k-bad.jsonl")))
    expect(error).toBeInstanceOf(BadSeedRow)
    expect(error).toMatchObject({ line: 2, field: "(row)" })
    expect(error.message).toMatch(/gsm8k-bad\.jsonl:2: not valid JSON \(.+\); fix the row or use --on-bad-rows skip$/)
  })

  it("keeps malformed rows as values in readRawRows so a caller may skip them", async () => {
    const raws = await collect(readRawRows(fixture("gsm8k-bad.jsonl")))
    expect(raws).toHaveLength(8)
    expect(raws[6]).toEqual({ line: 7, text: "[1, 2, 3]", malformed: "expected a JSON object, got an array" })
  })

  it("rejects an unknown extension, naming the file and the supported extensions", async () => {
    const error = await failureOf(readRows("data/seeds/math.txt"))
    expect(error).toBeInstanceOf(SeedFileError)
    expect(error.message).toBe(
      `data/seeds/math.txt: unsupported file extension ".txt"; seed files must end in .jsonl, .json, .csv, .parquet`
    )
  })

  it("reports a missing file as a SeedFileError", async () => {
    const error = await failureOf(readRows(fixture("no-such-file.jsonl")))
    expect(error).toBeInstanceOf(SeedFileError)
    expect(error.message).toContain("ENOENT")
  })

  it("reports a .json file that is not an array", async () => {
    const path = join(await tempDir(), "seeds.json")
    await writeFile(path, `{"question": "q", "answer": "#### 1"}`)
    const error = await failureOf(readRows(path))
    expect(error.message).toBe(`${path}: expected a JSON array of row objects, got an object`)
  })
})
