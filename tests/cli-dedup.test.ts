import { mkdtemp, readFile, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DuckDBInstance } from "@duckdb/node-api"
import { describe, expect, it } from "vitest"
import { rngFor } from "#core"
import { autodidact } from "./helpers.ts"

const tempDir = () => mkdtemp(join(tmpdir(), "autodidact-dedup-"))
const readJsonl = async (file: string): Promise<Array<Record<string, unknown>>> =>
  (await readFile(file, "utf8")).split("\n").filter((l) => l !== "").map((l) => JSON.parse(l))

/** Writes rows to a Parquet file through DuckDB (read_json of a JSONL copy). */
const writeParquet = async (dir: string, name: string, rows: ReadonlyArray<Record<string, unknown>>): Promise<string> => {
  const jsonl = join(dir, `${name}.source.jsonl`)
  await writeFile(jsonl, rows.map((r) => JSON.stringify(r)).join("\n") + "\n")
  const file = join(dir, `${name}.parquet`)
  const instance = await DuckDBInstance.create(":memory:")
  const connection = await instance.connect()
  await connection.run(`COPY (SELECT * FROM read_json('${jsonl}')) TO '${file}' (FORMAT parquet)`)
  connection.closeSync()
  instance.closeSync()
  return file
}

describe("autodidact dedup", () => {
  it("exact: keeps input rows unchanged in order, names the kept row by id or line, and counts with --json", async () => {
    const dir = await tempDir()
    const file = join(dir, "rows.jsonl")
    const lines = [
      `{"id": "a",   "question": "What is 2 + 2?", "n": 1.0}`,
      `{"id": "b", "question": "what is 2+2"}`,
      ``,
      `{"question": "How many legs has a spider?"}`,
      `{"question": "HOW MANY LEGS HAS A SPIDER"}`,
      `{"id": 7, "question": "What is 2 + 2 ?!"}`
    ]
    await writeFile(file, lines.join("\n") + "\n")
    const out = join(dir, "out")
    const r = await autodidact(["dedup", file, "--field", "question", "--method", "exact", "--out", out, "--json"])
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ total: 5, kept: 2, removed: 3, method: "exact", field: "question" })
    expect(await readFile(join(out, "kept.jsonl"), "utf8")).toBe(`${lines[0]}\n${lines[3]}\n`)
    expect(await readJsonl(join(out, "removed.jsonl"))).toEqual([
      { id: "b", question: "what is 2+2", matched: "a", score: 1 },
      { question: "HOW MANY LEGS HAS A SPIDER", matched: 4, score: 1 },
      { id: 7, question: "What is 2 + 2 ?!", matched: "a", score: 1 }
    ])
  })

  it("minhash: removes planted near-duplicates at Jaccard >= 0.8 and nothing else, from JSONL and Parquet alike", async () => {
    const dir = await tempDir()
    const rng = rngFor(3, "cli-dedup", "docs")
    const docs = Array.from({ length: 150 }, () => Array.from({ length: 60 }, () => `w${rng.int(0, 4999)}`))
    const rows: Array<{ id: string; text: string }> = docs.map((d, i) => ({ id: `doc-${i}`, text: d.join(" ") }))
    // 30 near-copies with one word changed (Jaccard 51/61 = 0.836), 10 with four changed (36/76 = 0.47).
    for (let p = 0; p < 40; p++) {
      const copy = [...docs[p]!]
      for (let k = 0; k < (p < 30 ? 1 : 4); k++) copy[10 + k * 12] = `changed${p}x${k}`
      rows.push({ id: `copy-${p}`, text: copy.join(" ") })
    }
    const file = join(dir, "docs.jsonl")
    await writeFile(file, rows.map((r) => JSON.stringify(r)).join("\n") + "\n")
    const parquet = await writeParquet(dir, "docs", rows)
    for (const input of [file, parquet]) {
      const out = join(dir, `out-${input.endsWith(".parquet") ? "parquet" : "jsonl"}`)
      const r = await autodidact(["dedup", input, "--field", "text", "--method", "minhash", "--out", out, "--json"])
      expect(r.code).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({ total: 190, kept: 160, removed: 30, shingle: "word", ngram: 5, threshold: 0.8, bands: 20, rows: 7 })
      const removed = await readJsonl(join(out, "removed.jsonl"))
      expect(removed.map((x) => [x["id"], x["matched"], x["score"]])).toEqual(
        Array.from({ length: 30 }, (_, p) => [`copy-${p}`, `doc-${p}`, 51 / 61])
      )
      const kept = await readJsonl(join(out, "kept.jsonl"))
      expect(kept).toEqual(rows.filter((x) => !/^copy-([0-9]|[12][0-9])$/.test(x.id)))
    }
  })

  it("rouge: the Self-Instruct novelty filter drops rows whose ROUGE-L F1 with a kept row is above 0.7", async () => {
    const dir = await tempDir()
    const file = join(dir, "instructions.jsonl")
    const rows = [
      { instruction: "Write a poem about the sea." },
      { instruction: "Give three tips for staying healthy." },
      { instruction: "Write a poem about the ocean" }, // 5 of 6 tokens in order: F = 0.833
      { instruction: "Write a story about the sea." } // F = 0.833 with the first
    ]
    await writeFile(file, rows.map((r) => JSON.stringify(r)).join("\n") + "\n")
    const out = join(dir, "out")
    const r = await autodidact(["dedup", file, "--field", "instruction", "--method", "rouge", "--out", out, "--json"])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ total: 4, kept: 2, removed: 2, method: "rouge", threshold: 0.7 })
    const removed = await readJsonl(join(out, "removed.jsonl"))
    expect(removed.map((x) => [x["instruction"], x["matched"]])).toEqual([[rows[2]!.instruction, 1], [rows[3]!.instruction, 1]])
    for (const x of removed) expect(x["score"]).toBeCloseTo(5 / 6, 12)
    const strict = await autodidact(["dedup", file, "--field", "instruction", "--method", "rouge", "--threshold", "0.9", "--out", out, "--json"])
    expect(JSON.parse(strict.stdout)).toMatchObject({ total: 4, kept: 4, removed: 0 })
  })

  it("fails naming the file and line of a bad row, and refuses bad flags", async () => {
    const dir = await tempDir()
    const file = join(dir, "rows.jsonl")
    await writeFile(file, `{"q": "one"}\n\n{"q": "two"\n`)
    const out = join(dir, "out")
    const notJson = await autodidact(["dedup", file, "--field", "q", "--method", "exact", "--out", out])
    expect(notJson.code).toBe(1)
    expect(notJson.stderr).toMatch(new RegExp(`^error: ${file}:3: not valid JSON`))
    await writeFile(file, `{"q": "one"}\n{"question": "two"}\n`)
    const missing = await autodidact(["dedup", file, "--field", "q", "--method", "minhash", "--out", out])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain(`${file}:2: field "q" is missing`)
    const rouge = await autodidact(["dedup", file, "--field", "q", "--method", "rouge", "--ngram", "3", "--out", out])
    expect(rouge.code).toBe(2)
    expect(rouge.stderr).toContain("--ngram: only for --method minhash")
    const outIsFile = await autodidact(["dedup", file, "--field", "q", "--method", "exact", "--out", file])
    expect(outIsFile.code).toBe(1)
    expect(outIsFile.stderr).toContain(`cannot write to --out ${file}: not a directory`)
  })
})

describe("autodidact decontaminate", () => {
  it("removes rows sharing a 13-gram with any benchmark file, names file, line and n-gram, and keeps 12-word near-misses", async () => {
    const dir = await tempDir()
    const words = (from: number, count: number) => Array.from({ length: count }, (_, i) => `b${from + i}`).join(" ")
    const bench1 = join(dir, "bench.jsonl")
    await writeFile(bench1, [JSON.stringify({ question: words(0, 30) }), "", JSON.stringify({ question: words(100, 20) }), JSON.stringify({ question: "short one" })].join("\n") + "\n")
    const bench2 = await writeParquet(dir, "bench2", [{ problem: "unrelated words here" }, { problem: words(200, 25) }])
    const input = join(dir, "train.jsonl")
    const rows = [
      { id: "clean", question: "nothing to see here at all" },
      { id: "copy1", question: `Intro: ${words(5, 13).toUpperCase()}. Outro.` },
      { id: "miss", question: `${words(100, 12)} and then something else entirely different` },
      { id: "copy2", question: `x ${words(205, 15)}` },
      { id: "copy3", question: words(103, 13) }
    ]
    await writeFile(input, rows.map((r) => JSON.stringify(r)).join("\n") + "\n")
    const out = join(dir, "out")
    const r = await autodidact(["decontaminate", input, "--field", "question", "--against", `${bench1},${bench2}`, "--out", out, "--json"])
    // The Parquet benchmark's field is "problem": one field for all benchmark files, so this must fail naming it.
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${bench2}:1: field "question" is missing`)
    const bench2b = await writeParquet(dir, "bench2b", [{ question: "unrelated words here" }, { question: words(200, 25) }])
    const ok = await autodidact(["decontaminate", input, "--field", "question", "--against", `${bench1},${bench2b}`, "--against-field", "question", "--out", out, "--json"])
    expect(ok.code).toBe(0)
    expect(JSON.parse(ok.stdout)).toMatchObject({
      total: 5,
      kept: 2,
      removed: 3,
      ngram: 13,
      against: [{ file: bench1, rows: 3, short_rows: 1 }, { file: bench2b, rows: 2, short_rows: 1 }]
    })
    expect((await readJsonl(join(out, "kept.jsonl"))).map((x) => x["id"])).toEqual(["clean", "miss"])
    expect((await readJsonl(join(out, "removed.jsonl"))).map((x) => [x["id"], x["matched"]])).toEqual([
      ["copy1", { file: bench1, line: 1, ngram: words(5, 13) }],
      ["copy2", { file: bench2b, line: 2, ngram: words(205, 13) }],
      ["copy3", { file: bench1, line: 3, ngram: words(103, 13) }]
    ])
  })
})
