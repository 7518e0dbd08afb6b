/**
 * Engine benchmark: 1M small rows through a 3-stage pass-through pipeline (source → map → map), every
 * stage materialised as Parquet parts, beside a raw DuckDB appender + COPY of the same rows in the same
 * process. Each is run `repeats` times (engine first, so its peak memory is measured before the raw path
 * holds 1M rows in DuckDB); the medians are reported, because this machine's timings vary by ±20%.
 *   node tools/bench/engine.ts [rows] [repeats] [rowsPerPart]
 */
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DuckDBDataChunk, DuckDBInstance, INTEGER, VARCHAR } from "@duckdb/node-api"
import { Effect, Layer, Schema, Stream } from "effect"
import { DuckDb } from "#io"
import { Progress, mapStage, runPipeline, streamStage } from "#dag"

const rows = Number(process.argv[2] ?? 1_000_000)
const repeats = Number(process.argv[3] ?? 5)
const perPart = Number(process.argv[4] ?? 20_000)
const Row = Schema.Struct({ id: Schema.String, n: Schema.Number, text: Schema.String })
type Row = typeof Row.Type
const makeRow = (i: number): Row => ({ id: `row-${i}`, n: i, text: `small row number ${i}` })

const raw = async (dir: string): Promise<number> => {
  const t0 = performance.now()
  const db = await DuckDBInstance.create(":memory:")
  const c = await db.connect()
  await c.run("CREATE TABLE t (id VARCHAR, n INTEGER, text VARCHAR)")
  const appender = await c.createAppender("t")
  for (let offset = 0; offset < rows; offset += 2048) {
    const n = Math.min(2048, rows - offset)
    const ids = new Array<string>(n)
    const ns = new Array<number>(n)
    const texts = new Array<string>(n)
    for (let i = 0; i < n; i++) {
      const r = makeRow(offset + i)
      ids[i] = r.id
      ns[i] = r.n
      texts[i] = r.text
    }
    const chunk = DuckDBDataChunk.create([VARCHAR, INTEGER, VARCHAR], n)
    chunk.setColumns([ids, ns, texts])
    appender.appendDataChunk(chunk)
  }
  appender.flushSync()
  appender.closeSync()
  await c.run(`COPY t TO '${join(dir, "raw.parquet")}' (FORMAT parquet, COMPRESSION zstd)`)
  c.closeSync()
  db.closeSync()
  return performance.now() - t0
}

const engine = async (dir: string): Promise<number> => {
  const source = streamStage({
    name: "source",
    version: 1,
    inputs: [],
    schema: Row,
    config: { rows },
    partRows: perPart,
    run: () => Stream.range(0, rows - 1).pipe(Stream.map(makeRow))
  })
  const pass = (name: string, input: string) =>
    mapStage<Row>({ name, version: 1, inputs: [input], schema: Row, config: {}, batchSize: perPart, concurrency: 2, process: (batch) => Effect.succeed(batch) })
  const t0 = performance.now()
  await Effect.runPromise(
    runPipeline({ pipeline: "bench", stages: [source, pass("first", "source"), pass("second", "first")], seed: 0, dataDir: dir }).pipe(
      Effect.provide(Layer.mergeAll(DuckDb.layer(), Progress.silent))
    )
  )
  return performance.now() - t0
}

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const fmt = (n: number) => Math.round(n).toLocaleString("en-US")

const engineMs: Array<number> = []
const rawMs: Array<number> = []
for (let i = 0; i < repeats; i++) {
  const dir = await mkdtemp(join(tmpdir(), "autodidact-bench-"))
  engineMs.push(await engine(dir))
  await rm(dir, { recursive: true, force: true })
}
const peakMb = process.resourceUsage().maxRSS / 1024
for (let i = 0; i < repeats; i++) {
  const dir = await mkdtemp(join(tmpdir(), "autodidact-bench-"))
  rawMs.push(await raw(dir))
  await rm(dir, { recursive: true, force: true })
}
const rawRate = rows / (median(rawMs) / 1000)
const stageRate = (3 * rows) / (median(engineMs) / 1000)
console.log(`rows: ${fmt(rows)}, ${fmt(perPart)} rows per part, median of ${repeats} runs`)
console.log(`raw DuckDB appender + COPY:    ${fmt(median(rawMs))} ms  ${fmt(rawRate)} rows/s   (runs: ${rawMs.map(fmt).join(", ")} ms)`)
console.log(`engine, 3 materialised stages: ${fmt(median(engineMs))} ms  ${fmt(stageRate)} rows/s materialised, ${fmt(stageRate / 3)} rows/s end to end   (runs: ${engineMs.map(fmt).join(", ")} ms)`)
console.log(`materialised rate / raw rate:  ${(stageRate / rawRate).toFixed(2)}   (target >= 0.50)`)
console.log(`engine peak memory (max RSS):  ${fmt(peakMb)} MB   (target < 500)`)
