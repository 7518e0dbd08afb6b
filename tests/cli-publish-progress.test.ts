import { existsSync, readdirSync } from "node:fs"
import { mkdtemp } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { cliInProcess } from "./cli-in-process.ts"

describe("autodidact build: the publish's progress and DuckDB's memory", () => {
  it("shows the publish on stderr as it starts and ends (plain lines off a terminal), with DuckDB spilling under <out>/cache/duckdb-tmp (nothing left there after)", async () => {
    const out = await mkdtemp(join(tmpdir(), "autodidact-publish-progress-"))
    const r = await cliInProcess("build", "math", "--size", "20", "--out", out, "--memory-limit", "1GB")
    expect(r.code, r.stderr).toBe(0)
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("publish math"))
    expect(lines[0]).toMatch(/^publish math {7}sft: staging rows 0\/\d+, \d+\.\ds$/)
    expect(lines.at(-1)).toMatch(/^publish math {7}published v0001, \d+\.\ds$/)
    // After the stages' lines: the publish starts once the run is over.
    expect(r.stderr.indexOf("publish math")).toBeGreaterThan(r.stderr.lastIndexOf(" done "))
    const spill = join(out, "cache", "duckdb-tmp")
    expect(existsSync(spill)).toBe(true)
    expect(readdirSync(spill)).toEqual([])
  })

  it("refuses a --memory-limit that is not a size, before building", async () => {
    const out = await mkdtemp(join(tmpdir(), "autodidact-publish-progress-"))
    const r = await cliInProcess("build", "math", "--out", out, "--memory-limit", "lots")
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--memory-limit takes a size such as 2GB or 1536MiB (got "lots")')
    expect(existsSync(join(out, "runs"))).toBe(false)
  })
})
