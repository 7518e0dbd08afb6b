import { Effect, Option } from "effect"
import { Command, Flag, Argument } from "effect/cli"
import { streamQuery, type QueryColumn, type QuerySink, type QuerySummary } from "#store"
import { existsSync } from "node:fs"
import { unknownToUsage, UsageError } from "../errors.ts"
import { stdoutWriter } from "../output.ts"
import { requireReadableDataDir } from "../paths.ts"

const text = (v: unknown): string => (v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v))

const MAX_CELL = 60
/** Rows the table form shows; csv and json print every row. */
export const TABLE_ROWS = 1000

const count = (n: number) => n.toLocaleString("en-US")

/** An aligned text table of the first rows; long cells are cut (use --format csv or json for whole values). */
export const formatTable = (columns: ReadonlyArray<QueryColumn>, rows: ReadonlyArray<ReadonlyArray<unknown>>, summary: Pick<QuerySummary, "dataset" | "version" | "rows">): string => {
  const cells = rows.map((row) =>
    columns.map((_, i) => {
      const s = text(row[i]).replaceAll("\n", "\\n")
      return s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 1)}…` : s
    })
  )
  const widths = columns.map((c, i) => cells.reduce((w, row) => Math.max(w, row[i]!.length), c.name.length))
  const numeric = columns.map((c) => /INT|DOUBLE|FLOAT|DECIMAL|REAL/.test(c.type) && !c.type.endsWith("]"))
  const line = (vals: ReadonlyArray<string>) => vals.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join("  ").trimEnd()
  const note =
    summary.rows > rows.length
      ? `(first ${count(rows.length)} of ${count(summary.rows)} rows, ${summary.dataset} ${summary.version}; --format csv or json prints them all)`
      : `(${count(summary.rows)} row${summary.rows === 1 ? "" : "s"}, ${summary.dataset} ${summary.version})`
  return [line(columns.map((c) => c.name)), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line), note].join("\n")
}

const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s)

/** RFC 4180 CSV, written as the rows arrive; nested values as JSON text; column names as SQL gave them. */
const csvSink = (write: (s: string) => Promise<void>): QuerySink => ({
  columns: (columns) => write(columns.map((c) => quote(c.name)).join(",") + "\n"),
  rows: (rows) => write(rows.map((row) => row.map((v) => quote(text(v))).join(",")).join("\n") + "\n")
})

/**
 * A JSON array of objects (as `JSON.stringify(rows, null, 2)` prints it), written as the rows arrive.
 * Keys are the column names; a repeated name gets the next free `_N` suffix (`x`, `x_1`).
 */
const jsonSink = (write: (s: string) => Promise<void>) => {
  let keys: ReadonlyArray<string> = []
  let first = true
  const sink: QuerySink = {
    columns: (columns) => void (keys = columns.map((c) => c.key)),
    rows: (rows) => {
      let out = ""
      for (const row of rows) {
        const object = JSON.stringify(Object.fromEntries(keys.map((k, i) => [k, row[i]])), null, 2).replaceAll("\n", "\n  ")
        out += `${first ? "[\n" : ",\n"}  ${object}`
        first = false
      }
      return write(out)
    }
  }
  return { sink, end: () => write(first ? "[]\n" : "\n]\n") }
}

export const queryCommand = Command.make(
  "query",
  {
    name: Argument.String("name").pipe(Argument.withDescription("dataset name, e.g. math")),
    sql: Argument.String("sql").pipe(
      Argument.withDescription(
        "SQL over the views <config> (the chosen version), <config>_vNNNN and <config>_all (every version, with a version column); each has a split column. Read-only: only queries run, and only the dataset's shards can be read"
      )
    ),
    at: Flag.String("at").pipe(Flag.withDescription("version the <config> views show (default LATEST), e.g. v3 or v0003"), Flag.optional),
    format: Flag.Literals("format", ["table", "csv", "json"] as const).pipe(
      Flag.withDescription(`output format; table shows the first ${count(TABLE_ROWS)} rows, csv and json stream every row`),
      Flag.withDefault("table" as const)
    ),
    dataDir: Flag.String("data-dir").pipe(Flag.withDescription("data folder holding datasets/"), Flag.withDefault("data")),
    read: Flag.String("read").pipe(
      Flag.withDescription("another file or folder the SQL may read, e.g. a CSV to join against (repeatable); otherwise only the dataset's shards can be read"),
      Flag.atLeast(0)
    ),
    json: Flag.Boolean("json").pipe(Flag.withDescription("same as --format json"), Flag.withDefault(false))
  },
  ({ name, sql, at, format, dataDir, read, json }) =>
    Effect.gen(function* () {
      yield* requireReadableDataDir(dataDir)
      const missing = read.filter((p) => !existsSync(p))
      if (missing.length > 0) return yield* new UsageError({ message: `--read ${missing[0]}: no such file or folder (--read names a file or folder the SQL may read)` })
      const out = stdoutWriter()
      // The reader went away (`| head`) while the last write was pending: that is the end, not an error.
      const quietWhenClosed = (p: Promise<void>) => p.catch((e: unknown) => {
        if (!out.closed()) throw e
      })
      const version = Option.getOrUndefined(at)
      const chosen = json ? "json" : format
      const run = (sink: QuerySink, rowLimit?: number) =>
        streamQuery(dataDir, name, sql, sink, { read, ...(version === undefined ? {} : { version }), ...(rowLimit === undefined ? {} : { rowLimit }) })
      const summary = yield* Effect.gen(function* () {
        if (chosen === "table") {
          let columns: ReadonlyArray<QueryColumn> = []
          const rows: Array<ReadonlyArray<unknown>> = []
          const summary = yield* run(
            {
              columns: (c) => void (columns = c),
              rows: (chunk) => void rows.push(...chunk.slice(0, TABLE_ROWS - rows.length))
            },
            TABLE_ROWS
          )
          yield* Effect.promise(() => quietWhenClosed(out.write(formatTable(columns, rows, summary) + "\n")))
          return summary
        }
        if (chosen === "csv") return yield* run(csvSink(out.write))
        const j = jsonSink(out.write)
        const summary = yield* run(j.sink)
        yield* Effect.promise(() => quietWhenClosed(j.end()))
        return summary
      }).pipe(
        // The reader went away (`| head`): stop quietly, as other command-line tools do.
        Effect.catchTag("QueryError", (e) => (out.closed() ? Effect.succeed(undefined) : Effect.fail(e))),
        Effect.ensuring(Effect.sync(out.release))
      )
      if (summary !== undefined) for (const w of summary.warnings) process.stderr.write(w + "\n")
    }).pipe(Effect.catchTags(unknownToUsage))
).pipe(
  Command.withDescription(
    'Run SQL (DuckDB) over a dataset, read-only, e.g. autodidact query math "SELECT split, count(*) FROM sft GROUP BY split". ' +
      "Views: one per config for the chosen version, <config>_vNNNN per version, <config>_all over all versions. " +
      "Only queries run (SELECT, FROM, WITH, VALUES, DESCRIBE, SUMMARIZE, SHOW, EXPLAIN) and only the dataset's shards can be read."
  )
)
