/** Helpers shared by the injection tests: pick one concrete candidate edit by its recorded detail and apply it. */
import { buildModel } from "./model.ts"
import type { SolutionModel } from "./model.ts"
import { applyPlan } from "./propagate.ts"
import type { Plan } from "./propagate.ts"
import { FIXTURES } from "./fixtures.ts"
import type { Fixture } from "./fixtures.ts"

export const fixture = (name: string): Fixture => {
  const f = FIXTURES.find((x) => x.name === name)
  if (!f) throw new Error(`no fixture ${name}`)
  return f
}

export const modelOf = (name: string): SolutionModel => {
  const f = fixture(name)
  const m = buildModel(f.question, f.solution)
  if (!m.ok) throw new Error(m.reason)
  return m.model
}

/** Applies the candidate whose detail is `detail`; throws when there is none or it does not apply. */
export const applyCandidate = (
  name: string,
  generate: (model: SolutionModel, step: number) => Plan[],
  step: number,
  detail: string
): { text: string; plan: Plan } => {
  const model = modelOf(name)
  const plans = generate(model, step)
  const plan = plans.find((p) => p.detail === detail)
  if (!plan) throw new Error(`no candidate "${detail}" among ${plans.map((p) => p.detail).join(", ")}`)
  const r = applyPlan(model, plan)
  if (!r.ok) throw new Error(r.reason)
  return { text: r.applied.text, plan }
}

export const lines = (text: string): string[] => text.split("\n")
