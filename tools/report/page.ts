/**
 * The HTML report of one dataset version: one self-contained page (inline style and SVG, no script, no
 * link to anything outside it), so it can be mailed, archived next to the data, or opened offline.
 * Every figure comes from the version's manifest (the run summary it keeps) and its shards.
 */
import type { StageEntry } from "#store"
import { barChart, escapeHtml, formatCount, stackedColumns, type Bar } from "./charts.ts"
import type { ReportData } from "./data.ts"

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:24px;color:#222;line-height:1.45}
h1{margin-bottom:4px}h2{margin-top:36px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#555;font-size:14px}.meta code{font-size:13px}
table{border-collapse:collapse;margin:8px 0;font-size:14px}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:12px 0}figcaption{font-weight:600;margin-bottom:6px}
.empty{color:#666;font-style:italic}
.sample{border:1px solid #ddd;border-radius:6px;padding:8px 12px;margin:10px 0;background:#fafafa}
.sample dt{font-weight:600;font-size:13px;color:#444;margin-top:6px}.sample dd{margin:2px 0 0 0}
.text{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:13px;background:#fff;border:1px solid #eee;padding:6px;border-radius:4px}
.turn{margin:4px 0}.role{display:inline-block;min-width:72px;font-weight:600;font-size:12px;color:#3b6ea5}
.notes li{color:#8a4b00}
`

const MAX_TEXT = 2000

export const renderReport = (d: ReportData): string => {
  const m = d.manifest
  const stages = m.run.stages
  const sections = [
    header(d),
    rowsSection(d),
    figureSection("Verification pass rates", "verification", verification(stages), "no stage verified anything in this run", { max: 100 }),
    figureSection("Injected error types", "error-types", prefixed(stages, "error_type/"), "no stage injected errors in this run"),
    figureSection("Correction strategies", "strategies", prefixed(stages, "strategy/"), "no stage recorded a strategy in this run"),
    figureSection("Judge score distribution", "judge-scores", prefixed(stages, "judge/score/"), "no judge stage ran for this version: rows are checked by exact verification only"),
    figureSection("Rejects by reason per stage", "rejects", rejects(stages), "no stage rejected a row"),
    dedupSection(stages),
    costSection(d),
    diffSection(d),
    stagesSection(stages),
    samplesSection(d),
    d.notes.length === 0 ? "" : `<h2>Notes</h2><ul class="notes">${d.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>`
  ]
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(`${d.dataset} ${d.version}: Autodidact report`)}</title>` +
    `<style>${STYLE}</style></head><body>${sections.join("\n")}</body></html>\n`
  )
}

const header = (d: ReportData): string => {
  const m = d.manifest
  const code = m.code_version === null ? "unknown" : `${m.code_version.package}${m.code_version.git === undefined ? "" : ` (git ${m.code_version.git.slice(0, 12)})`}`
  const total = Object.values(m.configs).reduce((a, c) => a + c.rows, 0)
  return (
    `<h1>${escapeHtml(d.dataset)} ${escapeHtml(d.version)}</h1>` +
    `<p class="meta">pipeline <code>${escapeHtml(m.pipeline)}</code>, seed ${m.seed}, published ${escapeHtml(m.created_at)}` +
    `${d.version === d.latest ? " (LATEST)" : `; LATEST is ${escapeHtml(d.latest)}`}; parent ${escapeHtml(m.parent ?? "none")}; ` +
    `${formatCount(total)} rows in ${Object.keys(m.configs).length} configs; code ${escapeHtml(code)}; content hash <code>${m.content_hash.slice(0, 16)}</code></p>`
  )
}

const rowsSection = (d: ReportData): string => {
  const configs = [...new Set(d.history.flatMap((h) => Object.keys(h.rows)))]
  // train first: it is the bottom of each column and the first column of the table.
  const splits = [...new Set(d.history.flatMap((h) => Object.values(h.rows).flatMap((r) => Object.keys(r))))].sort((a, b) => (a === "train" ? -1 : b === "train" ? 1 : a < b ? -1 : 1))
  const groups = configs.map((c) => ({ name: c, columns: d.history.map((h) => h.version), values: splits.map((s) => d.history.map((h) => h.rows[c]?.[s] ?? 0)) }))
  const current = d.manifest.configs
  const table =
    `<table><tr><th>config</th>${splits.map((s) => `<th class="n">${escapeHtml(s)}</th>`).join("")}<th class="n">rows</th><th class="n">shards</th><th>description</th></tr>` +
    Object.entries(current)
      .map(
        ([name, c]) =>
          `<tr><td>${escapeHtml(name)}</td>${splits.map((s) => `<td class="n">${formatCount(c.splits[s]?.rows ?? 0)}</td>`).join("")}` +
          `<td class="n">${formatCount(c.rows)}</td><td class="n">${Object.values(c.splits).reduce((a, s) => a + s.files.length, 0)}</td><td>${escapeHtml(c.description)}</td></tr>`
      )
      .join("") +
    `</table>`
  return `<h2>Rows per config and split</h2>${table}${chart("rows-history", `Rows per config and split, ${d.history[0]!.version} to ${d.version}`, stackedColumns(groups, splits))}`
}

const chart = (id: string, caption: string, svg: string): string =>
  `<figure class="chart" data-chart="${id}">${caption === "" ? "" : `<figcaption>${escapeHtml(caption)}</figcaption>`}${svg}</figure>`

const figureSection = (title: string, id: string, bars: ReadonlyArray<Bar>, empty: string, options: { readonly max?: number } = {}): string =>
  `<h2>${escapeHtml(title)}</h2>` + (bars.length === 0 ? `<p class="empty" data-empty="${id}">${escapeHtml(empty)}</p>` : chart(id, "", barChart(bars, options)))

const percent = (n: number, d: number): string => `${((100 * n) / d).toFixed(1)}%`

/** Counters `verify/<origin>/passed|failed`, as a pass rate per stage and origin. */
const verification = (stages: ReadonlyArray<StageEntry>): Array<Bar> =>
  stages.flatMap((s) => {
    const origins = [...new Set(Object.keys(s.counters).filter((k) => k.startsWith("verify/")).map((k) => k.split("/")[1]!))].sort()
    return origins.flatMap((o) => {
      const passed = s.counters[`verify/${o}/passed`] ?? 0
      const total = passed + (s.counters[`verify/${o}/failed`] ?? 0)
      return total === 0 ? [] : [{ label: `${s.name}: ${o}`, value: (100 * passed) / total, text: `${percent(passed, total)} of ${formatCount(total)}` }]
    })
  })

/** Every stage's counters under a prefix, one bar each (labelled by stage when several stages count them). */
const prefixed = (stages: ReadonlyArray<StageEntry>, prefix: string): Array<Bar> => {
  const hits = stages.map((s) => ({ s, entries: Object.entries(s.counters).filter(([k]) => k.startsWith(prefix)) })).filter((x) => x.entries.length > 0)
  return hits.flatMap(({ s, entries }) =>
    entries.map(([k, v]) => ({ label: hits.length > 1 ? `${s.name}: ${k.slice(prefix.length)}` : k.slice(prefix.length), value: v }))
  )
}

const rejects = (stages: ReadonlyArray<StageEntry>): Array<Bar> =>
  stages.flatMap((s) => Object.entries(s.rejects).map(([reason, n]) => ({ label: `${s.name}: ${reason}`, value: n })))

const DEDUP_STAGE = /^(dedup|decontaminat)/

const dedupSection = (stages: ReadonlyArray<StageEntry>): string => {
  const found = stages.filter((s) => DEDUP_STAGE.test(s.name))
  if (found.length === 0) return `<h2>Deduplication and decontamination</h2><p class="empty" data-empty="dedup">no deduplication or decontamination stage ran for this version</p>`
  const bars = found.flatMap((s) => Object.entries(s.rejects).map(([r, n]) => ({ label: `${s.name}: ${r}`, value: n, text: `${formatCount(n)} of ${formatCount(s.rows_in)}` })))
  const table =
    `<table><tr><th>stage</th><th class="n">rows in</th><th class="n">kept</th><th class="n">removed</th></tr>` +
    found.map((s) => `<tr><td>${escapeHtml(s.name)}</td><td class="n">${formatCount(s.rows_in)}</td><td class="n">${formatCount(s.rows_out)}</td><td class="n">${formatCount(s.rows_in - s.rows_out)}</td></tr>`).join("") +
    `</table>`
  const removals = bars.some((b) => b.value > 0) ? chart("dedup", "Removals by reason", barChart(bars)) : `<p class="empty" data-empty="dedup-removals">nothing was removed: no duplicate or contaminated row was found</p>`
  return `<h2>Deduplication and decontamination</h2>${table}${removals}`
}

interface StageUsage {
  readonly requests: number
  readonly promptTokens: number
  readonly completionTokens: number
  readonly cacheHits: number
  readonly costUsd?: number
}

/** The model's figures the run summary keeps under `reports.model` (libs/llm's ModelUsage). */
const modelUsage = (d: ReportData): { readonly name: string; readonly byStage: Readonly<Record<string, StageUsage>>; readonly costUsd?: number } | undefined => {
  const report = d.manifest.run.reports?.["model"] as { name?: string; usage?: { byStage?: Record<string, StageUsage>; costUsd?: number } } | undefined
  if (report?.usage?.byStage === undefined) return undefined
  return { name: report.name ?? "model", byStage: report.usage.byStage, ...(report.usage.costUsd === undefined ? {} : { costUsd: report.usage.costUsd }) }
}

const costSection = (d: ReportData): string => {
  const usage = modelUsage(d)
  if (usage === undefined) return `<h2>Tokens and cost per stage</h2><p class="empty" data-empty="tokens">no model was called for this version (an offline build): no tokens, no cost</p>`
  const entries = Object.entries(usage.byStage)
  const bars = entries.flatMap(([stage, u]) => [
    { label: `${stage}: prompt tokens`, value: u.promptTokens },
    { label: `${stage}: completion tokens`, value: u.completionTokens }
  ])
  const table =
    `<table><tr><th>stage</th><th class="n">requests</th><th class="n">cache hits</th><th class="n">prompt tokens</th><th class="n">completion tokens</th><th class="n">cost (USD)</th></tr>` +
    entries
      .map(
        ([stage, u]) =>
          `<tr><td>${escapeHtml(stage)}</td><td class="n">${formatCount(u.requests)}</td><td class="n">${formatCount(u.cacheHits)}</td><td class="n">${formatCount(u.promptTokens)}</td>` +
          `<td class="n">${formatCount(u.completionTokens)}</td><td class="n">${u.costUsd === undefined ? "–" : u.costUsd.toFixed(4)}</td></tr>`
      )
      .join("") +
    `</table>`
  return `<h2>Tokens and cost per stage</h2><p class="meta">model ${escapeHtml(usage.name)}${usage.costUsd === undefined ? "; no prices given" : `; total $${usage.costUsd.toFixed(4)}`}</p>${table}${chart("tokens", "Tokens per stage", barChart(bars))}`
}

const diffSection = (d: ReportData): string => {
  if (d.diff === undefined) return `<h2>Changes against the parent</h2><p class="empty" data-empty="diff">${escapeHtml(d.manifest.parent === null ? "this is the first version: no parent to compare with" : `no diff against the parent ${d.manifest.parent}: see the notes below`)}</p>`
  const diff = d.diff
  const table =
    `<table><tr><th>config</th><th class="n">rows ${escapeHtml(diff.a)}</th><th class="n">rows ${escapeHtml(diff.b)}</th><th class="n">added</th><th class="n">removed</th><th class="n">changed</th><th class="n">unchanged</th></tr>` +
    diff.configs
      .map(
        (c) =>
          `<tr><td>${escapeHtml(c.config)}${c.presence === "both" ? "" : ` (${c.presence})`}</td><td class="n">${formatCount(c.rows_a)}</td><td class="n">${formatCount(c.rows_b)}</td>` +
          `<td class="n">${formatCount(c.added)}</td><td class="n">${formatCount(c.removed)}</td><td class="n">${formatCount(c.changed)}</td><td class="n">${formatCount(c.unchanged)}</td></tr>`
      )
      .join("") +
    `</table>`
  const moved = diff.figures.filter((f) => f.delta !== 0)
  const bars = diff.configs.flatMap((c) => [
    { label: `${c.config}: added`, value: c.added },
    { label: `${c.config}: removed`, value: c.removed },
    { label: `${c.config}: changed`, value: c.changed }
  ])
  const figures =
    moved.length === 0
      ? `<p class="empty">no figure changed</p>`
      : `<details><summary>${moved.length} figures changed</summary><table><tr><th>figure</th><th class="n">${escapeHtml(diff.a)}</th><th class="n">${escapeHtml(diff.b)}</th><th class="n">change</th></tr>` +
        moved.map((f) => `<tr><td>${escapeHtml(f.figure)}</td><td class="n">${f.a ?? "–"}</td><td class="n">${f.b ?? "–"}</td><td class="n">${f.delta > 0 ? "+" : ""}${formatCount(f.delta)}</td></tr>`).join("") +
        `</table></details>`
  return `<h2>Changes against the parent (${escapeHtml(diff.a)} → ${escapeHtml(diff.b)})</h2>${table}${chart("diff", "Rows added, removed and changed by id", barChart(bars))}${figures}`
}

const stagesSection = (stages: ReadonlyArray<StageEntry>): string =>
  `<h2>Stages</h2><table><tr><th>stage</th><th class="n">rows in</th><th class="n">rows out</th><th class="n">rejected</th><th>cache</th><th class="n">seconds</th></tr>` +
  stages
    .map(
      (s) =>
        `<tr><td>${escapeHtml(s.name)}</td><td class="n">${formatCount(s.rows_in)}</td><td class="n">${formatCount(s.rows_out)}</td>` +
        `<td class="n">${formatCount(Object.values(s.rejects).reduce((a, n) => a + n, 0))}</td><td>${escapeHtml(s.cache)}</td><td class="n">${(s.duration_ms / 1000).toFixed(1)}</td></tr>`
    )
    .join("") +
  `</table>`

const samplesSection = (d: ReportData): string => {
  const parts = Object.entries(d.samples).map(
    ([config, rows]) => `<h3>${escapeHtml(config)}</h3>` + rows.map((row, i) => `<div class="sample" data-sample="${escapeHtml(config)}-${i}"><dl>${fields(row)}</dl></div>`).join("")
  )
  return `<h2>Sample rows</h2><p class="meta">The first rows of each config's train split, as a trainer reads them.</p>${parts.join("")}`
}

const fields = (row: Readonly<Record<string, unknown>>): string =>
  Object.entries(row)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${value(v)}</dd>`)
    .join("")

const isTurn = (v: unknown): v is { role: string; content: string } =>
  typeof v === "object" && v !== null && typeof (v as { role?: unknown }).role === "string" && typeof (v as { content?: unknown }).content === "string"

/** Chat turns as turns, long strings as preformatted text (cut at MAX_TEXT), everything else as JSON. */
const value = (v: unknown): string => {
  if (Array.isArray(v) && v.length > 0 && v.every(isTurn)) return v.map((t) => `<div class="turn"><span class="role">${escapeHtml(t.role)}</span><div class="text">${text(t.content)}</div></div>`).join("")
  if (typeof v === "string") return v.length > 60 || v.includes("\n") ? `<div class="text">${text(v)}</div>` : escapeHtml(v)
  return `<code>${escapeHtml(JSON.stringify(v))}</code>`
}

const text = (s: string): string => escapeHtml(s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}… (${formatCount(s.length - MAX_TEXT)} more characters)` : s)
