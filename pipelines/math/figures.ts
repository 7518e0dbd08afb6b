import type { RunSummary, StageFigures } from "#dag"
import { diversityMarkdown } from "./diversity.ts"
import type { DiversityFigures } from "./diversity.ts"

/**
 * The fidelity figures of a math build, as markdown for the dataset card: verification pass rates,
 * counts per error type and strategy, and rejects by reason per stage (all from the run summary), and
 * the tasks' diversity when it was measured (diversity.ts).
 */
export const fidelityMarkdown = (summary: RunSummary, diversity?: DiversityFigures): string => {
  const stages = new Map(summary.stages.map((s) => [s.name, s]))
  const out: Array<string> = ["## Fidelity", ""]
  out.push("### Verification", "", "| stage | origin | passed | failed | pass rate |", "|---|---|---:|---:|---:|")
  for (const s of summary.stages) {
    const origins = new Set(Object.keys(s.counters).filter((k) => k.startsWith("verify/")).map((k) => k.split("/")[1]!))
    for (const origin of [...origins].sort()) {
      const passed = s.counters[`verify/${origin}/passed`] ?? 0
      const failed = s.counters[`verify/${origin}/failed`] ?? 0
      out.push(`| ${s.name} | ${origin} | ${passed} | ${failed} | ${percent(passed, passed + failed)} |`)
    }
  }
  out.push("", "### Injected errors", "", "| config | error type | rows |", "|---|---|---:|")
  for (const [stage, config] of [["rise", "preference"], ["lemma", "correction"]] as const) {
    for (const [k, v] of counters(stages.get(stage), "error_type/")) out.push(`| ${config} | ${k} | ${v} |`)
  }
  const rise = stages.get("rise")
  if (rise !== undefined) {
    // The tell detector (libs/math/src/inject/tells.ts) is the published measure of the preference configs (issue #11: at most 5%).
    const pairs = rise.rows_out
    const tellRate = `${percent(rise.counters["tells/any"] ?? 0, pairs)} of ${pairs} pairs`
    const lastStep = percent(rise.counters["error_step/last"] ?? 0, pairs)
    // Dataset-level tells (tells.ts pairSurface): near 50% each means neither the larger answer nor a math-blind guess picks the rejected side.
    const larger = percent(rise.counters["direction/larger"] ?? 0, pairs)
    const guess = percent((rise.counters["guess/right"] ?? 0) + (rise.counters["guess/undecided"] ?? 0) / 2, pairs)
    out.push(
      "",
      "### RISE pairs",
      "",
      `Surface-tell rate (tells.ts): ${tellRate}; errors in the last step: ${lastStep}; rejected answer the larger: ${larger}; a guess that never checks the math (repeated operand, then non-whole steps, then the larger answer) right: ${guess}.`,
      ""
    )
    out.push("| figure | value | rows |", "|---|---|---:|")
    for (const [k, v] of counters(rise, "tells/")) if (k !== "any") out.push(`| pairs with tell | ${k} | ${v} |`)
    for (const [k, v] of counters(rise, "error_step/")) out.push(`| error step | ${k} | ${v} |`)
    for (const [k, v] of counters(rise, "tell_rejects/")) out.push(`| candidates refused for tell | ${k} | ${v} |`)
    for (const [k, v] of counters(rise, "direction/")) out.push(`| rejected answer | ${k} | ${v} |`)
    for (const [k, v] of counters(rise, "delete_term/")) out.push(`| delete_term rejected text | ${k} | ${v} |`)
    for (const [k, v] of counters(rise, "edit_steps/")) out.push(`| edit writes in two steps or more | ${k.replace(/\/several$/, "")} | ${v} |`)
  }
  out.push("", "### Correction strategies", "", "| strategy | rows |", "|---|---:|")
  for (const [k, v] of counters(stages.get("lemma"), "strategy/")) out.push(`| ${k} | ${v} |`)
  // Fresh & Restart reorders independent steps; with no other order it falls back to Fix & Continue.
  for (const [k, v] of counters(stages.get("lemma"), "restart_source/")) out.push(`| fresh_and_restart from ${k} | ${v} |`)
  for (const [k, v] of counters(stages.get("lemma"), "restart_fallback/")) out.push(`| restart drawn, fix_and_continue written (${k}) | ${v} |`)
  for (const [k, v] of counters(stages.get("lemma"), "absurd/")) out.push(`| LEMMA candidates refused as absurd: ${k} | ${v} |`)
  out.push("", "### Rejects by reason", "", "| stage | reason | rows |", "|---|---|---:|")
  for (const s of summary.stages) for (const [reason, n] of Object.entries(s.rejects)) out.push(`| ${s.name} | ${reason} | ${n} |`)
  out.push("", "### Stages", "", "| stage | rows in | rows out | cache |", "|---|---:|---:|---|")
  for (const s of summary.stages) out.push(`| ${s.name} | ${s.rows_in} | ${s.rows_out} | ${s.cache} |`)
  if (diversity !== undefined) out.push("", diversityMarkdown(diversity).trimEnd())
  return out.join("\n") + "\n"
}

const counters = (s: StageFigures | undefined, prefix: string): Array<[string, number]> =>
  Object.entries(s?.counters ?? {})
    .filter(([k]) => k.startsWith(prefix))
    .map(([k, v]): [string, number] => [k.slice(prefix.length), v])

const percent = (n: number, d: number): string => (d === 0 ? "–" : `${((100 * n) / d).toFixed(1)}%`)
