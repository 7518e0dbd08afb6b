import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { DuckDb, prepareReadOnly, ReadOnlyRefusal } from "./duckdb.ts"

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
