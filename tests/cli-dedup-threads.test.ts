import { mkdtemp, readFile, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { rngFor } from "#core"
import { PARALLEL_THRESHOLD } from "#dedup"
import { autodidact } from "./helpers.ts"

/**
 * Past PARALLEL_THRESHOLD rows the commands hand shingling and n-gram look-ups to worker threads; the files they
 * write must be byte for byte those of --threads 1, which keeps everything on the main thread.
 */
const ROWS = PARALLEL_THRESHOLD + 6_000

const rows = (seed: number): Array<string> => {
  const rng = rngFor(seed, "cli-dedup-threads", "rows")
  const out: Array<string> = []
  const texts: Array<string> = []
  for (let i = 0; i < ROWS; i++) {
    let text: string
    if (texts.length > 0 && rng.chance(0.2)) {
      const words = rng.pick(texts).split(" ")
      words[rng.int(0, words.length - 1)] = `x${rng.int(0, 99)}`
      text = words.join(" ")
    } else {
      text = Array.from({ length: rng.int(14, 40) }, () => `w${rng.int(0, 299)}`).join(" ")
    }
    texts.push(text)
    out.push(JSON.stringify(i % 3 === 0 ? { id: `r${i}`, text } : { text }))
  }
  return out
}

const run = async (args: ReadonlyArray<string>, out: string) => {
  const r = await autodidact([...args, "--out", out, "--json"])
  expect(r.code, r.stderr).toBe(0)
  return { json: JSON.parse(r.stdout) as Record<string, unknown>, kept: await readFile(join(out, "kept.jsonl"), "utf8"), removed: await readFile(join(out, "removed.jsonl"), "utf8") }
}

describe("--threads", () => {
  it("dedup --method minhash writes the same files with 1 and 3 threads", async () => {
    const dir = await mkdtemp(join(tmpdir(), "autodidact-threads-"))
    const file = join(dir, "rows.jsonl")
    await writeFile(file, rows(1).join("\n") + "\n")
    const args = ["dedup", file, "--field", "text", "--method", "minhash", "--threshold", "0.7"]
    const one = await run([...args, "--threads", "1"], join(dir, "one"))
    const three = await run([...args, "--threads", "3"], join(dir, "three"))
    expect(one.json["removed"]).toBeGreaterThan(1_000)
    expect({ ...three.json, out: undefined, threads: undefined }).toEqual({ ...one.json, out: undefined, threads: undefined })
    expect(three.kept).toBe(one.kept)
    expect(three.removed).toBe(one.removed)
  })

  it("decontaminate writes the same files with 1 and 3 threads", async () => {
    const dir = await mkdtemp(join(tmpdir(), "autodidact-threads-"))
    const file = join(dir, "rows.jsonl")
    const lines = rows(2)
    await writeFile(file, lines.join("\n") + "\n")
    const benchmark = join(dir, "bench.jsonl")
    await writeFile(benchmark, lines.filter((_, i) => i % 50 === 7).map((l) => JSON.stringify({ question: JSON.parse(l).text })).join("\n") + "\n")
    const args = ["decontaminate", file, "--field", "text", "--against", benchmark, "--against-field", "question", "--ngram", "8"]
    const one = await run([...args, "--threads", "1"], join(dir, "one"))
    const three = await run([...args, "--threads", "3"], join(dir, "three"))
    expect(one.json["removed"]).toBeGreaterThan(500)
    expect({ ...three.json, out: undefined, threads: undefined }).toEqual({ ...one.json, out: undefined, threads: undefined })
    expect(three.kept).toBe(one.kept)
    expect(three.removed).toBe(one.removed)
  })

  it("is refused with --method exact or rouge, and below 1", async () => {
    const dir = await mkdtemp(join(tmpdir(), "autodidact-threads-"))
    const file = join(dir, "rows.jsonl")
    await writeFile(file, `{"text": "a"}\n`)
    const exact = await autodidact(["dedup", file, "--field", "text", "--method", "exact", "--threads", "2", "--out", join(dir, "o")])
    expect(exact.code).toBe(2)
    expect(exact.stderr).toContain("--threads: only for --method minhash; exact runs on the main thread")
    const zero = await autodidact(["decontaminate", file, "--field", "text", "--against", file, "--threads", "0", "--out", join(dir, "o")])
    expect(zero.code).toBe(2)
    expect(zero.stderr).toContain("--threads takes a whole number of at least 1, got 0")
  })
})
