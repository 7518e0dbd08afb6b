import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { autodidact, interruptAt } from "./helpers.ts"

const node = join(process.cwd(), "node_modules", ".bin", "node")
const bin = join(process.cwd(), "tools", "cli", "bin.ts")

const newData = async () => join(await mkdtemp(join(tmpdir(), "autodidact-refresh-")), "data")
const versionsOf = async (data: string) => (await readdir(join(data, "datasets", "math"))).filter((f) => /^v\d{4}$/.test(f)).sort()
const latestOf = async (data: string) => (await readFile(join(data, "datasets", "math", "LATEST"), "utf8")).trim()
const records = async (data: string) => {
  const dir = join(data, "refresh", "math")
  const files = (await readdir(dir)).sort()
  return Promise.all(files.map(async (f) => JSON.parse(await readFile(join(dir, f), "utf8")) as { status: string; version?: string; error?: string; latest?: string }))
}
const events = (stdout: string) => stdout.trim().split("\n").map((l) => JSON.parse(l) as { event: string } & Record<string, unknown>)

describe("autodidact refresh --once", () => {
  it("publishes new content, then publishes nothing while nothing changed, leaving a record of each refresh", async () => {
    const data = await newData()
    const args = ["refresh", "math", "--once", "--size", "200", "--out", data, "--log-format", "json"]
    const first = await autodidact(args)
    expect(first.code, first.stderr).toBe(0)
    expect(events(first.stdout).map((e) => e.event)).toEqual(["refresh.start", "refresh.published"])
    const second = await autodidact(args)
    expect(second.code, second.stderr).toBe(0)
    const done = events(second.stdout).at(-1)!
    // Nothing changed: every stage comes from the stage cache and the content equals LATEST's.
    expect(done).toMatchObject({ event: "refresh.unchanged", version: "v0001", cached_stages: 11 })
    expect(done["parts_reused"]).toBe(done["parts"])
    expect(await versionsOf(data)).toEqual(["v0001"])
    expect((await records(data)).map((r) => [r.status, r.version])).toEqual([
      ["published", "v0001"],
      ["unchanged", "v0001"]
    ])
  })

  it("lets one of two racing refreshes build: with --wait the second finds the content published and publishes nothing", async () => {
    const data = await newData()
    const args = ["refresh", "math", "--once", "--wait", "--size", "200", "--out", data, "--log-format", "json"]
    const [a, b] = await Promise.all([autodidact(args), autodidact(args)])
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0])
    const outcomes = [events(a.stdout).at(-1)!.event, events(b.stdout).at(-1)!.event].sort()
    expect(outcomes).toEqual(["refresh.published", "refresh.unchanged"])
    expect(await versionsOf(data)).toEqual(["v0001"])
  })

  it("without --wait, a refresh that finds another one running exits 1 saying so and builds nothing", async () => {
    const data = await newData()
    const slow = ["refresh", "math", "--once", "--size", "2000", "--out", data]
    // The second starts once the first has its lock and is building (its progress says a stage started).
    const first = spawn(node, [bin, ...slow], { stdio: ["ignore", "pipe", "pipe"] })
    let stderr = ""
    const started = new Promise<void>((resolve) => first.stderr.on("data", (d) => ((stderr += d), /^seeds +started$/m.test(stderr) && resolve())))
    const exited = new Promise<number>((resolve) => first.on("exit", (code) => resolve(code ?? -1)))
    await started
    const second = await autodidact(["refresh", "math", "--once", "--size", "200", "--out", data])
    expect(second.code).toBe(1)
    expect(second.stdout).toBe("")
    expect(second.stderr).toMatch(/^error: another refresh of math is running \(pid \d+ on host .+\); this one stops without building\. Pass --wait to wait for it/)
    expect(await exited).toBe(0)
    expect(await versionsOf(data)).toEqual(["v0001"])
    // The refresh that found the lock taken left a record saying so.
    expect((await records(data)).map((r) => r.status).sort()).toEqual(["busy", "published"])
  }, 120_000)

  it("with --cron, a bad build flag is a usage error at once, not a failure at every scheduled time", async () => {
    const data = await newData()
    const r = await autodidact(["refresh", "math", "--cron", "* * * * *", "--memory-limit", "lots", "--out", data])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe("")
    expect(r.stderr).toBe('error: --memory-limit takes a size such as 2GB or 1536MiB (got "lots")\n')
  })

  it("leaves LATEST as it was when a refresh fails, and says why", async () => {
    const data = await newData()
    expect((await autodidact(["refresh", "math", "--once", "--size", "200", "--out", data])).code).toBe(0)
    const bad = join(data, "..", "bad-seeds.jsonl")
    await writeFile(bad, '{"question": "How many?", "answer": "no steps here"}\n')
    const failed = await autodidact(["refresh", "math", "--once", "--size", "200", "--seeds", bad, "--out", data])
    expect(failed.code).toBe(1)
    expect(failed.stderr).toMatch(/^error: refresh of math failed: .+; LATEST is still v0001$/m)
    expect(await latestOf(data)).toBe("v0001")
    expect(await versionsOf(data)).toEqual(["v0001"])
    expect((await records(data)).at(-1)).toMatchObject({ status: "failed", latest: "v0001" })
  })

  it("with --keep 1 collects old versions and the run folders no kept run reads from", async () => {
    const data = await newData()
    for (const size of ["200", "240"]) expect((await autodidact(["refresh", "math", "--once", "--size", size, "--out", data])).code).toBe(0)
    const runsBefore = (await readdir(join(data, "runs"))).sort()
    expect(runsBefore).toHaveLength(2)
    // A third size: its run reuses the seed stages of the first run (same seeds), not of the second.
    const third = await autodidact(["refresh", "math", "--once", "--size", "260", "--keep", "1", "--out", data, "--log-format", "json"])
    expect(third.code, third.stderr).toBe(0)
    const collected = events(third.stdout).find((e) => e.event === "refresh.collected")!
    expect(collected["versions"]).toEqual(["v0001", "v0002"])
    expect(await versionsOf(data)).toEqual(["v0003"])
    const runsAfter = (await readdir(join(data, "runs"))).sort()
    expect(runsAfter).toHaveLength(2)
    expect(collected["runs"]).toEqual(runsBefore.filter((r) => !runsAfter.includes(r)))
  }, 120_000)

  it("stops at SIGTERM with exit 143 and LATEST untouched; the next refresh resumes the run and publishes", async () => {
    const data = await newData()
    const args = ["refresh", "math", "--once", "--size", "2000", "--seed", "5", "--out", data]
    const stopped = await interruptAt(args, "rise", "SIGTERM")
    expect(stopped.sent, stopped.stderr).toBe(true)
    expect(stopped.code, stopped.stderr).toBe(143)
    expect(stopped.stderr.trimEnd().split("\n").at(-1)).toMatch(/^interrupted: run \S+ stopped in stages? .+; run the same command to resume$/)
    expect(existsSync(join(data, "datasets", "math", "LATEST"))).toBe(false)
    // The refresh lock went with the process: the next refresh does not wait for it.
    expect(existsSync(join(data, "refresh", "math.lock"))).toBe(false)
    const resumed = await autodidact([...args, "--log-format", "json"])
    expect(resumed.code, resumed.stderr).toBe(0)
    const done = events(resumed.stdout).at(-1)!
    expect(done).toMatchObject({ event: "refresh.published", version: "v0001" })
    expect(done["parts_reused"] as number).toBeGreaterThan(0)
  }, 120_000)
})
