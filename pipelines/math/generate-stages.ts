import { Effect } from "effect"
import { contentId } from "#core"
import { mapStage } from "#dag"
import { PROGRAMMATIC_LEMMA_TYPES, RISE_DELETE_SHORTER_SHARE, RISE_ERROR_TYPES, RISE_KIND_WEIGHTS, RISE_LAST_STEP_WEIGHT, injectError, lemmaTrace, pairSurface, parseSolution, risePairs, stripAnnotations, tellCodes, variantsOf } from "#math"
import { PUBLISH_KEYS } from "./columns.ts"
import { CorrectionRow, PreferenceRow, RiseRecord, StepPreferenceRow, VerifiedTask, lineageFields, lineageOf } from "./rows.ts"

/**
 * GSM-Symbolic-style variants of each verified seed (Apple 2024): numbers redrawn under inferred
 * conditions, the solution re-executed exactly and verified. Emits each seed first, then its variants,
 * so the tasks stage sees one family at a time. Each family asks for 1.5× its share of `size` (plus 2)
 * so that duplicates and failed draws still leave enough.
 */
export const variantsStage = (input: string, size: number, perSeed?: number) => {
  // With `perSeed` (--per-seed) a seed's count is its own, not a share of `size`: a new seed changes no other seed's variants.
  const config = { ...(perSeed === undefined ? { size } : { perSeed }), oversample: 1.5, extra: 2, maxAttempts: 50 }
  return mapStage({
    name: "variants",
    // 2: new names, objects and units per variant; log-uniform redraws; answers within 3x of the seed's.
    version: 2,
    inputs: [input],
    schema: VerifiedTask,
    config,
    batchSize: 4,
    description: "seeds and their symbolic variants (GSM-Symbolic)",
    process: (batch: ReadonlyArray<VerifiedTask>, ctx) =>
      Effect.sync(() => {
        const share = perSeed ?? size / Math.max(ctx.inputRows(input), 1)
        const count = Math.ceil(share * config.oversample) + config.extra
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
 * solution (a value, related values, a substitution, a deleted term, an operator, swapped terms, a misread
 * number of the question), carried through the later steps to a wrong final answer. One full pair and one
 * step pair per task; no pair with a surface tell (tells.ts).
 */
export const riseStage = (input: string) => {
  const config = { types: RISE_ERROR_TYPES, kindWeights: RISE_KIND_WEIGHTS, lastStepWeight: RISE_LAST_STEP_WEIGHT, deleteShorterShare: RISE_DELETE_SHORTER_SHARE }
  return mapStage({
    name: "rise",
    // 2: misread_question, any-pair swaps, weighted kinds and steps, no candidate with a surface tell (tells.ts).
    // 3: no repeated operand, each record's direction drawn (higher or lower answer), steps uniform, edit_steps/edit_detail.
    version: 3,
    inputs: [input],
    schema: RiseRecord,
    config,
    batchSize: 250,
    description: "RISE error injections: full-solution and step pairs",
    process: (batch: ReadonlyArray<VerifiedTask>, ctx) =>
      Effect.sync(() =>
        batch.flatMap((task): Array<RiseRecord> => {
          const injection = injectError(task.question, task.reference ?? "", ctx.rng(task.id), config)
          for (const [code, n] of Object.entries(injection.ok ? injection.tell_rejects : {})) ctx.count(`tell_rejects/${code}`, n)
          if (!injection.ok) {
            ctx.reject(`no_injection:${injection.code}`, { id: task.id, detail: injection.reason })
            return []
          }
          const { full, step } = risePairs(task.question, injection)
          ctx.count(`error_type/${full.error_type}`)
          ctx.count(`error_step/${stepPosition(full.error_step, full.chosen)}`)
          // The published measure (tells.ts) on the pair as published; the generator refuses such pairs, so any count here is a regression.
          const tells = tellCodes(task.question, full.chosen, full.rejected)
          for (const code of tells) ctx.count(`tells/${code}`)
          if (tells.length > 0) ctx.count("tells/any")
          // Dataset-level tells: how often the rejected answer is the larger, and how often a math-blind guess is right (tells.ts).
          const surface = pairSurface(full.chosen, full.rejected)
          ctx.count(`direction/${surface.direction}`)
          ctx.count(`guess/${surface.guess}`)
          if (full.edit_steps.length > 1) ctx.count(`edit_steps/${full.error_type}/several`)
          if (full.error_type === "delete_term") {
            const shorter = stripAnnotations(full.rejected).length < stripAnnotations(full.chosen).length
            ctx.count(`delete_term/${shorter ? "shorter" : "not_shorter"}`)
          }
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
              edit_steps: full.edit_steps,
              edit_detail: full.edit_detail,
              step_initial_reason_steps: step.initial_reason_steps,
              step_chosen: step.chosen,
              step_rejected: step.rejected
            }
          ]
        })
      )
  })
}

/** Where an error sits among the solution's steps: the first, the last, or one between (a one-step solution's is "only"). */
const stepPosition = (errorStep: number, chosen: string): "first" | "middle" | "last" | "only" => {
  const n = parseSolution(chosen).steps.length
  return n <= 1 ? "only" : errorStep === 1 ? "first" : errorStep >= n ? "last" : "middle"
}

/** TRL's conversational turns of one role. */
const turn = (role: "user" | "assistant", content: string) => [{ role, content }]

/** The full-solution pairs of the RISE stage, as published (`preference`): TRL's conversational preference form. */
export const preferenceStage = (input: string) =>
  mapStage({
    name: "preference",
    // 2: conversational prompt/chosen/rejected without annotations, annotated_* columns. 3: edit_steps, edit_detail.
    version: 3,
    keyColumns: PUBLISH_KEYS,
    inputs: [input],
    schema: PreferenceRow,
    config: {},
    batchSize: 1000,
    process: (batch: ReadonlyArray<RiseRecord>) =>
      Effect.sync(() =>
        batch.map(
          (r): PreferenceRow => ({
            ...lineageFields(r),
            prompt: turn("user", r.prompt),
            chosen: turn("assistant", stripAnnotations(r.chosen)),
            rejected: turn("assistant", stripAnnotations(r.rejected)),
            annotated_chosen: r.chosen,
            annotated_rejected: r.rejected,
            error_type: r.error_type,
            error_step: r.error_step,
            rejected_answer: r.rejected_answer,
            edit_start: r.edit_start,
            edit_end: r.edit_end,
            edit_from: r.edit_from,
            edit_to: r.edit_to,
            edit_steps: r.edit_steps,
            edit_detail: r.edit_detail
          })
        )
      )
  })

/**
 * The step pairs of the RISE stage, as published (`step_preference`): the shared correct prefix and the
 * next step, correct or wrong, as one assistant turn each (TRL sees the prefix); Step-DPO's own columns beside.
 */
export const stepPreferenceStage = (input: string) =>
  mapStage({
    name: "step_preference",
    // 2: conversational, prefix inside chosen/rejected, plain text, annotated_* and *_step columns.
    version: 2,
    keyColumns: PUBLISH_KEYS,
    inputs: [input],
    schema: StepPreferenceRow,
    config: {},
    batchSize: 1000,
    process: (batch: ReadonlyArray<RiseRecord>) =>
      Effect.sync(() =>
        batch.map((r): StepPreferenceRow => {
          const annotatedChosen = r.step_initial_reason_steps + r.step_chosen
          const annotatedRejected = r.step_initial_reason_steps + r.step_rejected
          return {
            ...lineageFields(r),
            id: contentId("step", { pair: r.id }),
            prompt: turn("user", r.prompt),
            chosen: turn("assistant", stripAnnotations(annotatedChosen)),
            rejected: turn("assistant", stripAnnotations(annotatedRejected)),
            annotated_chosen: annotatedChosen,
            annotated_rejected: annotatedRejected,
            initial_reason_steps: stripAnnotations(r.step_initial_reason_steps),
            chosen_step: stripAnnotations(r.step_chosen),
            rejected_step: stripAnnotations(r.step_rejected),
            error_type: r.error_type,
            error_step: r.error_step
          }
        })
      )
  })

/**
 * LEMMA (Pan et al. 2025), offline: a named error type injected into a verified solution and carried to a
 * wrong answer, cut after the wrong step, a transition phrase, then Fix & Continue or Fresh & Restart,
 * kept only when the trace ends on the correct answer.
 */
export const lemmaStage = (input: string) => {
  // Few problems admit counting, irrelevant-information or unit-conversion errors: weighted up, they reach
  // about the share the problems allow instead of a seventh of it.
  const config = {
    types: PROGRAMMATIC_LEMMA_TYPES,
    restartProbability: 0.5,
    weights: { counting: 6, adding_irrelevant_information: 6, unit_conversion: 6 }
  }
  return mapStage({
    name: "lemma",
    // 2: plain messages, annotated_solution column. 3: varied explanations, no absurd steps, reordered restarts, `#### N`.
    version: 3,
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
          if (trace.restart_source) ctx.count(`restart_source/${trace.restart_source}`)
          if (trace.restart_fallback) ctx.count(`restart_fallback/${trace.restart_fallback}`)
          for (const [reason, n] of Object.entries(trace.injection.rejected)) if (reason.startsWith("absurd:")) ctx.count(`absurd/${reason.slice(7)}`, n)
          const annotated = trace.messages.map((m) => ({ role: m.role, content: m.content }))
          const messages = annotated.map((m) => ({ role: m.role, content: stripAnnotations(m.content) }))
          return [
            {
              ...lineageOf(task, contentId("correction", { task: task.id, text: annotated[1]?.content ?? "" })),
              messages,
              annotated_solution: annotated[1]?.content ?? "",
              strategy: trace.strategy,
              error_type: trace.error_type,
              error_step: trace.error_step
            }
          ]
        })
      )
  })
}
