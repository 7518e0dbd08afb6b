import { mkdtemp, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { fieldText, progressLine, readRowBatches, type InputRow } from "./row-input.ts"

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
  })
})

describe("progressLine", () => {
  it("says nothing in the first second, then a line a second, and a last line only if it spoke", () => {
    let t = 0
    const out: Array<string> = []
    const p = progressLine("dedup x", false, { now: () => t, write: (s) => void out.push(s), tty: false })
    p.update(100, 1)
    t = 999
    p.update(200, 2)
    expect(out).toEqual([])
    t = 1000
    p.update(3000, 30)
    t = 1500
    p.update(4000, 40)
    t = 2000
    p.done(5000, 50)
    expect(out).toEqual(["dedup x: 3,000 rows, 30 removed, 3,000 rows/s\n", "dedup x: 5,000 rows, 50 removed, 2,500 rows/s\n"])
    const quick: Array<string> = []
    const q = progressLine("indexing b", false, { now: () => 0, write: (s) => void quick.push(s), tty: true })
    q.update(10)
    q.done(10)
    expect(quick).toEqual([])
  })

  it("redraws in place on a terminal and leaves out `removed` when not given", () => {
    let t = 0
    const out: Array<string> = []
    const p = progressLine("indexing b", false, { now: () => t, write: (s) => void out.push(s), tty: true })
    t = 2000
    p.update(4000)
    p.done(4000)
    expect(out).toEqual(["\r\x1b[2Kindexing b: 4,000 rows, 2,000 rows/s", "\r\x1b[2Kindexing b: 4,000 rows, 2,000 rows/s\n"])
  })
})
