/**
 * Engine benchmark: 1M small rows through a 3-stage pass-through pipeline (source → map → map), every
 * stage materialised as Parquet parts, beside a raw DuckDB appender + COPY of the same rows in the same
 * process. Prints rates, their ratio, and peak memory (max RSS).
 *   node tools/bench/engine.ts [rows]
 */
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DuckDBDataChunk, DuckDBInstance, INTEGER, VARCHAR } from "@duckdb/node-api"
import { Effect, Layer, Schema, Stream } from "effect"
import { DuckDb, Progress, mapStage, runPipeline, streamStage } from "#dag"

const rows = Number(process.argv[2] ?? 1_000_000)
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
    const ids = new Array<string>(n), ns = new Array<number>(n), texts = new Array<string>(n)
    for (let i = 0; i < n; i++) {
      const r = makeRow(offset + i)
      ids[i] = r.id; ns[i] = r.n; texts[i] = r.text
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
    name: "source", version: 1, inputs: [], schema: Row, config: { rows }, partRows: 50000,
    run: () => Stream.range(0, rows - 1).pipe(Stream.map(makeRow))
  })
  const pass = (name: string, input: string) =>
    mapStage<Row>({ name, version: 1, inputs: [input], schema: Row, config: {}, batchSize: 50000, concurrency: 2, process: (batch) => Effect.succeed(batch) })
  const t0 = performance.now()
  await Effect.runPromise(
    runPipeline({ pipeline: "bench", stages: [source, pass("first", "source"), pass("second", "first")], seed: 0, dataDir: dir }).pipe(
      Effect.provide(Layer.mergeAll(DuckDb.layer(), Progress.silent))
    )
  )
  return performance.now() - t0
}

const dir = await mkdtemp(join(tmpdir(), "autodidact-bench-"))
try {
  // The engine runs first so that its peak memory is measured before the raw path holds 1M rows in DuckDB.
  const engineMs = await engine(dir)
  const peakMb = process.resourceUsage().maxRSS / 1024
  const rawMs = await raw(dir)
  const rawRate = rows / (rawMs / 1000)
  const engineRate = rows / (engineMs / 1000)
  const stageRate = (3 * rows) / (engineMs / 1000)
  const rawPeakMb = process.resourceUsage().maxRSS / 1024
  const fmt = (n: number) => Math.round(n).toLocaleString("en-US")
  console.log(`rows: ${fmt(rows)}`)
  console.log(`raw DuckDB appender + COPY:        ${fmt(rawMs)} ms, ${fmt(rawRate)} rows/s`)
  console.log(`engine, 3 materialised stages:     ${fmt(engineMs)} ms, ${fmt(engineRate)} rows/s through the pipeline, ${fmt(stageRate)} rows/s materialised`)
  console.log(`per-stage rate / raw rate:         ${(stageRate / rawRate).toFixed(2)} (target >= 0.5)`)
  console.log(`engine peak memory (max RSS):      ${fmt(peakMb)} MB (target < 500)`)
  console.log(`peak after the raw path too:       ${fmt(rawPeakMb)} MB`)
} finally {
  await rm(dir, { recursive: true, force: true })
}
