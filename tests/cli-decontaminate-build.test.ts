import { createHash } from "node:crypto"
import { mkdtemp, readFile, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DuckDBInstance } from "@duckdb/node-api"
import { beforeAll, describe, expect, it } from "vitest"
import { contentId } from "#core"
import { autodidact } from "./helpers.ts"

/**
 * `build math --decontaminate-against`: a benchmark holding one seed's question (lightly reformatted, and in
 * a second build verbatim) removes that family's tasks that share a 13-gram with it and nothing else; a
 * near-miss of another seed (12 words in a row shared) removes nothing.
 */
const SEEDS = [
  { question: "Maya sells cups of lemonade for $3 each. On Saturday she sold 42 cups and on Sunday she sold 35 cups. She spent $48 on lemons and sugar. How much profit did she make over the two days?", answer: "Over the two days she sold 42 + 35 = <<42+35=77>>77 cups.\nShe took in 77 * 3 = $<<77*3=231>>231.\nHer profit was 231 - 48 = $<<231-48=183>>183.\n#### 183" },
  { question: "A bakery bakes 8 trays of muffins with 24 muffins on each tray. It sells 3/4 of the muffins in the morning. How many muffins are left for the afternoon?", answer: "The bakery bakes 8 * 24 = <<8*24=192>>192 muffins.\nIn the morning it sells 192 * 3 / 4 = <<192*3/4=144>>144 muffins.\nThat leaves 192 - 144 = <<192-144=48>>48 muffins for the afternoon.\n#### 48" },
  { question: "Tomás drives at 62 miles per hour for 3 hours and then at 48 miles per hour for 2 hours. How many miles does he drive in total?", answer: "In the first part he covers 62 * 3 = <<62*3=186>>186 miles.\nIn the second part he covers 48 * 2 = <<48*2=96>>96 miles.\nAltogether he drives 186 + 96 = <<186+96=282>>282 miles.\n#### 282" },
  { question: "A jacket costs $120. The store is offering 25% off, and Priya has a coupon that takes another $15 off the sale price. How much does Priya pay for the jacket?", answer: "The discount is 120 * 25 / 100 = $<<120*25/100=30>>30.\nThe sale price is 120 - 30 = $<<120-30=90>>90.\nWith the coupon she pays 90 - 15 = $<<90-15=75>>75.\n#### 75" }
]
const PLANTED = contentId("task", SEEDS[0]!.question)
const NEAR_MISS = contentId("task", SEEDS[2]!.question)
const REFORMATTED = "  MAYA sells cups of lemonade -- for $3 each!! on saturday, she sold 42 cups AND on Sunday she sold 35 cups...  "
// Shares "drives at 62 miles per hour for 3 hours and then at" (12 words) with the Tomás seed, and no 13.
const NEAR = "Lena drives at 62 miles per hour for 3 hours and then at dusk she stops for dinner."

let dir = ""
let seeds = ""
const sha256 = async (file: string) => createHash("sha256").update(await readFile(file)).digest("hex")

const build = async (benchmark: string, extra: ReadonlyArray<string> = []) => {
  const r = await autodidact(["build", "math", "--seeds", seeds, "--size", "40", "--out", join(dir, "data"), "--json", "--decontaminate-against", benchmark, ...extra])
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as Built
}
/** A later build reuses the dedup stage of an earlier one: its parts are where the summary says (relative to --out). */
const dedupDirOf = (result: Built) => join(dir, "data", result.summary.stages.find((s) => s.name === "dedup")!.dir!)
interface Built {
  readonly run_dir: string
  readonly summary: { readonly stages: ReadonlyArray<{ name: string; dir?: string; rows_in: number; rows_out: number; rejects: Record<string, number> }> }
  readonly dataset: { readonly dir: string }
}

const query = async (sql: string): Promise<Array<Record<string, unknown>>> => {
  const instance = await DuckDBInstance.create(":memory:")
  const connection = await instance.connect()
  try {
    return (await connection.runAndReadAll(sql)).getRowObjects() as Array<Record<string, unknown>>
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}

const removed = async (runDir: string) =>
  (await query(`SELECT id, detail FROM read_parquet('${runDir}/decontaminate/rejects-*.parquet') ORDER BY id`)).map((r) => ({ id: r["id"] as string, ...JSON.parse(r["detail"] as string) }))

/** The oracle: word runs compared as strings, not hashes (lower case, runs of non-letters/digits as one space). */
const words = (text: string) => text.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{M}\p{N}]+/gu, " ").trim().split(" ")
const grams = (text: string, n: number) => {
  const w = words(text)
  return new Set(Array.from({ length: Math.max(w.length - n + 1, 0) }, (_, i) => w.slice(i, i + n).join(" ")))
}

/**
 * Checks a build's decontaminate rejects against the oracle: exactly the dedup stage's tasks that share a 13-word
 * run with a benchmark row, all of the planted family, the seed among them, each naming `file`, `line` and a
 * 13-word run of the benchmark row.
 */
const expectRemoved = async (result: Built, benchmark: ReadonlyArray<string>, file: string, line: number) => {
  const gone = await removed(result.run_dir)
  const dedupDir = dedupDirOf(result)
  const benchmarkGrams = new Set(benchmark.flatMap((b) => [...grams(b, 13)]))
  const candidates = await query(`SELECT row->>'id' AS id, row->>'question' AS question FROM read_parquet('${dedupDir}/part-*.parquet')`)
  const expected = candidates.filter((c) => [...grams(c["question"] as string, 13)].some((g) => benchmarkGrams.has(g))).map((c) => c["id"]).sort()
  expect(gone.map((g) => g.id)).toEqual(expected)
  expect(gone.map((g) => g.id)).toContain(PLANTED)
  for (const g of gone) {
    expect(g.family).toBe(PLANTED)
    expect(g.file).toBe(file)
    expect(g.line).toBe(line)
    expect(benchmarkGrams.has(g.ngram)).toBe(true)
  }
  return gone
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "autodidact-decontaminate-build-"))
  seeds = join(dir, "seeds.jsonl")
  await writeFile(seeds, SEEDS.map((s) => JSON.stringify(s)).join("\n") + "\n")
})

describe("build math --decontaminate-against", () => {
  it("removes exactly the planted family's copies, names file, line and n-gram, and records the benchmark in manifest and card", async () => {
    const bench = join(dir, "reformatted.jsonl")
    await writeFile(bench, [JSON.stringify({ question: REFORMATTED }), JSON.stringify({ question: NEAR })].join("\n") + "\n")
    const result = await build(bench)
    const gone = await expectRemoved(result, [REFORMATTED, NEAR], bench, 1)
    // The near-miss family keeps every task.
    const kept = await query(`SELECT count(*)::INT AS n FROM read_parquet('${result.run_dir}/decontaminate/part-*.parquet') WHERE '${NEAR_MISS}' IN (json_extract_string(row, '$.id'), json_extract_string(row, '$.parent_ids[0]'))`)
    const before = await query(`SELECT count(*)::INT AS n FROM read_parquet('${dedupDirOf(result)}/part-*.parquet') WHERE '${NEAR_MISS}' IN (json_extract_string(row, '$.id'), json_extract_string(row, '$.parent_ids[0]'))`)
    expect(kept[0]!["n"]).toBe(before[0]!["n"])
    expect(result.summary.stages.find((s) => s.name === "decontaminate")!.rejects).toEqual({ contaminated: gone.length })

    const manifest = JSON.parse(await readFile(join(result.dataset.dir, "manifest.json"), "utf8"))
    const hash = await sha256(bench)
    expect(manifest.benchmark_files).toEqual([{ path: bench, sha256: hash, bytes: (await readFile(bench)).length }])
    expect(manifest.config.decontaminate).toEqual({ against: [{ file: bench, sha256: hash }], field: "question", ngram: 13 })
    const card = await readFile(join(result.dataset.dir, "README.md"), "utf8")
    expect(card).toContain(`- **Decontaminated against 1 benchmark file, removed ${gone.length} task${gone.length === 1 ? "" : "s"}**`)
    expect(card).toContain(`| \`${bench}\` | \`${hash}\` |`)

    // The verbatim question (longer: its last sentences too) removes these and more of the same family.
    const verbatim = join(dir, "verbatim.jsonl")
    await writeFile(verbatim, JSON.stringify({ question: SEEDS[0]!.question }) + "\n")
    const again = await expectRemoved(await build(verbatim), [SEEDS[0]!.question], verbatim, 1)
    expect(again.map((g) => g.id)).toEqual(expect.arrayContaining(gone.map((g) => g.id)))
  }, 120_000)

  it("fails naming the benchmark file and line of a bad row, and refuses a missing file before building", async () => {
    const bad = join(dir, "bad.jsonl")
    await writeFile(bad, `{"question": "fine"}\n{"question": "cut off\n`)
    const r = await autodidact(["build", "math", "--seeds", seeds, "--size", "40", "--out", join(dir, "data"), "--decontaminate-against", bad])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${bad}:2: not valid JSON`)
    const missing = await autodidact(["build", "math", "--seeds", seeds, "--out", join(dir, "data"), "--decontaminate-against", join(dir, "none.jsonl")])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain(`cannot read the benchmark file ${join(dir, "none.jsonl")}: no such file`)
    const stray = await autodidact(["build", "math", "--out", join(dir, "data"), "--decontaminate-ngram", "8"])
    expect(stray.code).toBe(2)
    expect(stray.stderr).toContain("--decontaminate-ngram needs --decontaminate-against FILE")
  }, 120_000)
})
