import { mkdtemp, readFile, readdir, writeFile } from "node:fs/promises"
import { hostname } from "node:os"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { Context, Deferred, Effect, Layer, Schema, Stream } from "effect"
import { acquireLock, DuckDb, type LockTimeout } from "#io"
import { runPipeline, type RunOptions } from "./engine.ts"
import { RecordError, type StageFailed } from "./errors.ts"
import { Progress } from "./progress.ts"
import { mapStage, streamStage, type Stage } from "./stage.ts"
import { demoStages, type Row } from "../../../tests/fixtures/demo-pipeline.ts"
import type { RunSummary } from "./summary.ts"
import { runFiles } from "../../../tests/fixtures/run-files.ts"

const layer = Layer.mergeAll(DuckDb.layer(), Progress.silent)
const run = (options: RunOptions) => Effect.runPromise(runPipeline(options).pipe(Effect.provide(layer)))
const runFailure = (options: RunOptions) => Effect.runPromise(Effect.flip(runPipeline(options)).pipe(Effect.provide(layer)))
const tempDir = () => mkdtemp(join(tmpdir(), "autodidact-engine-"))
const demo = { rows: 400, batchSize: 50, concurrency: 2, delayMs: 0 }

describe("runPipeline", () => {
  it("materialises every stage as Parquet parts with a manifest, and sums rejects and counters", async () => {
    const dataDir = await tempDir()
    const r = await run({ pipeline: "demo", stages: demoStages(demo), seed: 7, dataDir, runId: "r" })
    const byName = Object.fromEntries(r.summary.stages.map((s) => [s.name, s]))
    expect(byName["numbers"]!.rows_out).toBe(400)
    expect(byName["numbers"]!.parts).toBe(3) // 150-row parts: 150 + 150 + 100
    const noisy = byName["noisy"]!
    expect(noisy.rows_in).toBe(400)
    expect(noisy.parts).toBe(8)
    expect(noisy.rows_out + (noisy.rejects["unlucky"] ?? 0)).toBe(400)
    expect(noisy.counters["kept"]).toBe(noisy.rows_out)
    expect(noisy.rejects["unlucky"]).toBeGreaterThan(10)
    const joined = byName["joined"]!
    expect(joined.rows_out + (joined.rejects["draw_multiple_of_17"] ?? 0)).toBe(noisy.rows_out)
    expect(joined.rejects["draw_multiple_of_17"]).toBeGreaterThan(0)
    expect(joined.counters["joined"]).toBe(joined.rows_out)
    const files = await readdir(join(dataDir, "runs", "r", "noisy"))
    expect(files).toContain("part-00000.parquet")
    expect(files).toContain("manifest.json")
    const summary = JSON.parse(await readFile(join(dataDir, "runs", "r", "summary.json"), "utf8")) as RunSummary
    expect(summary.status).toBe("succeeded")
    expect(summary.totals.rejects).toBe(noisy.rejects["unlucky"]! + joined.rejects["draw_multiple_of_17"]!)
    // Rejected rows are kept with their reason, not dropped.
    const rejects = await Effect.runPromise(
      Effect.gen(function* () {
        const db = yield* DuckDb
        return yield* db.all(`SELECT reason, count(*)::INT AS n FROM read_parquet('${join(dataDir, "runs", "r", "noisy")}/rejects-*.parquet') GROUP BY reason`)
      }).pipe(Effect.provide(DuckDb.layer()))
    )
    expect(rejects).toEqual([{ reason: "unlucky", n: noisy.rejects["unlucky"] }])
  })

  it("runs independent stages at the same time", async () => {
    const dataDir = await tempDir()
    const source = streamStage({ name: "src", version: 1, inputs: [], schema: Schema.Number, config: {}, run: () => Stream.make(1, 2, 3) })
    const started = { a: Effect.runSync(Deferred.make<void>()), b: Effect.runSync(Deferred.make<void>()) }
    // Each stage waits for the other to have started: run one after the other, they would time out.
    const waiter = (name: "a" | "b", other: "a" | "b"): Stage =>
      mapStage<number, string, number, object, Error>({
        name,
        version: 1,
        inputs: ["src"],
        schema: Schema.Number,
        config: {},
        process: (batch) =>
          Deferred.succeed(started[name], undefined).pipe(
            Effect.andThen(Deferred.await(started[other])),
            Effect.timeoutOrElse({ duration: "10 seconds", orElse: () => Effect.fail(new Error(`stage ${name} ran alone`)) }),
            Effect.as(batch)
          )
      })
    const r = await run({ pipeline: "p", stages: [source, waiter("a", "b"), waiter("b", "a")], seed: 0, dataDir })
    expect(r.summary.stages.map((s) => s.status)).toEqual(["done", "done", "done"])
  })

  it("reuses unchanged stages and recomputes a changed stage and its dependents only", async () => {
    const dataDir = await tempDir()
    const first = await run({ pipeline: "demo", stages: demoStages(demo), seed: 1, dataDir, runId: "one" })
    expect(first.summary.stages.map((s) => s.cache)).toEqual(["miss", "miss", "miss", "miss"])
    const again = await run({ pipeline: "demo", stages: demoStages(demo), seed: 1, dataDir, runId: "one" })
    expect(again.summary.stages.map((s) => s.cache)).toEqual(["hit", "hit", "hit", "hit"])
    // A new run id finds the finished stages through the cache index.
    const elsewhere = await run({ pipeline: "demo", stages: demoStages(demo), seed: 1, dataDir, runId: "two" })
    expect(elsewhere.summary.stages.map((s) => s.cache)).toEqual(["hit", "hit", "hit", "hit"])
    const changed = demoStages(demo).map((s) => (s.name === "squares" ? { ...s, config: { power: 2 } } : s))
    const third = await run({ pipeline: "demo", stages: changed, seed: 1, dataDir, runId: "one" })
    expect(Object.fromEntries(third.summary.stages.map((s) => [s.name, s.cache]))).toEqual({
      numbers: "hit",
      noisy: "hit",
      squares: "miss",
      joined: "miss"
    })
    const bumped = changed.map((s) => (s.name === "noisy" ? { ...s, version: 2 } : s))
    const fourth = await run({ pipeline: "demo", stages: bumped, seed: 1, dataDir, runId: "one" })
    expect(fourth.summary.stages.map((s) => s.cache)).toEqual(["hit", "miss", "hit", "miss"])
    // The seed is part of every stage's identity.
    const seeded = await run({ pipeline: "demo", stages: bumped, seed: 2, dataDir, runId: "other-seed" })
    expect(seeded.summary.stages.map((s) => s.cache)).toEqual(["miss", "miss", "miss", "miss"])
  })

  it("stops the dependents of a failing stage, names the stage and record, and lets independent stages finish", async () => {
    const dataDir = await tempDir()
    const stages = demoStages(demo).map((s): Stage =>
      s.name === "squares"
        ? mapStage<Row, string, Row, unknown, RecordError>({
            ...s,
            name: "squares",
            inputs: ["numbers"],
            batchSize: 50,
            process: (batch) =>
              batch.some((r) => r.id === "n123")
                ? Effect.fail(new RecordError({ record: "n123", message: "cannot square n123" }))
                : Effect.succeed(batch)
          })
        : s
    )
    const error = (await runFailure({ pipeline: "demo", stages, seed: 1, dataDir, runId: "f" })) as StageFailed
    expect(error._tag).toBe("StageFailed")
    expect(error.stage).toBe("squares")
    expect(error.record).toBe("n123")
    expect(error.batch).toBe(2)
    const summary = JSON.parse(await readFile(join(dataDir, "runs", "f", "summary.json"), "utf8")) as RunSummary
    expect(summary.status).toBe("failed")
    expect(summary.error).toBe('stage "squares" failed in batch 2 at record n123: cannot square n123')
    expect(Object.fromEntries(summary.stages.map((s) => [s.name, s.status]))).toEqual({
      numbers: "done",
      noisy: "done",
      squares: "failed",
      joined: "skipped"
    })
  })

  it("fails a stage whose rows do not match its schema, naming the record", async () => {
    const dataDir = await tempDir()
    const bad = streamStage({
      name: "bad",
      version: 1,
      inputs: [],
      schema: Schema.Struct({ id: Schema.String, n: Schema.Number }),
      config: {},
      run: () => Stream.make({ id: "x1", n: 1 }, { id: "x2", n: "two" } as unknown as { id: string; n: number })
    })
    const error = (await runFailure({ pipeline: "p", stages: [bad], seed: 0, dataDir })) as StageFailed
    expect(error.stage).toBe("bad")
    expect(error.record).toBe("x2")
    expect(error.message).toContain("does not match the stage's output schema")
  })

  it("runs map and stream stages that declare services, and names a failing record only from the error or the row it knows", async () => {
    class Offset extends Context.Service<Offset, { readonly by: number }>()("test/Offset") {}
    class Odd extends Schema.TaggedError<Odd>()("Odd", { id: Schema.String, message: Schema.String }) {}
    const Item = Schema.Struct({ id: Schema.String, n: Schema.Number })
    type Item = typeof Item.Type
    const source = streamStage({
      name: "src",
      version: 1,
      inputs: [],
      schema: Item,
      config: {},
      partRows: 4,
      run: () =>
        Stream.unwrap(
          Effect.gen(function* () {
            const { by } = yield* Offset
            return Stream.range(1, 6).pipe(Stream.map((n) => ({ id: `i${n}`, n: n + by })))
          })
        )
    })
    const shifted = (batchSize: number, failOn?: number) =>
      mapStage({
        name: "shifted",
        version: 1,
        inputs: ["src"],
        schema: Item,
        config: {},
        batchSize,
        recordId: (row: Item) => `item ${row.id}`,
        process: (batch: ReadonlyArray<Item>) =>
          Effect.gen(function* () {
            const { by } = yield* Offset
            // An `id` field on an error is not a record name: only RecordError's `record` is.
            if (batch.some((r) => r.n === failOn)) return yield* new Odd({ id: "not-a-record", message: `cannot shift ${failOn}` })
            return batch.map((r) => ({ ...r, n: r.n + by }))
          })
      })
    const provided = Layer.mergeAll(layer, Layer.succeed(Offset, { by: 10 }))
    const runWith = (stages: ReadonlyArray<typeof source | ReturnType<typeof shifted>>, dataDir: string) =>
      Effect.runPromise(Effect.flip(runPipeline({ pipeline: "svc", stages, seed: 0, dataDir })).pipe(Effect.provide(provided)))
    // The stages' services are the pipeline's requirements: without Offset, the run does not type-check.
    const _unprovided = () =>
      // @ts-expect-error Offset is not provided
      Effect.runPromise(runPipeline({ pipeline: "svc", stages: [source, shifted(2)], seed: 0, dataDir: "x" }).pipe(Effect.provide(layer)))
    void _unprovided
    const ok = await Effect.runPromise(runPipeline({ pipeline: "svc", stages: [source, shifted(2)], seed: 0, dataDir: await tempDir() }).pipe(Effect.provide(provided)))
    expect(ok.summary.stages.map((s) => [s.name, s.rows_out])).toEqual([["src", 6], ["shifted", 6]])
    // A batch of several rows: the batch is named, not a record.
    const many = (await runWith([source, shifted(2, 13)], await tempDir())) as StageFailed
    expect(many).toMatchObject({ _tag: "StageFailed", stage: "shifted", batch: 1, message: "cannot shift 13" })
    expect(many.record).toBeUndefined()
    // A batch of one row: that row failed, named by the stage's recordId.
    const one = (await runWith([source, shifted(1, 13)], await tempDir())) as StageFailed
    expect(one).toMatchObject({ stage: "shifted", batch: 2, record: "item i3" })
  })

  it("refuses a second process on the same run, naming it, and takes over the lock of a dead one", async () => {
    const dataDir = await tempDir()
    const options = { pipeline: "demo", stages: demoStages(demo), seed: 1, dataDir, runId: "locked" }
    await run(options)
    const lock = join(dataDir, "runs", "locked", ".lock")
    // A live holder (this very process, holding the lock in a scope) makes the run fail at once.
    const error = await Effect.runPromise(
      Effect.scoped(Effect.flatMap(acquireLock(lock, { purpose: "another build", timeoutMs: 0 }), () => Effect.flip(runPipeline(options))))
        .pipe(Effect.provide(layer))
    )
    expect(error._tag).toBe("LockTimeout")
    expect((error as LockTimeout).message).toContain(`pid ${process.pid}`)
    expect((error as LockTimeout).message).toContain("another build")
    // A lock left by a process that is gone (as after SIGKILL) is taken over, and the summary says so.
    await writeFile(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), started_at: "2026-01-01T00:00:00Z", purpose: "run locked", token: "t" }))
    const resumed = await run(options)
    expect(resumed.summary.notes?.[0]).toContain("took over the stale lock")
    expect(resumed.summary.stages.every((s) => s.cache === "hit")).toBe(true)
  })

  it("gives byte-identical parts whatever the concurrency", async () => {
    const a = await run({ pipeline: "demo", stages: demoStages({ ...demo, concurrency: 1 }), seed: 3, dataDir: await tempDir(), runId: "d" })
    const b = await run({ pipeline: "demo", stages: demoStages({ ...demo, concurrency: 4 }), seed: 3, dataDir: await tempDir(), runId: "d" })
    const fa = await runFiles(a.runDir)
    const fb = await runFiles(b.runDir)
    expect([...fa.keys()]).toEqual([...fb.keys()])
    for (const [name, bytes] of fa) expect(bytes.equals(fb.get(name)!), name).toBe(true)
  })

  it("writes declared key columns beside row, each as json_extract_string reads it from the row", async () => {
    const rows = [
      { id: "plain", task_id: "t1", n: 5 },
      { id: "line\nbreak", task_id: "quote'\"s", n: 1.5e300 },
      { id: "ünï 🧮", task_id: "t3", n: { nested: [1, "x"] } },
      { id: "no-task", n: null }
    ]
    const keyed = (keyColumns?: ReadonlyArray<string>) =>
      streamStage({ name: "out", version: 1, inputs: [], schema: Schema.Unknown, config: {}, ...(keyColumns ? { keyColumns } : {}), run: () => Stream.fromIterable(rows) })
    const dataDir = await tempDir()
    const plain = await run({ pipeline: "keys", stages: [keyed()], seed: 1, dataDir, runId: "k" })
    expect(plain.summary.stages[0]!.cache).toBe("miss")
    // Declaring key columns changes the files, so the stage is not reused from the run without them.
    const withKeys = await run({ pipeline: "keys", stages: [keyed(["id", "task_id", "n", "constructor"])], seed: 1, dataDir, runId: "k" })
    expect(withKeys.summary.stages[0]!.cache).toBe("miss")
    const got = await Effect.runPromise(
      Effect.gen(function* () {
        const db = yield* DuckDb
        return yield* db.all(
          `SELECT "id", task_id, n, "constructor", json_extract_string(row, ['$.id', '$.task_id', '$.n', '$.constructor']) AS expected
           FROM read_parquet('${join(withKeys.runDir, "out", "part-00000.parquet")}')`
        )
      }).pipe(Effect.provide(DuckDb.layer()))
    )
    expect(got.map((r) => [r["id"], r["task_id"], r["n"], r["constructor"]])).toEqual([
      ["plain", "t1", "5", null],
      ["line\nbreak", "quote'\"s", "1.5e300", null],
      ["ünï 🧮", "t3", '{"nested":[1,"x"]}', null],
      ["no-task", null, null, null]
    ])
    for (const r of got) expect([r["id"], r["task_id"], r["n"], r["constructor"]]).toEqual(r["expected"])
  })
})
