/**
 * Scale benchmark (figures in the top-level README, "Benchmarks", Scale): for each size, SFT-sized rows
 * (a ~300-char question, a ~500-char answer, ids) built through the real engine (a source stage, then a
 * map stage that formats them as chat messages, both materialised as Parquet parts) and published
 * through the real `publish` (split, seeded shuffle, shards, read-back, fsync and sha256, card,
 * manifest, catalog), beside a raw DuckDB COPY of the same rows (the JSON → typed conversion into one
 * file, nothing else). Each size runs in a child process of its own, so its peak memory is its own:
 * the high-water RSS of the process (DuckDB runs inside it), reset before each phase (Linux
 * /proc/self/clear_refs). Targets (issue #13 item 5): peak < 4 GB, per-row cost at the largest size
 * within 1.5x of the smallest.
 *   node tools/bench/scale.ts [rows ...]      default: 1000000 10000000
 * Files go under $TMPDIR (or /tmp) and are removed at the end; `df` is checked first.
 */
import { spawn } from "node:child_process"
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises"
import { statfsSync } from "node:fs"
import { tmpdir, totalmem, cpus } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Effect, Schema, Stream } from "effect"
import { DuckDb, sqlString, sqlStringList } from "#io"
import { Progress, mapStage, runPipeline, streamStage } from "#dag"
import { jsonStructure, publish, type ColumnSpec } from "#store"
import { text } from "./text.ts"

const GB = 1024 ** 3
const PART_ROWS = 20_000
/** Bytes of disk a row needs at the peak (two stages' parts, the shards, the raw copy and DuckDB's spill): 1,790 measured at 10M rows, with margin. */
const DISK_PER_ROW = 2_400


const Task = Schema.Struct({ id: Schema.String, task_id: Schema.String, question: Schema.String, answer: Schema.String })
type Task = typeof Task.Type
const Message = Schema.Struct({ role: Schema.String, content: Schema.String })
const Sft = Schema.Struct({ id: Schema.String, task_id: Schema.String, messages: Schema.Array(Message), source: Schema.String })
type Sft = typeof Sft.Type

const columns: ReadonlyArray<ColumnSpec> = [
  { name: "id", type: "VARCHAR", description: "row id" },
  { name: "task_id", type: "VARCHAR", description: "task id" },
  { name: "messages", type: "STRUCT(role VARCHAR, content VARCHAR)[]", description: "user question, assistant answer" },
  { name: "source", type: "VARCHAR", description: "origin" }
]

const stagesFor = (rows: number) => [
  streamStage({
    name: "tasks",
    version: 1,
    inputs: [],
    schema: Task,
    config: { rows },
    partRows: PART_ROWS,
    run: () =>
      Stream.range(0, rows - 1).pipe(
        Stream.map((i): Task => ({ id: `task-${i}`, task_id: `task-${Math.floor(i / 4)}`, question: text(i, 300), answer: text(i + 7_777_777, 500) }))
      )
  }),
  mapStage<Task>({
    name: "sft",
    version: 1,
    inputs: ["tasks"],
    schema: Sft,
    config: {},
    batchSize: PART_ROWS,
    concurrency: 2,
    keyColumns: ["id", "task_id"],
    process: (batch) =>
      Effect.succeed(
        batch.map((t, i): Sft => ({
          id: `sft-${t.id.slice(5)}`,
          task_id: t.task_id,
          messages: [
            { role: "user", content: t.question },
            { role: "assistant", content: t.answer }
          ],
          source: i % 3 === 0 ? "symbolic" : "seed"
        }))
      )
  })
]

/** High-water RSS since the last reset, in bytes (VmHWM); reset makes the next phase's peak its own. */
const peakRss = async (): Promise<number> => {
  const status = await readFile("/proc/self/status", "utf8").catch(() => "")
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1]
  return kb === undefined ? process.resourceUsage().maxRSS * 1024 : Number(kb) * 1024
}
const resetPeak = () => writeFile("/proc/self/clear_refs", "5").catch(() => undefined)

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since)
  return (used.user + used.system) / 1000
}

const diskUsed = (path: string) => {
  const s = statfsSync(path)
  return (s.blocks - s.bfree) * s.bsize
}

const folderBytes = async (dir: string): Promise<number> => {
  let total = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size
  }
  return total
}

interface Measured {
  readonly rows: number
  readonly build_ms: number
  readonly publish_ms: number
  readonly raw_ms: number
  /** CPU time of the process (DuckDB's threads included) per phase: steadier than wall time on a shared machine. */
  readonly build_cpu_ms: number
  readonly publish_cpu_ms: number
  readonly raw_cpu_ms: number
  readonly build_peak: number
  readonly publish_peak: number
  readonly raw_peak: number
  readonly disk_peak: number
  readonly parts_bytes: number
  readonly shards_bytes: number
  readonly shards: number
  readonly memory_limit: string
}

/** One size, in this process: build, publish, raw COPY; prints the figures as one JSON line on stdout. */
const one = async (rows: number): Promise<void> => {
  const root = await mkdtemp(join(tmpdir(), "autodidact-scale-"))
  const dataDir = join(root, "data")
  const diskBase = diskUsed(root)
  let diskPeak = 0
  const sampler = setInterval(() => (diskPeak = Math.max(diskPeak, diskUsed(root) - diskBase)), 1000)
  const phaseLine = (line: string) => process.stderr.write(`  [${rows.toLocaleString("en-US")}] ${line}\n`)
  const program = Effect.gen(function* () {
    const db = yield* DuckDb
    const memoryLimit = String((yield* db.all("SELECT current_setting('memory_limit') AS m"))[0]!["m"])

    yield* Effect.promise(resetPeak)
    const t0 = performance.now()
    const c0 = process.cpuUsage()
    const run = yield* runPipeline({ pipeline: "scale", stages: stagesFor(rows), seed: 1, dataDir, config: { rows } }).pipe(
      Effect.provide(Progress.plain(phaseLine, 30_000))
    )
    const buildMs = performance.now() - t0
    const buildCpu = cpuMs(c0)
    const buildPeak = yield* Effect.promise(peakRss)
    const files = run.outputs.get("sft")!.files

    yield* Effect.promise(resetPeak)
    const t1 = performance.now()
    const c1 = process.cpuUsage()
    const published = yield* publish({
      dataDir, name: "scale", pipeline: "scale", seed: 1, config: { rows }, seedFiles: [], runSummary: run.summary,
      configs: [{ name: "sft", description: "SFT rows", columns, files }],
      card: { title: "scale", summary: "scale benchmark", strategies: [] }
    }).pipe(Effect.provide(Progress.plain(phaseLine, 10_000)))
    const publishMs = performance.now() - t1
    const publishCpu = cpuMs(c1)
    const publishPeak = yield* Effect.promise(peakRss)

    yield* Effect.promise(resetPeak)
    const t2 = performance.now()
    const c2 = process.cpuUsage()
    yield* db.run(
      `COPY (SELECT s.* FROM (SELECT from_json(row, ${sqlString(jsonStructure(columns))}) AS s FROM read_parquet(${sqlStringList(files)}))) ` +
        `TO ${sqlString(join(root, "raw.parquet"))} (FORMAT parquet, COMPRESSION zstd)`
    )
    const rawMs = performance.now() - t2
    const rawCpu = cpuMs(c2)
    const rawPeak = yield* Effect.promise(peakRss)

    const sft = published.manifest.configs["sft"]!
    const shardFiles = [...sft.splits["train"]!.files, ...sft.splits["test"]!.files]
    const measured: Measured = {
      rows,
      build_ms: buildMs,
      publish_ms: publishMs,
      raw_ms: rawMs,
      build_cpu_ms: buildCpu,
      publish_cpu_ms: publishCpu,
      raw_cpu_ms: rawCpu,
      build_peak: buildPeak,
      publish_peak: publishPeak,
      raw_peak: rawPeak,
      disk_peak: diskPeak,
      parts_bytes: yield* Effect.promise(() => folderBytes(run.runDir)),
      shards_bytes: shardFiles.reduce((n, f) => n + f.bytes, 0),
      shards: shardFiles.length,
      memory_limit: memoryLimit
    }
    return measured
  })
  try {
    const measured = await Effect.runPromise(
      program.pipe(Effect.provide(DuckDb.layer({ tempDirectory: join(dataDir, "cache", "duckdb-tmp") })), Effect.scoped) as Effect.Effect<Measured>
    )
    process.stdout.write(JSON.stringify(measured) + "\n")
  } finally {
    clearInterval(sampler)
    await rm(root, { recursive: true, force: true })
  }
}

const runChild = (rows: number): Promise<Measured> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--one", String(rows)], { stdio: ["ignore", "pipe", "inherit"] })
    let out = ""
    child.stdout.on("data", (d: Buffer) => (out += d.toString()))
    child.on("error", reject)
    child.on("exit", (code) => {
      const line = out.trim().split("\n").at(-1) ?? ""
      if (code === 0 && line.startsWith("{")) resolve(JSON.parse(line) as Measured)
      else reject(new Error(`the ${rows}-row run exited with ${code}: ${out.trim()}`))
    })
  })

const fmtRows = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`)
const s = (ms: number) => (ms / 1000).toFixed(1)
const rate = (rows: number, ms: number) => `${Math.round(rows / (ms / 1000)).toLocaleString("en-US")}/s`
const gb = (bytes: number) => (bytes / GB).toFixed(2)
const perRow = (m: Measured, ms: number) => (ms * 1000) / m.rows

const main = async (sizes: ReadonlyArray<number>) => {
  const free = statfsSync(tmpdir()).bavail * statfsSync(tmpdir()).bsize
  const need = Math.max(...sizes) * DISK_PER_ROW
  if (free < need) throw new Error(`${tmpdir()} has ${gb(free)} GiB free; ${fmtRows(Math.max(...sizes))} rows need about ${gb(need)} GiB (set TMPDIR to a bigger disk)`)
  console.error(`scale benchmark: ${sizes.map(fmtRows).join(", ")} rows under ${tmpdir()} (${gb(free)} GiB free); ${cpus().length} cores, ${gb(totalmem())} GiB memory`)
  const results: Array<Measured> = []
  for (const rows of sizes) results.push(await runChild(rows))
  const base = results[0]!
  const total = (m: Measured) => m.build_ms + m.publish_ms
  const peak = (m: Measured) => Math.max(m.build_peak, m.publish_peak, m.raw_peak)
  const head = `| | ${results.map((m) => `${fmtRows(m.rows)} rows`).join(" | ")} |`
  const row = (label: string, f: (m: Measured) => string) => `| ${label} | ${results.map(f).join(" | ")} |`
  const lines = [
    `${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, ${cpus().length} cores, ${gb(totalmem())} GiB, DuckDB memory_limit ${base.memory_limit}`,
    "",
    head,
    `|---|${results.map(() => "---:").join("|")}|`,
    row("build: 2 stages (source, map), s", (m) => `${s(m.build_ms)} (${rate(m.rows, m.build_ms)})`),
    row("publish: split, shuffle, shards, verify, sha256, s", (m) => `${s(m.publish_ms)} (${rate(m.rows, m.publish_ms)}, ${m.shards} shards)`),
    row("raw DuckDB COPY of the same rows, s", (m) => `${s(m.raw_ms)} (${rate(m.rows, m.raw_ms)})`),
    row("publish / raw, as tools/bench/store.ts reports it (raw time ÷ publish time)", (m) => `${((m.raw_ms / m.publish_ms) * 100).toFixed(0)}%`),
    row("build + publish, µs per row", (m) => perRow(m, total(m)).toFixed(1)),
    row("per-row cost vs the first size (target ≤ 1.5x)", (m) => `${(perRow(m, total(m)) / perRow(base, total(base))).toFixed(2)}x`),
    row("  build only / publish only", (m) => `${(perRow(m, m.build_ms) / perRow(base, base.build_ms)).toFixed(2)}x / ${(perRow(m, m.publish_ms) / perRow(base, base.publish_ms)).toFixed(2)}x`),
    row("CPU time: build / publish / raw, s", (m) => `${s(m.build_cpu_ms)} / ${s(m.publish_cpu_ms)} / ${s(m.raw_cpu_ms)}`),
    row("build + publish CPU, µs per row; vs the first size", (m) => {
      const cpu = (x: Measured) => perRow(x, x.build_cpu_ms + x.publish_cpu_ms)
      return `${cpu(m).toFixed(1)}; ${(cpu(m) / cpu(base)).toFixed(2)}x`
    }),
    row("peak RSS: build / publish / raw, GiB", (m) => `${gb(m.build_peak)} / ${gb(m.publish_peak)} / ${gb(m.raw_peak)}`),
    row("peak RSS (target < 4 GB)", (m) => `${gb(peak(m))} GiB${peak(m) < 4e9 ? "" : " (missed)"}`),
    row("disk: parts (2 stages) / shards / peak in use, GiB", (m) => `${gb(m.parts_bytes)} / ${gb(m.shards_bytes)} / ${gb(m.disk_peak)}`)
  ]
  console.log(lines.join("\n"))
}

const args = process.argv.slice(2)
if (args[0] === "--one") await one(Number(args[1]))
else await main(args.length === 0 ? [1_000_000, 10_000_000] : args.map(Number))
