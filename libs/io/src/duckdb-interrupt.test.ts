import { Effect, Fiber, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { DuckDb } from "./duckdb.ts"

// Queries far longer than the test: ending quickly means they were stopped, not waited for.
const rows = "SELECT i, md5(i::VARCHAR) AS h FROM range(100000000) t(i)"
const count = "SELECT count(*) AS n FROM range(100000000) t(i) WHERE md5(i::VARCHAR) LIKE 'a%'"

describe("DuckDb, interrupted", () => {
  // Ctrl-C during a build interrupts every fiber at once; the connections (and then the instance) are
  // closed right after. Closing one while its query or fetch still ran on DuckDB's threads crashed the
  // process with SIGSEGV, seen here as the test worker dying. Interruptions land at varied moments.
  it("stops running queries and streams, then closes without crashing the process", async () => {
    const started = Date.now()
    for (let round = 0; round < 24; round++) {
      const answer = await Effect.runPromise(
        Effect.gen(function* () {
          const db = yield* DuckDb
          const fibers = [
            ...[1, 2, 3].map(() => Stream.runDrain(db.stream(rows))),
            db.all(count).pipe(Effect.asVoid),
            db.use("write", (c) => c.run(`COPY (${rows}) TO '/dev/null' (FORMAT csv)`)).pipe(Effect.asVoid)
          ]
          const running = yield* Effect.forEach(fibers, (f) => Effect.forkChild(f))
          yield* Effect.sleep(`${10 + round * 8} millis`)
          yield* Effect.forEach(running, Fiber.interrupt, { discard: true })
          return yield* db.all("SELECT 42 AS answer")
        }).pipe(Effect.provide(DuckDb.layer()))
      )
      expect(answer).toEqual([{ answer: 42 }])
    }
    expect(Date.now() - started).toBeLessThan(60_000)
  }, 120_000)
})
