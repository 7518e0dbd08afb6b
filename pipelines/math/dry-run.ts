import { Effect, Stream } from "effect"
import { readParts, type RunResult } from "#dag"
import { DEFAULT_PROFILE, ResponseCache, sampleKey, usable, wireBody } from "#llm"
import type { DryRun, ModelBuildOptions } from "../pipeline.ts"
import type { VerifiedTask } from "./rows.ts"
import { solveRequest, solveSettings } from "./solve-stage.ts"

/** About four characters a token for English prompts: enough for an estimate, and said to be one. */
const tokensOf = (text: string) => Math.ceil(text.length / 4)

/**
 * What `build --dry-run` would send for the solving stage: every task's request, counted against the
 * response cache (what is stored is not sent again), with prompt and completion tokens estimated: the
 * completion from the reference solution's length (a model's answer is about that long), bounded by
 * max_tokens. Nothing is sent.
 */
export const estimateSolve = (run: RunResult, model: ModelBuildOptions) =>
  Effect.gen(function* () {
    const cache = yield* ResponseCache
    const settings = solveSettings(model)
    const honoursN = model.honoursN
    const tasks = run.outputs.get("tasks")
    let taskCount = 0
    let samples = 0
    let requests = 0
    let cached = 0
    let promptTokens = 0
    let expectedCompletion = 0
    let example: Record<string, unknown> | undefined
    yield* readParts(tasks?.files ?? []).pipe(
      Stream.runForEach((row) =>
        Effect.gen(function* () {
          const task = row as VerifiedTask
          const request = solveRequest(task, settings)
          taskCount++
          let missing = 0
          for (let i = 0; i < model.samples; i++) {
            const entry = yield* cache.get(sampleKey({ model: model.model, ...request }, model.revision, i))
            if (entry !== undefined && usable(entry, model.maxTokens)) cached++
            else missing++
          }
          // The first request that would go out, as its body would be sent (no key: that is a header).
          if (missing > 0) example ??= wireBody({ model: model.model, ...request }, { ...DEFAULT_PROFILE, honoursN }, honoursN ? missing : 1)
          samples += missing
          // One request for a task's missing samples where the server honours n, else one per sample;
          // the prompt is paid per request.
          const sent = missing === 0 ? 0 : honoursN ? 1 : missing
          requests += sent
          promptTokens += sent * tokensOf(request.messages.map((m) => m.content).join("\n"))
          expectedCompletion += missing * Math.min(model.maxTokens, tokensOf(task.reference ?? ""))
        })
      )
    )
    return {
      stage: "solve",
      tasks: taskCount,
      samples,
      cached,
      requests,
      promptTokens,
      completionTokens: { expected: expectedCompletion, most: samples * model.maxTokens },
      example
    } satisfies DryRun
  })
