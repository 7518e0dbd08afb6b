/**
 * Variants of a seed (GSM-Symbolic, Apple 2024): template it once, draw instances, keep the distinct ones.
 * Every failure is returned with its reason so a pipeline can count rejects per reason.
 */
import type { Rng } from "#core"
import { normaliseText } from "#core"
import { instantiate } from "./instantiate.ts"
import type { InstanceFailure } from "./instantiate.ts"
import { templateOf } from "./template.ts"
import type { SeedTask, TemplateOptions } from "./template.ts"
import type { SymbolicTemplate, TemplateFailure } from "./types.ts"

export interface VariantsOptions extends TemplateOptions {
  /** Distinct variants wanted. */
  readonly count: number
  readonly rng: Rng
  /** Draws per instance before "conditions_unsatisfiable"; default 50. */
  readonly maxAttempts?: number
  /** Instances tried in all, counting duplicates and failures; default 3 × count. */
  readonly maxTries?: number
  readonly redrawProbability?: number
  /** New names, objects and units per variant (surface.ts); default on. */
  readonly surface?: boolean
}

export interface SymbolicVariant {
  readonly question: string
  readonly reference: string
  readonly answer: string
  readonly values: Readonly<Record<string, string>>
}

export type VariantRejectReason = TemplateFailure | InstanceFailure | "duplicate"

export interface VariantReject {
  readonly reason: VariantRejectReason
  readonly message: string
}

export interface VariantsResult {
  readonly template?: SymbolicTemplate
  readonly variants: readonly SymbolicVariant[]
  readonly rejects: readonly VariantReject[]
}

/**
 * Up to `count` distinct variants of `task` (distinct by normalised question, never the original).
 * Instance k draws from `rng.fork("variant-k")`, so the result depends only on the rng and the seed.
 */
export const variantsOf = (task: SeedTask, options: VariantsOptions): VariantsResult => {
  const t = templateOf(task, options)
  if (!t.ok) return { variants: [], rejects: [{ reason: t.reason, message: t.message }] }
  const seen = new Set([normaliseText(task.question)])
  const variants: SymbolicVariant[] = []
  const rejects: VariantReject[] = []
  const maxTries = options.maxTries ?? 3 * options.count
  // Names earlier variants used: the next ones draw others first, so siblings rarely share a name.
  const usedNames = new Set<string>()
  for (let k = 0; k < maxTries && variants.length < options.count; k++) {
    const inst = instantiate(t.template, options.rng.fork(`variant-${k}`), {
      ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.redrawProbability !== undefined ? { redrawProbability: options.redrawProbability } : {}),
      surface: options.surface === false ? false : { avoidNames: usedNames }
    })
    if (!inst.ok) {
      rejects.push({ reason: inst.reason, message: inst.message })
      continue
    }
    const key = normaliseText(inst.question)
    if (seen.has(key)) {
      rejects.push({ reason: "duplicate", message: "duplicate: the question repeats the seed or an earlier variant" })
      continue
    }
    seen.add(key)
    for (const c of inst.changes) if (c.kind === "name") usedNames.add(c.to)
    variants.push({ question: inst.question, reference: inst.reference, answer: inst.answer, values: inst.values })
  }
  return { template: t.template, variants, rejects }
}
