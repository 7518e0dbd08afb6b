import { contentId, type Task } from "#core"
import { Result, Schema } from "effect"
import type { BadSeedRow } from "./errors.ts"
import { decodeRow, NonBlankString, required } from "./decode-row.ts"

// Self-Instruct (Wang et al. 2023, yizhongw/self-instruct) seed rows:
// {id, name, instruction, instances: [{input, output}], is_classification}.

export const InstructInstance = Schema.Struct({
  /** Empty when the instruction needs no input. */
  input: required(Schema.String),
  output: required(NonBlankString)
})
export type InstructInstance = typeof InstructInstance.Type

export const SelfInstructRow = Schema.Struct({
  id: required(NonBlankString),
  name: required(Schema.String),
  instruction: required(NonBlankString),
  instances: required(
    Schema.Array(InstructInstance).check(
      Schema.makeFilter((instances) => (instances.length === 0 ? "has no instances; give at least one {input, output}" : undefined))
    )
  ),
  is_classification: required(Schema.Boolean)
})
export type SelfInstructRow = typeof SelfInstructRow.Type

/**
 * A Self-Instruct seed: its Task (the first instance becomes the task's input and reference) plus
 * what a Task has no place for. The instruction generator samples `instruction`s; the instance
 * generator uses `instances` as demonstrations and `is_classification` to pick output-first order.
 */
export interface InstructSeed {
  readonly task: Task
  readonly seed_id: string
  readonly name: string
  readonly instances: ReadonlyArray<InstructInstance>
  readonly is_classification: boolean
}

/** The id depends only on the normalised instruction: Self-Instruct treats the instruction as the unit of novelty. */
export const instructSeed = (row: SelfInstructRow, file: string, line: number): InstructSeed => {
  const first = row.instances[0]
  const input = first?.input.trim() ?? ""
  return {
    task: {
      id: contentId("task", row.instruction),
      domain: "instruct",
      question: row.instruction.trim(),
      ...(input === "" ? {} : { input }),
      ...(first === undefined ? {} : { reference: first.output.trim() }),
      source: { kind: "seed", file, line },
      parent_ids: []
    },
    seed_id: row.id,
    name: row.name,
    instances: row.instances,
    is_classification: row.is_classification
  }
}

/** Decodes one Self-Instruct row, or a BadSeedRow naming the field at fault (e.g. `instances.0.output`). */
export const decodeSelfInstruct = (file: string, line: number, row: unknown): Result.Result<InstructSeed, BadSeedRow> =>
  Result.map(decodeRow(SelfInstructRow, { file, line })(row), (decoded) => instructSeed(decoded, file, line))
