import { parentPort, workerData } from "node:worker_threads"
import { matchBatch, NgramTable } from "./ngram-table.ts"
import { signatureBatch } from "./shingles.ts"
import type { WorkerJob, WorkerReply, WorkerRequest } from "./pool.ts"

/*
 * A dedup worker thread: the per-item, order-free half of a method, on batches of texts the pool sends. It
 * imports only hashing.ts and the two modules above (type imports are erased), so it starts in tens of ms.
 * The job is fixed for the worker's life (`workerData`); each message is one batch, answered with flat typed
 * arrays moved (transferred), not copied.
 */

const job = workerData as WorkerJob
const run: (texts: ReadonlyArray<string>) => { readonly result: unknown; readonly transfer: Array<ArrayBuffer> } = job.kind === "signatures"
  ? (texts) => {
    const r = signatureBatch(texts, job.params)
    return { result: r, transfer: [r.sets.buffer, r.offsets.buffer, r.bandKeys.buffer] as Array<ArrayBuffer> }
  }
  : (() => {
    const table = new NgramTable(job.table)
    return (texts) => {
      const r = matchBatch(texts, table, job.n)
      return { result: r, transfer: [r.rows.buffer, r.positions.buffer] as Array<ArrayBuffer> }
    }
  })()

parentPort!.on("message", (request: WorkerRequest) => {
  let reply: WorkerReply
  let transfer: Array<ArrayBuffer> = []
  try {
    const done = run(request.texts)
    reply = { id: request.id, result: done.result }
    transfer = done.transfer
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e))
    reply = { id: request.id, error: { name: error.name, message: error.message, stack: error.stack ?? "" } }
  }
  parentPort!.postMessage(reply, transfer)
})
