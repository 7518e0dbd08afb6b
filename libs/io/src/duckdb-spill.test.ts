import { existsSync, mkdirSync, readdirSync } from "node:fs"
import { mkdtemp } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { DuckDb, defaultMemoryLimit, spillFolder } from "./duckdb.ts"

const GiB = 1024 ** 3

describe("DuckDB's memory limit and spill folder", () => {
  it("defaults the memory limit to a tenth of the machine's memory, at least 1 GiB", () => {
    expect(defaultMemoryLimit(24 * GiB)).toBe("2457MiB")
    expect(defaultMemoryLimit(64 * GiB)).toBe("6553MiB")
    expect(defaultMemoryLimit(4 * GiB)).toBe("1024MiB")
  })

  it("spills a table larger than the limit into a folder of its own under tempDirectory, removed when the instance closes", async () => {
    const parent = await mkdtemp(join(tmpdir(), "autodidact-spill-"))
    const seen = await Effect.runPromise(
      Effect.gen(function* () {
        const db = yield* DuckDb
        const setting = (yield* db.all("SELECT current_setting('temp_directory') AS t, current_setting('memory_limit') AS m"))[0]!
        // ~300 MB of rows in an in-memory table, against a 64 MB limit.
        yield* db.run("CREATE TABLE big AS SELECT i, repeat(md5(i::VARCHAR), 4) AS s FROM range(2000000) r(i)")
        const n = (yield* db.all("SELECT count(*) AS n FROM big"))[0]!["n"]
        return { setting, n, folders: readdirSync(parent), files: readdirSync(String(setting["t"])).length }
      }).pipe(Effect.provide(DuckDb.layer({ memoryLimit: "64MB", tempDirectory: parent })), Effect.scoped)
    )
    expect(String(seen.setting["t"])).toMatch(new RegExp(`^${parent}/duckdb-${process.pid}-[0-9a-f]{8}$`))
    expect(seen.setting["m"]).toBe("61.0 MiB")
    expect(Number(seen.n)).toBe(2_000_000)
    expect(seen.folders).toHaveLength(1)
    expect(seen.files).toBeGreaterThan(0)
    expect(readdirSync(parent)).toEqual([])
  })

  it("removes the spill folders of processes that no longer run, and only those", async () => {
    const parent = await mkdtemp(join(tmpdir(), "autodidact-spill-"))
    // Linux process ids stay below 2^22, so 999999999 never runs.
    for (const name of ["duckdb-999999999-0a1b2c3d", `duckdb-${process.pid}-0a1b2c3d`, "duckdb-notes", "other"]) mkdirSync(join(parent, name))
    const mine = spillFolder(parent)
    expect(mine).toMatch(new RegExp(`/duckdb-${process.pid}-[0-9a-f]{8}$`))
    expect(existsSync(mine)).toBe(false)
    expect(readdirSync(parent).sort()).toEqual([`duckdb-${process.pid}-0a1b2c3d`, "duckdb-notes", "other"])
  })
})
