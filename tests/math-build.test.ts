import { readFile, readdir } from "node:fs/promises"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { answersEqual, extractFinalAnswer, firstDifferingStep, stripAnnotations, verifySolution } from "#math"
import { buildMath, query } from "./math-dataset.ts"

/**
 * Builds the default math dataset (smaller size, same code path as `npx nx run pipeline:build`) and
 * checks every published row against the properties the dataset promises.
 */
// Three tasks per seed family (307 seeds), so most tasks are variants, not the seeds themselves.
const SIZE = 920
let dir = ""
let version = ""

const rows = <A>(config: string) => query<A>(`SELECT * FROM read_parquet('${version}/${config}/*.parquet') ORDER BY id`)

beforeAll(async () => {
  ;({ dir, version } = await buildMath("autodidact-math-", SIZE))
}, 300_000)

describe("the math dataset", () => {
  it("has every config with its required columns and one row per task where a row applies", async () => {
    const need: Record<string, ReadonlyArray<string>> = {
      sft: ["messages", "annotated_solution", "answer", "task_id"],
      preference: ["prompt", "chosen", "rejected", "annotated_chosen", "annotated_rejected", "answer", "task_id", "error_type"],
      step_preference: ["prompt", "chosen", "rejected", "initial_reason_steps", "chosen_step", "rejected_step", "annotated_chosen", "answer", "task_id", "error_type"],
      correction: ["messages", "annotated_solution", "answer", "task_id", "strategy", "error_type", "error_step"],
      rl: ["prompt", "answer", "task_id"]
    }
    for (const [config, columns] of Object.entries(need)) {
      const described = await query<{ column_name: string }>(`DESCRIBE SELECT * FROM read_parquet('${version}/${config}/*.parquet')`)
      const names = described.map((d) => d.column_name)
      for (const c of columns) expect(names, `${config}.${c}`).toContain(c)
    }
    const counts = await query<{ n: number }>(`SELECT count(*)::INT AS n, count(DISTINCT task_id)::INT AS tasks FROM read_parquet('${version}/rl/*.parquet')`)
    expect(counts[0]).toEqual({ n: SIZE, tasks: SIZE })
    const sft = await query<{ n: number }>(`SELECT count(*)::INT AS n FROM read_parquet('${version}/sft/*.parquet')`)
    expect(sft[0]!.n).toBe(SIZE)
  })

  it("splits by seed family: no task, and no seed with its variants, is in both train and test", async () => {
    for (const config of ["sft", "preference", "step_preference", "correction", "rl"]) {
      for (const key of ["task_id", "family_id"]) {
        const leak = await query<{ n: number }>(
          `SELECT count(*)::INT AS n FROM (SELECT ${key} FROM read_parquet('${version}/${config}/train-*.parquet') INTERSECT SELECT ${key} FROM read_parquet('${version}/${config}/test-*.parquet'))`
        )
        expect(leak[0]!.n, `${config} ${key}`).toBe(0)
      }
      const test = await query<{ n: number }>(`SELECT count(*)::INT AS n FROM read_parquet('${version}/${config}/test-*.parquet')`)
      expect(test[0]!.n, `${config} test rows`).toBeGreaterThan(0)
    }
  })

  it("holds variants that differ from their seeds, and every SFT solution verifies against its answer", async () => {
    const sft = await rows<{ messages: Array<{ role: string; content: string }>; annotated_solution: string; answer: string; origin: string }>("sft")
    expect(sft.filter((r) => r.origin === "symbolic").length).toBeGreaterThan(SIZE / 2)
    for (const r of sft) {
      const result = verifySolution(r.annotated_solution, { expected: r.answer })
      expect(result.correct, `${r.messages[0]!.content}\n${result.reason}`).toBe(true)
      // The training text is the annotated solution without its annotations, ending on GSM8K's `#### N`.
      expect(r.messages[1]!.content).toBe(stripAnnotations(r.annotated_solution))
      expect(r.messages[1]!.content.trimEnd().endsWith(`#### ${r.answer}`), r.messages[1]!.content).toBe(true)
    }
  })

  it("has no calculator annotation in any training text", async () => {
    const text: Record<string, string> = {
      sft: "messages[2].content",
      correction: "messages[2].content",
      preference: "prompt[1].content || chosen[1].content || rejected[1].content",
      step_preference: "prompt[1].content || chosen[1].content || rejected[1].content || initial_reason_steps || chosen_step || rejected_step",
      rl: "prompt[1].content"
    }
    for (const [config, expr] of Object.entries(text)) {
      const n = await query<{ n: number; annotated: number }>(
        `SELECT count(*) FILTER (WHERE (${expr}) LIKE '%<<%' OR (${expr}) LIKE '%>>%')::INT AS n FROM read_parquet('${version}/${config}/*.parquet')`
      )
      expect({ config, n: n[0]!.n }).toEqual({ config, n: 0 })
    }
  })

  it("has RISE pairs whose chosen verifies and whose rejected stays consistent but fails from the injected step", async () => {
    const pairs = await rows<{ annotated_chosen: string; annotated_rejected: string; answer: string; error_step: number; error_type: string; rejected_answer: string }>("preference")
    expect(pairs.length).toBeGreaterThan(SIZE * 0.9)
    for (const p of pairs) {
      expect(verifySolution(p.annotated_chosen, { expected: p.answer }).correct).toBe(true)
      const rejected = verifySolution(p.annotated_rejected)
      expect(rejected.steps.every((s) => s.ok !== false), `arithmetic in rejected: ${rejected.reason}`).toBe(true)
      expect(verifySolution(p.annotated_rejected, { expected: p.answer }).correct).toBe(false)
      expect(answersEqual(p.rejected_answer, p.answer)).toBe(false)
      expect(firstDifferingStep(p.annotated_chosen, p.annotated_rejected)).toBe(p.error_step)
    }
    expect(new Set(pairs.map((p) => p.error_type)).size).toBeGreaterThanOrEqual(5)
  })

  it("has step pairs whose prefix is the chosen solution's text before the error step, inside both sides", async () => {
    type Turns = Array<{ role: string; content: string }>
    const steps = await rows<{ chosen: Turns; rejected: Turns; initial_reason_steps: string; chosen_step: string; rejected_step: string; annotated_chosen: string; task_id: string }>("step_preference")
    const full = new Map((await rows<{ task_id: string; annotated_chosen: string }>("preference")).map((p) => [p.task_id, p.annotated_chosen]))
    for (const s of steps) {
      expect(full.get(s.task_id)!.startsWith(s.annotated_chosen)).toBe(true)
      expect(s.chosen[0]!.content).toBe(s.initial_reason_steps + s.chosen_step)
      expect(s.rejected[0]!.content).toBe(s.initial_reason_steps + s.rejected_step)
      expect(s.rejected_step).not.toBe(s.chosen_step)
    }
  })

  it("has LEMMA traces that all end on the correct answer, with both strategies", async () => {
    const traces = await rows<{ messages: Array<{ role: string; content: string }>; answer: string; strategy: string; error_type: string }>("correction")
    expect(traces.length).toBeGreaterThan(SIZE * 0.9)
    for (const t of traces) {
      const text = t.messages[1]!.content
      expect(text.trimEnd().endsWith(`The answer is: ${t.answer}`) || answersEqual(extractFinalAnswer(text)?.answer ?? "", t.answer), text).toBe(true)
    }
    expect(new Set(traces.map((t) => t.strategy))).toEqual(new Set(["fix_and_continue", "fresh_and_restart"]))
    expect(new Set(traces.map((t) => t.error_type)).size).toBeGreaterThanOrEqual(5)
  })

  it("records fidelity figures in the run summary and the dataset card", async () => {
    const card = await readFile(join(version, "README.md"), "utf8")
    expect(card).toContain("## Fidelity")
    expect(card).toMatch(/\| variants \| symbolic \| \d+ \| \d+ \| \d+\.\d%/)
    const runs = await readdir(join(dir, "runs"))
    const summary = JSON.parse(await readFile(join(dir, "runs", runs[0]!, "summary.json"), "utf8"))
    const rise = summary.stages.find((s: { name: string }) => s.name === "rise")
    expect(Object.keys(rise.counters).filter((k) => k.startsWith("error_type/")).length).toBeGreaterThanOrEqual(5)
  })

  it("is byte-identical when built again from scratch", async () => {
    const { version: again } = await buildMath("autodidact-math-", SIZE)
    for (const config of ["sft", "preference", "step_preference", "correction", "rl"]) {
      const files = (await readdir(join(version, config))).sort()
      expect((await readdir(join(again, config))).sort()).toEqual(files)
      for (const f of files) {
        const [a, b] = [await readFile(join(version, config, f)), await readFile(join(again, config, f))]
        expect(a.equals(b), `${config}/${f}`).toBe(true)
      }
    }
  })
})
