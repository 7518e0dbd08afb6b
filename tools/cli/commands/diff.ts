import { Effect } from "effect"
import { Command, Flag, Argument } from "effect/cli"
import { diffVersions, type DatasetDiff } from "#store"
import { unknownToUsage } from "../errors.ts"
import { emit } from "../output.ts"
import { requireReadableDataDir } from "../paths.ts"

const signed = (n: number) => (n > 0 ? `+${n}` : String(n))

export const formatDiff = (d: DatasetDiff): string => {
  const row = (name: string, cells: ReadonlyArray<string | number>) => `  ${name.padEnd(16)}${cells.map((n) => String(n).padStart(11)).join("")}`
  const lines = [`${d.dataset} ${d.a} → ${d.b}`, row("config", ["rows A", "rows B", "added", "removed", "changed", "unchanged"])]
  for (const c of d.configs) {
    const note = c.presence === "both" ? "" : c.presence === "added" ? "  (new config)" : "  (config dropped)"
    lines.push(row(c.config, [c.rows_a, c.rows_b, c.added, c.removed, c.changed, c.unchanged]) + note)
    if (c.columns_added.length > 0) lines.push(`    columns added: ${c.columns_added.join(", ")}`)
    if (c.columns_removed.length > 0) lines.push(`    columns removed: ${c.columns_removed.join(", ")}`)
    for (const kind of ["added", "removed", "changed"] as const) {
      if (c.examples[kind].length > 0) lines.push(`    e.g. ${kind}: ${c.examples[kind].join(", ")}`)
    }
  }
  const moved = d.figures.filter((f) => f.delta !== 0)
  lines.push(moved.length === 0 ? "figures: no change" : "figures that changed:")
  for (const f of moved) lines.push(`  ${f.figure.padEnd(40)} ${String(f.a ?? "-").padStart(10)} → ${String(f.b ?? "-").padEnd(10)} (${signed(f.delta)})`)
  return lines.join("\n")
}

export const diffCommand = Command.make(
  "diff",
  {
    name: Argument.String("name").pipe(Argument.withDescription("dataset name, e.g. math")),
    a: Argument.String("version-a").pipe(Argument.withDescription("older version, e.g. v1")),
    b: Argument.String("version-b").pipe(Argument.withDescription("newer version, e.g. v2")),
    dataDir: Flag.String("data-dir").pipe(Flag.withDescription("data folder holding datasets/"), Flag.withDefault("data")),
    json: Flag.Boolean("json").pipe(Flag.withDescription("print {configs: [{config, added, removed, changed, ...}], figures: [{figure, a, b, delta}]}"), Flag.withDefault(false))
  },
  ({ name, a, b, dataDir, json }) =>
    Effect.gen(function* () {
      yield* requireReadableDataDir(dataDir)
      const d = yield* diffVersions(dataDir, name, a, b)
      yield* emit(json, d, () => formatDiff(d))
    }).pipe(Effect.catchTags(unknownToUsage))
).pipe(Command.withDescription("Compare two versions: rows added, removed and changed per config (by row id), and the change in every figure."))
