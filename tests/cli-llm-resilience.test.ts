import { spawn } from "node:child_process"
import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startScriptedServer, type LoggedRequest, type ScriptedRequest, type ScriptedServer, type ScriptedServerOptions } from "#llm/scripted-server.ts"

const temps: Array<string> = []
const servers: Array<ScriptedServer> = []
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()))
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })))
})
const tempDir = async (prefix: string) => {
  const d = await mkdtemp(join(tmpdir(), prefix))
  temps.push(d)
  return d
}

interface Ran {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** The CLI as a child; `kill` gets a function that SIGKILLs it, for the server's hook to call. */
const cli = (args: ReadonlyArray<string>, kill?: (k: () => void) => void): Promise<Ran> =>
  new Promise((resolve, reject) => {
    const child = spawn(join(process.cwd(), "node_modules/.bin/node"), [join(process.cwd(), "tools/cli/bin.ts"), ...args], { stdio: ["ignore", "pipe", "pipe"] })
    kill?.(() => child.kill("SIGKILL"))
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d) => (stdout += d))
    child.stderr.on("data", (d) => (stderr += d))
    child.on("error", reject)
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr }))
  })

const SIZE = "40"
const problemOf = (r: ScriptedRequest) => r.messages.at(-1)!.content.replace(/^[\s\S]*\nProblem: /, "")
let references = new Map<string, string>()

/** Sample 0 of each task is its reference solution (right); sample 1 moves the final answer by one (wrong). */
const answer = (r: ScriptedRequest, i: number) => {
  const reference = references.get(problemOf(r)) ?? "I cannot solve this.\n#### 0"
  return i % 2 === 0 ? reference : reference.replace(/#### (-?[\d.]+)\s*$/, (_, n: string) => `#### ${Number(n) + 1}`)
}

const serve = async (options: Omit<ScriptedServerOptions, "answer" | "models"> = {}) => {
  const s = await startScriptedServer({ models: ["m"], answer, latencyMs: { min: 1, max: 6 }, ...options })
  servers.push(s)
  return s
}
const modelArgs = (out: string, server: ScriptedServer, concurrency: number) =>
  ["build", "math", "--size", SIZE, "--out", out, "--llm", server.url, "--model", "m", "--samples", "2", "--concurrency", String(concurrency), "--json"]

/** The shard files of the dataset's LATEST version with their sha256, from its manifest. */
const shardsOf = async (out: string) => {
  const ds = join(out, "datasets", "math")
  const version = (await readFile(join(ds, "LATEST"), "utf8")).trim()
  const manifest = JSON.parse(await readFile(join(ds, version, "manifest.json"), "utf8")) as {
    configs: Record<string, { splits: Record<string, { files: Array<{ path: string; sha256: string }> }> }>
  }
  return { version, files: Object.values(manifest.configs).flatMap((c) => Object.values(c.splits).flatMap((s) => s.files.map((f) => `${f.path} ${f.sha256}`))) }
}

beforeAll(async () => {
  // The references the scripted model answers with: the offline build's verified solutions.
  const out = await tempDir("autodidact-llm-refs-")
  const offline = await cli(["build", "math", "--size", SIZE, "--out", out])
  expect(offline.code, offline.stderr).toBe(0)
  const q = await cli(["query", "math", "SELECT messages[1].content AS question, messages[2].content AS solution FROM sft", "--data-dir", out, "--format", "json"])
  references = new Map((JSON.parse(q.stdout) as Array<{ question: string; solution: string }>).map((r) => [r.question, r.solution]))
  expect(references.size).toBe(Number(SIZE))
})

describe("a model build", () => {
  it("under 20% mixed faults completes: every task solved or rejected with the reason, never more in flight than --concurrency", async () => {
    const server = await serve({ faults: { "429": 0.05, "503": 0.04, "500": 0.04, drop: 0.03, malformed: 0.02, stall: 0.02 }, retryAfterMs: 30, seed: 11 })
    const out = await tempDir("autodidact-llm-faults-")
    const r = await cli([...modelArgs(out, server, 3), "--request-timeout", "1"])
    expect(r.code, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout) as { summary: { stages: Array<{ name: string; rows_in: number; rows_out: number; rejects: Record<string, number>; counters: Record<string, number> }>; reports: { model: { usage: { retries: number } } } } }
    const solve = result.summary.stages.find((s) => s.name === "solve")!
    const modelRejects = Object.entries(solve.rejects).filter(([k]) => k.startsWith("model:")).reduce((a, [, n]) => a + n, 0)
    // Each task was either answered (2 samples, one right: one row) or rejected after its retries.
    expect(solve.rows_in).toBe(Number(SIZE))
    expect(solve.counters["solve/samples"]).toBe(2 * (Number(SIZE) - modelRejects))
    expect(solve.rows_out).toBe(Number(SIZE) - modelRejects)
    expect(result.summary.reports.model.usage.retries).toBeGreaterThan(0)
    expect(server.log.some((l) => l.fault !== undefined)).toBe(true)
    expect(server.maxInFlight()).toBeLessThanOrEqual(3)
  })

  it("killed with SIGKILL at points of the server's progress, resumes without paying twice for what it stored, and ends as an uninterrupted build", async () => {
    const concurrency = 3
    // Uninterrupted: an offline build (v0001), then the model build (v0002).
    const clean = await tempDir("autodidact-llm-clean-")
    expect((await cli(["build", "math", "--size", SIZE, "--out", clean])).code).toBe(0)
    const steady = await serve()
    const uninterrupted = await cli(modelArgs(clean, steady, concurrency))
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0)

    const out = await tempDir("autodidact-llm-killed-")
    expect((await cli(["build", "math", "--size", SIZE, "--out", out])).code).toBe(0)
    let killNow: (() => void) | undefined
    let answeredThisRun = 0
    let killAt = Infinity
    const server = await serve({
      onLogged: (entry: LoggedRequest) => {
        if (entry.status !== 200) return
        answeredThisRun++
        if (answeredThisRun === killAt) killNow?.()
      }
    })
    const kills: Array<number> = []
    for (const at of [6, 9, 7]) {
      answeredThisRun = 0
      killAt = at
      const r = await cli(modelArgs(out, server, concurrency), (k) => (killNow = k))
      expect(r.signal, r.stderr).toBe("SIGKILL")
      kills.push(answeredThisRun)
    }
    killAt = Infinity
    const last = await cli(modelArgs(out, server, concurrency))
    expect(last.code, last.stderr).toBe(0)

    // Answers the server gave more than once: only those in flight at a kill (received by the server,
    // not yet stored by the client), at most the concurrency per kill.
    const answered = new Map<string, number>()
    for (const l of server.log) if (l.status === 200) answered.set(l.bodyHash, (answered.get(l.bodyHash) ?? 0) + 1)
    const paidTwice = [...answered.values()].filter((n) => n > 1).length
    console.log(`killed after ${kills.join(", ")} answers; ${paidTwice} answers paid for twice; ${server.log.length} requests in all`)
    expect(paidTwice, `answered at kills: ${kills.join(", ")}`).toBeLessThanOrEqual(kills.length * concurrency)
    expect(answered.size).toBe(Number(SIZE))

    const [a, b] = await Promise.all([shardsOf(clean), shardsOf(out)])
    expect(b.version).toBe("v0002")
    expect(b.files).toEqual(a.files)
  })
})
