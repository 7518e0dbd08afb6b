import { mkdtemp, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Layer, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { DuckDb } from "#io"
import { Progress, runPipeline, streamStage, type RunSummary, type Stage } from "#dag"
import { decontaminateSettings, decontaminateStage, dedupMarkdown, dedupStage } from "./dedup-stages.ts"
import { VerifiedTask } from "./rows.ts"
import { tasksStage } from "./task-stages.ts"

const task = (id: string, family: string | undefined, question: string): VerifiedTask => ({
  id,
  domain: "math",
  question,
  reference: "1 + 1 = <<1+1=2>>2\n#### 2",
  answer: "2",
  source: { kind: "seed" },
  parent_ids: family === undefined ? [] : [family],
  steps: 1,
  origin: family === undefined ? "seed" : "symbolic"
})

// Three families in the order the variants stage gives them (seed first). b1 is a1 with other case and
// punctuation; every question of family c shares 13 words with the benchmark row below.
const ROWS: ReadonlyArray<VerifiedTask> = [
  task("a0", undefined, "Ann has 3 apples and buys 4 more at the market on Monday morning. How many apples does she have?"),
  task("a1", "a0", "Ann has 5 apples and buys 2 more at the market on Monday morning. How many apples does she have?"),
  task("a2", "a0", "Ann has 6 apples and buys 1 more at the market on Monday morning. How many apples does she have?"),
  task("b0", undefined, "A farmer plants 12 rows of corn with 9 plants in each row. How many plants are there?"),
  task("b1", "b0", "ANN HAS 5 APPLES, and buys 2 more at the market on Monday morning; how many apples does she have"),
  task("b2", "b0", "A farmer plants 10 rows of corn with 7 plants in each row. How many plants are there?"),
  task("c0", undefined, "A train leaves the station at noon and travels north at 60 miles per hour for 3 hours. How far does it go?"),
  task("c1", "c0", "A train leaves the station at noon and travels north at 50 miles per hour for 2 hours. How far does it go?")
]
const BENCHMARK = [
  JSON.stringify({ question: "Unrelated: what is 7 times 8?" }),
  "",
  JSON.stringify({ question: "Q: A train leaves the station at noon and travels north at 60 miles per hour." }),
  JSON.stringify({ question: "Q: A train leaves the station at noon and travels north at 50 miles per hour." }),
  // A near-miss of b0: the same 12 words in a row, and no 13.
  JSON.stringify({ question: "The farmer plants 12 rows of corn with 9 plants in each row, then sells them." })
].join("\n") + "\n"

const source = streamStage({ name: "variants", version: 1, inputs: [], schema: VerifiedTask, config: {}, run: () => Stream.fromIterable(ROWS) })

const run = (dir: string, stages: ReadonlyArray<Stage>) =>
  runPipeline<Stage>({ pipeline: "dedup-test", stages: [source, ...stages], seed: 0, dataDir: dir }).pipe(
    Effect.provide(Layer.mergeAll(DuckDb.layer(), Progress.silent))
  )

const read = (sql: string) =>
  Effect.gen(function* () {
    const db = yield* DuckDb
    return yield* db.all(sql)
  }).pipe(Effect.provide(DuckDb.layer()))

const ids = (files: ReadonlyArray<string>) =>
  read(`SELECT row->>'id' AS id FROM read_parquet([${files.map((f) => `'${f}'`).join(", ")}])`).pipe(Effect.map((rows) => rows.map((r) => r["id"])))
const rejects = (runDir: string, stage: string) =>
  read(`SELECT reason, id, detail FROM read_parquet('${runDir}/${stage}/rejects-*.parquet') ORDER BY id`).pipe(
    Effect.map((rows) => rows.map((r) => ({ reason: r["reason"], id: r["id"], detail: JSON.parse(r["detail"] as string) })))
  )

describe("dedupStage", () => {
  it("removes a question equal to an earlier one after case, spacing and punctuation are folded, naming the one kept", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dedup-stage-"))
    const result = await Effect.runPromise(run(dir, [dedupStage("variants")]))
    expect(await Effect.runPromise(ids(result.outputs.get("dedup")!.files))).toEqual(["a0", "a1", "a2", "b0", "b2", "c0", "c1"])
    expect(await Effect.runPromise(rejects(result.runDir, "dedup"))).toEqual([{ reason: "duplicate_question", id: "b1", detail: { family: "b0", matched: "a1" } }])
  })
})

describe("decontaminateStage and tasksStage", () => {
  it("removes the tasks sharing a 13-gram with a benchmark row, naming file, line and n-gram; the quota shares size among the families left", async () => {
    const dir = await mkdtemp(join(tmpdir(), "decontaminate-stage-"))
    const bench = join(dir, "bench.jsonl")
    await writeFile(bench, BENCHMARK)
    const settings = await Effect.runPromise(decontaminateSettings({ files: [bench] }))
    const result = await Effect.runPromise(run(dir, [dedupStage("variants"), decontaminateStage("dedup", settings), tasksStage("decontaminate", 4)]))
    expect(await Effect.runPromise(rejects(result.runDir, "decontaminate"))).toEqual([
      { reason: "contaminated", id: "c0", detail: { family: "c0", file: bench, line: 3, ngram: "a train leaves the station at noon and travels north at 60 miles" } },
      { reason: "contaminated", id: "c1", detail: { family: "c0", file: bench, line: 4, ngram: "a train leaves the station at noon and travels north at 50 miles" } }
    ])
    // Family c is gone whole: a and b share the 4 tasks, two each, and nothing is short.
    expect(await Effect.runPromise(ids(result.outputs.get("tasks")!.files))).toEqual(["a0", "a1", "b0", "b2"])
    const figures = result.summary.stages.find((s) => s.name === "tasks")!
    expect(figures.counters["tasks/shortfall"]).toBeUndefined()
    expect(result.summary.stages.find((s) => s.name === "decontaminate")!.counters).toEqual({ "decontaminate/benchmark_rows": 4, "decontaminate/short_benchmark_rows": 1 })
  })

  it("fails naming the benchmark file and line of a row that is not an object, or lacks the field", async () => {
    const dir = await mkdtemp(join(tmpdir(), "decontaminate-bad-"))
    const bench = join(dir, "bench.jsonl")
    await writeFile(bench, `{"question": "fine"}\n[1, 2]\n`)
    const settings = await Effect.runPromise(decontaminateSettings({ files: [bench] }))
    const failed = await Effect.runPromise(Effect.flip(run(dir, [dedupStage("variants"), decontaminateStage("dedup", settings)])))
    expect(failed.message).toContain(`${bench}:2: expected a JSON object, got an array`)
    await writeFile(bench, `{"question": "fine"}\n{"problem": "x"}\n`)
    const renamed = await Effect.runPromise(decontaminateSettings({ files: [bench] }))
    const missing = await Effect.runPromise(Effect.flip(run(dir, [dedupStage("variants"), decontaminateStage("dedup", renamed)])))
    expect(missing.message).toContain(`${bench}:2: field "question" is missing (the row has "problem"); choose the field with --decontaminate-field`)
  })

  it("refuses a missing benchmark file or one of another format before any stage runs", async () => {
    const dir = await mkdtemp(join(tmpdir(), "decontaminate-missing-"))
    await expect(Effect.runPromise(decontaminateSettings({ files: [join(dir, "none.jsonl")] }))).rejects.toThrow(
      `cannot read the benchmark file ${join(dir, "none.jsonl")}: no such file; check the --decontaminate-against path`
    )
    await expect(Effect.runPromise(decontaminateSettings({ files: [join(dir, "b.csv")] }))).rejects.toThrow(`unsupported file extension ".csv"; use .jsonl or .parquet`)
  })
})

const summary = (stages: ReadonlyArray<{ name: string; rejects?: Record<string, number>; counters?: Record<string, number> }>): RunSummary => ({
  run_id: "r",
  pipeline: "math",
  seed: 0,
  config_hash: "h",
  status: "succeeded",
  started_at: "",
  finished_at: "",
  duration_ms: 0,
  totals: { rows_out: 0, rejects: 0 },
  stages: stages.map((s) => ({ name: s.name, status: "done", cache: "miss", rows_in: 0, rows_out: 0, rejects: s.rejects ?? {}, counters: s.counters ?? {}, parts: 1, parts_reused: 0, duration_ms: 0 }))
}) as unknown as RunSummary

describe("dedupMarkdown", () => {
  it("says how many exact duplicates went, that near-duplicates stay, and that no benchmark was checked", () => {
    const md = dedupMarkdown(
      summary([{ name: "seeds", rejects: { duplicate_question: 1 } }, { name: "variants", rejects: { "variant:duplicate": 532 } }, { name: "dedup", rejects: { duplicate_question: 12 } }]),
      {}
    )
    expect(md).toContain("- **Exact duplicates of questions removed: 12** by the `dedup` stage among seeds and variants")
    expect(md).toContain("and 1 repeated question in the seed file. Before that, the `variants` stage drew and dropped 532 variants whose question repeated its seed or a sibling")
    expect(md).toContain("- **Near-duplicates: not removed.** Variants of one seed are near-duplicates by design")
    expect(md).toContain("- **Not decontaminated against any benchmark**: no benchmark file was given (`--decontaminate-against`)")
  })

  it("names each benchmark file with its sha256, the n-gram, the tasks removed, and the rows too short to match", () => {
    const md = dedupMarkdown(
      summary([{ name: "dedup" }, { name: "decontaminate", rejects: { contaminated: 3 }, counters: { "decontaminate/short_benchmark_rows": 2 } }]),
      { decontaminate: { against: [{ file: "gsm8k-test.jsonl", sha256: "ab12" }, { file: "math.parquet", sha256: "cd34" }], field: "problem", ngram: 13 } }
    )
    expect(md).toContain("- **Decontaminated against 2 benchmark files, removed 3 tasks**: every task whose question shares a run of 13 normalised words with the `problem` field")
    expect(md).toContain("| `gsm8k-test.jsonl` | `ab12` |\n| `math.parquet` | `cd34` |")
    expect(md).toContain("2 benchmark rows are shorter than 13 words and could match nothing")
    expect(md).not.toContain("Not decontaminated")
  })
})
