/**
 * Dedup benchmarks side by side, in one invocation:
 *
 * - novelty: the Self-Instruct ROUGE-L filter on 20,000 instructions, fast against brute force (tools/bench/rouge.ts,
 *   which asserts identical output);
 * - transport: how texts cross to a worker thread (Arrow Utf8 vector, UTF-8 + offsets buffers, one joined string,
 *   a plain string array) on 1M rows: the main thread's cost, which is what limits the pool;
 * - minhash: MinHash LSH (defaults: word 5-grams, 0.8, 20 bands x 7 rows) on 1M short documents, 10% planted
 *   near-copies, with 1 thread (all on the main thread) and with N worker threads: documents/s and peak RSS;
 * - decontaminate: 1M rows against a 10,000-row benchmark (13-grams), 1% planted copies of a benchmark passage and
 *   1% 12-word near-misses, 1 thread and N: rows/s and peak RSS.
 *
 * Each part runs in a process of its own, so each peak RSS (the process's high-water mark, worker threads
 * included, and the generated input: 1M strings) is its own. Inputs are generated from fixed seeds; the
 * minhash and decontaminate parts drive the library exactly as the `dedup` and `decontaminate` commands do
 * (batches of 512 texts, 2 x threads batches in flight through a BatchRunner, applied in input order), without
 * the JSONL reading and writing. The parent checks that the decisions are identical for 1 and N threads.
 *
 *   node tools/bench/dedup.ts [--rows 1000000] [--threads N (default: available cores)] [--novelty-items 20000] [--skip-novelty]
 */
import { execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import { fileURLToPath } from "node:url"
import { Worker } from "node:worker_threads"
import { Utf8, vectorFromArray } from "apache-arrow"
import { rngFor, type Rng } from "#core"
import { BatchRunner, benchmarkIndex, defaultThreads, MinHashDeduper, signatureBatch, type MatchBatch, type SignatureBatch } from "#dedup"

const args = process.argv.slice(2)
const option = (name: string): string | undefined => {
  const at = args.indexOf(name)
  return at < 0 ? undefined : args[at + 1]
}
const ROWS = Number(option("--rows") ?? 1_000_000)
const THREADS = Number(option("--threads") ?? defaultThreads())
const NOVELTY_ITEMS = Number(option("--novelty-items") ?? 20_000)
const BATCH = 512

const fmt = (x: number, digits = 0) => x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
const maxRssMb = () => process.resourceUsage().maxRSS / 1024

// ---- inputs ---------------------------------------------------------------------------------------------

const vocabulary = (rng: Rng, size: number): Array<string> => {
  const syllables = ["ka", "lo", "mi", "ren", "tas", "vo", "dri", "pel", "sun", "gar", "bel", "nor", "fi", "quo", "zan", "tor", "ami", "lek", "su", "pa"]
  const out = new Set<string>()
  while (out.size < size) out.add(Array.from({ length: rng.int(1, 4) }, () => rng.pick(syllables)).join(""))
  return [...out]
}

/** Word i of a Zipf-like draw: small indices far more often, as in text. */
const zipf = (rng: Rng, words: ReadonlyArray<string>) => words[Math.floor(words.length ** rng.next()) - 1]!

/**
 * `count` documents of 10-40 words; 10% are near-copies of an earlier one: half differ in case and punctuation
 * only (Jaccard 1), half have one word changed (Jaccard 0.6-0.9 on word 5-grams, so some are removed).
 */
const shortDocuments = (count: number, seed: number): Array<string> => {
  const rng = rngFor(seed, "bench-dedup", "documents")
  const words = vocabulary(rng.fork("words"), 20_000)
  const out: Array<string> = new Array(count)
  for (let i = 0; i < count; i++) {
    if (i > 0 && rng.chance(0.1)) {
      const copy = out[rng.int(0, i - 1)]!.split(" ")
      if (rng.chance(0.5)) copy[rng.int(0, copy.length - 1)] = zipf(rng, words)
      else copy[0] = copy[0]!.toUpperCase() + ","
      out[i] = copy.join(" ")
    } else {
      out[i] = Array.from({ length: rng.int(10, 40) }, () => zipf(rng, words)).join(" ") + "."
    }
  }
  return out
}

/** 10,000 benchmark rows of 30-80 words, and `count` rows of which 1% hold a 15-word passage of one and 1% a 12-word one. */
const decontaminationInputs = (count: number, seed: number): { benchmark: Array<string>; rows: Array<string> } => {
  const rng = rngFor(seed, "bench-dedup", "decontaminate")
  const words = vocabulary(rng.fork("words"), 20_000)
  const sentence = (n: number) => Array.from({ length: n }, () => zipf(rng, words)).join(" ")
  const benchmark = Array.from({ length: 10_000 }, () => sentence(rng.int(30, 80)) + "?")
  const passage = (n: number) => {
    const source = rng.pick(benchmark).replace(/\?$/, "").split(" ")
    const at = rng.int(0, source.length - n)
    return source.slice(at, at + n).join(" ")
  }
  const rows = Array.from({ length: count }, () => {
    const r = rng.next()
    const base = sentence(rng.int(10, 40))
    return r < 0.01 ? `${base}, ${passage(15)}.` : r < 0.02 ? `${base}, ${passage(12)}.` : `${base}.`
  })
  return { benchmark, rows }
}

// ---- the order-preserving driver the commands use (filter-rows.ts): `ahead` batches in flight -------------

const drive = async <P>(texts: ReadonlyArray<string>, ahead: number, prepare: (batch: ReadonlyArray<string>) => Promise<P>, apply: (start: number, batch: ReadonlyArray<string>, p: P) => void) => {
  const inFlight: Array<{ start: number; batch: ReadonlyArray<string>; p: Promise<P> }> = []
  let next = 0
  let applyMs = 0
  const send = () => {
    const batch = texts.slice(next, next + BATCH)
    inFlight.push({ start: next, batch, p: prepare(batch) })
    next += batch.length
  }
  while (next < texts.length || inFlight.length > 0) {
    while (next < texts.length && inFlight.length < ahead) send()
    const head = inFlight.shift()!
    const p = await head.p
    const t0 = performance.now()
    apply(head.start, head.batch, p)
    applyMs += performance.now() - t0
  }
  return applyMs / 1000
}

// ---- parts (each in a child process) ----------------------------------------------------------------------

const minhashPart = async (threads: number) => {
  const texts = shortDocuments(ROWS, 1)
  const words = texts.reduce((n, t) => n + t.split(" ").length, 0)
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  const deduper = new MinHashDeduper<number>()
  const params = deduper.params
  const runner = new BatchRunner<SignatureBatch>({ kind: "signatures", params }, (batch) => signatureBatch(batch, params), threads)
  const digest = createHash("sha256")
  let removed = 0
  const applySeconds = await drive(texts, threads * 2, (batch) => runner.run(batch), (start, batch, signatures) => {
    for (const d of deduper.addBatch(batch.map((_, i) => start + i), signatures)) {
      if (!d.kept) {
        removed++
        digest.update(`${d.key}:${d.matched}:${d.score};`)
      }
    }
  })
  await runner.close()
  const s = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  return { part: "minhash", threads, rows: ROWS, wordsPerRow: words / ROWS, seconds: s, perSecond: ROWS / s, cpuSeconds: (cpu.user + cpu.system) / 1e6, applySeconds, removed, comparisons: deduper.comparisons, maxRssMb: maxRssMb(), digest: digest.digest("hex") }
}

const decontaminatePart = async (threads: number) => {
  const { benchmark, rows } = decontaminationInputs(ROWS, 2)
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  const index = benchmarkIndex(benchmark.map((text, i) => ({ file: "benchmark.jsonl", line: i + 1, text })))
  const indexSeconds = (performance.now() - t0) / 1000
  const runner = new BatchRunner<MatchBatch>({ kind: "match", table: index.buffers, n: index.n }, (batch) => index.matchBatch(batch), threads)
  const digest = createHash("sha256")
  let removed = 0
  const applySeconds = await drive(rows, threads * 2, (batch) => runner.run(batch), (start, batch, found) => {
    for (let i = 0; i < batch.length; i++) {
      if (found.rows[i]! >= 0) {
        removed++
        const c = index.contamination(batch[i]!, found.rows[i]!, found.positions[i]!)
        digest.update(`${start + i}:${c.file}:${c.line}:${c.ngram};`)
      }
    }
  })
  await runner.close()
  const s = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  return { part: "decontaminate", threads, rows: ROWS, cpuSeconds: (cpu.user + cpu.system) / 1e6, applySeconds, benchmarkRows: benchmark.length, benchmarkNgrams: index.size, indexSeconds, seconds: s, perSecond: ROWS / s, removed, maxRssMb: maxRssMb(), digest: digest.digest("hex") }
}

/** The main thread's cost of handing 1M texts to a worker four ways, and the worker's cost of reading them back. */
const transportPart = async () => {
  const texts = shortDocuments(ROWS, 1)
  const worker = new Worker(
    `const { parentPort } = require("node:worker_threads")
    const dec = new TextDecoder()
    parentPort.on("message", (m) => {
      const t0 = performance.now(); let n = 0
      if (m.kind === "arrow" || m.kind === "utf8") for (let i = 0; i + 1 < m.offsets.length; i++) n += dec.decode(m.data.subarray(m.offsets[i], m.offsets[i + 1])).length
      else if (m.kind === "string") for (let i = 0; i + 1 < m.offsets.length; i++) n += m.text.slice(m.offsets[i], m.offsets[i + 1]).length
      else for (const t of m.texts) n += t.length
      parentPort.postMessage({ n, ms: performance.now() - t0 })
    })`,
    { eval: true }
  )
  const encoder = new TextEncoder()
  const utf16Offsets = (b: ReadonlyArray<string>) => {
    const offsets = new Int32Array(b.length + 1)
    for (let i = 0; i < b.length; i++) offsets[i + 1] = offsets[i]! + b[i]!.length
    return offsets
  }
  const ways: Record<string, (b: ReadonlyArray<string>) => [unknown, Array<ArrayBuffer>]> = {
    "Arrow Utf8 vector (offsets + data transferred)": (b) => {
      const data = vectorFromArray(b as Array<string>, new Utf8()).data[0]!
      const offsets = data.valueOffsets.slice()
      const values = data.values.slice()
      return [{ kind: "arrow", offsets, data: values }, [offsets.buffer, values.buffer]]
    },
    "UTF-8 bytes + Int32 offsets (transferred)": (b) => {
      let room = 0
      for (const t of b) room += t.length * 3
      const data = new Uint8Array(room)
      const offsets = new Int32Array(b.length + 1)
      for (let i = 0, at = 0; i < b.length; i++) {
        at += encoder.encodeInto(b[i]!, data.subarray(at)).written
        offsets[i + 1] = at
      }
      return [{ kind: "utf8", offsets, data }, [offsets.buffer, data.buffer]]
    },
    "one joined string + Int32 offsets": (b) => {
      const offsets = utf16Offsets(b)
      return [{ kind: "string", offsets, text: b.join("") }, [offsets.buffer]]
    },
    "string array (structured clone)": (b) => [{ kind: "array", texts: b }, []]
  }
  const roundTrip = (message: unknown, transfer: Array<ArrayBuffer>) =>
    new Promise<{ n: number; ms: number }>((resolve) => {
      worker.once("message", resolve)
      worker.postMessage(message, transfer)
    })
  const results: Array<{ way: string; mainMs: number; workerMs: number; wallMs: number }> = []
  for (const round of [0, 1]) {
    for (const [way, pack] of Object.entries(ways)) {
      let mainMs = 0
      let workerMs = 0
      const t0 = performance.now()
      for (let i = 0; i < texts.length; i += BATCH * 8) {
        const a = performance.now()
        const [message, transfer] = pack(texts.slice(i, i + BATCH * 8))
        const reply = roundTrip(message, transfer)
        mainMs += performance.now() - a
        workerMs += (await reply).ms
      }
      // The first round warms each way up; the second is reported.
      if (round === 1) results.push({ way, mainMs, workerMs, wallMs: performance.now() - t0 })
    }
  }
  await worker.terminate()
  // Start-up: a pool of THREADS workers until the first (one-text) batch is back, three times.
  const startups: Array<number> = []
  const params = new MinHashDeduper<number>().params
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now()
    const runner = new BatchRunner<SignatureBatch>({ kind: "signatures", params }, (b) => signatureBatch(b, params), THREADS, 0)
    await Promise.all(Array.from({ length: THREADS }, () => runner.run(["warm up"])))
    startups.push(performance.now() - t0)
    await runner.close()
  }
  return { part: "transport", rows: ROWS, batch: BATCH * 8, results, startupMs: startups }
}

// ---- the parent: run each part in a process of its own, print side by side --------------------------------

const part = option("--part")
if (part !== undefined) {
  const threads = Number(option("--part-threads") ?? 1)
  const result = part === "minhash" ? await minhashPart(threads) : part === "decontaminate" ? await decontaminatePart(threads) : await transportPart()
  console.log(JSON.stringify(result))
} else {
  const self = fileURLToPath(import.meta.url)
  const child = (script: string, childArgs: ReadonlyArray<string>) => {
    const out = execFileSync(process.execPath, [script, ...childArgs], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 26 })
    const lines = out.trim().split("\n")
    return { text: lines.slice(0, -1).join("\n"), json: JSON.parse(lines[lines.length - 1]!) }
  }
  const started = performance.now()
  let ok = true
  console.log(`dedup benchmarks: ${fmt(ROWS)} rows, ${THREADS} threads beside 1, Node ${process.versions.node}, ${defaultThreads()} cores available`)

  if (!args.includes("--skip-novelty")) {
    console.log(`\nnovelty filter (tools/bench/rouge.ts ${NOVELTY_ITEMS}):`)
    const novelty = child(fileURLToPath(new URL("./rouge.ts", import.meta.url)), [String(NOVELTY_ITEMS)])
    console.log(novelty.text)
    if (!novelty.json.identical) ok = false
  }

  const transport = child(self, ["--part", "transport", "--rows", String(ROWS), "--threads", String(THREADS)]).json
  console.log(`\ntransport: ${fmt(ROWS)} texts to a worker and back, batches of ${fmt(transport.batch)}`)
  for (const r of transport.results) console.log(`  ${r.way.padEnd(48)} main thread ${fmt(r.mainMs).padStart(5)} ms, worker reads ${fmt(r.workerMs).padStart(5)} ms, wall ${fmt(r.wallMs).padStart(5)} ms`)
  console.log(`  pool of ${THREADS} workers, start to first batch back: ${transport.startupMs.map((ms: number) => `${fmt(ms)} ms`).join(", ")}`)

  const sides: Record<string, Array<Record<string, number | string>>> = {}
  for (const name of ["minhash", "decontaminate"]) {
    sides[name] = [1, THREADS].map((t) => child(self, ["--part", name, "--part-threads", String(t), "--rows", String(ROWS)]).json)
  }
  const [m1, mN] = sides["minhash"]! as [Record<string, number | string>, Record<string, number | string>]
  const [d1, dN] = sides["decontaminate"]! as [Record<string, number | string>, Record<string, number | string>]
  const row = (r: Record<string, number | string>, unit: string) =>
    `${String(r["threads"]).padStart(2)} thread${r["threads"] === 1 ? " " : "s"}: ${fmt(r["seconds"] as number, 1).padStart(5)} s, ${fmt(r["perSecond"] as number).padStart(7)} ${unit}/s, peak RSS ${fmt(r["maxRssMb"] as number)} MB, removed ${fmt(r["removed"] as number)}; CPU ${fmt(r["cpuSeconds"] as number, 1)} s (${fmt((r["cpuSeconds"] as number) / (r["seconds"] as number), 2)} cores busy on average), main thread applying results ${fmt(r["applySeconds"] as number, 1)} s`
  console.log(`\nminhash (word 5-grams, 0.8, 20 x 7): ${fmt(ROWS)} documents of ${fmt(m1["wordsPerRow"] as number, 1)} words on average, 10% planted near-copies`)
  console.log(`  ${row(m1, "documents")}\n  ${row(mN, "documents")}`)
  console.log(`  ${THREADS} threads / 1: ${fmt((m1["seconds"] as number) / (mN["seconds"] as number), 2)}x; identical decisions: ${m1["digest"] === mN["digest"]}; peak RSS under 2 GB: ${Math.max(m1["maxRssMb"] as number, mN["maxRssMb"] as number) < 2048}`)
  console.log(`\ndecontaminate (13-grams): ${fmt(ROWS)} rows against ${fmt(d1["benchmarkRows"] as number)} benchmark rows (${fmt(d1["benchmarkNgrams"] as number)} n-grams, indexed in ${fmt(d1["indexSeconds"] as number, 2)} s)`)
  console.log(`  ${row(d1, "rows")}\n  ${row(dN, "rows")}`)
  console.log(`  ${THREADS} threads / 1: ${fmt((d1["seconds"] as number) / (dN["seconds"] as number), 2)}x; identical decisions: ${d1["digest"] === dN["digest"]}`)
  if (m1["digest"] !== mN["digest"] || d1["digest"] !== dN["digest"]) ok = false
  console.log(`\ntotal ${fmt((performance.now() - started) / 1000)} s`)
  console.log(JSON.stringify({ threads: THREADS, rows: ROWS, transport, minhash: sides["minhash"], decontaminate: sides["decontaminate"], ok }))
  if (!ok) process.exitCode = 1
}
