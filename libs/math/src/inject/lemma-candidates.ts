/**
 * Candidate errors that only LEMMA injects (RISE's kinds are in candidates.ts): a calculation slip in a
 * stated result, a skipped step, a wrong conversion factor, an off-by-one count, and a question number
 * worked in where it does not belong. Same contract as candidates.ts: every concrete edit the step allows.
 */
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import { literals, operators, parentOf } from "../arithmetic.ts"
import { digitSlips, numberTokens } from "./format.ts"
import { deleteSpan } from "./expr-edit.ts"
import type { ArithOp } from "./expr-edit.ts"
import { sitesOf } from "./model.ts"
import type { SolutionModel } from "./model.ts"
import type { Plan } from "./propagate.ts"
import { earlierResults, FLIP, inList, plan, show, shown, VERB } from "./candidates.ts"

/** The expression stays, its result is a one-digit slip; later steps go on from the wrong result. */
export const calculationSlip = (model: SolutionModel, step: number): Plan[] =>
  sitesOf(model, step).flatMap((site) =>
    digitSlips(site.resultText).map((v): Plan => {
      const to = show(v, site.resultText)
      return {
        step,
        ops: new Map(),
        forced: new Map([[site.index, v]]),
        detail: `${site.resultText} → ${to}`,
        explain: `${shown(site)} is ${site.resultText}, not ${to}.`
      }
    })
  )

/**
 * The step is skipped: it turned an earlier result P into V, and later steps use P where they needed V.
 * Only steps with one annotation whose expression uses an earlier result qualify.
 */
export const missingStep = (model: SolutionModel, step: number): Plan[] => {
  const sites = sitesOf(model, step)
  const site = sites[0]
  if (sites.length !== 1 || !site) return []
  const before = earlierResults(model, step)
  const used = [...literals(site.expr.ast)].reverse().find((l) => before.some((b) => R.equals(b.value, l.value)))
  if (!used || R.equals(used.value, site.stated)) return []
  const laterUse = model.sites.some((s) => s.step > step && literals(s.expr.ast).some((l) => R.equals(l.value, site.stated)))
  if (!laterUse) return []
  const p = show(used.value, used.text ?? "")
  const v = site.resultText
  return [
    {
      step,
      ops: new Map(),
      removeStep: { step, site: site.index, replacement: used.value },
      detail: `skip step ${step} (${shown(site)} = ${v})`,
      explain: `I never worked out ${shown(site)} = ${v}, so I kept using ${p} where I needed ${v}.`
    }
  ]
}

/** Conversion factors and the factor a hurried solver confuses each with. */
const FACTORS: ReadonlyArray<readonly [number, readonly number[]]> = [
  [60, [100, 24]],
  [100, [10, 1000]],
  [12, [10]],
  [1000, [100]],
  [24, [12, 60]],
  [3600, [60]]
]

/** A step that multiplies or divides by 60, 100, 12, 1000, 24 or 3600 uses the wrong factor or direction. */
export const unitConversion = (model: SolutionModel, step: number): Plan[] =>
  sitesOf(model, step).flatMap((site) =>
    literals(site.expr.ast).flatMap((lit, i) => {
      const entry = FACTORS.find(([f]) => R.equals(lit.value, R.fromBigInt(BigInt(f))))
      // A factor the question states ("24 muffins on each tray") or an earlier step computed is a quantity,
      // not an implicit conversion constant.
      if (inList(model.questionValues, lit.value) || earlierResults(model, step).some((e) => R.equals(e.value, lit.value))) return []
      const parent = parentOf(site.expr.ast, lit.path)
      if (!entry || !parent || (parent.node.op !== "*" && parent.node.op !== "/")) return []
      const t = lit.text ?? String(entry[0])
      const wrongFactor = entry[1].map((w) =>
        plan(step, site.index, [{ kind: "literal", index: i, value: R.fromBigInt(BigInt(w)) }], `factor ${t} → ${w}`, `I converted with ${w} where the conversion factor is ${t}.`)
      )
      if (parent.side !== "right") return wrongFactor
      const j = operators(site.expr.ast).findIndex((o) => o.node === parent.node)
      const op = parent.node.op
      const flipped = FLIP[op]
      return [
        ...wrongFactor,
        plan(step, site.index, [{ kind: "operator", index: j, op: flipped }], `${op} ${t} → ${flipped} ${t}`, `I converted the wrong way: I ${VERB[flipped]} by ${t} where I should have ${VERB[op]} by ${t}.`)
      ]
    })
  )

/** An off-by-one: a step's "+ 1" or "− 1" goes the other way, or is forgotten in a longer chain. */
export const countingSlip = (model: SolutionModel, step: number): Plan[] =>
  sitesOf(model, step).flatMap((site) =>
    literals(site.expr.ast).flatMap((lit, i) => {
      const parent = parentOf(site.expr.ast, lit.path)
      if (!R.equals(lit.value, R.ONE) || !parent || parent.side !== "right" || (parent.node.op !== "+" && parent.node.op !== "-")) return []
      const op = parent.node.op
      const j = operators(site.expr.ast).findIndex((o) => o.node === parent.node)
      const out = [
        plan(step, site.index, [{ kind: "operator", index: j, op: FLIP[op] }], `${op} 1 → ${FLIP[op]} 1`, `I ${VERB[FLIP[op]]} 1 where I should have ${VERB[op]} 1, so the count is off.`)
      ]
      if (operators(site.expr.ast).length >= 2 && deleteSpan(site.expr.ast, i)) {
        out.push(plan(step, site.index, [{ kind: "delete", index: i }], `drop ${op} 1`, `I forgot to ${op === "+" ? "add" : "subtract"} the 1, so the count is off by one.`))
      }
      return out
    })
  )

/** A number the question states but no step uses is worked into a step's expression. */
export const irrelevantInformation = (model: SolutionModel, step: number): Plan[] => {
  const used: Rational[] = []
  for (const s of model.sites) for (const l of literals(s.expr.ast)) used.push(l.value)
  for (const st of model.parsed.steps) for (const t of numberTokens(st.text)) used.push(t.value)
  // Parts of a written fraction ("1/3 of them") are used through it even when no literal shows them.
  const fractionParts = [...model.question.matchAll(/(\d+)\s*\/\s*(\d+)/g)].flatMap((m) => [m[1] ?? "", m[2] ?? ""])
  const unused = model.questionDigitValues.filter(
    (q) => !inList(used, q) && R.compare(q, R.ONE) > 0 && !fractionParts.includes(R.toString(q))
  )
  return sitesOf(model, step).flatMap((site) => {
    const top = site.expr.ast.kind === "bin" ? site.expr.ast.op : "+"
    const op: ArithOp = top === "*" ? "*" : "+"
    return unused.map((u) => {
      const t = show(u)
      return plan(step, site.index, [{ kind: "append", op, value: u }], `${op} ${t}`, `I worked ${t} from the question into this step, but that number has nothing to do with it.`)
    })
  })
}
