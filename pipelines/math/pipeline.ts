import { Effect } from "effect"
import { publish, type Manifest } from "#store"
import type { PipelineDefinition } from "../pipeline.ts"
import { buildWarnings, checkPublishable, checkSolved, shortfallOf } from "./checks.ts"
import { MATH_CARD } from "./card.ts"
import { columns, SPLIT_BY } from "./columns.ts"
import { decontaminateSettings, decontaminateStage, dedupMarkdown, dedupStage, decontaminationOf } from "./dedup-stages.ts"
import { fidelityMarkdown } from "./figures.ts"
import { diversityOf } from "./diversity.ts"
import { lemmaStage, preferenceStage, riseStage, stepPreferenceStage, variantsStage } from "./generate-stages.ts"
import { fileSha256, seedsStage, verifiedStage } from "./seed-stages.ts"
import { estimateSolve } from "./dry-run.ts"
import { solveSettings, solveStage } from "./solve-stage.ts"
import { rlStage, sftStage, tasksStage } from "./task-stages.ts"

export const MATH_SEEDS = "data/seeds/math.jsonl"

/**
 * The embedded default: a grade-school math dataset built with no model. Seeds are varied symbolically
 * (GSM-Symbolic style), every task's solution is verified by exact arithmetic, and errors are injected
 * programmatically for preference pairs (RISE) and correction traces (LEMMA).
 *
 *   seeds → verified → variants → dedup [→ decontaminate] → tasks → sft, rl
 *                                                             → rise → preference, step_preference
 *                                                             → lemma (correction)
 *
 * `dedup` removes exact duplicates of questions; `decontaminate` is there only with
 * `--decontaminate-against` (tasks sharing an n-gram with a benchmark question removed).
 *
 * With a model (`--llm`), `solve` takes the place of `sft`: K sampled solutions per task, verified against
 * the reference answer, the correct ones kept (rejection sampling).
 */
export const mathPipeline: PipelineDefinition = {
  name: "math",
  description: "grade-school math from data/seeds/math.jsonl: symbolic variants, RISE pairs, LEMMA corrections",
  sizeMeaning: "seed problems and their symbolic variants",
  defaultSize: 5000,
  perSeedMeaning: "the seed problem and its symbolic variants",
  stages: (options) =>
    Effect.gen(function* () {
      const file = options.seeds ?? MATH_SEEDS
      const sha256 = yield* fileSha256(file)
      const model = options.model
      const decontaminate = options.decontaminate === undefined ? undefined : yield* decontaminateSettings(options.decontaminate)
      const perSeed = options.perSeed
      const stages = [
        seedsStage({ file, sha256, onBadRows: options.onBadRows }),
        rowIndependent(verifiedStage("seeds", { onBadRows: options.onBadRows })),
        rowIndependent(variantsStage("verified", options.size, perSeed)),
        dedupStage("variants"),
        ...(decontaminate === undefined ? [] : [decontaminateStage("dedup", decontaminate)]),
        tasksStage(decontaminate === undefined ? "dedup" : "decontaminate", perSeed === undefined ? { size: options.size } : { perSeed }),
        model === undefined
          ? rowIndependent(sftStage("tasks"))
          : solveStage("tasks", solveSettings(model), model.window),
        rowIndependent(rlStage("tasks")),
        rowIndependent(riseStage("tasks")),
        rowIndependent(preferenceStage("rise")),
        rowIndependent(stepPreferenceStage("rise")),
        rowIndependent(lemmaStage("tasks"))
      ]
      return {
        stages,
        config: {
          seeds: { file, sha256 },
          ...(perSeed === undefined ? { size: options.size } : { perSeed }),
          onBadRows: options.onBadRows,
          ...(model === undefined ? {} : { model: solveSettings(model) }),
          // Only when asked, so a build without benchmarks keeps the config (and run id) it had before.
          ...(decontaminate === undefined ? {} : { decontaminate })
        }
      }
    }),
  modelStages: ["solve"],
  estimate: (run, options) => (options.model === undefined ? Effect.succeed([]) : Effect.map(estimateSolve(run, options.model), (e) => [e])),
  publish: (run, options) =>
    Effect.gen(function* () {
      const configs = (["sft", "preference", "step_preference", "correction", "rl"] as const).map((name) => {
        const stage = name === "correction" ? "lemma" : name === "sft" && run.outputs.has("solve") ? "solve" : name
        const output = run.outputs.get(stage)!
        return { name, description: descriptions[name]!, columns: columns[name]!, files: output.files, rows: output.rows }
      })
      // A config with no rows fails here, before the store is touched: LATEST stays where it was.
      const unsolved = checkSolved(run)
      if (unsolved !== undefined) return yield* unsolved
      const empty = checkPublishable(run, Object.fromEntries(configs.map((c) => [c.name, c.rows])), options.seeds ?? MATH_SEEDS)
      if (empty !== undefined) return yield* empty
      const tasks = run.outputs.get("tasks")
      const diversity = yield* diversityOf(tasks?.files ?? [], tasks?.rows ?? 0)
      const result = yield* publish({
        dataDir: options.dataDir,
        name: "math",
        pipeline: "math",
        configs,
        // Variants of one seed are near-duplicates: splitting by family keeps the test split unseen.
        splitBy: SPLIT_BY,
        // At least TEST_MIN_FAMILIES families and 5% of the tasks (rl has one row per task), so test is an evaluation.
        testSplit: { basis: "rl", minGroups: TEST_MIN_FAMILIES },
        divisibleShards: true,
        seed: options.seed,
        config: options.config,
        seedFiles: [options.seeds ?? MATH_SEEDS],
        benchmarkFiles: decontaminationOf(options.config)?.against.map((a) => a.file) ?? [],
        runSummary: run.summary,
        codeVersion: options.codeVersion,
        card: {
          ...MATH_CARD,
          title: "Autodidact math",
          summary:
            "Grade-school math word problems with verified step-by-step solutions, made offline by Autodidact " +
            "from hand-written seed problems: GSM-Symbolic-style variants (numbers redrawn under inferred conditions, " +
            "solutions re-executed with exact arithmetic and verified), RISE preference pairs with one subtle " +
            "injected error carried to a wrong answer, and LEMMA mistake-and-correction traces.",
          strategies: ["symbolic variation (GSM-Symbolic)", "programmatic error injection (RISE)", "programmatic mistake augmentation and correction (LEMMA)", "exact-arithmetic verification"],
          figures: fidelityMarkdown(run.summary, diversity) + "\n" + dedupMarkdown(run.summary, { decontaminate: decontaminationOf(options.config) })
        }
      })
      const rows = Object.fromEntries(Object.entries(result.manifest.configs).map(([name, c]) => [name, c.rows]))
      // Per seed, a family short of N is the seed's own limit (the tasks stage counts it), not a shortfall against an asked total.
      const shortfall = options.perSeed === undefined ? shortfallOf(run.summary, options.size) : undefined
      return {
        status: result.status,
        version: result.version,
        dir: result.dir,
        message: [result.message, ...result.notes].join("\n"),
        rows,
        warnings: [...buildWarnings(run.summary, options.perSeed === undefined ? options.size : 0, result.manifest), ...testSplitWarnings(result.manifest)],
        ...(shortfall === undefined ? {} : { shortfall })
      }
    })
}

/**
 * Marks a map stage whose rows are processed independently (each from the row, the config and the row's rng),
 * so the engine keeps each row's outcome in its memo and a refresh computes only new or changed rows. Every
 * map stage of this pipeline is such a stage: variants reads the seed count only without --per-seed, and the
 * memo records that read, so its rows are then recomputed when the count changes.
 */
const rowIndependent = <S extends { readonly kind: "map" }>(stage: S): S => ({ ...stage, rowIndependent: true })

/** The fewest seed families the test split holds when the seeds allow (issue #11: 3 families is no evaluation). */
export const TEST_MIN_FAMILIES = 10

/** A test split short of TEST_MIN_FAMILIES families or 5% of the tasks: the seeds have too few families. */
export const testSplitWarnings = (manifest: Manifest): ReadonlyArray<string> => {
  const t = manifest.layout.test_split
  if (t === undefined || (t.groups >= t.min_groups && t.rows >= Math.ceil(manifest.layout.test_fraction * t.total_rows))) return []
  return [
    `the test split holds ${t.groups} seed famil${t.groups === 1 ? "y" : "ies"} (${t.rows} of ${t.total_rows} tasks), short of ${t.min_groups} families and ` +
      `${manifest.layout.test_fraction * 100}% of the tasks: with ${t.total_groups} families test takes at most ${t.max_group_share * 100}% of them; bring more seed problems`
  ]
}

const descriptions: Record<string, string> = {
  sft: "Question and verified step-by-step solution as a two-turn conversation (`messages`, TRL conversational language modeling), for supervised fine-tuning; the default config.",
  preference: "RISE full-solution pairs in TRL's conversational preference form: `chosen` a verified solution, `rejected` the same solution with one subtle injected error carried consistently to a wrong answer; for DPO.",
  step_preference: "RISE step pairs (Step-DPO) in TRL's conversational preference form: `chosen` and `rejected` hold the shared correct prefix, then the correct step or the step with the injected error; `initial_reason_steps`, `chosen_step`, `rejected_step` for Step-DPO trainers. Made from the same injected errors as `preference` (one per task): train on one of the two, or expect each error twice.",
  correction: "LEMMA traces: a solution that goes wrong at `error_step`, a transition, then either a fix and continuation or a fresh restart, ending on the correct answer (`messages`, for SFT).",
  rl: "Prompts (TRL conversational prompt-only) with the reference `answer`, for RL with verifiable rewards (e.g. GRPO)."
}
