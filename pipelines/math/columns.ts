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

const messages: ColumnSpec = {
  name: "messages",
  type: "STRUCT(role VARCHAR, content VARCHAR)[]",
  description: "conversation as [{role, content}] (user question, assistant answer), as TRL's SFTTrainer expects"
}

const errorColumns: ReadonlyArray<ColumnSpec> = [
  { name: "error_type", type: "VARCHAR", description: "the injected error's type" },
  { name: "error_step", type: "INTEGER", description: "1-based step of the solution where the error is" }
]

export const columns: Readonly<Record<string, ReadonlyArray<ColumnSpec>>> = {
  sft: [messages, ...lineage],
  rl: [{ name: "prompt", type: "VARCHAR", description: "the question" }, ...lineage],
  preference: [
    { name: "prompt", type: "VARCHAR", description: "the question" },
    { name: "chosen", type: "VARCHAR", description: "a verified correct solution" },
    { name: "rejected", type: "VARCHAR", description: "the same solution with one subtle injected error, carried consistently to a wrong answer (RISE)" },
    ...errorColumns,
    { name: "rejected_answer", type: "VARCHAR", description: "the wrong final answer the rejected solution reaches" },
    { name: "edit_start", type: "INTEGER", description: "start of the edited characters in the original error step" },
    { name: "edit_end", type: "INTEGER", description: "end (exclusive) of the edited characters" },
    { name: "edit_from", type: "VARCHAR", description: "the original text of the edit" },
    { name: "edit_to", type: "VARCHAR", description: "what it became" },
    ...lineage
  ],
  step_preference: [
    { name: "prompt", type: "VARCHAR", description: "the question" },
    { name: "initial_reason_steps", type: "VARCHAR", description: "the correct steps before the error step (shared prefix)" },
    { name: "chosen", type: "VARCHAR", description: "the correct next step" },
    { name: "rejected", type: "VARCHAR", description: "the next step with the injected error (Step-DPO style)" },
    ...errorColumns,
    ...lineage
  ],
  correction: [
    messages,
    { name: "strategy", type: "VARCHAR", description: '"fix_and_continue" or "fresh_and_restart" (LEMMA)' },
    ...errorColumns,
    ...lineage
  ]
}
