import { stringify } from "yaml"
import type { Manifest } from "./manifest.ts"

export interface CardInput {
  readonly title: string
  /** Markdown. */
  readonly summary: string
  readonly strategies: ReadonlyArray<string>
  readonly model?: string
  /** Markdown sections the pipeline adds (e.g. fidelity tables). */
  readonly figures?: string
  /** The config `load_dataset(dir)` loads when given no config name (default: the first config). */
  readonly defaultConfig?: string
  /** Hugging Face license id (e.g. "cc-by-4.0") for the header, and markdown saying what it covers. */
  readonly license?: { readonly id: string; readonly text: string }
  /** ISO 639-1 codes for the header's `language`. */
  readonly language?: ReadonlyArray<string>
  /** Hugging Face task categories (e.g. "text-generation", "question-answering"). */
  readonly taskCategories?: ReadonlyArray<string>
  /** Markdown: the text format every config shares (e.g. the final-answer line), shown before the configs. */
  readonly format?: string
  /** Markdown: what the data cannot do. */
  readonly limitations?: string
  /** References of the methods, each as markdown and, where there is one, BibTeX. */
  readonly citations?: ReadonlyArray<{ readonly text: string; readonly bibtex?: string }>
  /** Markdown replacing the generic loading example (e.g. with trainer code). */
  readonly loading?: string
}

/** Long strings in sample rows are cut so the card stays readable. */
export const truncateStrings = (value: unknown, max = 240): unknown => {
  if (typeof value === "string") return value.length > max ? `${value.slice(0, max)}… (+${value.length - max} chars)` : value
  if (Array.isArray(value)) return value.map((v) => truncateStrings(v, max))
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, truncateStrings(v, max)]))
  return value
}

/** Hugging Face's size category of the largest config. */
export const sizeCategory = (rows: number): string =>
  rows < 1_000 ? "n<1K" : rows < 10_000 ? "1K<n<10K" : rows < 100_000 ? "10K<n<100K" : rows < 1_000_000 ? "100K<n<1M" : rows < 10_000_000 ? "1M<n<10M" : "10M<n<100M"

/**
 * The YAML header Hugging Face `datasets` and the Hub read: license, language, task categories, size, and
 * one entry per config with its shards listed per split, paths relative to the version folder, so
 * `load_dataset("<version folder>", "sft")` needs nothing else. One config is marked `default: true`, so
 * `load_dataset("<version folder>")` with no config name loads it
 * (https://huggingface.co/docs/hub/datasets-manual-configuration). A split with no rows is left out (its
 * 0-row shard stays in the manifest): `datasets` cannot load a declared split that has no data.
 */
export const cardHeader = (m: Manifest, title: string, card: Omit<Partial<CardInput>, "title"> = {}): string => {
  const names = Object.keys(m.configs)
  const fallback = names[0]
  const chosen = card.defaultConfig !== undefined && names.includes(card.defaultConfig) ? card.defaultConfig : fallback
  const largest = Math.max(0, ...Object.values(m.configs).map((c) => c.rows))
  return stringify(
    {
      pretty_name: title,
      ...(card.license === undefined ? {} : { license: card.license.id }),
      ...(card.language === undefined ? {} : { language: [...card.language] }),
      ...(card.taskCategories === undefined ? {} : { task_categories: [...card.taskCategories] }),
      size_categories: [sizeCategory(largest)],
      configs: Object.entries(m.configs).map(([name, c]) => ({
        config_name: name,
        ...(name === chosen ? { default: true } : {}),
        data_files: Object.entries(c.splits)
          .filter(([, s]) => s.rows > 0)
          .map(([split, s]) => ({ split, path: s.files.map((f) => f.path) }))
      }))
    },
    { lineWidth: 0 }
  )
}

const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ")

/** The dataset card (README.md of a version). */
export const renderCard = (m: Manifest, card: CardInput, samples: Readonly<Record<string, unknown>>): string => {
  const out: Array<string> = ["---", cardHeader(m, card.title, card).trimEnd(), "---", "", `# ${card.title}`, "", card.summary.trim(), ""]
  const code = m.code_version ? `${m.code_version.package}${m.code_version.git ? ` (git ${m.code_version.git.slice(0, 12)})` : ""}` : "unknown"
  out.push(
    `Version **${m.version}** of dataset \`${m.dataset}\`${m.parent ? ` (previous version ${m.parent})` : " (first version)"}, ` +
      `published ${m.created_at} by pipeline \`${m.pipeline}\`, code ${code}. Content hash \`${m.content_hash.slice(0, 16)}\`.`,
    ""
  )
  if (card.format !== undefined) out.push("## Format", "", card.format.trim(), "")
  out.push("## Configs", "", "| config | train rows | test rows | shards | what it holds |", "|---|---:|---:|---:|---|")
  for (const [name, c] of Object.entries(m.configs)) {
    const shards = Object.values(c.splits).reduce((n, s) => n + s.files.length, 0)
    out.push(`| \`${name}\` | ${c.splits["train"]?.rows ?? 0} | ${c.splits["test"]?.rows ?? 0} | ${shards} | ${cell(c.description)} |`)
  }
  out.push("")
  for (const [name, c] of Object.entries(m.configs)) {
    out.push(`### \`${name}\``, "", c.description, "", "| column | type | description |", "|---|---|---|")
    for (const col of c.columns) out.push(`| \`${col.name}\` | \`${cell(col.type)}\` | ${cell(col.description)} |`)
    out.push("")
    if (samples[name] !== undefined) {
      out.push("One row (long strings cut):", "", "```json", JSON.stringify(truncateStrings(samples[name]), null, 2), "```", "")
    }
  }
  out.push(
    "## How it was made",
    "",
    `- Pipeline: \`${m.pipeline}\`, run \`${m.run.run_id}\`, seed ${m.seed}, config hash \`${m.config_hash.slice(0, 16)}\` (the full config is in manifest.json).`,
    `- Strategies: ${card.strategies.length > 0 ? card.strategies.join("; ") : "none listed"}.`,
    `- Model: ${card.model ?? "none (offline strategies only)"}.`,
    `- Split: ${m.layout.split_rule}; test fraction ${m.layout.test_fraction}. No task appears in both splits.`,
    `- Order: ${m.layout.shuffle_rule}.`,
    `- Shards: up to ${m.layout.shard_rows} rows each${m.layout.shard_rule === undefined ? "" : ` (${m.layout.shard_rule})`}, row groups of ${m.layout.row_group_rows} rows, ZSTD.`,
    ""
  )
  out.push(...groupLines(m))
  out.push("## Lineage", "")
  if (m.seed_files.length > 0) {
    out.push("| seed file | bytes | sha256 |", "|---|---:|---|")
    for (const s of m.seed_files) out.push(`| \`${s.path}\` | ${s.bytes} | \`${s.sha256}\` |`)
    out.push("")
  }
  if (m.run.stages.length > 0) {
    out.push("| stage | rows in | rows out | rejected | cache |", "|---|---:|---:|---:|---|")
    for (const s of m.run.stages) {
      const rejected = Object.values(s.rejects).reduce((a, b) => a + b, 0)
      out.push(`| ${s.name} | ${s.rows_in} | ${s.rows_out} | ${rejected} | ${s.cache} |`)
    }
    out.push("")
  }
  if (card.figures !== undefined && card.figures.trim() !== "") out.push(card.figures.trim(), "")
  const section = (title: string, body: string | undefined) => {
    if (body !== undefined && body.trim() !== "") out.push(`## ${title}`, "", body.trim(), "")
  }
  section("Limitations", card.limitations)
  if (card.loading !== undefined) section("Loading", card.loading)
  else {
    const first = card.defaultConfig ?? Object.keys(m.configs)[0] ?? "sft"
    out.push(
      "## Loading",
      "",
      "```python",
      "from datasets import load_dataset",
      `ds = load_dataset("path/to/${m.dataset}/${m.version}")   # the default config, ${first}: DatasetDict with train and test`,
      "",
      "import pyarrow.dataset as pads",
      `table = pads.dataset("path/to/${m.dataset}/${m.version}/${first}", format="parquet").to_table()`,
      "```",
      ""
    )
  }
  section("License", card.license?.text)
  if (card.citations !== undefined && card.citations.length > 0) {
    out.push("## Citations", "", ...card.citations.map((c) => `- ${c.text}`), "")
    const bib = card.citations.flatMap((c) => (c.bibtex === undefined ? [] : [c.bibtex.trim()]))
    if (bib.length > 0) out.push("```bibtex", bib.join("\n\n"), "```", "")
  }
  return out.join("\n")
}

/** The split column's groups (e.g. seed families) per config: how many in each split and rows per group. */
const groupLines = (m: Manifest): Array<string> => {
  const configs = Object.entries(m.configs).filter(([, c]) => c.groups !== undefined)
  if (configs.length === 0) return []
  const column = configs[0]![1].groups!.column
  const out = [`## Groups (\`${column}\`)`, ""]
  const t = m.layout.test_split
  if (t !== undefined) {
    out.push(
      `The test split holds ${t.groups} of ${t.total_groups} groups (${t.rows} of ${t.total_rows} \`${t.basis}\` rows, ${t.total_rows === 0 ? "0" : ((100 * t.rows) / t.total_rows).toFixed(1)}%); ` +
        `it asks for at least ${t.min_groups} groups and ${(m.layout.test_fraction * 100).toFixed(0)}% of the rows, taking at most ${(t.max_group_share * 100).toFixed(0)}% of the groups.`,
      ""
    )
  }
  out.push("| config | groups in train | groups in test | rows per group: min | median | max |", "|---|---:|---:|---:|---:|---:|")
  for (const [name, c] of configs) {
    const g = c.groups!
    out.push(`| \`${name}\` | ${g.train} | ${g.test} | ${g.rows_min} | ${g.rows_median} | ${g.rows_max} |`)
  }
  out.push("")
  return out
}
