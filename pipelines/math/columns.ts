import type { ColumnSpec } from "#store"

/** The column the published splits are drawn by: a seed and its variants are near-duplicates. */
export const SPLIT_BY = "family_id"
/**
 * The columns the store reads to split and shuffle; the published stages write them beside each JSON
 * row (the engine's key columns), so publishing need not parse every row to find them.
 */
export const PUBLISH_KEYS = ["id", "task_id", SPLIT_BY] as const

/** The published columns of each config of the `math` dataset (DuckDB types), with what they hold. */
const lineage: ReadonlyArray<ColumnSpec> = [
  { name: "id", type: "VARCHAR", description: "row id: content hash of the row's substance" },
  { name: "task_id", type: "VARCHAR", description: "the task's id (content hash of its normalised question)" },
  { name: "family_id", type: "VARCHAR", description: "the seed task this task descends from (its own id for a seed); the train/test split is by this, so a seed and its variants never straddle the split" },
  { name: "answer", type: "VARCHAR", description: "the reference final answer (normalised number)" },
  { name: "origin", type: "VARCHAR", description: '"seed" for a seed problem, "symbolic" for a GSM-Symbolic-style variant' },
  { name: "parent_ids", type: "VARCHAR[]", description: "ids of the tasks this task was made from (the seed, for a variant)" },
  { name: "seed_file", type: "VARCHAR", description: "seed file the task descends from" },
  { name: "seed_line", type: "INTEGER", description: "line of that seed in its file" }
]

const MESSAGES = "STRUCT(role VARCHAR, content VARCHAR)[]"

const messages: ColumnSpec = {
  name: "messages",
  type: MESSAGES,
  description: "conversation as [{role, content}]: the user's question, then the assistant's solution without calculator annotations (TRL conversational language modeling)"
}
const annotatedSolution: ColumnSpec = {
  name: "annotated_solution",
  type: "VARCHAR",
  description: "the assistant turn with GSM8K's <<expr=result>> calculator annotations, which `autodidact verify` re-checks"
}
const userPrompt: ColumnSpec = { name: "prompt", type: MESSAGES, description: "the question as [{role: \"user\", content}] (TRL conversational)" }

const errorColumns: ReadonlyArray<ColumnSpec> = [
  { name: "error_type", type: "VARCHAR", description: "the injected error's type" },
  { name: "error_step", type: "INTEGER", description: "1-based step of the solution where the error is" }
]

export const columns: Readonly<Record<string, ReadonlyArray<ColumnSpec>>> = {
  sft: [messages, annotatedSolution, ...lineage],
  rl: [{ ...userPrompt, description: `${userPrompt.description}; a reward function checks the completion's final answer against \`answer\` (TRL conversational prompt-only)` }, ...lineage],
  preference: [
    userPrompt,
    { name: "chosen", type: MESSAGES, description: "[{role: \"assistant\", content}]: a verified correct solution, without calculator annotations" },
    { name: "rejected", type: MESSAGES, description: "[{role: \"assistant\", content}]: the same solution with one subtle injected error, carried consistently to a wrong answer (RISE)" },
    { name: "annotated_chosen", type: "VARCHAR", description: "the chosen solution with its <<expr=result>> annotations (for `autodidact verify`)" },
    { name: "annotated_rejected", type: "VARCHAR", description: "the rejected solution with its annotations" },
    ...errorColumns,
    { name: "rejected_answer", type: "VARCHAR", description: "the wrong final answer the rejected solution reaches" },
    { name: "edit_start", type: "INTEGER", description: "start of the edited characters in annotated_chosen's error step" },
    { name: "edit_end", type: "INTEGER", description: "end (exclusive) of the edited characters" },
    { name: "edit_from", type: "VARCHAR", description: "the original text of the edit" },
    { name: "edit_to", type: "VARCHAR", description: "what it became" },
    { name: "edit_steps", type: "INTEGER[]", description: "every step the edit itself writes in, error_step first: two for a swap of question numbers across calculations, each use of the number for a misreading (edit_* is the span in error_step)" },
    { name: "edit_detail", type: "VARCHAR", description: 'the edit in words, e.g. "35 → 36", "3 ↔ 2 (steps 1 and 4)"' },
    ...lineage
  ],
  step_preference: [
    userPrompt,
    { name: "chosen", type: MESSAGES, description: "[{role: \"assistant\", content}]: the correct steps before the error step, then the correct next step (Step-DPO pair as TRL sees it)" },
    { name: "rejected", type: MESSAGES, description: "[{role: \"assistant\", content}]: the same correct steps, then the next step with the injected error" },
    { name: "annotated_chosen", type: "VARCHAR", description: "chosen's text with its <<expr=result>> annotations (a partial solution: no final answer)" },
    { name: "annotated_rejected", type: "VARCHAR", description: "rejected's text with its annotations" },
    { name: "initial_reason_steps", type: "VARCHAR", description: "the shared correct prefix (Step-DPO's column; TRL's DPOTrainer ignores it)" },
    { name: "chosen_step", type: "VARCHAR", description: "the correct next step alone (Step-DPO's `chosen`)" },
    { name: "rejected_step", type: "VARCHAR", description: "the wrong next step alone (Step-DPO's `rejected`)" },
    ...errorColumns,
    ...lineage
  ],
  correction: [
    { ...messages, description: "conversation as [{role, content}]: the question, then the LEMMA trace (a wrong step, a reflection, the correction, ending on `#### N`), without calculator annotations" },
    { ...annotatedSolution, description: "the trace with its <<expr=result>> annotations (the wrong step's too)" },
    { name: "strategy", type: "VARCHAR", description: '"fix_and_continue" or "fresh_and_restart" (LEMMA)' },
    ...errorColumns,
    ...lineage
  ]
}
