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
}

/** Long strings in sample rows are cut so the card stays readable. */
export const truncateStrings = (value: unknown, max = 240): unknown => {
  if (typeof value === "string") return value.length > max ? `${value.slice(0, max)}… (+${value.length - max} chars)` : value
  if (Array.isArray(value)) return value.map((v) => truncateStrings(v, max))
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, truncateStrings(v, max)]))
  return value
}

/**
 * The YAML header Hugging Face `datasets` reads: one entry per config with its shards listed per split,
 * paths relative to the version folder, so `load_dataset("<version folder>", "sft")` needs nothing else.
 * A split with no rows is left out (its 0-row shard stays in the manifest): `datasets` cannot load a
 * declared split that has no data.
 */
export const cardHeader = (m: Manifest, title: string): string =>
  stringify(
    {
      pretty_name: title,
      configs: Object.entries(m.configs).map(([name, c]) => ({
        config_name: name,
        data_files: Object.entries(c.splits)
          .filter(([, s]) => s.rows > 0)
          .map(([split, s]) => ({ split, path: s.files.map((f) => f.path) }))
      }))
    },
    { lineWidth: 0 }
  )

const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ")

/** The dataset card (README.md of a version). */
export const renderCard = (m: Manifest, card: CardInput, samples: Readonly<Record<string, unknown>>): string => {
  const out: Array<string> = ["---", cardHeader(m, card.title).trimEnd(), "---", "", `# ${card.title}`, "", card.summary.trim(), ""]
  const code = m.code_version ? `${m.code_version.package}${m.code_version.git ? ` (git ${m.code_version.git.slice(0, 12)})` : ""}` : "unknown"
  out.push(
    `Version **${m.version}** of dataset \`${m.dataset}\`${m.parent ? ` (previous version ${m.parent})` : " (first version)"}, ` +
      `published ${m.created_at} by pipeline \`${m.pipeline}\`, code ${code}. Content hash \`${m.content_hash.slice(0, 16)}\`.`,
    ""
  )
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
    `- Shards: up to ${m.layout.shard_rows} rows each, row groups of ${m.layout.row_group_rows} rows, ZSTD.`,
    ""
  )
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
  const first = Object.keys(m.configs)[0] ?? "sft"
  out.push(
    "## Loading",
    "",
    "```python",
    "from datasets import load_dataset",
    `ds = load_dataset("path/to/${m.dataset}/${m.version}", "${first}")   # DatasetDict with train and test`,
    "",
    "import pyarrow.dataset as pads",
    `table = pads.dataset("path/to/${m.dataset}/${m.version}/${first}", format="parquet").to_table()`,
    "```",
    ""
  )
  return out.join("\n")
}
