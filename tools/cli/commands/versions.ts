import { Effect } from "effect"
import { Command, Flag, Argument } from "effect/cli"
import { listVersions } from "#store"
import { unknownToUsage } from "../errors.ts"
import { emit } from "../output.ts"
import { requireReadableDataDir } from "../paths.ts"

export const versionsCommand = Command.make(
  "versions",
  {
    name: Argument.String("name").pipe(Argument.withDescription("dataset name, e.g. math")),
    dataDir: Flag.String("data-dir").pipe(Flag.withDescription("data folder holding datasets/ and catalog.duckdb"), Flag.withDefault("data")),
    json: Flag.Boolean("json").pipe(
      Flag.withDescription(
        "print {dataset, latest, versions: [{version, latest, locked, created_at, parent, content_hash, rows, state, problems}], leftovers: [{folder, what}]}, oldest first"
      ),
      Flag.withDefault(false)
    )
  },
  ({ name, dataDir, json }) =>
    Effect.gen(function* () {
      yield* requireReadableDataDir(dataDir)
      const { latest, versions, leftovers } = yield* listVersions(dataDir, name)
      const rows = versions.map(({ manifest: _m, ...v }) => v)
      yield* emit(json, { dataset: name, latest, versions: rows, leftovers }, () => {
        const lines = [`${name}: ${versions.length} version${versions.length === 1 ? "" : "s"}, LATEST ${latest}`]
        for (const v of [...versions].reverse()) {
          const counts = Object.entries(v.rows).map(([c, n]) => `${c} ${n}`).join(", ")
          const marks = [v.latest ? "LATEST" : "", v.locked ? "locked" : "", v.state === "damaged" ? `DAMAGED: ${v.problems.join("; ")}` : ""].filter((s) => s !== "").join(", ")
          lines.push(`${v.latest ? "*" : " "} ${v.version}  ${v.created_at}  ${v.content_hash.slice(0, 12)}  ${counts}${marks ? `  (${marks})` : ""}`)
        }
        if (!versions.some((v) => v.latest)) lines.push(`  LATEST names ${latest}, which is not a version here: \`autodidact rollback ${name} <version>\` to point it at one`)
        if (versions.some((v) => v.state === "damaged")) lines.push(`damaged versions fail \`autodidact validate ${name} --at <v>\`; they are kept as history`)
        for (const l of leftovers) lines.push(`  not a version: ${l.folder}: ${l.what}`)
        return lines.join("\n")
      })
    }).pipe(Effect.catchTag("UnknownDataset", unknownToUsage.UnknownDataset))
).pipe(Command.withDescription(
    "List every version of a dataset (each folder with a manifest.json, also those newer than LATEST after a rollback), newest first, with rows per config; " +
      "* marks LATEST, DAMAGED a version whose listed files are missing or of the wrong size; then what is in the folder but is not a version (a stopped publish's staging folder, a version folder without manifest.json)."
  ))
