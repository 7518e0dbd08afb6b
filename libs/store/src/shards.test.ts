import { mkdtemp } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DuckDBInstance } from "@duckdb/node-api"
import { describe, expect, it } from "vitest"
import { haveKeyColumns } from "./shards.ts"

describe("haveKeyColumns", () => {
  it("finds key columns only at the top level, as VARCHAR, in every file, rows or none", async () => {
    const dir = await mkdtemp(join(tmpdir(), "autodidact-keys-"))
    const db = await DuckDBInstance.create(":memory:")
    const c = await db.connect()
    const write = async (name: string, select: string) => {
      const path = join(dir, name)
      await c.run(`COPY (${select}) TO '${path}' (FORMAT parquet)`)
      return path
    }
    const keyed = await write("keyed.parquet", `SELECT '{}' AS row, 'a' AS id, 't' AS task_id`)
    const empty = await write("empty.parquet", `SELECT '{}' AS row, 'a' AS id, 't' AS task_id WHERE false`)
    const plain = await write("plain.parquet", `SELECT '{}' AS row`)
    const nested = await write("nested.parquet", `SELECT '{}' AS row, {'id': 'a', 'task_id': 't'} AS s, [{'id': 1}] AS l`)
    const numeric = await write("numeric.parquet", `SELECT '{}' AS row, 1 AS id, 't' AS task_id`)
    const has = (files: ReadonlyArray<string>, keys = ["id", "task_id"]) => haveKeyColumns(c, files, keys)
    expect(await has([keyed, empty])).toBe(true)
    expect(await has([keyed], ["task_id"])).toBe(true)
    expect(await has([keyed, plain])).toBe(false)
    expect(await has([nested])).toBe(false)
    expect(await has([numeric])).toBe(false)
    expect(await has([keyed], ["id", "family_id"])).toBe(false)
    c.closeSync()
    db.closeSync()
  })
})
