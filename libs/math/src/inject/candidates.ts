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

export const show = (v: Rational, like = ""): string => formatLike(v, like) ?? R.toString(v)

/** How a reader sees an expression: the prose form when the step writes one. */
export const shown = (site: AnnotationSite): string => site.prose?.text ?? site.expr.text

export const VERB: Record<ArithOp, string> = { "+": "added", "-": "subtracted", "*": "multiplied", "/": "divided" }
export const FLIP: Record<ArithOp, ArithOp> = { "+": "-", "-": "+", "*": "/", "/": "*" }
const isArith = (op: string): op is ArithOp => op === "+" || op === "-" || op === "*" || op === "/"

export const plan = (step: number, site: number, ops: ExprOp[], detail: string, explain: string): Plan => ({
  step,
  ops: new Map([[site, ops]]),
  detail,
  explain
})

const pathKey = (p: Path): string => p.join("/")
const literalIndexAt = (ast: Expr, path: Path): number => literals(ast).findIndex((l) => pathKey(l.path) === pathKey(path))

/** Stated results of annotations in steps before `step`, distinct, with the step that computed each. */
export const earlierResults = (model: SolutionModel, step: number): Array<{ value: Rational; step: number }> => {
  const out: Array<{ value: Rational; step: number }> = []
  for (const s of model.sites) {
    if (s.step >= step) continue
    const i = out.findIndex((o) => R.equals(o.value, s.stated))
    if (i >= 0) out.splice(i, 1)
    out.push({ value: s.stated, step: s.step })
  }
  return out
}

export const inList = (list: readonly Rational[], v: Rational): boolean => list.some((x) => R.equals(x, v))

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
