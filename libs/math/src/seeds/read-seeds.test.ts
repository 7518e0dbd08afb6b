import { Effect } from "effect"
import { readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { BadSeedRow, UnknownSeedFormat } from "./errors.ts"
import { readSeeds } from "./read-seeds.ts"
import { collect, failureOf, fixture, tempDir, writeParquet } from "./test-helpers.ts"

const REPO = join(import.meta.dirname, "../../../..")
const IVY = { question: "Ivy has 4 bags with 6 apples in each. How many apples does she have?", answer: "4 * 6 = <<4*6=24>>24\n#### 24" }

const jsonl = async (rows: ReadonlyArray<unknown>): Promise<string> => {
  const path = join(await tempDir(), "seeds.jsonl")
  await writeFile(path, rows.map((row) => JSON.stringify(row)).join("\n") + "\n")
  return path
}

const readJsonl = async (path: string): Promise<Array<Record<string, unknown>>> =>
  (await readFile(path, "utf8")).split("\n").filter((line) => line !== "").map((line) => JSON.parse(line))

describe("readSeeds: the project's own seed files", () => {
  it("reads data/seeds/math.jsonl as at least 85 math tasks with unique ids and no rejects", async () => {
    const seeds = readSeeds(join(REPO, "data/seeds/math.jsonl"), { format: "gsm8k" })
    const tasks = await collect(seeds.tasks)
    expect(tasks.length).toBeGreaterThanOrEqual(85)
    expect(new Set(tasks.map((task) => task.id)).size).toBe(tasks.length)
    expect(tasks.every((task) => task.domain === "math" && /^-?\d+(\.\d+)?$/.test(task.answer ?? ""))).toBe(true)
    expect(tasks.map((task) => task.source.line)).toEqual(tasks.map((_, i) => i + 1))
    const summary = await Effect.runPromise(seeds.summary)
    expect(summary).toEqual({ rows: tasks.length, kept: tasks.length, rejected: 0, duplicates: 0, format: "gsm8k" })
  })

  it("auto-detects data/seeds/instruct.jsonl as 12 Self-Instruct seeds of both kinds", async () => {
    const records = await collect(readSeeds(join(REPO, "data/seeds/instruct.jsonl")).records)
    expect(records).toHaveLength(12)
    const seeds = records.flatMap((r) => (r.format === "self-instruct" ? [r] : []))
    expect(seeds).toHaveLength(12)
    expect(new Set(seeds.map((s) => s.is_classification))).toEqual(new Set([true, false]))
    expect(seeds.every((s) => s.task.domain === "instruct" && s.instances.length >= 1)).toBe(true)
  })
})

describe("readSeeds: formats", () => {
  it("maps a Self-Instruct row to a Task and keeps its instances", async () => {
    const records = await collect(readSeeds(fixture("self-instruct.jsonl"), { onBadRows: "skip" }).records)
    expect(records.map((r) => r.task.question)).toEqual([
      "Name the capital city of the country in the input.",
      "Say whether the number is even or odd."
    ])
    const [capital, parity] = records
    expect(capital).toMatchObject({
      format: "self-instruct",
      seed_id: "seed_task_0",
      name: "capital_city",
      is_classification: false,
      instances: [{ input: "Kenya", output: "Nairobi" }, { input: "Peru", output: "Lima" }],
      task: { domain: "instruct", input: "Kenya", reference: "Nairobi", source: { kind: "seed", line: 1 } }
    })
    // An instance with no input gives a task with no input.
    expect(parity?.task.input).toBeUndefined()
    expect(parity).toMatchObject({ is_classification: true, task: { reference: "odd" } })
  })

  it("reads GSM8K rows from .json, .csv and .parquet", async () => {
    const fromJson = await collect(readSeeds(fixture("gsm8k.json")).tasks)
    expect(fromJson.map((t) => [t.answer, t.source.line])).toEqual([["24", 1], ["1200", 2]])

    const csv = readSeeds(fixture("gsm8k.csv"), { onBadRows: "skip" })
    expect((await collect(csv.tasks)).map((t) => [t.answer, t.source.line])).toEqual([["24", 2], ["1200", 3]])
    expect(await Effect.runPromise(csv.summary)).toMatchObject({ kept: 2, rejected: 1 })

    const parquet = join(await tempDir(), "seeds.parquet")
    await writeParquet(
      parquet,
      "SELECT * FROM (VALUES ('How many legs do 3 cats have?', '3 * 4 = <<3*4=12>>12\n#### 12'), " +
        "('What is 10 minus 4?', '10 - 4 = <<10-4=6>>6\n#### 6')) t(question, answer)"
    )
    const fromParquet = await collect(readSeeds(parquet).tasks)
    expect(fromParquet.map((t) => [t.question, t.answer, t.source])).toEqual([
      ["How many legs do 3 cats have?", "12", { kind: "seed", file: parquet, line: 1 }],
      ["What is 10 minus 4?", "6", { kind: "seed", file: parquet, line: 2 }]
    ])
  })

  it("fails with a typed error when auto-detection cannot tell the format", async () => {
    const error = await failureOf(readSeeds(fixture("unknown-format.jsonl")).tasks)
    expect(error).toBeInstanceOf(UnknownSeedFormat)
    expect(error.message).toContain(`unknown-format.jsonl:1: cannot detect the seed format from fields "prompt", "completion"`)
  })
})

describe("readSeeds: bad rows", () => {
  it("fails on the first bad row by default: a malformed JSON line", async () => {
    const error = await failureOf(readSeeds(fixture("gsm8k-bad.jsonl")).tasks)
    expect(error).toBeInstanceOf(BadSeedRow)
    expect(error).toMatchObject({ line: 2, field: "(row)" })
  })

  it("fails on a missing field, naming file, line and field", async () => {
    const path = await jsonl([IVY, { question: "Where did the answer go?" }])
    const error = await failureOf(readSeeds(path).tasks)
    expect(error.message).toBe(`${path}:2: field "answer": is missing; fix the row or use --on-bad-rows skip`)
  })

  it("fails on a missing #### line with advice on the fix", async () => {
    const path = await jsonl([{ question: "What is 2 plus 2?", answer: "2 + 2 = <<2+2=4>>4." }])
    const error = await failureOf(readSeeds(path, { format: "gsm8k" }).tasks)
    expect(error.message).toBe(
      `${path}:1: field "answer": missing "#### <number>" final line; ` +
        `end the answer with a line "#### <number>" or use --on-bad-rows skip`
    )
  })

  it("in skip mode keeps the good rows, counts the rest and writes each with its reason", async () => {
    const rejectsPath = join(await tempDir(), "out", "rejects.jsonl")
    const seeds = readSeeds(fixture("gsm8k-bad.jsonl"), { onBadRows: "skip", rejectsPath })
    const tasks = await collect(seeds.tasks)
    expect(tasks.map((t) => t.source.line)).toEqual([1, 8])
    expect(await Effect.runPromise(seeds.summary)).toEqual({ rows: 8, kept: 2, rejected: 6, duplicates: 1, format: "gsm8k" })

    const rejects = await readJsonl(rejectsPath)
    expect(rejects.map((r) => [r["line"], r["field"], r["reason"]])).toEqual([
      [2, "(row)", expect.stringMatching(/^not valid JSON/)],
      [3, "answer", "is missing"],
      [4, "answer", `missing "#### <number>" final line`],
      [5, "answer", `final answer "many" after "####" is not a number`],
      [6, "question", "duplicate"],
      [7, "(row)", "expected a JSON object, got an array"]
    ])
    expect(rejects.every((r) => r["file"] === fixture("gsm8k-bad.jsonl"))).toBe(true)
    expect(rejects[0]?.["row"]).toBe(`{"question": "Broken row", "answer": `)
    expect(rejects[1]?.["row"]).toEqual({ question: "Where is the answer?" })
    expect(rejects[4]?.["duplicate_of"]).toBe(1)
  })

  it("names nested fields of a Self-Instruct row", async () => {
    const error = await failureOf(readSeeds(fixture("self-instruct.jsonl")).tasks)
    expect(error).toMatchObject({ line: 3, field: "instances.0.output", reason: "is empty" })
  })

  it("drops duplicate questions (after case and space folding) even in fail mode", async () => {
    const path = await jsonl([IVY, { ...IVY, question: ` ${IVY.question.toUpperCase()} ` }, { ...IVY, question: "Other?" }])
    const seeds = readSeeds(path)
    expect((await collect(seeds.tasks)).map((t) => t.source.line)).toEqual([1, 3])
    expect(await Effect.runPromise(seeds.summary)).toMatchObject({ kept: 2, rejected: 1, duplicates: 1 })
  })

  it("starts the tally and the rejects file afresh on each run", async () => {
    const rejectsPath = join(await tempDir(), "rejects.jsonl")
    const seeds = readSeeds(fixture("gsm8k-bad.jsonl"), { onBadRows: "skip", rejectsPath })
    await collect(seeds.tasks)
    await collect(seeds.tasks)
    expect(await Effect.runPromise(seeds.summary)).toMatchObject({ rows: 8, kept: 2, rejected: 6 })
    expect(await readJsonl(rejectsPath)).toHaveLength(6)
  })
})
