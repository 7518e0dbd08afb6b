import { mkdtemp } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DuckDBInstance } from "@duckdb/node-api"
import { describe, expect, it } from "vitest"
import { haveKeyColumns, shardCount, shardRanges } from "./shards.ts"

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

describe("shardCount and shardRanges", () => {
  it.each([
    // rows, shardRows, divisible, shards
    [0, 20_480, false, 1],
    [5_000, 20_480, false, 1],
    [50_000, 20_480, false, 3],
    [0, 20_480, true, 1],
    [3, 20_480, true, 1],
    [4, 20_480, true, 4],
    [141, 20_480, true, 4],
    [7_999, 20_480, true, 4],
    [8_000, 20_480, true, 8],
    [50_000, 20_480, true, 8],
    [1_000_000, 20_480, true, 56],
    [5_000, 1_000, true, 8],
    [3_000, 500, true, 8]
  ])("%i rows, %i a shard, divisible %s: %i shards", (rows, shardRows, divisible, shards) => {
    expect(shardCount(rows, shardRows, divisible)).toBe(shards)
  })

  it("spreads rows evenly over divisible shards (at most one row apart) and fills fixed ones in order", () => {
    expect(shardRanges(141, 20_480, true)).toEqual([[0, 35], [35, 70], [70, 105], [105, 141]])
    expect(shardRanges(50, 20, false)).toEqual([[0, 20], [20, 40], [40, 50]])
    const sizes = shardRanges(1_000_003, 20_480, true).map(([lo, hi]) => hi - lo)
    expect(sizes.length).toBe(56)
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(1_000_003)
  })
})
