import { Effect, Stream } from "effect"
import { contentId } from "#core"
import { mapStage, streamStage, type InputError } from "#dag"
import { stripAnnotations } from "#math"
import { PUBLISH_KEYS } from "./columns.ts"
import { RlRow, SftRow, VerifiedTask, familyOf, lineageOf } from "./rows.ts"

/**
 * How many tasks the tasks stage keeps: `size` in all, shared equally among the seed families (adding a
 * family moves every family's quota), or up to `perSeed` from each family, whatever the other families are
 * (adding a family changes no other family's tasks: what incremental refreshes need).
 */
export type TaskSizing = { readonly size: number } | { readonly perSeed: number }

/**
 * Picks the dataset's tasks from the seeds and their variants, deduplicated (and decontaminated, when asked)
 * by the stages before it. Rows arrive grouped by family, seed first.
 *
 * With `size`, each seed family gets an equal share of it; a family that cannot fill its share (few distinct
 * variants exist) passes the shortfall on to the families after it, so the total reaches `size` whenever
 * enough distinct tasks exist. The families are counted in a first pass over the input, so a family that an
 * earlier stage removed whole (every task of it contaminated) takes no share.
 *
 * With `perSeed`, each family keeps its first `perSeed` tasks and passes nothing on, so one family's tasks
 * never depend on another's.
 *
 * When the total falls short (of `size`, or of `perSeed` per family), the counter `tasks/shortfall` says by how many.
 */
export const tasksStage = (input: string, sizing: TaskSizing | number) => {
  // A bare number is a size (the original signature), with the same config and cache key as { size }.
  const config: TaskSizing = typeof sizing === "number" ? { size: sizing } : sizing
  return streamStage({
    name: "tasks",
    // 2: counts the shortfall against `size`. 3: dedup moved to its own stage; families counted from the input.
    version: 3,
    inputs: [input],
    schema: VerifiedTask,
    config,
    description: "the dataset's tasks: seeds and variants shared fairly among seed families",
    run: (ctx) => {
      const tasks = () => ctx.input(input) as Stream.Stream<VerifiedTask, InputError>
      if ("perSeed" in config) return perSeedTasks(tasks(), config.perSeed, ctx)
      const size = config.size
      // Family runs, counted as the quota below moves from family to family.
      const familyRuns = Stream.runFold(tasks(), () => ({ runs: 0, current: "" }), (acc, task) => {
        const root = familyOf(task)
        if (root !== acc.current) {
          acc.runs += 1
          acc.current = root
        }
        return acc
      })
      return Stream.unwrap(Effect.map(familyRuns, ({ runs }) => {
        const families = Math.max(runs, 1)
        let family = -1
        let current = ""
        let quota = 0
        let kept = 0
        let carry = 0
        let total = 0
        const shareOf = (i: number) => Math.floor(size / families) + (i < size % families ? 1 : 0)
        return tasks().pipe(
          Stream.filter((task) => {
            const root = familyOf(task)
            if (root !== current) {
              if (family >= 0) carry += quota - kept
              family += 1
              current = root
              quota = shareOf(family) + carry
              carry = 0
              kept = 0
            }
            if (kept >= quota || total >= size) {
              ctx.count("tasks/surplus_variants")
              return false
            }
            kept += 1
            total += 1
            ctx.count(`tasks/origin/${task.origin}`)
            return true
          }),
          // Counted before the stream ends, so it belongs to the last part the same way on every run.
          Stream.concat(Stream.fromEffectDrain(Effect.sync(() => {
            if (total < size) ctx.count("tasks/shortfall", size - total)
          })))
        )
      }))
    }
  })
}

/** Up to `perSeed` tasks of each family, in input order: one pass, no family's count depending on another's. */
const perSeedTasks = <E>(tasks: Stream.Stream<VerifiedTask, E>, perSeed: number, ctx: { readonly count: (counter: string, n?: number) => void }) => {
  let current = ""
  let kept = 0
  let short = 0
  return tasks.pipe(
    Stream.filter((task) => {
      const root = familyOf(task)
      if (root !== current) {
        if (current !== "") short += perSeed - kept
        current = root
        kept = 0
      }
      if (kept >= perSeed) {
        ctx.count("tasks/surplus_variants")
        return false
      }
      kept += 1
      ctx.count(`tasks/origin/${task.origin}`)
      return true
    }),
    Stream.concat(Stream.fromEffectDrain(Effect.sync(() => {
      if (current !== "") short += perSeed - kept
      if (short > 0) ctx.count("tasks/shortfall", short)
    })))
  )
}

/** SFT rows (TRL conversational): the question, and the verified reference solution, without annotations, as the answer turn. */
export const sftStage = (input: string) =>
  mapStage({
    name: "sft",
    // 2: plain answer turn, annotated_solution column.
    version: 2,
    keyColumns: PUBLISH_KEYS,
    inputs: [input],
    schema: SftRow,
    config: {},
    batchSize: 1000,
    description: "question → verified solution conversations",
    process: (batch: ReadonlyArray<VerifiedTask>) =>
      Effect.sync(() =>
        batch.map((task): SftRow => ({
          ...lineageOf(task, contentId("sft", { task: task.id, text: task.reference })),
          messages: [
            { role: "user", content: task.question },
            { role: "assistant", content: stripAnnotations(task.reference ?? "") }
          ],
          annotated_solution: task.reference ?? ""
        }))
      )
  })

/** RL rows (GRPO-style, verifiable reward): the prompt as a user turn and the reference answer a reward function checks. */
export const rlStage = (input: string) =>
  mapStage({
    name: "rl",
    // 2: conversational prompt.
    version: 2,
    keyColumns: PUBLISH_KEYS,
    inputs: [input],
    schema: RlRow,
    config: {},
    batchSize: 1000,
    description: "prompts with the answer a reward function checks",
    process: (batch: ReadonlyArray<VerifiedTask>) =>
      Effect.sync(() => batch.map((task): RlRow => ({ ...lineageOf(task, contentId("rl", task.id)), prompt: [{ role: "user", content: task.question }] })))
  })
