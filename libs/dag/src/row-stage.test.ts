import { existsSync } from "node:fs"
import { mkdtemp, readFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { Context, Deferred, Effect, Layer, Schema, Stream } from "effect"
import { rngFor } from "#core"
import { DuckDb } from "#io"
import { runPipeline } from "./engine.ts"
import { Progress } from "./progress.ts"
import { rowStage, streamStage, type Stage } from "./stage.ts"
import type { RunSummary } from "./summary.ts"
import { runFiles } from "../../../tests/fixtures/run-files.ts"

const base = Layer.mergeAll(DuckDb.layer(), Progress.silent)
const tempDir = () => mkdtemp(join(tmpdir(), "autodidact-rows-"))
const Item = Schema.Struct({ id: Schema.String, n: Schema.Number })
type Item = typeof Item.Type
const Out = Schema.Struct({ id: Schema.String, n: Schema.Number, label: Schema.String })

const source = (rows: number) =>
  streamStage({
    name: "items",
    version: 1,
    inputs: [],
    schema: Item,
    config: { rows },
    partRows: 37,
    run: () => Stream.range(0, rows - 1).pipe(Stream.map((n) => ({ id: `r${n}`, n })))
  })

/** A service a row stage needs, as a model stage needs the language model. */
class Labeller extends Context.Service<Labeller, { readonly label: (n: number) => Effect.Effect<string> }>()("test/Labeller") {}
const labeller = (delay: (n: number) => number) =>
  Layer.succeed(Labeller, { label: (n) => Effect.as(Effect.sleep(`${delay(n)} millis`), `label-${n % 7}`) })

class Refused extends Schema.TaggedError<Refused>()("Refused", { message: Schema.String }) {}

const labelled = (options: { window: number; batchSize: number; reorderRows?: number }) =>
  rowStage<Item, "labelled", typeof Out.Type, { scheme: string }, Refused, Labeller>({
    name: "labelled",
    version: 1,
    inputs: ["items"],
    schema: Out,
    config: { scheme: "mod7" },
    batchSize: options.batchSize,
    window: options.window,
    ...(options.reorderRows === undefined ? {} : { reorderRows: options.reorderRows }),
    process: (row, ctx) =>
      Effect.gen(function* () {
        const l = yield* Labeller
        if (row.n % 11 === 5) {
          ctx.reject("multiple_of_11_plus_5", { id: row.id, detail: { n: row.n } })
          return []
        }
        ctx.count("labelled")
        const label = yield* l.label(row.n)
        // Two rows out for some, none or one for others: parts hold what the rows gave, in row order.
        return row.n % 3 === 0 ? [{ ...row, label }, { ...row, id: `${row.id}b`, label }] : [{ ...row, label }]
      })
  })

const runWith = (stages: ReadonlyArray<Stage<Labeller>>, dataDir: string, layer: Layer.Layer<Labeller>) =>
  Effect.runPromise(runPipeline({ pipeline: "rows", stages, seed: 3, dataDir, runId: "r" }).pipe(Effect.provide(Layer.mergeAll(base, layer))))

describe("a row stage", () => {
  it("gives byte-identical parts whatever its window and however long each row takes", async () => {
    const jitter = (n: number) => rngFor(1, "delay", String(n)).int(0, 6)
    const a = await tempDir()
    const ra = await runWith([source(230), labelled({ window: 1, batchSize: 25 })], a, labeller(() => 0))
    const b = await tempDir()
    const rb = await runWith([source(230), labelled({ window: 16, batchSize: 25, reorderRows: 40 })], b, labeller(jitter))
    const fa = await runFiles(join(a, "runs", "r"))
    const fb = await runFiles(join(b, "runs", "r"))
    expect([...fb.keys()]).toEqual([...fa.keys()])
    for (const [name, bytes] of fa) expect(fb.get(name)!.equals(bytes), name).toBe(true)
    const stage = rb.summary.stages.find((s) => s.name === "labelled")!
    // 230 rows: 21 rejected (n % 11 == 5), 209 labelled, 77 of them (n % 3 == 0, not rejected) give two rows.
    expect(stage).toMatchObject({ rows_in: 230, parts: 10, rejects: { multiple_of_11_plus_5: 21 }, counters: { labelled: 209 } })
    expect(stage.rows_out).toBe(209 + [...Array(230).keys()].filter((n) => n % 3 === 0 && n % 11 !== 5).length)
    expect(ra.summary.stages.find((s) => s.name === "labelled")!.rows_out).toBe(stage.rows_out)
  })

  it("keeps its window busy past a slow row: later rows, in later batches, start and finish while it waits", async () => {
    const started = new Set<number>()
    // Rows with n % 11 == 5 are rejected before they ask for a label.
    const labelledRows = [...Array(60).keys()].filter((n) => n % 11 !== 5).length
    const allOthersStarted = Effect.runSync(Deferred.make<void>())
    const slowFirst = Layer.succeed(Labeller, {
      label: (n) =>
        Effect.gen(function* () {
          started.add(n)
          if (started.size === labelledRows) yield* Deferred.succeed(allOthersStarted, undefined)
          // Row 0 finishes only once every other row has started: a stage that waited for its batches in
          // order, or kept a slot per unfinished batch, would never get there.
          if (n === 0) yield* Deferred.await(allOthersStarted)
          return `label-${n}`
        })
    })
    const dataDir = await tempDir()
    const r = await runWith([source(60), labelled({ window: 4, batchSize: 10, reorderRows: 64 })], dataDir, slowFirst)
    expect(started.size).toBe(labelledRows)
    expect(r.summary.stages.find((s) => s.name === "labelled")!.parts).toBe(6)
  })

  it("fails the stage naming the row and its batch when a row's work fails", async () => {
    const dataDir = await tempDir()
    const failing = Layer.succeed(Labeller, { label: (n) => (n === 42 ? Effect.die(new Refused({ message: "no label for 42" })) : Effect.succeed("x")) })
    const stage = rowStage<Item, "labelled", typeof Out.Type, object, Refused, Labeller>({
      name: "labelled",
      version: 1,
      inputs: ["items"],
      schema: Out,
      config: {},
      batchSize: 10,
      process: (row) =>
        Effect.gen(function* () {
          if (row.n === 42) return yield* new Refused({ message: "the labeller refused row 42" })
          return [{ ...row, label: yield* (yield* Labeller).label(row.n) }]
        })
    })
    const error = await Effect.runPromise(
      Effect.flip(runPipeline({ pipeline: "rows", stages: [source(60), stage], seed: 3, dataDir, runId: "r" })).pipe(Effect.provide(Layer.mergeAll(base, failing)))
    )
    expect(error).toMatchObject({ _tag: "StageFailed", stage: "labelled", batch: 4, record: "r42", message: "the labeller refused row 42" })
  })

  it("resumes after a failure with only its unfinished batches, ending as an uninterrupted run", async () => {
    const clean = await tempDir()
    await runWith([source(120), labelled({ window: 8, batchSize: 20 })], clean, labeller(() => 0))
    const expected = await runFiles(join(clean, "runs", "r"))

    const dataDir = await tempDir()
    const partDone = (k: number) => existsSync(join(dataDir, "runs", "r", "labelled", `part-0000${k}.json`))
    // The first run fails at row 100 once batches 0-2 are committed (waiting on their files, not on a clock).
    const failAt100 = Layer.succeed(Labeller, {
      label: (n) =>
        n === 100
          ? Effect.gen(function* () {
              while (!(partDone(0) && partDone(1) && partDone(2))) yield* Effect.sleep("5 millis")
              return yield* Effect.die(new Error("the labeller crashed"))
            })
          : Effect.succeed(`label-${n % 7}`)
    })
    await expect(runWith([source(120), labelled({ window: 8, batchSize: 20 })], dataDir, failAt100)).rejects.toThrow()
    const second = await runWith([source(120), labelled({ window: 8, batchSize: 20 })], dataDir, labeller(() => 0))
    const stage = second.summary.stages.find((s) => s.name === "labelled")!
    expect(stage.cache).toBe("resumed")
    expect(stage.parts_reused).toBeGreaterThanOrEqual(3)
    const actual = await runFiles(join(dataDir, "runs", "r"))
    expect([...actual.keys()]).toEqual([...expected.keys()])
    for (const [name, bytes] of expected) expect(actual.get(name)!.equals(bytes), name).toBe(true)
    const summary = JSON.parse(await readFile(join(dataDir, "runs", "r", "summary.json"), "utf8")) as RunSummary
    expect(summary.status).toBe("succeeded")
  })
})
