import { Effect } from "effect"
import { Command, Flag, Argument } from "effect/cli"
import { gcVersions } from "#store"
import { UsageError, unknownToUsage } from "../errors.ts"
import { emit } from "../output.ts"
import { requireWritableDir } from "../paths.ts"

export const gcCommand = Command.make(
  "gc",
  {
    name: Argument.String("name").pipe(Argument.withDescription("dataset name, e.g. math")),
    keep: Flag.Int("keep").pipe(Flag.withDescription("how many of the newest versions to keep (LATEST and locked versions are always kept)")),
    dataDir: Flag.String("data-dir").pipe(Flag.withDescription("data folder holding datasets/"), Flag.withDefault("data")),
    json: Flag.Boolean("json").pipe(Flag.withDescription("print {removed: [...], kept: [{version, why}], cleaned: [...], leftovers: [{folder, what}], notes}"), Flag.withDefault(false))
  },
  ({ name, keep, dataDir, json }) =>
    Effect.gen(function* () {
      if (keep < 1) return yield* new UsageError({ message: `--keep must be at least 1 (got ${keep}); LATEST is always kept` })
      yield* requireWritableDir("--data-dir", dataDir)
      const r = yield* gcVersions(dataDir, name, keep)
      yield* emit(json, r, () =>
        [
          r.removed.length === 0 ? `${name}: nothing to remove` : `${name}: removed ${r.removed.join(", ")}`,
          ...r.kept.map((k) => `  kept ${k.version}: ${k.why}`),
          ...(r.cleaned.length > 0 ? [`  cleaned leftovers of stopped publishes or gcs: ${r.cleaned.join(", ")}`] : []),
          ...r.leftovers.map((l) => `  left alone ${l.folder}: ${l.what}`),
          ...r.notes.map((n) => `note: ${n}`)
        ].join("\n")
      )
    }).pipe(Effect.catchTags(unknownToUsage))
).pipe(Command.withDescription(
    "Remove old versions of a dataset, keeping the newest N, LATEST and any locked version (<dataset>/vNNNN.lock). " +
      "A version is a folder with manifest.json, whatever its number (versions newer than LATEST after a rollback count, and the newest are kept). " +
      "It also removes what stopped publishes or gcs left (.staging-*, .trash-*), which under the dataset's lock nothing uses; " +
      "a version folder without manifest.json is not a version: it is never counted or removed, only reported."
  ))
