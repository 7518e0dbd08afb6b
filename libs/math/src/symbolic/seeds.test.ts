import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { rngFor } from "#core"
import { verifySolution } from "../verify.ts"
import { variantsOf } from "./variants.ts"

const SEEDS = fileURLToPath(new URL("../../../../data/seeds/math.jsonl", import.meta.url))
const rows: Array<{ line: number; question: string; answer: string }> = existsSync(SEEDS)
  ? readFileSync(SEEDS, "utf8")
      .split("\n")
      .map((text, i) => ({ text, line: i + 1 }))
      .filter(({ text }) => text.trim() !== "")
      .map(({ text, line }) => ({ line, ...(JSON.parse(text) as { question: string; answer: string }) }))
  : []

describe("variantsOf over data/seeds/math.jsonl", () => {
  it.skipIf(rows.length < 80)("templates at least 90% of the seeds, and every variant verifies", () => {
    let templated = 0
    let variants = 0
    const untemplated: string[] = []
    const short: string[] = []
    const rejects = new Map<string, number>()
    for (const row of rows) {
      const res = variantsOf({ question: row.question, reference: row.answer }, { count: 5, rng: rngFor(1, "symbolic-seeds", String(row.line)) })
      if (res.template) templated++
      else untemplated.push(`line ${row.line}: ${res.rejects[0]?.message ?? "?"}`)
      if (res.template && res.variants.length < 5) short.push(`line ${row.line}: ${res.variants.length} variants`)
      for (const r of res.rejects) rejects.set(r.reason, (rejects.get(r.reason) ?? 0) + 1)
      for (const v of res.variants) {
        variants++
        const verdict = verifySolution(v.reference, { expected: v.answer })
        expect(verdict.correct, `line ${row.line}: ${verdict.reason}\n${v.reference}`).toBe(true)
      }
    }
    console.log(
      [
        `symbolic variants over ${rows.length} seeds: ${templated} templated (${((100 * templated) / rows.length).toFixed(1)}%), ${variants} variants`,
        `rejects: ${JSON.stringify(Object.fromEntries(rejects))}`,
        ...untemplated.map((u) => `not templated: ${u}`),
        ...short.map((s) => `fewer than 5: ${s}`)
      ].join("\n")
    )
    expect(templated / rows.length).toBeGreaterThanOrEqual(0.9)
  })
})
