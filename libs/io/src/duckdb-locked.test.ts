import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { DuckDb, explainedStatement, prepareReadOnly, ReadOnlyRefusal } from "./duckdb.ts"

const run = <A, E>(effect: Effect.Effect<A, E, DuckDb>) => Effect.runPromise(effect.pipe(Effect.provide(DuckDb.layer()), Effect.scoped) as Effect.Effect<A, E>)

describe("DuckDb.useLocked", () => {
  it("reads only the given files, refuses non-queries by statement, and leaves the shared instance as it was", async () => {
    const dir = mkdtempSync(join(tmpdir(), "autodidact-locked-"))
    const csv = join(dir, "a.csv")
    writeFileSync(csv, "x\n1\n2\n")
    writeFileSync(join(dir, "b.csv"), "x\n3\n")
    const outcome = await run(
      Effect.gen(function* () {
        const db = yield* DuckDb
        const locked = yield* db.useLocked("test", { readablePaths: [csv], setup: async (c) => void (await c.run(`CREATE TEMP VIEW a AS SELECT * FROM read_csv('${csv}')`)) }, async (c) => {
          const attempt = async (sql: string) => {
            try {
              const [p] = await prepareReadOnly(c, sql)
              return String((await p!.runAndReadAll()).getRowsJson())
            } catch (e) {
              return e instanceof ReadOnlyRefusal ? `refused ${e.statement} ${e.kind}` : `error ${String(e)}`
            }
          }
          return {
            sum: await attempt("SELECT sum(x) FROM a"),
            other: await attempt(`SELECT * FROM read_csv('${join(dir, "b.csv")}')`),
            copy: await attempt(`SELECT 1; COPY a TO '${join(dir, "c.csv")}'`),
            set: await attempt("SET enable_external_access = true")
          }
        })
        // The process's own DuckDB can still write files.
        yield* db.run(`COPY (SELECT 1 AS x) TO '${join(dir, "d.csv")}'`)
        return locked
      })
    )
    expect(outcome).toEqual({ sum: "3", other: "refused 1 SELECT", copy: "refused 2 COPY", set: "refused 1 SET" })
    expect(existsSync(join(dir, "c.csv"))).toBe(false)
    expect(existsSync(join(dir, "d.csv"))).toBe(true)
  })

  it("keeps files under ./.tmp closed too: DuckDB's default temp directory, which it would otherwise open to reads and writes", async () => {
    // CI runs with TMPDIR=./.tmp, so a dataset under it is an everyday case, not a corner.
    const dir = join(process.cwd(), ".tmp", `locked-test-${process.pid}`)
    mkdirSync(dir, { recursive: true })
    try {
      writeFileSync(join(dir, "secret.csv"), "x\n42\n")
      const outcome = await run(
        Effect.gen(function* () {
          const db = yield* DuckDb
          return yield* db.useLocked("test", { readablePaths: [] }, async (c) => {
            try {
              const [p] = await prepareReadOnly(c, `SELECT * FROM read_csv('${join(dir, "secret.csv")}')`)
              return String((await p!.runAndReadAll()).getRowsJson())
            } catch (e) {
              return e instanceof ReadOnlyRefusal ? `refused ${e.statement} ${e.kind}` : `error ${String(e)}`
            }
          })
        })
      )
      expect(outcome).toBe("refused 1 SELECT")
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe("EXPLAIN in a locked session (review of issue #9: EXPLAIN ANALYZE runs what it explains)", () => {
  it("refuses EXPLAIN ANALYZE of a COPY, also to a file it may read, and leaves the file as it was", async () => {
    const dir = mkdtempSync(join(tmpdir(), "autodidact-explain-"))
    const shard = join(dir, "shard.csv")
    writeFileSync(shard, "x\n1\n")
    const attempts = [
      `EXPLAIN ANALYZE COPY (SELECT 1 AS a) TO '${shard}' (FORMAT csv, USE_TMP_FILE false)`,
      `EXPLAIN (ANALYZE) COPY (SELECT 1 AS a) TO '${shard}' (FORMAT csv, USE_TMP_FILE false)`,
      `explain /* a /* nested */ comment */ analyse -- a comment\n COPY (SELECT 1 AS a) TO '${join(dir, "new.csv")}'`,
      `EXPLAIN ANALYZE COPY (SELECT 1 AS a) TO '${join(dir, "sub", "new.csv")}'`,
      "SELECT 1; EXPLAIN SELECT 2"
    ]
    const outcome = await run(
      Effect.gen(function* () {
        const db = yield* DuckDb
        return yield* db.useLocked("test", { readablePaths: [shard], readableDirectories: [`${dir}/`] }, async (c) => {
          const attempt = async (sql: string) => {
            try {
              const ps = await prepareReadOnly(c, sql)
              const out = String((await ps.at(-1)!.runAndReadAll()).getRowsJson()[0]?.[0])
              for (const p of ps) p.destroySync()
              return out
            } catch (e) {
              return e instanceof ReadOnlyRefusal ? `refused ${e.statement} ${e.kind}` : `error ${String(e)}`
            }
          }
          return {
            refused: await Promise.all(attempts.map(attempt)).then((xs) => xs),
            analyze: await attempt(`EXPLAIN ANALYZE SELECT count(*) FROM read_csv('${shard}')`),
            plain: await attempt("EXPLAIN (FORMAT json) SELECT 42")
          }
        })
      })
    )
    expect(outcome.refused).toEqual(["refused 1 EXPLAIN COPY", "refused 1 EXPLAIN COPY", "refused 1 EXPLAIN COPY", "refused 1 EXPLAIN COPY", "refused 2 EXPLAIN"])
    expect(outcome.analyze).toBe("analyzed_plan")
    expect(outcome.plain).toBe("physical_plan")
    expect(readFileSync(shard, "utf8")).toBe("x\n1\n")
    expect(existsSync(join(dir, "new.csv"))).toBe(false)
  })

  it("finds the explained statement after EXPLAIN's words, options and comments", () => {
    expect(explainedStatement("EXPLAIN ANALYZE SELECT 1")).toBe("SELECT 1")
    expect(explainedStatement(" explain (analyze, format json) /* c /* d */ */ FROM t")).toBe("FROM t")
    expect(explainedStatement("EXPLAIN (SELECT 1)")).toBe("(SELECT 1)")
    expect(explainedStatement("EXPLAIN ANALYZE")).toBeUndefined()
    expect(explainedStatement("SELECT 1")).toBeUndefined()
  })
})

describe("DuckDb.stream, a query that fails part-way (review of issue #9)", () => {
  it("fails with DuckDB's error rather than ending as if the result were whole", async () => {
    const sql = "SELECT CASE WHEN range < 300000 THEN range ELSE error('boom at ' || range) END AS v FROM range(1000000)"
    const outcome = await run(
      Effect.gen(function* () {
        const db = yield* DuckDb
        let rows = 0
        const failed = yield* Stream.runForEach(db.stream(sql), () => Effect.sync(() => void rows++)).pipe(Effect.flip)
        const whole = yield* Stream.runCollect(db.stream("SELECT range AS v FROM range(100000)"))
        return { rows, failed, whole: Array.from(whole).length }
      })
    )
    expect(outcome.failed._tag).toBe("DuckDbError")
    expect(outcome.failed.message).toContain("boom at")
    expect(outcome.rows).toBeLessThan(1_000_000)
    expect(outcome.whole).toBe(100_000)
  })
})
