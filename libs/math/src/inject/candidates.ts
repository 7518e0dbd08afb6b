/**
 * Candidate errors for one step of a solution, one generator per error kind. Each returns every concrete
 * edit of its kind that the step allows (possibly none); the injectors shuffle them with the record's Rng
 * and keep the first one that propagates cleanly (see propagate.ts).
 */
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import { getAt, literals, operators, parentOf } from "../arithmetic.ts"
import type { Expr, Path, PathStep } from "../arithmetic.ts"
import { digitSlips, formatLike, numberTokens } from "./format.ts"
import { deleteSpan, literalIndicesOf } from "./expr-edit.ts"
import type { ArithOp, ExprOp } from "./expr-edit.ts"
import { sitesOf } from "./model.ts"
import type { AnnotationSite, SolutionModel } from "./model.ts"
import type { Plan, TextEdit } from "./propagate.ts"

const show = (v: Rational, like = ""): string => formatLike(v, like) ?? R.toString(v)

/** How a reader sees an expression: the prose form when the step writes one. */
const shown = (site: AnnotationSite): string => site.prose?.text ?? site.expr.text

const VERB: Record<ArithOp, string> = { "+": "added", "-": "subtracted", "*": "multiplied", "/": "divided" }
const FLIP: Record<ArithOp, ArithOp> = { "+": "-", "-": "+", "*": "/", "/": "*" }
const isArith = (op: string): op is ArithOp => op === "+" || op === "-" || op === "*" || op === "/"

const plan = (step: number, site: number, ops: ExprOp[], detail: string, explain: string): Plan => ({
  step,
  ops: new Map([[site, ops]]),
  detail,
  explain
})

const pathKey = (p: Path): string => p.join("/")
const literalIndexAt = (ast: Expr, path: Path): number => literals(ast).findIndex((l) => pathKey(l.path) === pathKey(path))

/** Stated results of annotations in steps before `step`, distinct, with the step that computed each. */
const earlierResults = (model: SolutionModel, step: number): Array<{ value: Rational; step: number }> => {
  const out: Array<{ value: Rational; step: number }> = []
  for (const s of model.sites) {
    if (s.step >= step) continue
    const i = out.findIndex((o) => R.equals(o.value, s.stated))
    if (i >= 0) out.splice(i, 1)
    out.push({ value: s.stated, step: s.step })
  }
  return out
}

const inList = (list: readonly Rational[], v: Rational): boolean => list.some((x) => R.equals(x, v))

// ---------------------------------------------------------------- RISE edit kinds

/** One literal of the expression gets a one-digit slip (RISE "change one value"). */
export const changeValue = (model: SolutionModel, step: number): Plan[] =>
  sitesOf(model, step).flatMap((site) =>
    literals(site.expr.ast).flatMap((lit, i) =>
      digitSlips(lit.text ?? "").map((v) => {
        const from = lit.text ?? R.toString(lit.value)
        const to = show(v, from)
        return plan(step, site.index, [{ kind: "literal", index: i, value: v }], `${from} → ${to}`, `I used ${to} where the number is ${from}.`)
      })
    )
  )

/**
 * A number that occurs more than once in the step (a repeated term, or a number stated in the prose and
 * used in the expression) changes everywhere in the step (RISE "change a series of related values").
 */
export const changeRelatedValues = (model: SolutionModel, step: number): Plan[] => {
  const sites = sitesOf(model, step)
  const stepSpan = model.parsed.steps[step - 1]?.span
  if (!stepSpan || sites.length === 0) return []
  const guarded = sites.flatMap((s) => [s.annotation.span, ...(s.prose ? [s.prose.span] : []), ...(s.annotation.written ? [s.annotation.written.span] : [])])
  const loose = numberTokens(model.text, stepSpan.start, stepSpan.end).filter(
    (t) => !guarded.some((g) => g.start <= t.span.start && t.span.end <= g.end)
  )
  const values: Array<{ value: Rational; text: string }> = []
  for (const s of sites) for (const l of literals(s.expr.ast)) if (!values.some((v) => R.equals(v.value, l.value))) values.push({ value: l.value, text: l.text ?? "" })
  return values.flatMap(({ value, text }) => {
    const inExprs = sites.reduce((n, s) => n + literalIndicesOf(s.expr.ast, value).length, 0)
    const inProse = loose.filter((t) => R.equals(t.value, value))
    if (inExprs + inProse.length < 2) return []
    return digitSlips(text).map((v): Plan => {
      const ops = new Map<number, ExprOp[]>()
      for (const s of sites) {
        const idx = literalIndicesOf(s.expr.ast, value)
        if (idx.length > 0) ops.set(s.index, idx.map((index) => ({ kind: "literal", index, value: v })))
      }
      const extraEdits: TextEdit[] = inProse.map((t) => ({ span: t.span, text: show(v, t.text) }))
      const to = show(v, text)
      return { step, ops, extraEdits, detail: `${text} → ${to} (${inExprs + inProse.length} places)`, explain: `I took ${to} as the number that is really ${text}.` }
    })
  })
}

/** A literal is replaced by another number of the question or an earlier result (RISE "wrong substitution"). */
export const wrongSubstitution = (model: SolutionModel, step: number, source: "any" | "question" | "previous" = "any"): Plan[] => {
  const earlier = earlierResults(model, step)
  const pool: Array<{ value: Rational; from: string }> = []
  const add = (value: Rational, from: string): void => {
    if (!pool.some((p) => R.equals(p.value, value))) pool.push({ value, from })
  }
  if (source !== "previous") for (const q of model.questionDigitValues) add(q, "from the question")
  if (source !== "question") for (const e of earlier) add(e.value, `the result of step ${e.step}`)
  return sitesOf(model, step).flatMap((site) =>
    literals(site.expr.ast).flatMap((lit, i) => {
      const from = lit.text ?? R.toString(lit.value)
      if (source === "question" && !inList(model.questionValues, lit.value)) return []
      const origin = earlier.find((e) => R.equals(e.value, lit.value))
      if (source === "previous" && !origin) return []
      return pool
        .filter((p) => !R.equals(p.value, lit.value))
        .map((p) => {
          const to = show(p.value, from)
          const right = source === "previous" && origin ? `${from}, the result of step ${origin.step}` : from
          return plan(step, site.index, [{ kind: "literal", index: i, value: p.value }], `${from} → ${to} (${p.from})`, `I used ${to} (${p.from}) instead of ${right}.`)
        })
    })
  )
}

/** One operand of a chain of two or more operations is dropped (RISE "delete a calculation term"). */
export const deleteTerm = (model: SolutionModel, step: number): Plan[] =>
  sitesOf(model, step).flatMap((site) => {
    if (operators(site.expr.ast).length < 2) return []
    return literals(site.expr.ast).flatMap((lit, i) => {
      if (!deleteSpan(site.expr.ast, i)) return []
      const t = lit.text ?? R.toString(lit.value)
      return [plan(step, site.index, [{ kind: "delete", index: i }], `drop ${t}`, `I left out the ${t} in ${shown(site)}.`)]
    })
  })

/** + ↔ − or × ↔ ÷ at one operator (RISE "change an operator"; LEMMA "operator"). */
export const changeOperator = (model: SolutionModel, step: number): Plan[] =>
  sitesOf(model, step).flatMap((site) =>
    operators(site.expr.ast).flatMap(({ node }, j) => {
      if (!isArith(node.op)) return []
      const op = FLIP[node.op]
      return [plan(step, site.index, [{ kind: "operator", index: j, op }], `${node.op} → ${op}`, `I ${VERB[op]} where I should have ${VERB[node.op]}.`)]
    })
  )

const CLASS: Record<string, string> = { "+": "sum", "-": "sum", "*": "product", "/": "product" }

/** The literal that touches an operator from one side, through operators of the same precedence only. */
const neighbour = (ast: Expr, start: Path, toward: PathStep, cls: string): Path | undefined => {
  let path: Path = start
  for (;;) {
    const node = getAt(ast, path)
    if (node?.kind === "num") return path
    if (node?.kind !== "bin" || CLASS[node.op] !== cls) return undefined
    path = [...path, toward]
  }
}

/** The two numbers around a − or ÷ trade places (RISE "swap two calculation terms"). */
export const swapTerms = (model: SolutionModel, step: number): Plan[] =>
  sitesOf(model, step).flatMap((site) =>
    operators(site.expr.ast).flatMap(({ node, path }) => {
      if (node.op !== "-" && node.op !== "/") return []
      const cls = CLASS[node.op] ?? ""
      const l = neighbour(site.expr.ast, [...path, "left"], "right", cls)
      const r = neighbour(site.expr.ast, [...path, "right"], "left", cls)
      if (!l || !r) return []
      const a = literalIndexAt(site.expr.ast, l)
      const b = literalIndexAt(site.expr.ast, r)
      const la = literals(site.expr.ast)[a]
      const lb = literals(site.expr.ast)[b]
      if (a < 0 || b < 0 || !la || !lb || R.equals(la.value, lb.value)) return []
      const ta = la.text ?? ""
      const tb = lb.text ?? ""
      const what = node.op === "-" ? "subtracted the wrong way round" : "divided the wrong way round"
      return [plan(step, site.index, [{ kind: "swap", a, b }], `${ta} ${node.op} ${tb} → ${tb} ${node.op} ${ta}`, `I ${what}: ${tb} ${node.op === "-" ? "−" : "÷"} ${ta} instead of ${ta} ${node.op === "-" ? "−" : "÷"} ${tb}.`)]
    })
  )

// ---------------------------------------------------------------- LEMMA-only kinds

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
