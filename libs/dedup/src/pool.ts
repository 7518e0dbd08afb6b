import { availableParallelism } from "node:os"
import { Worker } from "node:worker_threads"
import { Effect, Schema, type Scope } from "effect"
import type { NgramTableBuffers } from "./ngram-table.ts"
import type { SignatureParams } from "./shingles.ts"

/*
 * A pool of dedup worker threads (worker.ts) for the per-item, order-free half of MinHash (shingle sets and
 * band keys) and of decontamination (n-gram hashes looked up in the shared benchmark table). The sequential
 * half stays on the calling thread, which applies batches in input order, so decisions do not depend on
 * the number of workers or on which one answers first.
 *
 * Texts go to a worker as an array of strings (structured clone), results come back as flat typed arrays
 * whose buffers are transferred. Measured on 1M rows of 10-40 words in batches of 4,096 (tools/bench/dedup.ts,
 * "transport"), the main thread's cost: string array 0.26 s, one joined string + offsets 0.42 s, UTF-8 bytes +
 * offsets (transferred) 0.52 s, an Arrow Utf8 vector's offsets + data (transferred) 3.3 s. Building any packed
 * buffer is a pass over every string in JavaScript (Arrow's builder a slow one), while V8 clones a string array
 * with one native copy per string; and the main thread, which also parses, decides and writes every row, is
 * the one that limits the pool.
 */

/** What every worker of a pool does with each batch: fixed when the pool starts. */
export type WorkerJob =
  | { readonly kind: "signatures"; readonly params: SignatureParams }
  | { readonly kind: "match"; readonly table: NgramTableBuffers; readonly n: number }

export interface WorkerRequest {
  readonly id: number
  readonly texts: ReadonlyArray<string>
}

export type WorkerReply =
  | { readonly id: number; readonly result: unknown }
  | { readonly id: number; readonly error: { readonly name: string; readonly message: string; readonly stack: string } }

/** A dedup worker failed: a batch threw (the error and where), or a worker crashed or exited. Exit code 1. */
export class DedupWorkerError extends Schema.TaggedError<DedupWorkerError>()("DedupWorkerError", {
  message: Schema.String,
  /** file:line:column of the innermost frame of the error's stack in a file of ours, when there is one. */
  at: Schema.optional(Schema.String)
}) {}

/** The innermost stack frame in a .ts file (ours; Node's own frames are node:...), as path:line:column. */
export const stackLocation = (stack: string): string | undefined => {
  const frame = /((?:file:\/\/)?\/[^\s():]+\.ts):(\d+):(\d+)/.exec(stack)
  return frame === null ? undefined : `${frame[1]!.replace(/^file:\/\//, "")}:${frame[2]}:${frame[3]}`
}

const workerError = (what: string, error: { readonly name?: string; readonly message: string; readonly stack?: string | undefined }): DedupWorkerError => {
  const at = stackLocation(error.stack ?? "")
  return new DedupWorkerError({ message: `${what}: ${error.name ?? "Error"}: ${error.message}${at === undefined ? "" : ` (at ${at})`}`, ...(at === undefined ? {} : { at }) })
}

/** The default worker count: the cores Node may use. */
export const defaultThreads = (): number => availableParallelism()

const WORKER_URL = new URL("./worker.ts", import.meta.url)

interface Pending {
  readonly resolve: (value: unknown) => void
  readonly reject: (error: DedupWorkerError) => void
  readonly worker: number
}

export class WorkerPool {
  private readonly workers: Array<Worker>
  private readonly inFlight: Array<number>
  private readonly pending = new Map<number, Pending>()
  private nextId = 0
  private failure: DedupWorkerError | undefined
  private closing = false
  readonly threads: number

  /** Starts `threads` workers for `job`; `url` is the worker module (tests start failing ones). */
  constructor(job: WorkerJob, threads: number, url: URL = WORKER_URL) {
    this.threads = threads
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`a worker pool needs a whole number of threads of at least 1, got ${threads}`)
    this.inFlight = new Array<number>(threads).fill(0)
    this.workers = Array.from({ length: threads }, (_, i) => {
      const worker = new Worker(url, { workerData: job })
      worker.on("message", (reply: WorkerReply) => this.settle(i, reply))
      worker.on("error", (error) => this.fail(workerError(`dedup worker ${i + 1} of ${threads} crashed`, error)))
      worker.on("messageerror", (error) => this.fail(workerError(`dedup worker ${i + 1} of ${threads} sent a message that could not be read`, error)))
      worker.on("exit", (code) => {
        if (!this.closing) this.fail(new DedupWorkerError({ message: `dedup worker ${i + 1} of ${threads} exited with code ${code} while it still had work` }))
      })
      return worker
    })
  }

  /**
   * The worker's answer for one batch; rejects with a DedupWorkerError when the batch threw, or when any
   * worker of the pool has crashed or exited (then every batch waiting rejects at once, and so do later ones).
   */
  run<R>(texts: ReadonlyArray<string>): Promise<R> {
    if (this.failure !== undefined) return Promise.reject(this.failure)
    if (this.closing) return Promise.reject(new DedupWorkerError({ message: "the dedup worker pool is closed" }))
    let worker = 0
    for (let i = 1; i < this.workers.length; i++) if (this.inFlight[i]! < this.inFlight[worker]!) worker = i
    const id = this.nextId++
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, worker })
      this.inFlight[worker]!++
      this.workers[worker]!.postMessage({ id, texts } satisfies WorkerRequest)
    })
  }

  /** Stops every worker (waiting batches reject). */
  async close(): Promise<void> {
    this.closing = true
    for (const p of this.pending.values()) p.reject(new DedupWorkerError({ message: "the dedup worker pool was closed with batches in flight" }))
    this.pending.clear()
    await Promise.all(this.workers.map((w) => w.terminate()))
  }

  private settle(worker: number, reply: WorkerReply): void {
    const p = this.pending.get(reply.id)
    if (p === undefined) return
    this.pending.delete(reply.id)
    this.inFlight[worker]!--
    if ("error" in reply) p.reject(workerError(`dedup worker ${worker + 1} of ${this.threads} failed on a batch`, reply.error))
    else p.resolve(reply.result)
  }

  private fail(error: DedupWorkerError): void {
    if (this.failure !== undefined) return
    this.failure = error
    for (const p of this.pending.values()) p.reject(error)
    this.pending.clear()
    // The others would idle forever: a pool that lost a worker is done.
    this.closing = true
    for (const w of this.workers) void w.terminate()
  }
}

/**
 * Runs batches here until `threshold` texts have been seen, then on a pool of `threads` workers started at that
 * moment (once): small inputs never pay the workers' start-up, large ones get every core. `local` and the
 * workers compute the same function, so which ran a batch never shows in the result. `threads` 1: no workers.
 */
export class BatchRunner<R> {
  private seen = 0
  private pool: WorkerPool | undefined
  private readonly job: WorkerJob
  private readonly local: (texts: ReadonlyArray<string>) => R
  private readonly url: URL | undefined
  readonly threads: number
  readonly threshold: number

  constructor(job: WorkerJob, local: (texts: ReadonlyArray<string>) => R, threads: number, threshold: number = PARALLEL_THRESHOLD, url?: URL) {
    this.job = job
    this.local = local
    this.threads = threads
    this.threshold = threshold
    this.url = url
  }

  /** Whether a pool was started (for reports and tests). */
  get started(): boolean {
    return this.pool !== undefined
  }

  run(texts: ReadonlyArray<string>): Promise<R> {
    const before = this.seen
    this.seen += texts.length
    if (this.threads <= 1 || before < this.threshold) {
      try {
        return Promise.resolve(this.local(texts))
      } catch (e) {
        return Promise.reject(e)
      }
    }
    this.pool ??= new WorkerPool(this.job, this.threads, this.url)
    return this.pool.run<R>(texts)
  }

  close(): Promise<void> {
    return this.pool === undefined ? Promise.resolve() : this.pool.close()
  }
}

/**
 * Rows before a pool starts. Starting two workers and getting a first batch back takes 0.1-0.27 s here (each
 * loads worker.ts and its three imports as TypeScript); one thread checks 20,000 rows for decontamination in
 * about 0.17 s and signs them for MinHash in about 0.8 s, so below this the pool cannot pay for itself.
 */
export const PARALLEL_THRESHOLD = 20_000

/** A BatchRunner closed when the scope closes (success, failure or interruption). */
export const batchRunner = <R>(
  job: WorkerJob,
  local: (texts: ReadonlyArray<string>) => R,
  threads: number,
  threshold?: number
): Effect.Effect<BatchRunner<R>, never, Scope.Scope> =>
  Effect.acquireRelease(Effect.sync(() => new BatchRunner(job, local, threads, threshold)), (r) => Effect.promise(() => r.close()))
