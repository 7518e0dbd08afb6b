import { mkdtemp, mkdir } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { DuckDb } from "#io"
import { keyColumnsOf, writeJsonParquet, type RunSummary } from "#dag"
import type { ConfigSpec, PublishRequest } from "#store"

/** Source rows as the engine would leave them, for the store tests. */
export interface SftRow {
  readonly id: string
  readonly task_id: string
  readonly messages: ReadonlyArray<{ readonly role: string; readonly content: string }>
  readonly source: string
}

export const sftRow = (i: number, opts: { task?: number; answer?: string } = {}): SftRow => ({
  id: `sft-${String(i).padStart(6, "0")}`,
  task_id: `task-${String(opts.task ?? i).padStart(6, "0")}`,
  messages: [
    { role: "user", content: `What is ${i} + ${i * 2}? Show your steps.` },
    { role: "assistant", content: opts.answer ?? `${i} + ${i * 2} = ${i * 3}. The answer is ${i * 3}.` }
  ],
  source: i % 2 === 0 ? "gsm8k-seed" : "symbolic"
})

export const sftColumns: ConfigSpec["columns"] = [
  { name: "id", type: "VARCHAR", description: "row id" },
  { name: "task_id", type: "VARCHAR", description: "task the row came from" },
  { name: "messages", type: "STRUCT(role VARCHAR, content VARCHAR)[]", description: "chat turns" },
  { name: "source", type: "VARCHAR", description: "where the task came from" }
]

/** The `sft` config over the given part files, as most store tests publish it. */
export const sftConfig = (files: ReadonlyArray<string>): ConfigSpec => ({ name: "sft", description: "SFT rows", columns: sftColumns, files })

export const prefColumns: ConfigSpec["columns"] = [
  { name: "id", type: "VARCHAR", description: "row id" },
  { name: "task_id", type: "VARCHAR", description: "task" },
  { name: "prompt", type: "VARCHAR", description: "question" },
  { name: "chosen", type: "VARCHAR", description: "correct solution" },
  { name: "rejected", type: "VARCHAR", description: "solution with an injected error" },
  { name: "error_step", type: "BIGINT", description: "first wrong step" }
]

export const prefRow = (i: number) => ({
  id: `pref-${String(i).padStart(6, "0")}`,
  task_id: `task-${String(i).padStart(6, "0")}`,
  prompt: `What is ${i} * 3?`,
  chosen: `${i} * 3 = ${i * 3}`,
  rejected: `${i} * 3 = ${i * 3 + 1}`,
  error_step: i % 3
})

export const tempDir = (prefix: string) => mkdtemp(join(tmpdir(), `autodidact-${prefix}-`))

/**
 * Writes rows as engine part files (the engine's own writer), `perPart` rows a file, with the given
 * key columns beside `row` as the engine writes them for a stage that declares them.
 */
export const writeParts = (dir: string, rows: ReadonlyArray<unknown>, perPart = 1000, keyColumns: ReadonlyArray<string> = []) =>
  Effect.gen(function* () {
    yield* Effect.promise(() => mkdir(dir, { recursive: true }))
    const files: Array<string> = []
    for (let i = 0, p = 0; i < rows.length || p === 0; i += perPart, p++) {
      const file = join(dir, `part-${String(p).padStart(5, "0")}.parquet`)
      const part = rows.slice(i, i + perPart)
      yield* writeJsonParquet(file, part.map((r) => JSON.stringify(r)), { keys: keyColumnsOf(part, keyColumns) })
      files.push(file)
      if (rows.length === 0) break
    }
    return files
  })

export const fakeSummary = (stages: ReadonlyArray<{ name: string; rows_out: number; rejects?: Record<string, number> }> = [{ name: "solve", rows_out: 10 }]): RunSummary => ({
  run_id: "test-run",
  pipeline: "math",
  seed: 1,
  config_hash: "abc",
  status: "succeeded",
  started_at: "2026-01-01T00:00:00.000Z",
  finished_at: "2026-01-01T00:00:01.000Z",
  duration_ms: 1000,
  stages: stages.map((s) => ({
    name: s.name,
    status: "done",
    cache: "miss",
    rows_in: s.rows_out,
    rows_out: s.rows_out,
    rejects: s.rejects ?? {},
    counters: {},
    parts: 1,
    parts_reused: 0,
    duration_ms: 5
  })),
  totals: { cache_hits: 0, rejects: 0 }
})

export const request = (dataDir: string, configs: ReadonlyArray<ConfigSpec>, extra: Partial<PublishRequest> = {}): PublishRequest => ({
  dataDir,
  name: "math",
  pipeline: "math",
  configs,
  seed: 7,
  config: { size: configs.length },
  seedFiles: [],
  runSummary: fakeSummary(),
  card: { title: "Math test set", summary: "Rows for tests.", strategies: ["symbolic variation"] },
  createdAt: "2026-01-01T00:00:00.000Z",
  codeVersion: { package: "0.1.0" },
  ...extra
})

export const run = <A, E>(effect: Effect.Effect<A, E, DuckDb>, threads?: number): Promise<A> =>
  Effect.runPromise(effect.pipe(Effect.provide(DuckDb.layer(threads === undefined ? {} : { threads })), Effect.scoped) as Effect.Effect<A, E>)
