import { Effect, Stream } from "effect"
import { contentId } from "#core"
import { mapStage, streamStage, type InputError } from "#dag"
import { stripAnnotations } from "#math"
import { PUBLISH_KEYS } from "./columns.ts"
import { RlRow, SftRow, VerifiedTask, familyOf, lineageOf } from "./rows.ts"

/**
 * Picks the dataset's tasks from the seeds and their variants, deduplicated (and decontaminated, when asked)
 * by the stages before it: each seed family gets an equal share of `size`. A family that cannot fill its share
 * (few distinct variants exist) passes the shortfall on to the families after it, so the total reaches
 * `size` whenever enough distinct tasks exist. Rows arrive grouped by family, seed first; the families are
 * counted in a first pass over the input, so a family that an earlier stage removed whole (every task of it
 * contaminated) takes no share. When the total falls short, the counter `tasks/shortfall` says by how many.
 */
export const tasksStage = (input: string, size: number) =>
  streamStage({
    name: "tasks",
    // 2: counts the shortfall against `size`. 3: dedup moved to its own stage; families counted from the input.
    version: 3,
    inputs: [input],
    schema: VerifiedTask,
    config: { size },
    description: "the dataset's tasks: seeds and variants shared fairly among seed families",
    run: (ctx) => {
      const tasks = () => ctx.input(input) as Stream.Stream<VerifiedTask, InputError>
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
