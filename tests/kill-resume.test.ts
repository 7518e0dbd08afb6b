import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { rngFor } from "#core"
import { runFiles } from "./fixtures/run-files.ts"
import type { RunSummary } from "#dag"

const node = join(process.cwd(), "node_modules", ".bin", "node")
const script = join(process.cwd(), "tests", "fixtures", "run-demo.ts")
// 6,000 rows in 100-row batches, 15 ms a batch: about 160 progress events, so a run can be killed inside any stage.
const args = (dataDir: string) => [script, dataDir, "6000", "100", "2", "15", "11"]

interface ChildRun {
  /** Whether it finished by itself (false: it was killed). */
  readonly finished: boolean
  /** Progress events it reported before it ended. */
  readonly events: number
}

/**
 * Runs the demo pipeline; with `killAtEvent`, SIGKILLs it as soon as it has reported that many progress
 * events (one `advance <stage>` line each), so the kill point is a point of progress, whatever the load.
 */
const runChild = (dataDir: string, killAtEvent?: number): Promise<ChildRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(node, args(dataDir), { stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    let err = ""
    let events = 0
    child.stdout.on("data", (d: Buffer) => {
      out += d
      events += d.toString().split("\n").filter((l) => l.startsWith("advance ")).length
      if (killAtEvent !== undefined && events >= killAtEvent) child.kill("SIGKILL")
    })
    child.stderr.on("data", (d) => (err += d))
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") return resolve({ finished: false, events })
      if (code === 0 && out.includes("finished")) return resolve({ finished: true, events })
      reject(new Error(`demo pipeline exited with ${code}: ${err}`))
    })
  })

/**
 * How many progress events a run over this folder reports before it does new work: one per finished
 * stage (reported as cached) and one per committed part of an unfinished stage (replayed).
 */
const replayedEvents = async (runDir: string): Promise<number> => {
  if (!existsSync(runDir)) return 0
  let n = 0
  for (const stage of await readdir(runDir, { withFileTypes: true })) {
    if (!stage.isDirectory()) continue
    const files = await readdir(join(runDir, stage.name))
    n += files.includes("manifest.json") ? 1 : files.filter((f) => /^part-\d+\.json$/.test(f)).length
  }
  return n
}

const temps: Array<string> = []
afterAll(() => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))))
const tempDir = async (prefix: string) => {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  temps.push(dir)
  return dir
}

describe("a run killed with SIGKILL at random points of its progress", () => {
  it("resumes to exactly the files of an uninterrupted run, redoing only unfinished batches", async () => {
    const clean = await tempDir("autodidact-clean-")
    const uninterrupted = await runChild(clean)
    expect(uninterrupted.finished).toBe(true)
    const expected = await runFiles(join(clean, "runs", "demo"))

    const killed = await tempDir("autodidact-killed-")
    const runDir = join(killed, "runs", "demo")
    const rng = rngFor(2026, "kill-resume-test", "events")
    // Each killed run is stopped after 1 to an 8th of the whole run's events: the kills spread over about
    // half the run, and the first 3 cannot finish it even when a slow machine delivers a kill late.
    const most = Math.max(2, Math.floor(uninterrupted.events / 8))
    const kills: Array<string> = []
    let finished = false
    let reusedParts = 0
    for (let attempt = 0; attempt < 12 && !finished; attempt++) {
      const replayed = await replayedEvents(runDir)
      const killAt = attempt < 8 ? replayed + rng.int(1, most) : undefined
      const run = await runChild(killed, killAt)
      finished = run.finished
      if (!finished) kills.push(`${run.events - replayed} new of ${uninterrupted.events} events`)
      else {
        const summary = JSON.parse(await readFile(join(runDir, "summary.json"), "utf8")) as RunSummary
        reusedParts = summary.stages.reduce((n, s) => n + s.parts_reused, 0)
      }
    }
    console.log(`killed after ${kills.join("; ")}`)
    expect(finished).toBe(true)
    expect(kills.length, `killed after ${kills.join("; ")}`).toBeGreaterThanOrEqual(3)
    // The last run reused what the killed runs had finished, rather than starting over.
    expect(reusedParts).toBeGreaterThan(0)

    const actual = await runFiles(runDir)
    expect([...actual.keys()]).toEqual([...expected.keys()])
    for (const [name, bytes] of expected) expect(actual.get(name)!.equals(bytes), `${name} differs after kills (${kills.join("; ")})`).toBe(true)
  })
})
