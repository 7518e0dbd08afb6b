import { spawn } from "node:child_process"
import { mkdtemp, readFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { rngFor } from "#core"
import { runFiles } from "./fixtures/run-files.ts"
import type { RunSummary } from "#dag"

const node = join(process.cwd(), "node_modules", ".bin", "node")
const script = join(process.cwd(), "tests", "fixtures", "run-demo.ts")
// 6,000 rows in 100-row batches, 15 ms a batch: a run lasts long enough to be killed inside any stage.
const args = (dataDir: string) => [script, dataDir, "6000", "100", "2", "15", "11"]

/** Runs the demo pipeline; with `killAfterMs`, SIGKILLs it then. Resolves to whether it finished by itself. */
const runChild = (dataDir: string, killAfterMs?: number): Promise<boolean> =>
  new Promise((resolve, reject) => {
    const child = spawn(node, args(dataDir), { stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    let err = ""
    child.stdout.on("data", (d) => (out += d))
    child.stderr.on("data", (d) => (err += d))
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfterMs)
    child.on("exit", (code, signal) => {
      if (timer) clearTimeout(timer)
      if (signal === "SIGKILL") return resolve(false)
      if (code === 0 && out.includes("finished")) return resolve(true)
      reject(new Error(`demo pipeline exited with ${code}: ${err}`))
    })
  })

describe("a run killed with SIGKILL at random moments", () => {
  it("resumes to exactly the files of an uninterrupted run, redoing only unfinished batches", async () => {
    const clean = await mkdtemp(join(tmpdir(), "autodidact-clean-"))
    const t0 = Date.now()
    expect(await runChild(clean)).toBe(true)
    const duration = Date.now() - t0
    // A run with nothing left to do measures start-up (Node, DuckDB, reading manifests).
    const t1 = Date.now()
    expect(await runChild(clean)).toBe(true)
    const startup = Date.now() - t1
    const work = Math.max(duration - startup, 200)
    const expected = await runFiles(join(clean, "runs", "demo"))

    const killed = await mkdtemp(join(tmpdir(), "autodidact-killed-"))
    const rng = rngFor(2026, "kill-resume-test", "delays")
    const kills: Array<number> = []
    let finished = false
    let reusedParts = 0
    // Kill points drawn from a fixed seed, spread over the length of an uninterrupted run (start-up included).
    for (let attempt = 0; attempt < 12 && !finished; attempt++) {
      const delay = attempt < 8 ? startup + rng.int(Math.round(work * 0.02), Math.round(work * 0.2)) : undefined
      finished = await runChild(killed, delay)
      if (!finished) kills.push(delay!)
      else {
        const summary = JSON.parse(await readFile(join(killed, "runs", "demo", "summary.json"), "utf8")) as RunSummary
        reusedParts = summary.stages.reduce((n, s) => n + s.parts_reused, 0)
      }
    }
    console.log(`uninterrupted run ${duration} ms (start-up ${startup} ms); killed at ${kills.join(", ")} ms`)
    expect(finished).toBe(true)
    expect(kills.length, `killed at ${kills.join(", ")} ms`).toBeGreaterThanOrEqual(3)
    // The last run reused what the killed runs had finished, rather than starting over.
    expect(reusedParts).toBeGreaterThan(0)

    const actual = await runFiles(join(killed, "runs", "demo"))
    expect([...actual.keys()]).toEqual([...expected.keys()])
    for (const [name, bytes] of expected) expect(actual.get(name)!.equals(bytes), `${name} differs after kills at ${kills.join(", ")} ms`).toBe(true)
  })
})
