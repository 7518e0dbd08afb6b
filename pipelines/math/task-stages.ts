import { Effect, Stream } from "effect"
import { contentId } from "#core"
import { mapStage, streamStage, type InputError } from "#dag"
import { PUBLISH_KEYS } from "./columns.ts"
import { RlRow, SftRow, VerifiedTask, familyOf, lineageOf } from "./rows.ts"

/**
 * Picks the dataset's tasks from the seeds and their variants: exact duplicates (normalised question)
 * are rejected, and each seed family gets an equal share of `size`. A family that cannot fill its share
 * (few distinct variants exist) passes the shortfall on to the families after it, so the total reaches
 * `size` whenever enough distinct tasks exist. Rows arrive grouped by family, seed first. When they
 * do not, the counter `tasks/shortfall` says how many tasks short of `size` the stage ended.
 */
export const tasksStage = (input: { readonly variants: string; readonly seeds: string }, size: number) =>
  streamStage({
    name: "tasks",
    // 2: counts the shortfall against `size`.
    version: 2,
    inputs: [input.variants, input.seeds],
    schema: VerifiedTask,
    config: { size },
    description: "the dataset's tasks: seeds and variants, deduplicated, shared fairly among seed families",
    run: (ctx) => {
      const families = Math.max(ctx.inputRows(input.seeds), 1)
      const seen = new Set<string>()
      let family = -1
      let current = ""
      let quota = 0
      let kept = 0
      let carry = 0
      let total = 0
      const shareOf = (i: number) => Math.floor(size / families) + (i < size % families ? 1 : 0)
      return (ctx.input(input.variants) as Stream.Stream<VerifiedTask, InputError>).pipe(
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
          // A task's id is the hash of its normalised question, so equal ids are equal questions.
          if (seen.has(task.id)) {
            ctx.reject("duplicate_question", { id: task.id, detail: { family: root } })
            return false
          }
          seen.add(task.id)
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
    }
  })

/** SFT rows (TRL conversational): the question, and the verified reference solution as the answer turn. */
export const sftStage = (input: string) =>
  mapStage({
    name: "sft",
    version: 1,
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
            { role: "assistant", content: task.reference ?? "" }
          ]
        }))
      )
  })

/** RL rows (GRPO-style, verifiable reward): the prompt and the reference answer a reward function checks. */
export const rlStage = (input: string) =>
  mapStage({
    name: "rl",
    version: 1,
    keyColumns: PUBLISH_KEYS,
    inputs: [input],
    schema: RlRow,
    config: {},
    batchSize: 1000,
    description: "prompts with the answer a reward function checks",
    process: (batch: ReadonlyArray<VerifiedTask>) => Effect.sync(() => batch.map((task): RlRow => ({ ...lineageOf(task, contentId("rl", task.id)), prompt: task.question })))
  })
