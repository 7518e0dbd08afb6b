import { Effect } from "effect"
import { PlanError } from "./errors.ts"
import type { Stage } from "./stage.ts"

export interface Plan {
  /** Stages in a topological order (inputs before the stages that read them), ties in declaration order. */
  readonly order: ReadonlyArray<Stage<any>>
  readonly byName: ReadonlyMap<string, Stage<any>>
  /** For each stage, the stages that read it. */
  readonly dependents: ReadonlyMap<string, ReadonlyArray<string>>
}

/** Checks the graph and orders it; every way a graph can be wrong gets a message naming the stages. */
export const plan = (stages: ReadonlyArray<Stage<any>>): Effect.Effect<Plan, PlanError> =>
  Effect.gen(function* () {
    if (stages.length === 0) return yield* new PlanError({ reason: "empty", message: "the pipeline has no stages" })
    const byName = new Map<string, Stage<any>>()
    for (const s of stages) {
      if (byName.has(s.name)) {
        return yield* new PlanError({
          reason: "duplicate_name",
          message: `two stages are named "${s.name}": stage names must be unique within a pipeline`
        })
      }
      byName.set(s.name, s)
      const keys = s.keyColumns ?? []
      const bad = keys.find((k, i) => k === "" || k === "row" || keys.indexOf(k) !== i)
      if (bad !== undefined) {
        return yield* new PlanError({
          reason: "key_columns",
          message: `stage "${s.name}" declares key column "${bad}" ${bad === "" ? "with no name" : bad === "row" ? "(\"row\" holds the JSON row itself)" : "twice"}; key columns are distinct top-level field names`
        })
      }
    }
    const dependents = new Map<string, Array<string>>(stages.map((s) => [s.name, []]))
    for (const s of stages) {
      for (const input of s.inputs) {
        if (!byName.has(input)) {
          const known = [...byName.keys()].join(", ")
          return yield* new PlanError({
            reason: "missing_input",
            message: `stage "${s.name}" reads "${input}", which is not a stage of this pipeline (stages: ${known})`
          })
        }
        dependents.get(input)!.push(s.name)
      }
    }
    // Kahn's algorithm; what is left unvisited lies on a cycle, which we walk to name it.
    const indegree = new Map(stages.map((s) => [s.name, new Set(s.inputs).size]))
    const order: Array<Stage<any>> = []
    const ready = stages.filter((s) => indegree.get(s.name) === 0).map((s) => s.name)
    while (ready.length > 0) {
      const name = ready.shift()!
      order.push(byName.get(name)!)
      for (const d of new Set(dependents.get(name))) {
        const left = indegree.get(d)! - 1
        indegree.set(d, left)
        if (left === 0) ready.push(d)
      }
    }
    if (order.length < stages.length) {
      const stuck = new Set(stages.filter((s) => !order.includes(s)).map((s) => s.name))
      return yield* new PlanError({ reason: "cycle", message: `the stages form a cycle: ${describeCycle(stuck, byName)}` })
    }
    return { order, byName, dependents }
  })

const describeCycle = (stuck: ReadonlySet<string>, byName: ReadonlyMap<string, Stage<any>>): string => {
  const start = [...stuck][0]!
  const path: Array<string> = [start]
  let current = start
  for (;;) {
    const next = byName.get(current)!.inputs.find((i) => stuck.has(i))!
    const seen = path.indexOf(next)
    if (seen >= 0) return [...path.slice(seen), next].reverse().join(" → ")
    path.push(next)
    current = next
  }
}
