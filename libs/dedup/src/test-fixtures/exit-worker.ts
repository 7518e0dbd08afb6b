import { parentPort } from "node:worker_threads"

// A worker that dies on its first batch, as a worker killed by the system would: the pool must fail, not hang.
parentPort!.on("message", () => process.exit(3))
