import { Effect } from "effect"
import { contentId } from "#core"
import { rowStage } from "#dag"
import { LanguageModel, type ModelRequestFailed } from "#llm"
import { judgeRow, stripAnnotations } from "#math"
import { PUBLISH_KEYS } from "./columns.ts"
import type { ModelBuildOptions } from "../pipeline.ts"
import { SftRow, lineageOf, type VerifiedTask } from "./rows.ts"

/** What the solving stage asks of the model; all of it is in the stage's cache key (the window changes only speed). */
export type SolveSettings = Omit<ModelBuildOptions, "window" | "honoursN">

/** What a model build asks, without how it is sent (window, n): that changes speed, not what is asked, so it names no run. */
export const solveSettings = ({ window: _speedOnly, honoursN: _alsoSpeed, ...asked }: ModelBuildOptions): SolveSettings => asked

/** The prompt, versioned: a change here must bump PROMPT_VERSION so cached answers are not reused for it. */
const PROMPT_VERSION = 1
const SYSTEM = "You solve grade-school math word problems carefully, one step per line."
const instruction = (question: string) =>
  "Solve the problem step by step, one calculation per line, writing each calculation as `a op b = c`. " +
  "End with a last line of the form `#### <number>` giving only the final answer.\n\n" +
  `Problem: ${question}`

/** The request the solving stage sends for a task (`--dry-run` prints the first). */
export const solveRequest = (task: { readonly question: string }, settings: SolveSettings) => ({
  messages: [
    { role: "system" as const, content: SYSTEM },
    { role: "user" as const, content: instruction(task.question) }
  ],
  params: { temperature: settings.temperature, top_p: settings.topP, max_tokens: settings.maxTokens }
})

/** A model's sampled solution, as the trainer will see it: no trailing space, no empty lines at the end. */
const tidy = (text: string) => text.replace(/\s+$/, "")

/**
 * Rejection sampling (STaR, Zelikman et al. 2022; ReST-EM, Singh et al. 2023): K samples per task from the
 * model, each verified with the exact verifier against the task's reference answer; the correct ones
 * become SFT conversations, the others are counted and kept as rejects with their reason. A row stage:
 * the model is called row by row under the run's one flow controller, and a slow answer holds back no
 * other row.
 */
export const solveStage = (input: string, settings: SolveSettings, window: number) => {
  const config = { ...settings, promptVersion: PROMPT_VERSION }
  return rowStage<VerifiedTask, "solve", SftRow, typeof config, never, LanguageModel>({
    name: "solve",
    // 2: plain answer turn, annotated_solution column (as sft).
    version: 2,
    keyColumns: PUBLISH_KEYS,
    inputs: [input],
    schema: SftRow,
    config,
    batchSize: 200,
    window,
    description: "model-written solutions, verified against the reference answer (rejection sampling)",
    process: (task, ctx) =>
      Effect.gen(function* () {
        const model = yield* LanguageModel
        const samples = yield* model
          .sample(
            solveRequest(task, settings),
            settings.samples,
            { stage: ctx.stage }
          )
          .pipe(Effect.catchTag("ModelRequestFailed", (e: ModelRequestFailed) => Effect.succeed(e)))
        if (!Array.isArray(samples)) {
          const failure = samples as ModelRequestFailed
          ctx.reject(`model:${failure.reason}`, { id: task.id, detail: failure.message })
          return []
        }
        const kept: Array<SftRow> = []
        const seen = new Set<string>()
        samples.forEach((sample, index) => {
          const text = tidy(sample.text)
          const reject = (reason: string, detail: string) => {
            ctx.reject(`sample:${reason}`, { id: task.id, detail: { sample: index, reason: detail, text: text.slice(0, 2000) } })
          }
          ctx.count("solve/samples")
          if (sample.finishReason === "length") return reject("truncated", `cut at max_tokens ${settings.maxTokens}`)
          if (sample.finishReason !== "stop") return reject(`finish_${sample.finishReason}`, `the answer ended by ${sample.finishReason}`)
          const verdict = judgeRow(text, { question: task.question, ...(task.answer === undefined ? {} : { expected: task.answer }) })
          if (!verdict.correct) return reject(verdict.code ?? "incorrect", verdict.reason ?? "incorrect")
          // Two samples with the same text teach nothing twice.
          if (seen.has(text)) return reject("duplicate", "the same text as an earlier correct sample")
          seen.add(text)
          ctx.count("solve/correct")
          kept.push({
            ...lineageOf(task, contentId("sft", { task: task.id, text })),
            origin: "sample",
            messages: [
              { role: "user", content: task.question },
              { role: "assistant", content: stripAnnotations(text) }
            ],
            annotated_solution: text
          })
        })
        if (kept.length === 0) ctx.count("solve/unsolved_tasks")
        return kept
      })
  })
}
