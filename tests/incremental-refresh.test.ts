import { createHash } from "node:crypto"
import { appendFile, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { DuckDb, sqlStringList } from "#io"
import { autodidact } from "./helpers.ts"

const PER_SEED = 4
const CONFIGS = ["correction", "preference", "rl", "sft", "step_preference"]
/** The stages that process row by row through their memo (the map stages of the math pipeline). */
const ROW_STAGES = ["verified", "variants", "sft", "rl", "rise", "lemma", "preference", "step_preference"]

interface StageRows {
  readonly stage: string
  readonly rows_in: number
  readonly rows_reused: number
}

const refresh = async (seeds: string, data: string) => {
  const r = await autodidact(["refresh", "math", "--once", "--per-seed", String(PER_SEED), "--seeds", seeds, "--out", data, "--log-format", "json"])
  expect(r.code, r.stderr).toBe(0)
  const done = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>).at(-1)!
  expect(done["event"]).toBe("refresh.published")
  return done as { version: string; stage_rows: ReadonlyArray<StageRows>; run_id: string }
}

const stageFigures = async (data: string, runId: string) =>
  Object.fromEntries(
    (JSON.parse(await readFile(join(data, "runs", runId, "summary.json"), "utf8")) as { stages: Array<{ name: string; rows_in: number; rows_out: number }> }).stages.map((s) => [s.name, s])
  )

const shardHashes = async (versionDir: string) => {
  const out: Record<string, string> = {}
  for (const config of CONFIGS) {
    for (const f of (await readdir(join(versionDir, config))).filter((n) => n.endsWith(".parquet")).sort()) {
      out[`${config}/${f}`] = createHash("sha256").update(await readFile(join(versionDir, config, f))).digest("hex")
    }
  }
  return out
}

/** Rows per config of a version that come from seed line `line`. */
const rowsOfSeedLine = (versionDir: string, line: number) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const db = yield* DuckDb
      const out: Record<string, number> = {}
      for (const config of CONFIGS) {
        const files = (yield* Effect.promise(() => readdir(join(versionDir, config)))).filter((n) => n.endsWith(".parquet")).map((n) => join(versionDir, config, n))
        const [row] = yield* db.all(`SELECT count(*)::INT AS n FROM read_parquet(${sqlStringList(files)}) WHERE seed_line = ${line}`)
        out[config] = row!["n"] as number
      }
      return out
    }).pipe(Effect.provide(DuckDb.layer()))
  )

describe("incremental refresh (issue #13 item 2)", () => {
  it("one new seed in a 300-seed file computes only that seed's rows, and the diff shows exactly those rows added", async () => {
    const dir = await mkdtemp(join(tmpdir(), "autodidact-incremental-"))
    const lines = (await readFile(join("data", "seeds", "math.jsonl"), "utf8")).split("\n").filter((l) => l.trim() !== "")
    const seeds = join(dir, "seeds.jsonl")
    const data = join(dir, "data")
    await writeFile(seeds, lines.slice(0, 300).join("\n") + "\n")
    const first = await refresh(seeds, data)
    expect(first.version).toBe("v0001")

    // The seed file grows in place (its path is in every row's seed_file): line 301 is the new seed.
    await appendFile(seeds, lines[300]! + "\n")
    const second = await refresh(seeds, data)
    expect(second.version).toBe("v0002")

    const before = await stageFigures(data, first.run_id)
    const after = await stageFigures(data, second.run_id)
    const newTasks = after["tasks"]!.rows_out - before["tasks"]!.rows_out
    const newPairs = after["rise"]!.rows_out - before["rise"]!.rows_out
    expect(newTasks).toBeGreaterThan(0)
    expect(newTasks).toBeLessThanOrEqual(PER_SEED)
    // Each row-level stage computed the new seed's rows only: one seed, its tasks, or its RISE pairs.
    const computed = Object.fromEntries(second.stage_rows.filter((s) => ROW_STAGES.includes(s.stage)).map((s) => [s.stage, s.rows_in - s.rows_reused]))
    expect(computed).toEqual({
      verified: 1,
      variants: 1,
      sft: newTasks,
      rl: newTasks,
      rise: newTasks,
      lemma: newTasks,
      preference: newPairs,
      step_preference: newPairs
    })
    expect(second.stage_rows.find((s) => s.stage === "rise")).toMatchObject({ rows_in: after["tasks"]!.rows_out, rows_reused: before["tasks"]!.rows_out })

    // The diff against the parent: in every config, the new seed's rows added, nothing removed or changed.
    const diff = await autodidact(["diff", "math", "v0001", "v0002", "--data-dir", data, "--json"])
    expect(diff.code, diff.stderr).toBe(0)
    const configs = (JSON.parse(diff.stdout) as { configs: Array<{ config: string; added: number; removed: number; changed: number; unchanged: number; rows_a: number }> }).configs
    const fromNewSeed = await rowsOfSeedLine(join(data, "datasets", "math", "v0002"), 301)
    expect(Object.fromEntries(configs.map((c) => [c.config, { added: c.added, removed: c.removed, changed: c.changed, unchanged: c.unchanged }]))).toEqual(
      Object.fromEntries(configs.map((c) => [c.config, { added: fromNewSeed[c.config], removed: 0, changed: 0, unchanged: c.rows_a }]))
    )
    expect(fromNewSeed).toMatchObject({ sft: newTasks, rl: newTasks, correction: newTasks, preference: newPairs, step_preference: newPairs })

    // The shards are those of a build from scratch with the 301-seed file.
    const scratch = join(dir, "scratch")
    const fresh = await refresh(seeds, scratch)
    expect(await shardHashes(join(data, "datasets", "math", "v0002"))).toEqual(await shardHashes(join(scratch, "datasets", "math", fresh.version)))
  }, 120_000)
})
