/**
 * Runs RISE and LEMMA injection over every seed problem of data/seeds/math.jsonl (written by the seeds work;
 * skipped until it has at least 80 rows) and checks the same properties as the fixture tests. Success
 * rates per type are printed for the record; the floors asserted are loose on purpose: a type that does
 * not apply to a problem (no "+ 1" to miscount) is not a failure.
 */
import { describe, expect, it } from "vitest"
import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { rngFor } from "#core"
import { verifySolution } from "../verify.ts"
import { answersEqual, extractFinalAnswer } from "../answer.ts"
import { firstDifferingStep, injectError, RISE_ERROR_TYPES } from "./rise.ts"
import { lemmaTrace } from "./lemma-trace.ts"
import { PROGRAMMATIC_LEMMA_TYPES } from "./lemma.ts"

const SEEDS = fileURLToPath(new URL("../../../../data/seeds/math.jsonl", import.meta.url))
const rows: Array<{ question: string; answer: string }> = existsSync(SEEDS)
  ? readFileSync(SEEDS, "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l))
  : []
const SEEDS_PER_ROW = 3

const rate = (ok: number, n: number): string => `${ok}/${n} (${((100 * ok) / n).toFixed(1)}%)`

describe.skipIf(rows.length < 80)("injection over data/seeds/math.jsonl", () => {
  it("RISE: any kind applies to nearly every seed; each kind's rate is reported", () => {
    let any = 0
    const per: Record<string, number> = {}
    for (const [i, row] of rows.entries()) {
      const expected = extractFinalAnswer(row.answer)!.raw
      for (let s = 0; s < SEEDS_PER_ROW; s++) {
        const inj = injectError(row.question, row.answer, rngFor(s, "rise", String(i)))
        if (inj.ok) {
          any++
          expect(verifySolution(inj.rejected).correct).toBe(true)
          expect(verifySolution(inj.rejected, { expected }).code).toBe("final_answer_mismatch")
          expect(firstDifferingStep(inj.chosen, inj.rejected)).toBe(inj.error_step)
        }
        for (const t of RISE_ERROR_TYPES) {
          if (injectError(row.question, row.answer, rngFor(s, "rise", String(i)), { types: [t] }).ok) per[t] = (per[t] ?? 0) + 1
        }
      }
    }
    const n = rows.length * SEEDS_PER_ROW
    console.log(`RISE over ${rows.length} seeds × ${SEEDS_PER_ROW}: any ${rate(any, n)}; ${RISE_ERROR_TYPES.map((t) => `${t} ${rate(per[t] ?? 0, n)}`).join("; ")}`)
    expect(any / n).toBeGreaterThan(0.95)
  })

  it("LEMMA: traces end on the true answer; each type's rate is reported", () => {
    let any = 0
    const per: Record<string, number> = {}
    for (const [i, row] of rows.entries()) {
      const expected = extractFinalAnswer(row.answer)!.raw
      for (let s = 0; s < SEEDS_PER_ROW; s++) {
        const t = lemmaTrace(row.question, row.answer, rngFor(s, "lemma", String(i)))
        if (t.ok) {
          any++
          const content = t.messages[1]!.content
          expect(content.endsWith(`#### ${expected}`)).toBe(true)
          expect(answersEqual(extractFinalAnswer(t.injection.wrong)!.answer, expected)).toBe(false)
        }
        for (const type of PROGRAMMATIC_LEMMA_TYPES) {
          if (lemmaTrace(row.question, row.answer, rngFor(s, "lemma", String(i)), { type }).ok) per[type] = (per[type] ?? 0) + 1
        }
      }
    }
    const n = rows.length * SEEDS_PER_ROW
    console.log(`LEMMA over ${rows.length} seeds × ${SEEDS_PER_ROW}: any ${rate(any, n)}; ${PROGRAMMATIC_LEMMA_TYPES.map((t) => `${t} ${rate(per[t] ?? 0, n)}`).join("; ")}`)
    expect(any / n).toBeGreaterThan(0.95)
  })
})
