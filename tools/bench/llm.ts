/**
 * Model-layer benchmark: a row stage calling an OpenAI-compatible server through the whole model layer
 * (flow controller, durable response cache, retries), against the scripted server in a process of its own.
 * Each figure is a ratio measured in the same invocation:
 *   instant  the server answers at once: the stage's request rate beside a plain closed-loop load generator
 *            (the same number of requests, 256 at a time, Node's fetch); and pipeline CPU per request.
 *   latency  every answer takes 2 s, server capacity 256: the rate beside the ideal 128 requests/s, and the
 *            longest a freed slot waited for its next request (a dispatch gap).
 *   tail     200 ms answers, 5% of them 20x slower: total time beside the ideal for the same latencies (a
 *            dispatcher that never leaves a slot free while requests remain).
 *   memory   the instant server, streaming many rows (default 1M) at 256 in flight: peak memory, in a process
 *            of its own started with HEAP_FLAGS (run alone).
 *   stage    the model stage alone against the instant server, for profiling (node --cpu-prof).
 *   node tools/bench/llm.ts [all|instant|latency|tail|memory|stage] [requests]
 */
import { spawn, type ChildProcess } from "node:child_process"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import v8 from "node:v8"
import { monitorEventLoopDelay } from "node:perf_hooks"
import { Effect, Layer, Schema, Stream } from "effect"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { DuckDb } from "#io"
import { Progress, rowStage, runPipeline, streamStage } from "#dag"
import { FlowController, LanguageModel, ResponseCache } from "#llm"
import type { ScriptedServerOptions } from "#llm/scripted-server.ts"

const CONCURRENCY = 256
const which = process.argv[2] ?? "all"
const requestsArg = process.argv[3] === undefined ? undefined : Number(process.argv[3])

interface Served {
  readonly url: string
  readonly stats: () => Promise<{ answered: number; maxInFlight: number; longestIdleMs: number; connections: number; latencies: Array<number> }>
  readonly reset: () => Promise<void>
  readonly stop: () => void
}

const serve = (options: ScriptedServerOptions): Promise<Served> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [join(import.meta.dirname, "llm-server.ts"), JSON.stringify({ models: ["bench"], ...options })], {
      stdio: ["ignore", "pipe", "inherit"]
    })
    child.once("error", reject)
    child.stdout!.once("data", (d: Buffer) => {
      const { url, stats } = JSON.parse(d.toString()) as { url: string; stats: string }
      resolve({
        url,
        stats: async () => (await fetch(stats)).json() as never,
        reset: async () => void (await fetch(stats, { method: "POST" })).text(),
        stop: () => void child.kill("SIGTERM")
      })
    })
  })

const body = (i: number) => ({ model: "bench", messages: [{ role: "user", content: `Question ${i}: what is ${i} + ${i}?` }], max_tokens: 16 })

/** A plain closed-loop load generator: `concurrency` workers, each sending its next request as the last ends. */
const plainLoad = async (url: string, requests: number): Promise<number> => {
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < requests; i = next++) {
        const r = await fetch(`${url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body(i + 10_000_000)) })
        await r.json()
      }
    })
  )
  return performance.now() - t0
}

const Row = Schema.Struct({ id: Schema.String, i: Schema.Number })
const Answer = Schema.Struct({ id: Schema.String, text: Schema.String })

/** `requests` rows through a row stage that asks the model once per row; returns the stage's time and CPU. */
const pipeline = async (url: string, requests: number) => {
  const dir = await mkdtemp(join(tmpdir(), "autodidact-bench-llm-"))
  const source = streamStage({
    name: "rows",
    version: 1,
    inputs: [],
    schema: Row,
    config: { requests },
    partRows: 20_000,
    run: () => Stream.range(0, requests - 1).pipe(Stream.map((i) => ({ id: `r${i}`, i })))
  })
  const ask = rowStage<typeof Row.Type, "ask", typeof Answer.Type, object, never, LanguageModel>({
    name: "ask",
    version: 1,
    inputs: ["rows"],
    schema: Answer,
    config: {},
    batchSize: 1_000,
    window: CONCURRENCY * 2,
    process: (row) =>
      Effect.gen(function* () {
        const model = yield* LanguageModel
        const [sample] = yield* Effect.orDie(model.sample({ messages: [{ role: "user", content: body(row.i).messages[0]!.content }], params: { max_tokens: 16 } }, 1))
        return [{ id: row.id, text: sample!.text }]
      })
  })
  const layer = Layer.mergeAll(
    DuckDb.layer(),
    Progress.silent,
    LanguageModel.layer({ endpoints: [{ url }], model: "bench", timeoutMs: 120_000 }).pipe(
      Layer.provide(Layer.mergeAll(FlowController.layer({ concurrency: CONCURRENCY }), ResponseCache.layer(join(dir, "responses.sqlite")), NodeHttpClient.layerUndici))
    )
  )
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const result = await Effect.runPromise(runPipeline({ pipeline: "bench", stages: [source, ask], seed: 0, dataDir: dir }).pipe(Effect.provide(layer)))
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const stage = result.summary.stages.find((s) => s.name === "ask")!
  await rm(dir, { recursive: true, force: true })
  return { ms, stageMs: stage.duration_ms, rows: stage.rows_out, cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / requests }
}

const rate = (n: number, ms: number) => (n * 1000) / ms
const fmt = (x: number, digits = 0) => x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })

const instant = async () => {
  const requests = requestsArg ?? 20_000
  const server = await serve({})
  await plainLoad(server.url, 2_000) // warm both sides up
  const plainMs = await plainLoad(server.url, requests)
  await server.reset()
  const p = await pipeline(server.url, requests)
  const s = await server.stats()
  server.stop()
  const plainRate = rate(requests, plainMs)
  const stageRate = rate(requests, p.stageMs)
  console.log(`instant: ${fmt(requests)} requests at ${CONCURRENCY} in flight`)
  console.log(`  plain load generator  ${fmt(plainRate)} requests/s`)
  console.log(`  model stage           ${fmt(stageRate)} requests/s = ${fmt((100 * stageRate) / plainRate, 1)}% of plain (target 90%); most in flight ${s.maxInFlight}; ${s.connections} connections`)
  console.log(`  pipeline CPU          ${fmt(p.cpuMsPerRequest, 3)} ms per request (engine, model layer, cache, parts)`)
  return { requests, plainRate, stageRate, ratio: stageRate / plainRate, cpuMsPerRequest: p.cpuMsPerRequest, maxInFlight: s.maxInFlight }
}

const latency = async () => {
  const requests = requestsArg ?? 2_560
  const server = await serve({ latencyMs: 2_000, capacity: CONCURRENCY })
  // How long this process's event loop was held at once: a dispatch gap longer than that is the
  // scheduling's; one as long is work (or other processes on the machine) holding the loop.
  const loop = monitorEventLoopDelay({ resolution: 10 })
  loop.enable()
  const p = await pipeline(server.url, requests)
  loop.disable()
  const s = await server.stats()
  server.stop()
  const ideal = CONCURRENCY / 2
  const achieved = rate(requests, p.stageMs)
  console.log(`latency: ${fmt(requests)} requests of 2 s, server capacity ${CONCURRENCY}`)
  console.log(`  model stage           ${fmt(achieved, 1)} requests/s = ${fmt((100 * achieved) / ideal, 1)}% of the ideal ${ideal} (target 95%)`)
  console.log(`  longest dispatch gap  ${s.longestIdleMs} ms with a slot free and no request coming (target under 100); most in flight ${s.maxInFlight}`)
  const loopMaxMs = loop.max / 1e6
  console.log(`  event loop           held at most ${fmt(loopMaxMs)} ms at once (99th percentile of its delays ${fmt(loop.percentile(99) / 1e6)} ms)`)
  return { requests, achieved, ideal, ratio: achieved / ideal, longestIdleMs: s.longestIdleMs, loopMaxMs }
}

/**
 * The ideal time for these latencies: a dispatcher that never leaves a slot free while requests remain,
 * sending them in the order the server saw them (greedy list scheduling on `slots`), with no overhead.
 */
const idealMakespan = (latencies: ReadonlyArray<number>, slots: number): number => {
  const ends = new Array<number>(slots).fill(0)
  for (const l of latencies) {
    let k = 0
    for (let j = 1; j < slots; j++) if (ends[j]! < ends[k]!) k = j
    ends[k] = ends[k]! + l
  }
  return Math.max(...ends)
}

const tail = async () => {
  const requests = requestsArg ?? 20_000
  const server = await serve({ latencyMs: 200, slow: { fraction: 0.05, factor: 20 }, capacity: CONCURRENCY })
  const p = await pipeline(server.url, requests)
  const s = await server.stats()
  server.stop()
  const idealMs = idealMakespan(s.latencies, CONCURRENCY)
  const slow = s.latencies.filter((l) => l > 200).length
  console.log(`tail: ${fmt(requests)} requests of 200 ms, ${fmt(slow)} (${fmt((100 * slow) / requests, 1)}%) of them 4 s`)
  console.log(`  model stage           ${fmt(p.stageMs / 1000, 2)} s = ${fmt(p.stageMs / idealMs, 3)}x the ideal ${fmt(idealMs / 1000, 2)} s for the same latencies (target 1.1x); longest dispatch gap ${s.longestIdleMs} ms`)
  return { requests, ms: p.stageMs, idealMs, ratio: p.stageMs / idealMs, longestIdleMs: s.longestIdleMs }
}

/**
 * V8's flags for the memory run. The live heap stays near 60 MB, but V8 lets garbage pile up to several
 * hundred MB before a full collection unless told otherwise; a capped old space alone made the run twice as
 * slow here (promotions from a large young generation fill it), a small young generation with it did not.
 * LLM_BENCH_HEAP overrides them ("" for none).
 */
const HEAP_FLAGS = (process.env["LLM_BENCH_HEAP"] ?? "--max-old-space-size=128 --max-semi-space-size=8").split(" ").filter((f) => f !== "")

/** The memory run in a process of its own, started with HEAP_FLAGS, so that its peak RSS is the pipeline's alone. */
const memory = async () => {
  const requests = requestsArg ?? 1_000_000
  const child = spawn(process.execPath, [...HEAP_FLAGS, import.meta.filename, "memory-run", String(requests)], { stdio: ["ignore", "pipe", "inherit"] })
  let out = ""
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()))
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve))
  if (code !== 0) throw new Error(`the memory run exited with code ${code}`)
  const lines = out.trim().split("\n")
  for (const line of lines.slice(0, -1)) console.log(line)
  console.log(`  V8 flags: ${HEAP_FLAGS.join(" ") || "(none)"}`)
  return { ...(JSON.parse(lines.at(-1)!) as { "memory-run": object })["memory-run"], flags: HEAP_FLAGS.join(" ") }
}

const memoryRun = async () => {
  const requests = requestsArg ?? 1_000_000
  const server = await serve({})
  // Where the memory is, sampled each second: the JS heap, memory outside it (Buffers, DuckDB's and
  // SQLite's native allocations show in RSS only).
  const peak = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 }
  const sampler = setInterval(() => {
    const m = process.memoryUsage()
    for (const k of Object.keys(peak) as Array<keyof typeof peak>) peak[k] = Math.max(peak[k], m[k])
  }, 1000)
  // LLM_BENCH_SNAPSHOT=seconds: a heap snapshot that far into the run, to see what holds the heap.
  const snapshotAt = Number(process.env["LLM_BENCH_SNAPSHOT"] ?? 0)
  const snap = snapshotAt > 0 ? setTimeout(() => console.log(`heap snapshot: ${(v8.writeHeapSnapshot as () => string)()}`), snapshotAt * 1000) : undefined
  const p = await pipeline(server.url, requests)
  clearTimeout(snap)
  clearInterval(sampler)
  server.stop()
  const peakMb = process.resourceUsage().maxRSS / 1024
  const mb = (b: number) => fmt(b / 2 ** 20)
  console.log(`memory: ${fmt(requests)} rows at ${CONCURRENCY} in flight in ${fmt(p.ms / 1000, 1)} s: peak RSS ${fmt(peakMb)} MB (target 300)`)
  console.log(`  peaks sampled each second: JS heap used ${mb(peak.heapUsed)} MB of ${mb(peak.heapTotal)} MB, external ${mb(peak.external)} MB (array buffers ${mb(peak.arrayBuffers)} MB)`)
  return { requests, peakMb, seconds: p.ms / 1000, heapUsedMb: peak.heapUsed / 2 ** 20, heapTotalMb: peak.heapTotal / 2 ** 20, externalMb: peak.external / 2 ** 20 }
}

/** The model stage alone against the instant server: for profiling (node --cpu-prof). */
const stage = async () => {
  const requests = requestsArg ?? 20_000
  const server = await serve({})
  const p = await pipeline(server.url, requests)
  server.stop()
  console.log(`stage: ${fmt(rate(requests, p.stageMs))} requests/s, ${fmt(p.cpuMsPerRequest, 3)} ms CPU per request`)
  return p
}

const scenarios: Record<string, () => Promise<unknown>> = { instant, latency, tail, memory, "memory-run": memoryRun, stage }
const chosen = which === "all" ? ["instant", "latency", "tail"] : [which]
const results: Record<string, unknown> = {}
for (const name of chosen) {
  const run = scenarios[name]
  if (run === undefined) throw new Error(`unknown scenario "${name}"; one of all, ${Object.keys(scenarios).join(", ")}`)
  results[name] = await run()
}
console.log(JSON.stringify(results))
