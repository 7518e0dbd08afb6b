import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { Effect, Layer, Schema, Stream } from "effect"
import { DuckDb } from "#io"
import { runPipeline, type RunResult } from "./engine.ts"
import { Progress } from "./progress.ts"
import { mapStage, streamStage, type Stage } from "./stage.ts"

const layer = Layer.mergeAll(DuckDb.layer(), Progress.silent)
const tempDir = () => mkdtemp(join(tmpdir(), "autodidact-memo-"))

const Item = Schema.Struct({ id: Schema.String, n: Schema.Number })
type Item = typeof Item.Type
const Out = Schema.Struct({ id: Schema.String, n: Schema.Number, draw: Schema.Number })

/**
 * items → drawn: a row-independent map stage in batches of 3 that rejects every row whose n is a multiple
 * of 4, counts the others, and draws from the row's rng; `processed` records each row it computed.
 */
const stages = (items: ReadonlyArray<Item>, processed: Array<string>, options: { readonly readsRows?: boolean } = {}): ReadonlyArray<Stage> => [
  streamStage({ name: "items", version: 1, inputs: [], schema: Item, config: { items }, run: () => Stream.fromIterable(items) }),
  mapStage({
    name: "drawn",
    version: 1,
    inputs: ["items"],
    schema: Out,
    config: { readsRows: options.readsRows ?? false },
    keyColumns: ["id"],
    batchSize: 3,
    rowIndependent: true,
    process: (batch: ReadonlyArray<Item>, ctx) =>
      Effect.sync(() =>
        batch.flatMap((item) => {
          processed.push(item.id)
          if (item.n % 4 === 0) {
            ctx.reject("multiple_of_4", { id: item.id, detail: { n: item.n } })
            return []
          }
          ctx.count("kept")
          ctx.count(`parity/${item.n % 2}`)
          const offset = options.readsRows === true ? ctx.inputRows("items") : 0
          return [{ id: item.id, n: item.n, draw: ctx.rng(item.id).int(0, 1000) + offset }]
        })
      )
  })
]

const items = (count: number): Array<Item> => Array.from({ length: count }, (_, i) => ({ id: `i${i}`, n: i + 1 }))

const run = (dataDir: string, runId: string, s: ReadonlyArray<Stage>) =>
  Effect.runPromise(runPipeline({ pipeline: "memo", stages: s, seed: 3, dataDir, runId }).pipe(Effect.provide(layer)))

const drawn = (r: RunResult) => r.summary.stages.find((s) => s.name === "drawn")!

const partBytes = async (r: RunResult) => {
  const dir = r.outputs.get("drawn")!.dir
  const names = (await readdir(dir)).filter((n) => n.endsWith(".parquet")).sort()
  return Object.fromEntries(await Promise.all(names.map(async (n) => [n, (await readFile(join(dir, n))).toString("base64")] as const)))
}

describe("row-independent map stages reuse their memo", () => {
  it("computes only a new row, with the figures and part bytes of a build from scratch", async () => {
    const dataDir = await tempDir()
    const first: Array<string> = []
    const a = await run(dataDir, "a", stages(items(10), first))
    expect(first).toEqual(items(10).map((i) => i.id))
    expect(drawn(a).rows_reused).toBe(0)

    const second: Array<string> = []
    const b = await run(dataDir, "b", stages(items(11), second))
    expect(second).toEqual(["i10"])
    expect(drawn(b)).toMatchObject({ cache: "miss", rows_in: 11, rows_reused: 10 })

    const scratch: Array<string> = []
    const c = await run(await tempDir(), "c", stages(items(11), scratch))
    expect(scratch).toHaveLength(11)
    const figures = (r: RunResult) => {
      const s = drawn(r)
      return { rows_in: s.rows_in, rows_out: s.rows_out, rejects: s.rejects, counters: s.counters, parts: s.parts }
    }
    // 11 rows, n = 1..11: 4 and 8 rejected; 9 kept, 6 odd and 3 even (2, 6, 10).
    expect(figures(b)).toEqual({ rows_in: 11, rows_out: 9, rejects: { multiple_of_4: 2 }, counters: { kept: 9, "parity/0": 3, "parity/1": 6 }, parts: 4 })
    expect(figures(b)).toEqual(figures(c))
    expect(await partBytes(b)).toEqual(await partBytes(c))
  })

  it("recomputes a changed row and reuses the rest", async () => {
    const dataDir = await tempDir()
    await run(dataDir, "a", stages(items(10), []))
    const changed = items(10).map((i) => (i.id === "i3" ? { ...i, n: 41 } : i))
    const processed: Array<string> = []
    const b = await run(dataDir, "b", stages(changed, processed))
    expect(processed).toEqual(["i3"])
    // i3 had n = 4 (rejected); with n = 41 it is kept.
    expect(drawn(b)).toMatchObject({ rows_reused: 9, rows_out: 9, rejects: { multiple_of_4: 1 } })
    const scratch = await run(await tempDir(), "c", stages(changed, []))
    expect(await partBytes(b)).toEqual(await partBytes(scratch))
  })

  it("recomputes every row that read an input's row count once that count changes", async () => {
    const dataDir = await tempDir()
    await run(dataDir, "a", stages(items(6), [], { readsRows: true }))
    const processed: Array<string> = []
    const b = await run(dataDir, "b", stages(items(7), processed, { readsRows: true }))
    // i3 (n = 4) is rejected before the count is read: its outcome did not depend on it and is reused.
    expect(processed).toEqual(["i0", "i1", "i2", "i4", "i5", "i6"])
    expect(drawn(b).rows_reused).toBe(1)
    const scratch = await run(await tempDir(), "c", stages(items(7), [], { readsRows: true }))
    expect(await partBytes(b)).toEqual(await partBytes(scratch))
  })

  it("resumes a stage part by part, never reads a torn memo file, and writes the same bytes", async () => {
    const dataDir = await tempDir()
    const a = await run(dataDir, "a", stages(items(10), []))
    const before = await partBytes(a)
    // A kill before the stage finished: no manifest, the last part unfinished; and a memo write cut short.
    const dir = a.outputs.get("drawn")!.dir
    await rm(join(dir, "manifest.json"))
    await rm(join(dir, "part-00003.json"))
    await rm(join(dataDir, "cache", "stages"), { recursive: true })
    const memo = join(dataDir, "cache", "memo")
    const [memoDir] = (await readdir(memo)).filter((n) => n.startsWith("drawn-"))
    await writeFile(join(memo, memoDir!, "torn.parquet.tmp"), "PAR1 not a whole file")
    const processed: Array<string> = []
    const resumed = await run(dataDir, "a", stages(items(10), processed))
    // Parts 0-2 were finished; part 3's row comes from the memo.
    expect(processed).toEqual([])
    expect(drawn(resumed)).toMatchObject({ cache: "resumed", parts_reused: 3, rows_in: 10, rows_reused: 10 })
    expect(await partBytes(resumed)).toEqual(before)
  })

  it("counts a whole-stage cache hit as every row reused", async () => {
    const dataDir = await tempDir()
    await run(dataDir, "a", stages(items(5), []))
    const again = await run(dataDir, "b", stages(items(5), []))
    expect(drawn(again)).toMatchObject({ cache: "hit", rows_in: 5, rows_reused: 5 })
  })
})
