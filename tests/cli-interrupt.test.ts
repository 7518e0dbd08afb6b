import { existsSync } from "node:fs"
import { mkdtemp, readFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { runFiles } from "./fixtures/run-files.ts"
import { autodidact, interruptAt } from "./helpers.ts"

const lastLine = (text: string): string => text.trimEnd().split("\n").at(-1) ?? ""

describe("a build stopped by Ctrl-C or SIGTERM", () => {
  it("says where the run stopped, exits 130 or 143, releases the run, and the same command resumes it to the same result", async () => {
    const dir = await mkdtemp(join(tmpdir(), "autodidact-interrupt-"))
    const args = ["build", "math", "--size", "2000", "--seed", "3", "--out", dir]

    // Ctrl-C while the variants (map stage, batches of 4 seeds) run.
    const first = await interruptAt(args, "variants", "SIGINT")
    expect(first.sent, first.stderr).toBe(true)
    expect(first.code, first.stderr).toBe(130)
    expect(first.stdout).toBe("")
    const stopped = /^interrupted: run (\S+) stopped in stages? (.+), (\d+) of 11 stages finished; run the same command to resume$/
    const m1 = stopped.exec(lastLine(first.stderr))
    expect(m1, first.stderr).not.toBeNull()
    const runDir = m1![1]!
    expect(runDir.startsWith(join(dir, "runs", "math-s3-"))).toBe(true)
    expect(m1![2]).toMatch(/^variants \(\d+ of 77 batches committed\)$/)
    // The run's lock was released on the way out: the next process does not have to take it over.
    expect(existsSync(join(runDir, ".lock"))).toBe(false)

    // SIGTERM while the four stages after `tasks` run.
    const second = await interruptAt(args, "rise", "SIGTERM")
    expect(second.code, second.stderr).toBe(143)
    const m2 = stopped.exec(lastLine(second.stderr))
    expect(m2, second.stderr).not.toBeNull()
    expect(m2![1]).toBe(runDir)
    expect(m2![2]).toMatch(/rise \(\d+ of 8 batches committed\)/)
    expect(Number(m2![3])).toBeGreaterThanOrEqual(4)
    expect(existsSync(join(runDir, ".lock"))).toBe(false)

    const resumed = await autodidact([...args, "--json"])
    expect(resumed.code, resumed.stderr).toBe(0)
    const result = JSON.parse(resumed.stdout)
    expect(result.run_dir).toBe(runDir)
    expect(result.summary.notes ?? []).toEqual([]) // no lock left to take over
    const cache = Object.fromEntries(result.summary.stages.map((s: { name: string; cache: string }) => [s.name, s.cache]))
    expect(cache["seeds"]).toBe("hit")
    expect(cache["tasks"]).toBe("hit")

    // The same result as a run never interrupted.
    const clean = await mkdtemp(join(tmpdir(), "autodidact-uninterrupted-"))
    const whole = await autodidact(["build", "math", "--size", "2000", "--seed", "3", "--out", clean, "--json"])
    expect(whole.code, whole.stderr).toBe(0)
    const wholeResult = JSON.parse(whole.stdout)
    const hash = async (d: string) => JSON.parse(await readFile(join(d, "manifest.json"), "utf8")).content_hash
    expect(await hash(result.dataset.dir)).toBe(await hash(wholeResult.dataset.dir))
    const expected = await runFiles(wholeResult.run_dir)
    const actual = await runFiles(runDir)
    expect([...actual.keys()]).toEqual([...expected.keys()])
    for (const [name, bytes] of expected) expect(actual.get(name)!.equals(bytes), `${name} differs`).toBe(true)
  }, 120_000)

  it("before the run starts, says so; another command just says it was interrupted", async () => {
    // Ctrl-C as soon as the process is up would race start-up; the first stage's line is the earliest
    // point the child reports, so this is checked through the message's wording in interrupt.ts instead.
    const { Whereabouts } = await import("../tools/cli/interrupt.ts")
    const where = new Whereabouts()
    expect(where.interruptedMessage()).toBe("interrupted")
    where.phase = "starting"
    expect(where.interruptedMessage()).toBe("interrupted before the run started; run the same command to start it")
  })
})
