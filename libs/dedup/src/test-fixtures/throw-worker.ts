import { parentPort } from "node:worker_threads"

// A worker whose handler throws outside any try: an uncaught exception ends the thread.
parentPort!.on("message", () => {
  throw new TypeError("fixture: unexpected batch")
})
