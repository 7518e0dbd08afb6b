import { mkdtemp, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DuckDBInstance } from "@duckdb/node-api"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { indexBenchmarks } from "./benchmarks.ts"

const LONG = "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May."

describe("indexBenchmarks", () => {
  it("indexes JSONL and Parquet files in order, counting rows and rows shorter than n, and matches with file and line", async () => {
    const dir = await mkdtemp(join(tmpdir(), "benchmarks-"))
    const jsonl = join(dir, "a.jsonl")
    await writeFile(jsonl, `{"problem": "Too short to match."}\n\n{"problem": ${JSON.stringify(LONG)}}\n`)
    const parquet = join(dir, "b.parquet")
    const instance = await DuckDBInstance.create(":memory:")
    const connection = await instance.connect()
    await connection.run(`COPY (SELECT * FROM (VALUES ('How many clips did Natalia sell altogether in April and May if she sold 48 in April?')) t(problem)) TO '${parquet}' (FORMAT parquet)`)
    connection.closeSync()
    instance.closeSync()
    const seen: Array<[string, number]> = []
    const { index, files } = await Effect.runPromise(indexBenchmarks({ files: [jsonl, parquet], field: "problem", ngram: 13 }, (file, rows) => void seen.push([file, rows])))
    expect(files).toEqual([
      { file: jsonl, rows: 2, short_rows: 1 },
      { file: parquet, rows: 1, short_rows: 0 }
    ])
    expect(seen).toEqual([[jsonl, 2], [parquet, 1]])
    expect(index.match(`Q: ${LONG.toUpperCase()}`)).toEqual({ file: jsonl, line: 3, ngram: "natalia sold clips to 48 of her friends in april and then she" })
    expect(index.match("Tell me: how many clips did Natalia sell altogether in April and May if she sold 48?")).toEqual({
      file: parquet,
      line: 1,
      ngram: "how many clips did natalia sell altogether in april and may if she"
    })
    // Twelve words in a row are not thirteen.
    expect(index.match("So natalia sold clips to 48 of her friends in april and then, later, more.")).toBeUndefined()
  })

  it("names the file, line and flag of a row without the field", async () => {
    const dir = await mkdtemp(join(tmpdir(), "benchmarks-"))
    const jsonl = join(dir, "a.jsonl")
    await writeFile(jsonl, `{"question": "x"}\n`)
    await expect(Effect.runPromise(indexBenchmarks({ files: [jsonl], field: "problem", ngram: 13, fieldFlag: "--decontaminate-field" }))).rejects.toThrow(
      `${jsonl}:1: field "problem" is missing (the row has "question"); choose the field with --decontaminate-field`
    )
  })
})
