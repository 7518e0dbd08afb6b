import { mkdirSync } from "node:fs"
import { dirname } from "node:path"
import { Effect, Option } from "effect"
import { Command, Flag, Argument } from "effect/cli"
import { writeFileAtomic } from "#io"
import { reportData } from "../../report/data.ts"
import { renderReport } from "../../report/page.ts"
import { unknownToUsage } from "../errors.ts"
import { emit } from "../output.ts"
import { requireReadableDataDir, requireWritableDir } from "../paths.ts"

export const reportCommand = Command.make(
  "report",
  {
    name: Argument.String("name").pipe(Argument.withDescription("dataset name, e.g. math")),
    at: Flag.String("at").pipe(Flag.withDescription("version to report on (default LATEST), e.g. v3 or v0003"), Flag.optional),
    out: Flag.String("out").pipe(Flag.withDescription("the HTML file to write, e.g. report.html")),
    dataDir: Flag.String("data-dir").pipe(Flag.withDescription("data folder holding datasets/"), Flag.withDefault("data")),
    json: Flag.Boolean("json").pipe(Flag.withDescription("print {dataset, version, out, bytes} instead of a sentence"), Flag.withDefault(false))
  },
  ({ name, at, out, dataDir, json }) =>
    Effect.gen(function* () {
      yield* requireReadableDataDir(dataDir)
      yield* requireWritableDir("--out", dirname(out))
      const data = yield* reportData(dataDir, name, Option.getOrUndefined(at))
      const html = renderReport(data)
      yield* Effect.sync(() => mkdirSync(dirname(out), { recursive: true }))
      yield* writeFileAtomic(out, html)
      const bytes = Buffer.byteLength(html)
      yield* emit(json, { dataset: name, version: data.version, out, bytes }, () => `wrote ${out} (${(bytes / 1024).toFixed(0)} KiB): the report on ${name} ${data.version}`)
    }).pipe(Effect.catchTags(unknownToUsage))
).pipe(
  Command.withDescription(
    "Write one self-contained HTML page (no network, no script) on a dataset version: rows per config and split across versions, " +
      "verification pass rates, error types and strategies, judge scores, rejects by reason per stage, dedup and decontamination removals, " +
      "model tokens and cost per stage, the diff against the parent, and sample rows."
  )
)
