import { mkdtemp, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { fieldText, readRowBatches, type InputRow } from "./row-files.ts"

const readAll = (path: string) =>
  Effect.runPromise(Stream.runCollect(readRowBatches(path)).pipe(Effect.map((batches) => [...batches].flat() as Array<InputRow>)))

describe("readRowBatches (JSONL)", () => {
  it("keeps each line's text, counts blank lines, and handles a BOM, CRLF and a last line without a newline", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "row-input-")), "rows.jsonl")
    await writeFile(file, `\uFEFF{"a": 1.0}\r\n\r\n  \n{"b":"x"}\n{"c": [1, 2]}`)
    expect(await readAll(file)).toEqual([
      { line: 1, row: { a: 1 }, json: `{"a": 1.0}` },
      { line: 4, row: { b: "x" }, json: `{"b":"x"}` },
      { line: 5, row: { c: [1, 2] }, json: `{"c": [1, 2]}` }
    ])
  })

  it("decodes multi-byte characters split across 64 kB reads", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "row-input-")), "rows.jsonl")
    const rows = Array.from({ length: 3000 }, (_, i) => ({ i, t: "ünïcødé 日本語 🙂".repeat(3) }))
    await writeFile(file, rows.map((r) => JSON.stringify(r)).join("\n") + "\n")
    const got = await readAll(file)
    expect(got.map((r) => r.row)).toEqual(rows)
    expect(got.at(-1)!.line).toBe(3000)
  })

  it("names the file and line of a row that is not a JSON object, and refuses other extensions", async () => {
    const dir = await mkdtemp(join(tmpdir(), "row-input-"))
    const file = join(dir, "rows.jsonl")
    await writeFile(file, `{"a": 1}\n[1, 2]\n`)
    await expect(readAll(file)).rejects.toThrow(`${file}:2: expected a JSON object, got an array`)
    await expect(readAll(join(dir, "rows.csv"))).rejects.toThrow(/unsupported file extension ".csv"; use .jsonl or .parquet/)
    await expect(readAll(join(dir, "missing.jsonl"))).rejects.toThrow(/missing.jsonl: cannot open/)
  })
})

describe("fieldText", () => {
  const row = (r: Record<string, unknown>): InputRow => ({ line: 7, row: r, json: JSON.stringify(r) })
  it.each([
    [{ q: "text" }, "text"],
    [{ q: 12 }, "12"]
  ] as const)("%j → %j", (r, text) => {
    expect(fieldText("f.jsonl", row(r), "q")).toBe(text)
  })
  it("names file, line and field when the field is missing or not text", () => {
    expect(() => fieldText("f.jsonl", row({ a: 1 }), "q")).toThrow(`f.jsonl:7: field "q" is missing (the row has "a"); choose the field with --field`)
    expect(() => fieldText("f.jsonl", row({ q: null }), "q")).toThrow(`f.jsonl:7: field "q" is null, not text`)
    expect(() => fieldText("f.jsonl", row({ q: ["x"] }), "q")).toThrow(`f.jsonl:7: field "q" is an array, not text`)
    expect(() => fieldText("b.jsonl", row({ a: 1 }), "q", "--against-field")).toThrow(`b.jsonl:7: field "q" is missing (the row has "a"); choose the field with --against-field`)
  })
})
