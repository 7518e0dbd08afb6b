import { Effect } from "effect"
import { Command, Flag, Argument } from "effect/cli"
import { rollback } from "#store"
import { unknownToUsage } from "../errors.ts"
import { emit } from "../output.ts"
import { requireWritableDir } from "../paths.ts"

export const rollbackCommand = Command.make(
  "rollback",
  {
    name: Argument.String("name").pipe(Argument.withDescription("dataset name, e.g. math")),
    version: Argument.String("version").pipe(Argument.withDescription("the version LATEST should name: v3, 3 or v0003 (see `autodidact versions <name>`)")),
    dataDir: Flag.String("data-dir").pipe(Flag.withDescription("data folder holding datasets/ and catalog.duckdb"), Flag.withDefault("data")),
    json: Flag.Boolean("json").pipe(Flag.withDescription("print {dataset, previous, latest, status: moved|unchanged, message, notes}"), Flag.withDefault(false))
  },
  ({ name, version, dataDir, json }) =>
    Effect.gen(function* () {
      yield* requireWritableDir("--data-dir", dataDir)
      const r = yield* rollback(dataDir, name, version)
      yield* emit(json, r, () => [r.message, ...r.notes.map((n) => `note: ${n}`)].join("\n"))
    }).pipe(Effect.catchTags(unknownToUsage))
).pipe(
  Command.withDescription(
    "Point LATEST at another version of a dataset (instead of editing LATEST by hand). The version is validated first (sha256, size, rows, schema of every shard) " +
      "and refused with the reasons if it fails; LATEST is then replaced atomically under the dataset's lock, and the catalog rebuilt. No version is removed: " +
      "the next build publishes above every existing version, with the new LATEST as its parent. Exit 2 for an unknown dataset or version, 1 when refused."
  )
)
