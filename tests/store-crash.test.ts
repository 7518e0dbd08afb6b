import { spawn, type ChildProcess } from "node:child_process"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { LockTimeout } from "#io"
import { publish, validateVersion } from "#store"
import { request, run, sftConfig, sftRow, tempDir, writeParts } from "./store-fixture.ts"

const NODE = join(process.cwd(), "node_modules/.bin/node")

const startChild = (args: object): { child: ChildProcess; output: Promise<{ code: number | null; stdout: string; stderr: string }> } => {
  const child = spawn(NODE, [join(process.cwd(), "tests/store-child.ts"), JSON.stringify(args)], { stdio: ["ignore", "pipe", "pipe"] })
  let stdout = ""
  let stderr = ""
  child.stdout!.on("data", (d) => (stdout += d))
  child.stderr!.on("data", (d) => (stderr += d))
  const output = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })))
  return { child, output }
}

const waitFor = async (path: string, child: { output: Promise<unknown> }, ms = 60_000) => {
  const start = Date.now()
  let ended = false
  void child.output.then(() => (ended = true))
  while (!existsSync(path)) {
    if (ended) throw new Error(`child ended before reaching ${path}: ${JSON.stringify(await child.output)}`)
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${path}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** Starts a publisher of `files` that stops at `hook` (writing a marker there) and waits until it has. */
const stoppedAt = async (dataDir: string, files: ReadonlyArray<string>, hook: "beforeRename" | "beforeLatest") => {
  const marker = join(dataDir, "marker.json")
  const c = startChild({ dataDir, files, hook, marker })
  await waitFor(marker, c)
  return { ...c, marker }
}

/** A dataset with v0001 published, plus part files for a different second version. */
const setup = async () => {
  const dataDir = await tempDir("crash")
  const files1 = await run(writeParts(join(dataDir, "parts1"), Array.from({ length: 200 }, (_, i) => sftRow(i)), 100))
  const files2 = await run(writeParts(join(dataDir, "parts2"), Array.from({ length: 250 }, (_, i) => sftRow(i)), 100))
  const files3 = await run(writeParts(join(dataDir, "parts3"), Array.from({ length: 300 }, (_, i) => sftRow(i)), 100))
  const spec = (files: Array<string>) => [sftConfig(files)]
  const first = await run(publish(request(dataDir, spec(files1), { shardRows: 50 })))
  expect(first.version).toBe("v0001")
  return { dataDir, files1, files2, files3, spec, ds: join(dataDir, "datasets", "math") }
}

const latest = (ds: string) => readFileSync(join(ds, "LATEST"), "utf8").trim()

describe("a publisher killed part-way", () => {
  it("between staging and rename: v0001 stays LATEST and valid; the next publish cleans the staging folder and takes over the lock", async () => {
    const { dataDir, files2, spec, ds } = await setup()
    const c = await stoppedAt(dataDir, files2, "beforeRename")
    c.child.kill("SIGKILL")
    expect((await c.output).code).toBe(null) // killed by the signal, not exited
    const staged = readdirSync(ds).filter((n) => n.startsWith(".staging-"))
    expect(staged).toHaveLength(1)
    expect(existsSync(join(ds, staged[0]!, "manifest.json"))).toBe(true)
    expect(existsSync(join(ds, ".lock"))).toBe(true)
    expect(latest(ds)).toBe("v0001")
    expect(existsSync(join(ds, "v0002"))).toBe(false)
    expect((await run(validateVersion(dataDir, "math"))).problems).toEqual([])

    const next = await run(publish(request(dataDir, spec(files2), { shardRows: 50 })))
    expect(next.status).toBe("published")
    expect(next.version).toBe("v0002")
    expect(next.notes.join("\n")).toMatch(/took over the stale lock .*left by pid \d+/)
    expect(next.notes.join("\n")).toContain(`removed ${join(ds, staged[0]!)}`)
    expect(readdirSync(ds).filter((n) => n.startsWith("."))).toEqual([])
    expect(latest(ds)).toBe("v0002")
    expect((await run(validateVersion(dataDir, "math"))).problems).toEqual([])
  })

  it("between rename and LATEST: v0001 stays LATEST; the complete v0002 is kept (never deleted) and the next publish takes v0003", async () => {
    const { dataDir, files2, spec, ds } = await setup()
    const c = await stoppedAt(dataDir, files2, "beforeLatest")
    c.child.kill("SIGKILL")
    expect((await c.output).code).toBe(null)
    expect(existsSync(join(ds, "v0002", "manifest.json"))).toBe(true)
    expect(latest(ds)).toBe("v0001")
    const before = await run(validateVersion(dataDir, "math"))
    expect(before.version).toBe("v0001")
    expect(before.problems).toEqual([])

    const next = await run(publish(request(dataDir, spec(files2), { shardRows: 50 })))
    expect(next.version).toBe("v0003")
    expect(next.manifest.parent).toBe("v0001")
    expect(next.notes.join("\n")).not.toContain("removed")
    expect(latest(ds)).toBe("v0003")
    expect((await run(validateVersion(dataDir, "math"))).problems).toEqual([])
    expect((await run(validateVersion(dataDir, "math", "v0002"))).problems).toEqual([])
  })
})

describe("concurrent publishers", () => {
  it("two racing processes both publish: one waits for the other's lock, giving v0002 and v0003", async () => {
    const { dataDir, files2, files3, ds } = await setup()
    const a = startChild({ dataDir, files: files2 })
    const b = startChild({ dataDir, files: files3 })
    const [ra, rb] = await Promise.all([a.output, b.output])
    expect(ra.code, ra.stderr).toBe(0)
    expect(rb.code, rb.stderr).toBe(0)
    const versions = [JSON.parse(ra.stdout).version, JSON.parse(rb.stdout).version].sort()
    expect(versions).toEqual(["v0002", "v0003"])
    expect(latest(ds)).toBe("v0003")
    const v2 = await run(validateVersion(dataDir, "math", "v0002"))
    const v3 = await run(validateVersion(dataDir, "math", "v0003"))
    expect(v2.problems).toEqual([])
    expect(v3.problems).toEqual([])
    expect(new Set([v2.rows, v3.rows])).toEqual(new Set([250, 300]))
    expect(JSON.parse(readFileSync(join(ds, "v0003", "manifest.json"), "utf8")).parent).toBe("v0002")
    expect(existsSync(join(ds, ".lock"))).toBe(false)
  })

  it("a live lock makes the second publisher wait, then fail naming the holder", async () => {
    const { dataDir, files2, files3, spec, ds } = await setup()
    const c = await stoppedAt(dataDir, files2, "beforeLatest")
    try {
      const pid = JSON.parse(readFileSync(c.marker, "utf8")).pid
      const error = await run(publish(request(dataDir, spec(files3), { shardRows: 50, lockTimeoutMs: 300 })).pipe(Effect.flip))
      expect(error).toBeInstanceOf(LockTimeout)
      expect(error.message).toContain(`held by pid ${pid}`)
      expect(error.message).toContain(join(ds, ".lock"))
      expect(error.message).toMatch(/waited 0\.\d s/)
    } finally {
      c.child.kill("SIGKILL")
      await c.output
    }
  })
})
