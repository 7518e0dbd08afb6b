import { Effect } from "effect"
import { Command, Flag, Argument } from "effect/cli"
import { listVersions } from "#store"
import { unknownToUsage } from "../errors.ts"
import { emit } from "../output.ts"

export const versionsCommand = Command.make(
  "versions",
  {
    name: Argument.String("name").pipe(Argument.withDescription("dataset name, e.g. math")),
    dataDir: Flag.String("data-dir").pipe(Flag.withDescription("data folder holding datasets/ and catalog.duckdb"), Flag.withDefault("data")),
    json: Flag.Boolean("json").pipe(Flag.withDescription("print {dataset, latest, versions: [{version, latest, locked, created_at, parent, content_hash, rows}]}, oldest first"), Flag.withDefault(false))
  },
  ({ name, dataDir, json }) =>
    Effect.gen(function* () {
      const { latest, versions } = yield* listVersions(dataDir, name)
      const rows = versions.map(({ manifest: _m, ...v }) => v)
      yield* emit(json, { dataset: name, latest, versions: rows }, () => {
        const lines = [`${name}: ${versions.length} version${versions.length === 1 ? "" : "s"}, LATEST ${latest}`]
        for (const v of [...versions].reverse()) {
          const counts = Object.entries(v.rows).map(([c, n]) => `${c} ${n}`).join(", ")
          const marks = [v.latest ? "LATEST" : "", v.locked ? "locked" : ""].filter((s) => s !== "").join(", ")
          lines.push(`${v.latest ? "*" : " "} ${v.version}  ${v.created_at}  ${v.content_hash.slice(0, 12)}  ${counts}${marks ? `  (${marks})` : ""}`)
        }
        return lines.join("\n")
      })
    }).pipe(Effect.catchTag("UnknownDataset", unknownToUsage.UnknownDataset))
).pipe(Command.withDescription("List a dataset's published versions, newest first, with rows per config; * marks LATEST."))
