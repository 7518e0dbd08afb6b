import { describe, expect, it, afterAll } from "vitest"
import fc from "fast-check"
import { rngFor } from "#core"
import { benchmarkIndex } from "./decontaminate.ts"
import { MinHashDeduper, minhashDedup, signatureBatch, type SignatureBatch } from "./minhash.ts"
import { BatchRunner, DedupWorkerError, stackLocation, WorkerPool } from "./pool.ts"
import type { MatchBatch } from "./ngram-table.ts"

/** Texts of 8-30 words from a 400-word vocabulary; about a third are copies of an earlier text with 0-3 words changed. */
const plantedTexts = (seed: number, count: number): Array<string> => {
  const rng = rngFor(seed, "pool-test", "texts")
  const out: Array<string> = []
  for (let i = 0; i < count; i++) {
    if (out.length > 0 && rng.chance(0.35)) {
      const words = rng.pick(out).split(" ")
      for (let e = rng.int(0, 3); e > 0; e--) words[rng.int(0, words.length - 1)] = `x${rng.int(0, 399)}`
      out.push(words.join(" "))
    } else {
      out.push(Array.from({ length: rng.int(8, 30) }, () => `w${rng.int(0, 399)}`).join(rng.chance(0.5) ? " " : ", "))
    }
  }
  return out
}

/** Cuts `texts` into consecutive batches at the given sizes (cycled). */
const batches = <T>(items: ReadonlyArray<T>, sizes: ReadonlyArray<number>): Array<Array<T>> => {
  const out: Array<Array<T>> = []
  for (let at = 0, k = 0; at < items.length; k++) {
    const size = sizes[k % sizes.length]!
    out.push(items.slice(at, at + size))
    at += size
  }
  return out
}

const runners: Array<BatchRunner<unknown>> = []
afterAll(() => Promise.all(runners.map((r) => r.close())))

describe("MinHash on worker threads", () => {
  // Small LSH (4 bands x 2 rows, word 2-grams) so the planted copies make many candidates and removals.
  const options = { shingle: "word", size: 2, bands: 4, rows: 2, threshold: 0.5 } as const
  const params = new MinHashDeduper<number>(options).params
  const pools = [1, 2, 3].map((threads) => {
    // threshold 0: every batch goes to the workers (threads 1 stays on this thread).
    const r = new BatchRunner<SignatureBatch>({ kind: "signatures", params }, (texts) => signatureBatch(texts, params), threads, 0)
    runners.push(r as BatchRunner<unknown>)
    return r
  })

  it("decides exactly as the one-thread path for 1, 2 and 3 threads and any batch cut, batches sent several at a time", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 400 }), fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 5 }), async (seed, count, sizes) => {
        const texts = plantedTexts(seed, count)
        const expected = [...minhashDedup(texts.map((text, key) => ({ key, text })), options)]
        for (const runner of pools) {
          const deduper = new MinHashDeduper<number>(options)
          const cut = batches(texts.map((text, key) => ({ key, text })), sizes)
          // All batches in flight at once, as the commands send several ahead; applied in input order.
          const signed = await Promise.all(cut.map((b) => runner.run(b.map((item) => item.text))))
          const got = cut.flatMap((b, k) => deduper.addBatch(b.map((item) => item.key), signed[k]!))
          expect(got).toEqual(expected)
        }
      }),
      { numRuns: 12 }
    )
    expect(pools.map((r) => r.started)).toEqual([false, true, true])
  })

  it("the planted set has removals to compare (the property is not vacuous)", () => {
    const decisions = [...minhashDedup(plantedTexts(1, 400).map((text, key) => ({ key, text })), options)]
    expect(decisions.filter((d) => !d.kept).length).toBeGreaterThan(50)
  })
})

describe("decontamination on worker threads", () => {
  const texts = plantedTexts(7, 600)
  // Every 10th text is a benchmark row, so about a third of the texts share an n-gram with one.
  const index = benchmarkIndex(texts.filter((_, i) => i % 10 === 0).map((text, i) => ({ file: i % 2 === 0 ? "a.jsonl" : "b.parquet", line: i + 1, text })), 5)

  it.each([1, 2, 3])("%i threads: the same benchmark row, line and n-gram as index.match, for every text", async (threads) => {
    const runner = new BatchRunner<MatchBatch>({ kind: "match", table: index.buffers, n: index.n }, (t) => index.matchBatch(t), threads, 0)
    runners.push(runner as BatchRunner<unknown>)
    const cut = batches(texts, [1, 64, 13])
    const found = await Promise.all(cut.map((b) => runner.run(b)))
    const got = cut.flatMap((b, k) => b.map((text, i) => (found[k]!.rows[i]! < 0 ? undefined : index.contamination(text, found[k]!.rows[i]!, found[k]!.positions[i]!))))
    const expected = texts.map((text) => index.match(text))
    expect(got).toEqual(expected)
    expect(expected.filter((m) => m !== undefined).length).toBeGreaterThan(100)
  })
})

describe("BatchRunner", () => {
  it("stays on this thread until `threshold` texts were seen, then starts the pool once", async () => {
    const params = new MinHashDeduper<number>().params
    const runner = new BatchRunner<SignatureBatch>({ kind: "signatures", params }, (texts) => signatureBatch(texts, params), 2, 100)
    runners.push(runner as BatchRunner<unknown>)
    await runner.run(plantedTexts(1, 60))
    await runner.run(plantedTexts(2, 60)) // 60 seen before this batch: still here
    expect(runner.started).toBe(false)
    const texts = plantedTexts(3, 60)
    expect(await runner.run(texts)).toEqual(signatureBatch(texts, params))
    expect(runner.started).toBe(true)
  })
})

describe("worker failures", () => {
  const params = new MinHashDeduper<number>().params
  const job = { kind: "signatures", params } as const

  it("a batch that throws in a worker rejects with a DedupWorkerError naming the file and line, and the pool keeps working", async () => {
    const pool = new WorkerPool(job, 2)
    try {
      const error = await pool.run([42 as unknown as string]).then(() => undefined, (e: unknown) => e)
      expect(error).toBeInstanceOf(DedupWorkerError)
      expect((error as DedupWorkerError).message).toMatch(/^dedup worker 1 of 2 failed on a batch: TypeError: .*normalize.* \(at .*\/libs\/dedup\/src\/hashing\.ts:\d+:\d+\)$/)
      expect((error as DedupWorkerError).at).toMatch(/\/libs\/dedup\/src\/hashing\.ts:\d+:\d+$/)
      expect(await pool.run(["a b c d e f"])).toEqual(signatureBatch(["a b c d e f"], params))
    } finally {
      await pool.close()
    }
  })

  it("a worker that exits fails its batch and every later one at once (no hang)", async () => {
    const pool = new WorkerPool(job, 2, new URL("./test-fixtures/exit-worker.ts", import.meta.url))
    try {
      const first = await pool.run(["a"]).then(() => undefined, (e: unknown) => e)
      expect(first).toBeInstanceOf(DedupWorkerError)
      expect((first as DedupWorkerError).message).toBe("dedup worker 1 of 2 exited with code 3 while it still had work")
      await expect(pool.run(["b"])).rejects.toBe(first)
    } finally {
      await pool.close()
    }
  })

  it("an uncaught exception in a worker fails the pool with the error and where it was thrown", async () => {
    const pool = new WorkerPool(job, 1, new URL("./test-fixtures/throw-worker.ts", import.meta.url))
    try {
      const error = (await pool.run(["a"]).then(() => undefined, (e: unknown) => e)) as DedupWorkerError
      expect(error).toBeInstanceOf(DedupWorkerError)
      expect(error.message).toMatch(/^dedup worker 1 of 1 crashed: TypeError: fixture: unexpected batch \(at .*test-fixtures\/throw-worker\.ts:5:\d+\)$/)
    } finally {
      await pool.close()
    }
  })

  it("a worker module that cannot be loaded fails the pool instead of hanging", async () => {
    const pool = new WorkerPool(job, 1, new URL("./test-fixtures/no-such-worker.ts", import.meta.url))
    try {
      const error = (await pool.run(["a"]).then(() => undefined, (e: unknown) => e)) as DedupWorkerError
      expect(error).toBeInstanceOf(DedupWorkerError)
      expect(error.message).toMatch(/^dedup worker 1 of 1 crashed: Error: Cannot find module .*no-such-worker\.ts/)
    } finally {
      await pool.close()
    }
  })

  it("stackLocation takes the innermost frame in a .ts file", () => {
    expect(stackLocation("TypeError: x\n    at f (file:///w/libs/dedup/src/hashing.ts:14:30)\n    at g (file:///w/libs/dedup/src/worker.ts:3:1)")).toBe("/w/libs/dedup/src/hashing.ts:14:30")
    expect(stackLocation("Error: x\n    at node:internal/x:1:2")).toBeUndefined()
  })
})
