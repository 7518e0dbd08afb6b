import { Effect } from "effect"
import { Command, Flag, Argument } from "effect/cli"
import { gcVersions } from "#store"
import { UsageError, unknownToUsage } from "../errors.ts"
import { emit } from "../output.ts"

export const gcCommand = Command.make(
  "gc",
  {
    name: Argument.String("name").pipe(Argument.withDescription("dataset name, e.g. math")),
    keep: Flag.Int("keep").pipe(Flag.withDescription("how many of the newest versions to keep (LATEST and locked versions are always kept)")),
    dataDir: Flag.String("data-dir").pipe(Flag.withDescription("data folder holding datasets/"), Flag.withDefault("data")),
    json: Flag.Boolean("json").pipe(Flag.withDescription("print {removed: [...], kept: [{version, why}]}"), Flag.withDefault(false))
  },
  ({ name, keep, dataDir, json }) =>
    Effect.gen(function* () {
      if (keep < 1) return yield* new UsageError({ message: `--keep must be at least 1 (got ${keep}); LATEST is always kept` })
      const r = yield* gcVersions(dataDir, name, keep)
      yield* emit(json, r, () =>
        [
          r.removed.length === 0 ? `${name}: nothing to remove` : `${name}: removed ${r.removed.join(", ")}`,
          ...r.kept.map((k) => `  kept ${k.version}: ${k.why}`),
          ...r.notes.map((n) => `note: ${n}`)
        ].join("\n")
      )
    }).pipe(Effect.catchTags(unknownToUsage))
).pipe(Command.withDescription("Remove old versions of a dataset, keeping the newest N, LATEST and any locked version (<dataset>/vNNNN.lock)."))
