import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { hostname, tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { collectRuns } from "./collect-runs.ts"

/** A run folder: its summary (when it finished), the stage dirs it read from, and optionally a lock. */
const run = (
  data: string,
  name: string,
  o: { finished?: string; status?: "succeeded" | "failed"; stages?: Record<string, string>; memos?: Record<string, string>; lockPid?: number; uses?: Array<string> }
) => {
  mkdirSync(join(data, "runs", name, "seeds"), { recursive: true })
  if (o.uses !== undefined) writeFileSync(join(data, "runs", name, "uses.json"), JSON.stringify({ paths: o.uses }))
  if (o.finished !== undefined) {
    const stages = Object.entries(o.stages ?? { seeds: `runs/${name}/seeds` }).map(([stage, dir]) => ({ name: stage, dir, ...(o.memos?.[stage] === undefined ? {} : { memo: o.memos[stage] }) }))
    writeFileSync(join(data, "runs", name, "summary.json"), JSON.stringify({ run_id: name, status: o.status ?? "succeeded", finished_at: o.finished, stages }))
  }
  if (o.lockPid !== undefined) writeFileSync(join(data, "runs", name, ".lock"), JSON.stringify({ pid: o.lockPid, host: hostname(), started_at: "", purpose: "run", token: "t" }))
}

const cacheEntry = (data: string, key: string, dir: string) => {
  mkdirSync(join(data, "cache", "stages"), { recursive: true })
  writeFileSync(join(data, "cache", "stages", `${key}.json`), JSON.stringify({ dir }))
}

describe("collectRuns", () => {
  it("keeps the newest finished runs, the runs they reuse stages from, and unfinished, failed or locked runs; removes the rest with their cache entries", async () => {
    const data = mkdtempSync(join(tmpdir(), "collect-runs-"))
    run(data, "math-s0-a", { finished: "2026-01-01T00:00:00Z" })
    run(data, "math-s0-b", { finished: "2026-01-02T00:00:00Z" })
    // The newest run reused b's seeds stage (a cache hit), so b's folder still backs it.
    run(data, "math-s0-c", { finished: "2026-01-03T00:00:00Z", stages: { seeds: "runs/math-s0-b/seeds", tasks: "runs/math-s0-c/tasks" } })
    run(data, "math-s0-unfinished", {})
    run(data, "math-s0-failed", { finished: "2026-01-04T00:00:00Z", status: "failed" })
    run(data, "math-s0-busy", { finished: "2026-01-01T12:00:00Z", lockPid: process.pid })
    run(data, "other-s0-x", { finished: "2026-01-01T00:00:00Z" })
    cacheEntry(data, "k-a", "runs/math-s0-a/seeds")
    cacheEntry(data, "k-b", "runs/math-s0-b/seeds")

    const r = await Effect.runPromise(collectRuns(data, "math", 1))
    expect(r.removed).toEqual(["math-s0-a"])
    expect(Object.fromEntries(r.kept.map((k) => [k.run, k.why]))).toEqual({
      "math-s0-b": "math-s0-c reuses its seeds stage",
      "math-s0-busy": "a live process holds its lock",
      "math-s0-c": "one of the newest 1 finished runs",
      "math-s0-failed": "failed, one of the newest: the same build resumes it",
      "math-s0-unfinished": "unfinished: the same build resumes it"
    })
    expect(r.cacheEntries).toBe(1)
    expect(readdirSync(join(data, "runs")).sort()).toEqual(["math-s0-b", "math-s0-busy", "math-s0-c", "math-s0-failed", "math-s0-unfinished", "other-s0-x"])
    expect(existsSync(join(data, "cache", "stages", "k-a.json"))).toBe(false)
    expect(existsSync(join(data, "cache", "stages", "k-b.json"))).toBe(true)
  })

  it("removes nothing when every finished run is among the newest kept", async () => {
    const data = mkdtempSync(join(tmpdir(), "collect-runs-"))
    run(data, "math-s0-a", { finished: "2026-01-01T00:00:00Z" })
    run(data, "math-s0-b", { finished: "2026-01-02T00:00:00Z" })
    const r = await Effect.runPromise(collectRuns(data, "math", 2))
    expect(r.removed).toEqual([])
    expect(r.kept.map((k) => k.run)).toEqual(["math-s0-a", "math-s0-b"])
  })

  it("keeps what a running build reads (its uses.json), collects failed runs beyond the newest, and removes memo folders no run reads once nothing runs", async () => {
    const data = mkdtempSync(join(tmpdir(), "collect-runs-"))
    run(data, "math-s0-a", { finished: "2026-01-01T00:00:00Z", memos: { seeds: "cache/memo/seeds-old" } })
    run(data, "math-s0-b", { finished: "2026-01-02T00:00:00Z" })
    run(data, "math-s0-c", { finished: "2026-01-03T00:00:00Z", memos: { seeds: "cache/memo/seeds-new" } })
    run(data, "math-s0-f1", { finished: "2026-01-04T00:00:00Z", status: "failed" })
    run(data, "math-s0-f2", { finished: "2026-01-05T00:00:00Z", status: "failed" })
    for (const memo of ["seeds-old", "seeds-new", "orphan"]) mkdirSync(join(data, "cache", "memo", memo), { recursive: true })
    // A build running now (its lock held) has reused a's seeds stage.
    run(data, "math-s0-live", { lockPid: process.pid, uses: ["runs/math-s0-a/seeds"] })

    const first = await Effect.runPromise(collectRuns(data, "math", 1))
    expect(first.removed).toEqual(["math-s0-b", "math-s0-f1"])
    expect(first.kept.find((k) => k.run === "math-s0-a")?.why).toBe("math-s0-live reads a stage of it")
    // While a run is live, no memo folder goes: it may be about to open one.
    expect(first.memoFolders).toBe(0)
    expect(readdirSync(join(data, "cache", "memo")).sort()).toEqual(["orphan", "seeds-new", "seeds-old"])

    // The live build finished and went; a is now only an old finished run.
    rmSync(join(data, "runs", "math-s0-live"), { recursive: true })
    const second = await Effect.runPromise(collectRuns(data, "math", 1))
    expect(second.removed).toEqual(["math-s0-a"])
    expect(second.memoFolders).toBe(2)
    expect(readdirSync(join(data, "cache", "memo"))).toEqual(["seeds-new"])
  })
})
