import { Effect } from "effect"
import { contentId } from "#core"
import { mapStage } from "#dag"
import { PROGRAMMATIC_LEMMA_TYPES, RISE_ERROR_TYPES, injectError, lemmaTrace, risePairs, variantsOf } from "#math"
import { PUBLISH_KEYS } from "./columns.ts"
import { CorrectionRow, PreferenceRow, RiseRecord, StepPreferenceRow, VerifiedTask, lineageFields, lineageOf } from "./rows.ts"

/**
 * GSM-Symbolic-style variants of each verified seed (Apple 2024): numbers redrawn under inferred
 * conditions, the solution re-executed exactly and verified. Emits each seed first, then its variants,
 * so the tasks stage sees one family at a time. Each family asks for 1.5× its share of `size` (plus 2)
 * so that duplicates and failed draws still leave enough.
 */
export const variantsStage = (input: string, size: number) => {
  const config = { size, oversample: 1.5, extra: 2, maxAttempts: 50 }
  return mapStage({
    name: "variants",
    version: 1,
    inputs: [input],
    schema: VerifiedTask,
    config,
    batchSize: 4,
    description: "seeds and their symbolic variants (GSM-Symbolic)",
    process: (batch: ReadonlyArray<VerifiedTask>, ctx) =>
      Effect.sync(() => {
        const families = Math.max(ctx.inputRows(input), 1)
        const count = Math.ceil((size / families) * config.oversample) + config.extra
        return batch.flatMap((seed) => {
          const result = variantsOf({ question: seed.question, reference: seed.reference ?? "", answer: seed.answer ?? "" }, { count, rng: ctx.rng(seed.id), maxAttempts: config.maxAttempts })
          for (const r of result.rejects) {
            if (r.reason === "unverified") ctx.count("verify/symbolic/failed")
            ctx.reject(`variant:${r.reason}`, { id: seed.id, detail: r.message })
          }
          ctx.count("verify/symbolic/passed", result.variants.length)
          if (result.template === undefined) ctx.count("variants/seeds_not_templated")
          const variants = result.variants.map(
            (v): VerifiedTask => ({
              id: contentId("task", v.question),
              domain: "math",
              question: v.question,
              reference: v.reference,
              answer: v.answer,
              source: { kind: "strategy", strategy: "symbolic-variation", ...(seed.source.file === undefined ? {} : { file: seed.source.file }), ...(seed.source.line === undefined ? {} : { line: seed.source.line }) },
              parent_ids: [seed.id],
              steps: seed.steps,
              origin: "symbolic"
            })
          )
          return [seed, ...variants]
        })
      })
  })
}

/**
 * RISE (Xu et al. 2024, "Subtle Errors Matter"), offline: one subtle edit in one step of a verified
 * solution (a value, related values, a substitution, a deleted term, an operator, swapped terms), carried
 * through the later steps to a wrong final answer. One full pair and one step pair per task.
 */
export const riseStage = (input: string) => {
  const config = { types: RISE_ERROR_TYPES }
  return mapStage({
    name: "rise",
    version: 1,
    inputs: [input],
    schema: RiseRecord,
    config,
    batchSize: 250,
    description: "RISE error injections: full-solution and step pairs",
    process: (batch: ReadonlyArray<VerifiedTask>, ctx) =>
      Effect.sync(() =>
        batch.flatMap((task): Array<RiseRecord> => {
          const injection = injectError(task.question, task.reference ?? "", ctx.rng(task.id), { types: config.types })
          if (!injection.ok) {
            ctx.reject(`no_injection:${injection.code}`, { id: task.id, detail: injection.reason })
            return []
          }
          const { full, step } = risePairs(task.question, injection)
          ctx.count(`error_type/${full.error_type}`)
          return [
            {
              ...lineageOf(task, contentId("rise", { task: task.id, rejected: full.rejected })),
              prompt: full.prompt,
              chosen: full.chosen,
              rejected: full.rejected,
              error_type: full.error_type,
              error_step: full.error_step,
              rejected_answer: full.rejected_answer,
              edit_start: full.edit.span.start,
              edit_end: full.edit.span.end,
              edit_from: full.edit.original,
              edit_to: full.edit.replacement,
              step_initial_reason_steps: step.initial_reason_steps,
              step_chosen: step.chosen,
              step_rejected: step.rejected
            }
          ]
        })
      )
  })
}

/** The full-solution pairs of the RISE stage, as published (`preference`). */
export const preferenceStage = (input: string) =>
  mapStage({
    name: "preference",
    version: 1,
    keyColumns: PUBLISH_KEYS,
    inputs: [input],
    schema: PreferenceRow,
    config: {},
    batchSize: 1000,
    process: (batch: ReadonlyArray<RiseRecord>) => Effect.sync(() => batch.map(({ step_initial_reason_steps: _a, step_chosen: _b, step_rejected: _c, ...row }) => row))
  })

/** The step pairs of the RISE stage, as published (`step_preference`, Step-DPO layout). */
export const stepPreferenceStage = (input: string) =>
  mapStage({
    name: "step_preference",
    version: 1,
    keyColumns: PUBLISH_KEYS,
    inputs: [input],
    schema: StepPreferenceRow,
    config: {},
    batchSize: 1000,
    process: (batch: ReadonlyArray<RiseRecord>) =>
      Effect.sync(() =>
        batch.map(
          (r): StepPreferenceRow => ({
            ...lineageFields(r),
            id: contentId("step", { pair: r.id }),
            prompt: r.prompt,
            initial_reason_steps: r.step_initial_reason_steps,
            chosen: r.step_chosen,
            rejected: r.step_rejected,
            error_type: r.error_type,
            error_step: r.error_step
          })
        )
      )
  })

/**
 * LEMMA (Pan et al. 2025), offline: a named error type injected into a verified solution and carried to a
 * wrong answer, cut after the wrong step, a transition phrase, then Fix & Continue or Fresh & Restart,
 * kept only when the trace ends on the correct answer.
 */
export const lemmaStage = (input: string) => {
  const config = { types: PROGRAMMATIC_LEMMA_TYPES, restartProbability: 0.5 }
  return mapStage({
    name: "lemma",
    version: 1,
    keyColumns: PUBLISH_KEYS,
    inputs: [input],
    schema: CorrectionRow,
    config,
    batchSize: 250,
    description: "LEMMA mistake-and-correction traces",
    process: (batch: ReadonlyArray<VerifiedTask>, ctx) =>
      Effect.sync(() =>
        batch.flatMap((task): Array<CorrectionRow> => {
          const trace = lemmaTrace(task.question, task.reference ?? "", ctx.rng(task.id), config)
          if (!trace.ok) {
            ctx.reject(`no_injection:${trace.code}`, { id: task.id, detail: trace.reason })
            return []
          }
          ctx.count(`error_type/${trace.error_type}`)
          ctx.count(`strategy/${trace.strategy}`)
          const messages = trace.messages.map((m) => ({ role: m.role, content: m.content }))
          return [
            {
              ...lineageOf(task, contentId("correction", { task: task.id, text: messages[1]?.content ?? "" })),
              messages,
              strategy: trace.strategy,
              error_type: trace.error_type,
              error_step: trace.error_step
            }
          ]
        })
      )
  })
}
