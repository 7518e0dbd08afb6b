import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parse } from "yaml"
import { writeParquet } from "../libs/math/src/seeds/test-helpers.ts"
import { autodidact } from "./helpers.ts"

/**
 * Empty and garbage seed input (issue #9, items 4 and 5): a build that would publish no rows fails
 * with exit 1 saying why, and LATEST stays where a good build put it; a header without the expected
 * columns is one error naming them; garbage stops early; a shortfall and an empty split are reported.
 */
const GOOD = [
  { question: "Tom has 12 apples and buys 30 more. How many apples does he have?", answer: "He has 12 + 30 = <<12+30=42>>42 apples.\n#### 42" },
  { question: "Sara reads 20 pages a day for 7 days. How many pages does she read?", answer: "She reads 20 * 7 = <<20*7=140>>140 pages.\n#### 140" }
]

let root = ""
let data = ""
let good = ""

const latest = () => readFile(join(data, "datasets", "math", "LATEST"), "utf8")
const versions = async () => (await readdir(join(data, "datasets", "math"))).filter((e) => /^v\d{4}$/.test(e)).sort()

/** Runs a build expected to fail and checks that nothing was published: LATEST and the versions are as before. */
const failsLeavingLatest = async (args: ReadonlyArray<string>) => {
  const [before, beforeVersions] = [await latest(), await versions()]
  const r = await autodidact(["build", "math", "--out", data, "--size", "6", ...args])
  expect(r.code, r.stderr).toBe(1)
  expect(await latest()).toBe(before)
  expect(await versions()).toEqual(beforeVersions)
  return r
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "autodidact-bad-input-"))
  data = join(root, "data")
  good = join(root, "good.jsonl")
  await writeFile(good, GOOD.map((row) => JSON.stringify(row)).join("\n") + "\n")
  const r = await autodidact(["build", "math", "--seeds", good, "--out", data, "--size", "6", "--json"])
  expect(r.code, r.stderr).toBe(0)
  expect(JSON.parse(r.stdout).dataset.version).toBe("v0001")
}, 120_000)

afterAll(async () => {
  if (root !== "") await rm(root, { recursive: true, force: true })
})

describe("a build with nothing to publish fails and leaves LATEST", () => {
  it("an empty .jsonl seed file: 0 of 0 seed rows usable", async () => {
    const empty = join(root, "empty.jsonl")
    await writeFile(empty, "")
    const r = await failsLeavingLatest(["--seeds", empty])
    expect(r.stderr).toContain("0 of 0 seed rows usable")
    expect(r.stderr).toContain("nothing was published")
  })

  it("a seed file whose every row is rejected under --on-bad-rows skip: the counts and the top reasons", async () => {
    const bad = join(root, "all-bad.jsonl")
    await writeFile(bad, [...Array.from({ length: 5 }, (_, i) => `not json ${i}`), JSON.stringify({ question: "Q?", answer: "no final line" })].join("\n") + "\n")
    const r = await failsLeavingLatest(["--seeds", bad, "--on-bad-rows", "skip"])
    expect(r.stderr).toContain("0 of 6 seed rows usable")
    expect(r.stderr).toMatch(/bad_row:\(row\) 5.*bad_row:answer 1/)
  })

  it("a binary file under --on-bad-rows skip stops after 1,000 bad rows: it does not look like a seed file", async () => {
    const binary = join(root, "binary.jsonl")
    // 4,000 lines of bytes that are not JSON, including invalid UTF-8 (lone surrogates once decoded).
    const lines = Array.from({ length: 4000 }, (_, i) => Buffer.from([0xff, 0xfe, 0xed, 0x80 + (i % 64), 0x00, 0x41, 0xd8, 0x00]))
    await writeFile(binary, Buffer.concat(lines.flatMap((l) => [l, Buffer.from("\n")])))
    const r = await failsLeavingLatest(["--seeds", binary, "--on-bad-rows", "skip"])
    expect(r.stderr).toContain(`${binary} does not look like a seed file`)
    expect(r.stderr).toContain("its first 1000 rows are all bad")
  })

  it("a CSV with the wrong header: one error naming the columns found and expected, under either policy", async () => {
    const csv = join(root, "wrong.csv")
    await writeFile(csv, "prompt,response\n" + Array.from({ length: 50 }, (_, i) => `q${i},a${i}`).join("\n") + "\n")
    for (const policy of ["fail", "skip"]) {
      const r = await failsLeavingLatest(["--seeds", csv, "--on-bad-rows", policy])
      expect(r.stderr).toContain(`${csv}: has columns "prompt", "response"; a GSM8K seed file needs "question", "answer" (missing "question", "answer")`)
      expect(r.stderr).not.toContain("is missing")
    }
  })

  it("a Parquet file with the wrong columns: the same one error", async () => {
    const parquet = join(root, "wrong.parquet")
    await writeParquet(parquet, "SELECT 'q' || i AS question, 'a' || i AS solution FROM range(20) t(i)")
    const r = await failsLeavingLatest(["--seeds", parquet, "--on-bad-rows", "skip"])
    expect(r.stderr).toContain(`${parquet}: has columns "question", "solution"; a GSM8K seed file needs "question", "answer" (missing "answer")`)
    expect(r.stderr).not.toContain("is missing")
  })
})

describe("a build that publishes, with less than asked", () => {
  it("reports a shortfall against --size (human and --json, and in the run summary) and an empty split, and the card leaves the split out", async () => {
    const out = join(root, "short")
    const json = await autodidact(["build", "math", "--seeds", good, "--out", out, "--size", "3000", "--json"])
    expect(json.code, json.stderr).toBe(0)
    const result = JSON.parse(json.stdout)
    expect(result.dataset.shortfall).toEqual({ asked: 3000, made: result.dataset.rows.rl })
    expect(result.dataset.rows.rl).toBeLessThan(3000)
    const tasks = result.summary.stages.find((s: { name: string }) => s.name === "tasks")
    expect(tasks.counters["tasks/shortfall"]).toBe(3000 - result.dataset.rows.rl)
    const summary = JSON.parse(await readFile(join(result.run_dir, "summary.json"), "utf8"))
    expect(summary.stages.find((s: { name: string }) => s.name === "tasks").counters["tasks/shortfall"]).toBe(3000 - result.dataset.rows.rl)
    // Two seed families: both fall in train, so every config's test split is empty.
    expect(result.dataset.warnings).toContain(`made ${result.dataset.rows.rl.toLocaleString("en-US")} of the 3,000 tasks asked (--size 3000): 2 usable seed problems do not have more distinct variants; add seed problems for more`)
    expect(result.dataset.warnings).toContain(
      `split "test" has no rows in every config (the test split takes whole seed families in md5 order until it holds 10 families and 5% of the tasks, at most a fifth of the families; with fewer than 5 seed families it gets none); the card leaves it out of data_files`
    )
    const manifest = JSON.parse(await readFile(join(result.dataset.dir, "manifest.json"), "utf8"))
    expect(manifest.configs.sft.splits.test.rows).toBe(0)
    const card = await readFile(join(result.dataset.dir, "README.md"), "utf8")
    const header = parse(/^---\n([\s\S]*?)\n---\n/.exec(card)![1]!) as { configs: Array<{ data_files: Array<{ split: string }> }> }
    for (const c of header.configs) expect(c.data_files.map((d) => d.split)).toEqual(["train"])

    const human = await autodidact(["build", "math", "--seeds", good, "--out", out, "--size", "3000"])
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout).toContain(`warning: made ${result.dataset.rows.rl.toLocaleString("en-US")} of the 3,000 tasks asked (--size 3000)`)
    expect(human.stdout).toContain(`warning: split "test" has no rows in every config`)
    const validate = await autodidact(["validate", "math", "--data-dir", out])
    expect(validate.code, validate.stdout + validate.stderr).toBe(0)
  }, 60_000)
})
