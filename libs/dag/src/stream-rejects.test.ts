import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { Effect, Layer, Schema, Stream } from "effect"
import { DuckDb } from "#io"
import { runPipeline } from "./engine.ts"
import { Progress } from "./progress.ts"
import { MAX_PART_REJECTS, NO_ROW, streamStage } from "./stage.ts"

const layer = Layer.mergeAll(DuckDb.layer(), Progress.silent)

describe("a stream stage that rejects many records", () => {
  it(`cuts a part every ${MAX_PART_REJECTS} rejects (NO_ROW), so rejects are written as they come rather than held to the end`, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "autodidact-rejects-"))
    try {
      const total = 2 * MAX_PART_REJECTS + 500
      const stage = streamStage({
        name: "src",
        version: 1,
        inputs: [],
        schema: Schema.Number,
        config: {},
        partRows: 100,
        run: (ctx) =>
          Stream.range(0, total - 1).pipe(
            Stream.rechunk(1),
            Stream.map((i) => {
              if (i === 0) return 0
              ctx.reject("bad", { id: String(i) })
              return NO_ROW
            })
          )
      })
      const r = await Effect.runPromise(runPipeline({ pipeline: "p", stages: [stage], seed: 0, dataDir, runId: "r" }).pipe(Effect.provide(layer)))
      const figures = r.summary.stages[0]!
      expect(figures.rows_out).toBe(1)
      expect(figures.rejects).toEqual({ bad: total - 1 })
      const manifest = JSON.parse(await readFile(join(dataDir, "runs", "r", "src", "manifest.json"), "utf8"))
      expect(manifest.parts.map((p: { rows: number }) => p.rows)).toEqual([1, 0, 0])
      const parts = await Promise.all([0, 1, 2].map(async (i) => JSON.parse(await readFile(join(dataDir, "runs", "r", "src", `part-0000${i}.json`), "utf8"))))
      expect(parts.map((p) => p.rejects.bad)).toEqual([MAX_PART_REJECTS, MAX_PART_REJECTS, 499])
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})
