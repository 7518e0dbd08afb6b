import { readFile, stat } from "node:fs/promises"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { parse } from "yaml"
import { buildMath, query } from "./math-dataset.ts"

/**
 * The published math dataset against TRL's documented dataset formats
 * (https://huggingface.co/docs/trl/dataset_formats), without Python: column names and Parquet types read
 * with DuckDB, and every row's turns. sft and correction are conversational language modeling
 * (`messages`: a user turn then an assistant turn); preference and step_preference are conversational
 * preference (`prompt` user turns, `chosen` and `rejected` assistant turns); rl is conversational
 * prompt-only. Also what `datasets` and data-parallel trainers rely on: one default config in the card's
 * header, shard counts that divide world sizes, and a test split of at least 10 families and 5% of tasks.
 */
const SIZE = 400
let version = ""

const shards = (config: string, split = "*") => `read_parquet('${version}/${config}/${split}-*.parquet')`

beforeAll(async () => {
  ;({ version } = await buildMath("autodidact-trl-", SIZE))
}, 300_000)

const TURNS = 'STRUCT("role" VARCHAR, "content" VARCHAR)[]'

/** TRL's columns per config: the ones its trainers read, with the Parquet type each must have. */
const TRL_COLUMNS: Record<string, Record<string, string>> = {
  sft: { messages: TURNS },
  correction: { messages: TURNS },
  preference: { prompt: TURNS, chosen: TURNS, rejected: TURNS },
  step_preference: { prompt: TURNS, chosen: TURNS, rejected: TURNS },
  rl: { prompt: TURNS, answer: "VARCHAR" }
}
/** Columns that would make TRL read a config as another type (e.g. `completion` turns preference into prompt-completion). */
const FOREIGN: Record<string, ReadonlyArray<string>> = {
  sft: ["text", "prompt", "completion", "chosen", "rejected"],
  correction: ["text", "prompt", "completion", "chosen", "rejected"],
  preference: ["messages", "completion", "text"],
  step_preference: ["messages", "completion", "text"],
  rl: ["messages", "completion", "chosen", "rejected", "text"]
}
/** The roles each turn column holds, in order. */
const ROLES: Record<string, Record<string, string>> = {
  sft: { messages: "user,assistant" },
  correction: { messages: "user,assistant" },
  preference: { prompt: "user", chosen: "assistant", rejected: "assistant" },
  step_preference: { prompt: "user", chosen: "assistant", rejected: "assistant" },
  rl: { prompt: "user" }
}

describe("the math dataset in TRL's formats", () => {
  it("has each config's TRL columns with the documented types, and none that would make TRL read it as another type", async () => {
    for (const [config, wanted] of Object.entries(TRL_COLUMNS)) {
      const described = await query<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${shards(config)}`)
      const types = Object.fromEntries(described.map((d) => [d.column_name, d.column_type]))
      for (const [column, type] of Object.entries(wanted)) expect({ config, column, type: types[column] }).toEqual({ config, column, type })
      for (const column of FOREIGN[config]!) expect({ config, column, present: column in types }).toEqual({ config, column, present: false })
    }
  })

  it("holds turns with the roles TRL expects, in order, each with text", async () => {
    for (const [config, columns] of Object.entries(ROLES)) {
      for (const [column, roles] of Object.entries(columns)) {
        const bad = await query<{ n: number; rows: number }>(
          `SELECT count(*) FILTER (WHERE array_to_string(list_transform(${column}, m -> m.role), ',') <> '${roles}'
                                   OR list_bool_or(list_transform(${column}, m -> coalesce(trim(m.content), '') = '')))::INT AS n,
                  count(*)::INT AS rows
           FROM ${shards(config)}`
        )
        expect({ config, column, bad: bad[0]!.n }).toEqual({ config, column, bad: 0 })
        expect(bad[0]!.rows).toBeGreaterThan(0)
      }
    }
  })

  it("puts a step pair's shared prefix where TRL sees it: inside both chosen and rejected", async () => {
    const rows = await query<{ n: number; prefixed: number }>(
      `SELECT count(*)::INT AS n,
              count(*) FILTER (WHERE starts_with(chosen[1].content, initial_reason_steps) AND starts_with(rejected[1].content, initial_reason_steps)
                               AND chosen[1].content = initial_reason_steps || chosen_step AND rejected[1].content = initial_reason_steps || rejected_step)::INT AS prefixed,
              count(*) FILTER (WHERE initial_reason_steps <> '')::INT AS with_prefix
       FROM ${shards("step_preference")}`
    )
    expect(rows[0]!.prefixed).toBe(rows[0]!.n)
    expect((rows[0] as unknown as { with_prefix: number }).with_prefix).toBeGreaterThan(0)
  })

  it("marks sft the default config, so load_dataset(dir) needs no config name, and lists existing shards", async () => {
    const card = await readFile(join(version, "README.md"), "utf8")
    const header = parse(card.split("---\n")[1]!) as {
      license: string
      language: Array<string>
      task_categories: Array<string>
      configs: Array<{ config_name: string; default?: boolean; data_files: Array<{ split: string; path: Array<string> }> }>
    }
    expect(header.configs.filter((c) => c.default === true).map((c) => c.config_name)).toEqual(["sft"])
    expect({ license: header.license, language: header.language, task_categories: header.task_categories }).toEqual({
      license: "cc-by-4.0",
      language: ["en"],
      task_categories: ["text-generation", "question-answering"]
    })
    for (const c of header.configs) for (const f of c.data_files) for (const p of f.path) expect((await stat(join(version, p))).isFile()).toBe(true)
  })

  it("cuts each split into a shard count that divides common world sizes, with rows spread evenly", async () => {
    const manifest = JSON.parse(await readFile(join(version, "manifest.json"), "utf8")) as {
      configs: Record<string, { splits: Record<string, { rows: number; files: Array<{ rows: number }> }> }>
    }
    for (const [config, c] of Object.entries(manifest.configs)) {
      for (const [split, s] of Object.entries(c.splits)) {
        const multiple = s.rows >= 8000 ? 8 : s.rows >= 4 ? 4 : 1
        expect({ config, split, divides: s.files.length % multiple }).toEqual({ config, split, divides: 0 })
        const sizes = s.files.map((f) => f.rows)
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
      }
    }
  })

  it("holds at least 10 seed families and 5% of the tasks in test, the same families in every config", async () => {
    const rl = await query<{ families: number; rows: number }>(`SELECT count(DISTINCT family_id)::INT AS families, count(*)::INT AS rows FROM ${shards("rl", "test")}`)
    expect(rl[0]!.families).toBeGreaterThanOrEqual(10)
    expect(rl[0]!.rows).toBeGreaterThanOrEqual(Math.ceil(0.05 * SIZE))
    const families = async (config: string) =>
      (await query<{ f: string }>(`SELECT DISTINCT family_id AS f FROM ${shards(config, "test")} ORDER BY f`)).map((r) => r.f)
    const reference = await families("rl")
    for (const config of ["sft", "preference", "step_preference", "correction"]) {
      const mine = await families(config)
      // A family whose every task failed an injection may be missing from a derived config, never added.
      expect(mine.every((f) => reference.includes(f)), config).toBe(true)
      expect(mine.length, config).toBeGreaterThanOrEqual(10)
    }
  })
})
