import { Effect, Option } from "effect"
import { Command, Flag, Argument } from "effect/cli"
import { requireValid, validateVersion } from "#store"
import { unknownToUsage } from "../errors.ts"
import { emit } from "../output.ts"
import { requireReadableDataDir } from "../paths.ts"

export const validateCommand = Command.make(
  "validate",
  {
    name: Argument.String("name").pipe(Argument.withDescription("dataset name, e.g. math")),
    at: Flag.String("at").pipe(Flag.withDescription("version to check (default LATEST), e.g. v3 or v0003"), Flag.optional),
    dataDir: Flag.String("data-dir").pipe(Flag.withDescription("data folder holding datasets/"), Flag.withDefault("data")),
    json: Flag.Boolean("json").pipe(Flag.withDescription("print {dataset, version, files, rows, problems: [{file, problem}]}"), Flag.withDefault(false))
  },
  ({ name, at, dataDir, json }) =>
    Effect.gen(function* () {
      yield* requireReadableDataDir(dataDir)
      const report = yield* validateVersion(dataDir, name, Option.getOrUndefined(at))
      yield* emit(json, report, () =>
        report.problems.length === 0
          ? `${name} ${report.version}: ${report.files} files, ${report.rows} rows: checksums, row counts, schemas and card OK`
          : [`${name} ${report.version}: ${report.problems.length} problem(s)`, ...report.problems.map((p) => `  ${p.file}: ${p.problem}`)].join("\n")
      )
      // The problems are on stdout (or in the JSON) already: the error line says how many, and the repair.
      yield* requireValid(report, dataDir, { listed: true })
    }).pipe(Effect.catchTags(unknownToUsage))
).pipe(Command.withDescription("Check a version against its manifest: sha256 and size of every shard, row counts, column schema, the card's shard list. Exit 1 names the failing file."))
