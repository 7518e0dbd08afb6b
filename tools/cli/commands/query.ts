import { Effect, Option } from "effect"
import { Command, Flag, Argument } from "effect/cli"
import { queryDataset, type QueryResult } from "#store"
import { unknownToUsage } from "../errors.ts"
import { emit } from "../output.ts"

const text = (v: unknown): string => (v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v))

const MAX_CELL = 60

/** An aligned text table; long cells are cut (use --format csv or json for whole values). */
export const formatTable = (r: QueryResult): string => {
  const names = r.columns.map((c) => c.name)
  const cells = r.rows.map((row) =>
    names.map((n) => {
      const s = text(row[n]).replaceAll("\n", "\\n")
      return s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 1)}…` : s
    })
  )
  const widths = names.map((n, i) => Math.max(n.length, ...cells.map((c) => c[i]!.length)))
  const numeric = r.columns.map((c) => /INT|DOUBLE|FLOAT|DECIMAL|REAL/.test(c.type) && !c.type.endsWith("]"))
  const line = (vals: ReadonlyArray<string>) => vals.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join("  ").trimEnd()
  return [line(names), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line), `(${r.rows.length} row${r.rows.length === 1 ? "" : "s"}, ${r.dataset} ${r.version})`].join("\n")
}

/** RFC 4180 CSV; nested values as JSON text. */
export const formatCsv = (r: QueryResult): string => {
  const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s)
  const names = r.columns.map((c) => c.name)
  return [names.map(quote).join(","), ...r.rows.map((row) => names.map((n) => quote(text(row[n]))).join(","))].join("\n")
}

export const queryCommand = Command.make(
  "query",
  {
    name: Argument.String("name").pipe(Argument.withDescription("dataset name, e.g. math")),
    sql: Argument.String("sql").pipe(
      Argument.withDescription("SQL over the views <config> (the chosen version), <config>_vNNNN and <config>_all (every version, with a version column); each has a split column")
    ),
    version: Flag.String("version").pipe(Flag.withDescription("version the <config> views show (default LATEST), e.g. v3 or v0003"), Flag.optional),
    format: Flag.Literals("format", ["table", "csv", "json"] as const).pipe(Flag.withDescription("output format"), Flag.withDefault("table" as const)),
    dataDir: Flag.String("data-dir").pipe(Flag.withDescription("data folder holding datasets/"), Flag.withDefault("data")),
    json: Flag.Boolean("json").pipe(Flag.withDescription("same as --format json"), Flag.withDefault(false))
  },
  ({ name, sql, version, format, dataDir, json }) =>
    Effect.gen(function* () {
      const result = yield* queryDataset(dataDir, name, sql, Option.getOrUndefined(version))
      const chosen = json ? "json" : format
      if (chosen === "json") return yield* emit(true, result.rows, () => "")
      yield* emit(false, result, () => (chosen === "csv" ? formatCsv(result) : formatTable(result)))
    }).pipe(Effect.catchTags(unknownToUsage))
).pipe(
  Command.withDescription(
    'Run SQL (DuckDB) over a dataset, e.g. autodidact query math "SELECT split, count(*) FROM sft GROUP BY split". ' +
      "Views: one per config for the chosen version, <config>_vNNNN per version, <config>_all over all versions."
  )
)
