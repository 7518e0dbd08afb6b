/**
 * Store benchmark (figures go in the top-level README, "Benchmarks"):
 *  1. publish 1M SFT-sized rows (a ~300-char question, a ~500-char answer) from engine part files (the
 *     JSON rows with the key columns id and task_id, as the engine writes a published stage), beside a
 *     raw DuckDB COPY of the same rows (the same JSON → typed conversion, one file, no split, shuffle,
 *     sharding, verification or checksums) in the same process.
 *     The target (publish at ≥ 70% of raw) is read off the median of the rounds' paired ratios.
 *  2. `query` aggregating by version over `sft_all` with 10 versions of 1M rows. Versions 2–10 are copies of
 *     version 1's folder with their own manifests (publishing 10 times would only re-measure step 1).
 *   node tools/bench/store.ts [rows] [rounds]
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { DuckDb, sqlString, sqlStringList } from "#io"
import { keyColumnsOf, writeJsonParquet, type RunSummary } from "#dag"
import { jsonStructure, publish, queryDataset, refreshCatalog, versionName, type ColumnSpec, type Manifest, type PublishResult } from "#store"
import { text } from "./text.ts"

const rows = Number(process.argv[2] ?? 1_000_000)
const rounds = Number(process.argv[3] ?? 5)
const PART_ROWS = 50_000
const KEY_COLUMNS = ["id", "task_id"]


const columns: ReadonlyArray<ColumnSpec> = [
  { name: "id", type: "VARCHAR", description: "row id" },
  { name: "task_id", type: "VARCHAR", description: "task id" },
  { name: "messages", type: "STRUCT(role VARCHAR, content VARCHAR)[]", description: "user question, assistant answer" },
  { name: "source", type: "VARCHAR", description: "origin" }
]

const summary: RunSummary = {
  run_id: "bench", pipeline: "bench", seed: 1, config_hash: "", status: "succeeded", started_at: "", finished_at: "",
  duration_ms: 0, stages: [], totals: { cache_hits: 0, rejects: 0 }
}

const seconds = (ms: number) => (ms / 1000).toFixed(2)
const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString("en-US")} rows/s`

const program = Effect.gen(function* () {
  const db = yield* DuckDb
  const dir = yield* Effect.promise(() => mkdtemp(join(tmpdir(), "autodidact-bench-store-")))
  const dataDir = join(dir, "data")
  const t0 = performance.now()
  const files: Array<string> = []
  for (let p = 0; p * PART_ROWS < rows; p++) {
    const part: Array<unknown> = []
    for (let i = p * PART_ROWS; i < Math.min(rows, (p + 1) * PART_ROWS); i++) {
      part.push({
        id: `sft-${i}`,
        task_id: `task-${Math.floor(i / 4)}`,
        messages: [
          { role: "user", content: text(i, 300) },
          { role: "assistant", content: text(i + 7_777_777, 500) }
        ],
        source: i % 3 === 0 ? "symbolic" : "seed"
      })
    }
    const file = join(dir, "parts", `part-${String(p).padStart(5, "0")}.parquet`)
    yield* Effect.promise(() => mkdir(join(dir, "parts"), { recursive: true }))
    // As the engine writes a published stage's parts: the JSON rows and the key columns the store reads.
    yield* writeJsonParquet(file, part.map((r) => JSON.stringify(r)), { keys: keyColumnsOf(part, KEY_COLUMNS) })
    files.push(file)
  }
  const tGen = performance.now() - t0

  // Raw and publish alternate for `rounds` rounds (each publish into a fresh data folder, else the second
  // would be "unchanged"); single timings here vary by ±20% or more, so medians are reported.
  const rawMs: Array<number> = []
  const publishMs: Array<number> = []
  let published: PublishResult | undefined
  for (let round = 0; round < rounds; round++) {
    const t1 = performance.now()
    yield* db.run(
      `COPY (SELECT s.* FROM (SELECT from_json(row, ${sqlString(jsonStructure(columns))}) AS s FROM read_parquet(${sqlStringList(files)}))) ` +
        `TO ${sqlString(join(dir, "raw.parquet"))} (FORMAT parquet, COMPRESSION zstd)`
    )
    rawMs.push(performance.now() - t1)
    const roundDir = round === 0 ? dataDir : join(dir, `data-${round}`)
    const t2 = performance.now()
    published = yield* publish({
      dataDir: roundDir, name: "bench", pipeline: "bench", seed: 1, config: { rows }, seedFiles: [], runSummary: summary,
      configs: [{ name: "sft", description: "SFT rows", columns, files }],
      card: { title: "bench", summary: "benchmark", strategies: [] }
    })
    publishMs.push(performance.now() - t2)
    if (round > 0) yield* Effect.promise(() => rm(roundDir, { recursive: true, force: true }))
  }
  const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const tRaw = median(rawMs)
  const tPublish = median(publishMs)
  // The headline ratio pairs each publish with the raw COPY just before it, so a slow or fast spell of the
  // VM moves both sides; a ratio of the two medians can pair a fast raw round with a slow publish round.
  const paired = rawMs.map((raw, i) => raw / publishMs[i]!)

  // Versions 2..10: copies of version 1 with their own manifests, then one catalog refresh.
  const dsDir = join(dataDir, "datasets", "bench")
  const m1 = JSON.parse(yield* Effect.promise(() => readFile(join(dsDir, "v0001", "manifest.json"), "utf8"))) as Manifest
  for (let v = 2; v <= 10; v++) {
    const name = versionName(v)
    yield* Effect.promise(() => cp(join(dsDir, "v0001"), join(dsDir, name), { recursive: true }))
    const m = { ...m1, version: name, parent: versionName(v - 1) }
    yield* Effect.promise(() => writeFile(join(dsDir, name, "manifest.json"), JSON.stringify(m, null, 2)))
  }
  yield* Effect.promise(() => writeFile(join(dsDir, "LATEST"), "v0010\n"))
  yield* refreshCatalog(dataDir)

  const queries = [
    "SELECT version, count(*) AS rows FROM sft_all GROUP BY version ORDER BY version",
    "SELECT version, split, count(*) AS rows, count(DISTINCT task_id) AS tasks FROM sft_all GROUP BY ALL ORDER BY ALL",
    "SELECT version, avg(length(messages[2].content)) AS answer_chars FROM sft_all GROUP BY version ORDER BY version"
  ]
  const timed: Array<[string, number]> = []
  for (const q of queries) {
    const t = performance.now()
    const r = yield* queryDataset(dataDir, "bench", q)
    timed.push([q, performance.now() - t])
    if (r.rows.length < 10) throw new Error(`query returned ${r.rows.length} rows`)
  }

  const lines = [
    `rows: ${rows.toLocaleString("en-US")} SFT rows (~300-char question, ~500-char answer), ${files.length} part files (made in ${seconds(tGen)} s)`,
    "",
    "| step | time (s) | rate |",
    "|---|---:|---:|",
    `| raw DuckDB COPY (JSON → typed, 1 file), median of ${rounds} (${rawMs.map(seconds).join(", ")}) | ${seconds(tRaw)} | ${rate(rows, tRaw)} |`,
    `| publish (split, shuffle, ${published!.manifest.configs["sft"]!.splits["train"]!.files.length + published!.manifest.configs["sft"]!.splits["test"]!.files.length} shards, verify, sha256, card, catalog), median of ${rounds} (${publishMs.map(seconds).join(", ")}) | ${seconds(tPublish)} | ${rate(rows, tPublish)} |`,
    `| publish / raw, median of the ${rounds} rounds' ratios (${paired.map((r) => `${(r * 100).toFixed(0)}%`).join(", ")}) | ${(median(paired) * 100).toFixed(0)}% | target ≥ 70% |`,
    `| publish / raw, ratio of the medians | ${((tRaw / tPublish) * 100).toFixed(0)}% | |`,
    ...timed.map(([q, ms], i) => `| query over 10 versions: \`${q}\` | ${seconds(ms)} | ${i < 2 ? "target < 2 s" : "reads all 5 GB of answer text: no target"} |`)
  ]
  console.log(lines.join("\n"))
  yield* Effect.promise(() => rm(dir, { recursive: true, force: true }))
})

await Effect.runPromise(program.pipe(Effect.provide(DuckDb.layer()), Effect.scoped) as Effect.Effect<void>)
