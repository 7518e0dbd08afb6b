import { Effect } from "effect"
import { Command, Flag } from "effect/cli"
import { buildFlags, humanReport, pipelineNames, runBuild } from "../build-run.ts"
import { emit } from "../output.ts"
import { dryRunReport } from "../model-flags.ts"

export const buildCommand = Command.make(
  "build",
  {
    ...buildFlags,
    json: Flag.Boolean("json").pipe(Flag.withDescription("print the result as JSON on stdout (progress stays on stderr)"), Flag.withDefault(false))
  },
  (flags) =>
    Effect.gen(function* () {
      const outcome = yield* runBuild(flags)
      const { run } = outcome
      if (outcome.kind === "dry-run") {
        return yield* emit(flags.json, { run_id: run.runId, run_dir: run.runDir, dry_run: outcome.estimates }, () => dryRunReport(outcome.estimates, outcome.prices))
      }
      yield* emit(flags.json, { run_id: run.runId, run_dir: run.runDir, summary: run.summary, dataset: outcome.published }, () =>
        [...(run.summary.notes ?? []), humanReport(run.runDir, run.summary, outcome.published)].join("\n")
      )
    })
).pipe(
  Command.withDescription(
    `Build a dataset with a pipeline (${pipelineNames()}). The run lives in <out>/runs/<run-id>/ and resumes where it stopped ` +
      `if killed; the dataset is published as a new version in <out>/datasets/<name>/ (or reported unchanged when identical to LATEST). ` +
      `Offline by default; with --llm URL --model NAME, the model stages ask an OpenAI-compatible server (key from OPENAI_API_KEY), ` +
      `and --dry-run says what they would send first.`
  )
)
