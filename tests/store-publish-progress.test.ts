import { join } from "node:path"
import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { Progress, type PhaseUpdate } from "#dag"
import { publish, type ConfigSpec } from "#store"
import { prefColumns, prefRow, request, run, sftColumns, sftRow, tempDir, writeParts } from "./store-fixture.ts"

/** A Progress that records what a publish reports, in order. */
const recording = () => {
  const updates: Array<{ task: string } & PhaseUpdate> = []
  const layer = Layer.succeed(Progress, {
    start: () => {},
    advance: () => {},
    finish: () => {},
    close: () => {},
    phase: (task, update) => updates.push({ task, ...update })
  })
  return { updates, layer }
}

/** The phases in order, a phase reported several times in a row (its counts moving) listed once. */
const phasesOf = (updates: ReadonlyArray<PhaseUpdate>) => updates.map((u) => u.phase).filter((p, i, all) => i === 0 || all[i - 1] !== p)

describe("publish reports its progress", () => {
  it("phase by phase, in order, with counts: per config staging rows n/N, checking, shards written k/K, verifying k/K; then checksums, syncing, catalog, the version", async () => {
    const dir = await tempDir("publish-progress")
    const sft = await run(writeParts(join(dir, "sft"), Array.from({ length: 400 }, (_, i) => sftRow(i, { task: Math.floor(i / 4) })), 150))
    const pref = await run(writeParts(join(dir, "pref"), Array.from({ length: 120 }, (_, i) => prefRow(i)), 50))
    const seed = join(dir, "seed.jsonl")
    await import("node:fs/promises").then((fs) => fs.writeFile(seed, '{"question":"1+1","answer":"2"}\n'))
    const configs: ReadonlyArray<ConfigSpec> = [
      { name: "sft", description: "SFT rows", columns: sftColumns, files: sft },
      { name: "preference", description: "pairs", columns: prefColumns, files: pref }
    ]
    const { updates, layer } = recording()
    const result = await run(publish(request(join(dir, "data"), configs, { shardRows: 64, seedFiles: [seed], testFraction: 0.2 })).pipe(Effect.provide(layer)))
    expect(result.status).toBe("published")
    expect(new Set(updates.map((u) => u.task))).toEqual(new Set(["publish math"]))

    // "shuffling" shows only when DuckDB's progress is polled while the sort runs, which these few rows finish before.
    const phases = phasesOf(updates)
    expect(phases.filter((p) => !p.endsWith(": shuffling"))).toEqual([
      "sft: staging rows",
      "sft: checking rows",
      "sft: shards written",
      "sft: verifying shards",
      "preference: staging rows",
      "preference: checking rows",
      "preference: shards written",
      "preference: verifying shards",
      "checksums",
      "syncing",
      "catalog",
      "published v0001"
    ])
    for (const config of ["sft", "preference"]) {
      const i = phases.indexOf(`${config}: shuffling`)
      if (i >= 0) expect(phases[i - 1]).toBe(`${config}: staging rows`)
    }

    const of = (phase: string) => updates.filter((u) => u.phase === phase).map((u) => [u.done, u.total])
    // Staging starts at 0 of the config's rows (from the part files' footers) and never passes them.
    expect(of("sft: staging rows")[0]).toEqual([0, 400])
    expect(of("preference: staging rows")[0]).toEqual([0, 120])
    for (const [done, total] of of("sft: staging rows")) expect(done!).toBeLessThanOrEqual(total!)
    // Every shard is counted once, 0 up to all of them, and all of them are verified.
    const shards = (config: string) => ["train", "test"].reduce((n, s) => n + result.manifest.configs[config]!.splits[s]!.files.length, 0)
    for (const config of ["sft", "preference"]) {
      const k = shards(config)
      expect(of(`${config}: shards written`)).toEqual(Array.from({ length: k + 1 }, (_, i) => [i, k]))
      expect(of(`${config}: verifying shards`)).toEqual([[0, k], [k, k]])
    }
    expect(shards("sft")).toBeGreaterThanOrEqual(6)
    expect(of("checksums")).toEqual([[0, 1], [1, 1]])
    expect(updates.at(-1)).toEqual({ task: "publish math", phase: "published v0001", final: true })
    expect(updates.filter((u) => u.final === true)).toHaveLength(1)

    // The same content again: LATEST is checked and the publish ends "unchanged".
    const again = recording()
    await run(publish(request(join(dir, "data"), configs, { shardRows: 64, seedFiles: [seed], testFraction: 0.2 })).pipe(Effect.provide(again.layer)))
    expect(phasesOf(again.updates).slice(-3)).toEqual(["checking v0001", "catalog", "unchanged v0001"])

    // A publish that fails ends "failed", after the phase it failed in.
    const bad = await run(writeParts(join(dir, "bad"), [sftRow(1), sftRow(1)], 10))
    const failing = recording()
    const exit = await run(Effect.exit(publish(request(join(dir, "data"), [{ name: "sft", description: "d", columns: sftColumns, files: bad }])).pipe(Effect.provide(failing.layer))))
    expect(exit._tag).toBe("Failure")
    expect(phasesOf(failing.updates).slice(-2)).toEqual(["sft: checking rows", "failed"])
    expect(failing.updates.at(-1)!.final).toBe(true)
  })
})
