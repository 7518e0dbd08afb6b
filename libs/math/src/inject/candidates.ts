/**
 * Candidate errors for one step of a solution, one generator per error kind. Each returns every concrete
 * edit of its kind that the step allows (possibly none); the injectors shuffle them with the record's Rng
 * and keep the first one that propagates cleanly (see propagate.ts).
 */
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import { evaluateExpression, getAt, literals, operators, parentOf } from "../arithmetic.ts"
import type { Expr, Path, PathStep } from "../arithmetic.ts"
import { digitSlips, editableTokens, formatLike, numberTokens, readNumber } from "./format.ts"
import { deleteSpan, literalIndicesOf, rewriteExpr } from "./expr-edit.ts"
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
  const loose = editableTokens(model.text, stepSpan.start, stepSpan.end).filter(
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
      // The other operand of a − or ÷: substituting it would make `x - x` or `x / x`, an edit that shows.
      const parent = parentOf(site.expr.ast, lit.path)
      const other = parent && (parent.node.op === "-" || parent.node.op === "/") ? (parent.side === "left" ? parent.node.right : parent.node.left) : undefined
      return pool
        .filter((p) => !R.equals(p.value, lit.value) && !(other?.kind === "num" && R.equals(other.value, p.value)))
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

/**
 * Two numbers of an expression trade places (RISE "swap two calculation terms"): the two around a − or ÷
 * ("10 / 100" → "100 / 10"), or any two whose exchange changes the value ("120 - 30 + 15" → "120 - 15 + 30",
 * "(14 + 9) * 2" → "(14 + 2) * 9"). A swap that only reorders a sum or a product changes nothing and is
 * not offered.
 */
export const swapTerms = (model: SolutionModel, step: number): Plan[] =>
  sitesOf(model, step).flatMap((site) => {
    const lits = literals(site.expr.ast)
    const around = new Map<string, string>()
    for (const { node, path } of operators(site.expr.ast)) {
      if (node.op !== "-" && node.op !== "/") continue
      const cls = CLASS[node.op] ?? ""
      const l = neighbour(site.expr.ast, [...path, "left"], "right", cls)
      const r = neighbour(site.expr.ast, [...path, "right"], "left", cls)
      if (!l || !r) continue
      const a = literalIndexAt(site.expr.ast, l)
      const b = literalIndexAt(site.expr.ast, r)
      if (a >= 0 && b >= 0) around.set(`${Math.min(a, b)}:${Math.max(a, b)}`, node.op)
    }
    const out: Plan[] = []
    for (let a = 0; a < lits.length; a++) {
      for (let b = a + 1; b < lits.length; b++) {
        const la = lits[a]!
        const lb = lits[b]!
        if (R.equals(la.value, lb.value)) continue
        const swapped = rewriteExpr(site.expr, [{ kind: "swap", a, b }], new Map())
        const v = swapped === undefined ? undefined : evaluateExpression(swapped)
        // Unchanged (a reordered sum or product), or a count turned negative: propagation would refuse it anyway.
        if (!v?.ok || R.equals(v.value, site.value) || (R.sign(v.value) < 0 && R.sign(site.value) >= 0)) continue
        const ta = la.text ?? R.toString(la.value)
        const tb = lb.text ?? R.toString(lb.value)
        const op = around.get(`${a}:${b}`)
        if (op !== undefined) {
          const what = op === "-" ? "subtracted the wrong way round" : "divided the wrong way round"
          const sym = op === "-" ? "−" : "÷"
          out.push(plan(step, site.index, [{ kind: "swap", a, b }], `${ta} ${op} ${tb} → ${tb} ${op} ${ta}`, `I ${what}: ${tb} ${sym} ${ta} instead of ${ta} ${sym} ${tb}.`))
        } else {
          out.push(plan(step, site.index, [{ kind: "swap", a, b }], `${ta} ↔ ${tb} in ${shown(site)}`, `I put ${tb} where ${ta} belongs and ${ta} where ${tb} belongs in ${shown(site)}.`))
        }
      }
    }
    return out.concat(crossSwaps(model, step))
  })

/**
 * Two numbers of the question used the wrong way round in two calculations (a mix-up of which quantity
 * goes where: "62 * 3" and "48 * 2" become "62 * 2" and "48 * 3"). The first of the two is in `step`; the
 * other in a later calculation. Only numbers the question states and no step computes, so the swap is of
 * the problem's data, not of results.
 */
const crossSwaps = (model: SolutionModel, step: number): Plan[] => {
  const data = (v: Rational): boolean => inList(model.questionDigitValues, v) && !model.sites.some((s) => R.equals(s.stated, v))
  const out: Plan[] = []
  for (const a of sitesOf(model, step)) {
    literals(a.expr.ast).forEach((la, i) => {
      if (!data(la.value)) return
      for (const b of model.sites) {
        if (b.index <= a.index) continue
        literals(b.expr.ast).forEach((lb, j) => {
          if (!data(lb.value) || R.equals(la.value, lb.value)) return
          // Both numbers in both calculations already: exchanging them changes nothing a reader could see.
          if (literalIndicesOf(a.expr.ast, lb.value).length > 0 || literalIndicesOf(b.expr.ast, la.value).length > 0) return
          const ta = la.text ?? R.toString(la.value)
          const tb = lb.text ?? R.toString(lb.value)
          out.push({
            step,
            ops: new Map<number, ExprOp[]>([
              [a.index, [{ kind: "literal", index: i, value: lb.value }]],
              [b.index, [{ kind: "literal", index: j, value: la.value }]]
            ]),
            detail: `${ta} ↔ ${tb} (steps ${step} and ${b.step})`,
            explain: `I used ${tb} in ${shown(a)} and ${ta} in ${shown(b)}: the two numbers the wrong way round.`
          })
        })
      }
    })
  }
  return out
}

/**
 * Numbers a reader may take a question's number for: another number of the question, the number with two
 * neighbouring digits swapped ("45" for "54"), or its last digit one off ("3/4" read as "3/5").
 */
const misreadings = (text: string, value: Rational, others: readonly Rational[]): Rational[] => {
  const out: Rational[] = []
  const add = (v: Rational | undefined): void => {
    if (v && R.sign(v) > 0 && !R.equals(v, value) && !out.some((o) => R.equals(o, v))) out.push(v)
  }
  for (const o of others) add(o)
  const core = text.replace(/,/g, "")
  if (/^\d+$/.test(core)) {
    for (let i = 0; i + 1 < core.length; i++) {
      if (core[i] !== core[i + 1] && !(i === 0 && core[i + 1] === "0")) add(readNumber(core.slice(0, i) + core[i + 1] + core[i] + core.slice(i + 2)))
    }
    const last = Number(core.at(-1))
    for (const d of [last - 1, last + 1]) if (d >= 0 && d <= 9 && !(core.length === 1 && d === 0)) add(readNumber(core.slice(0, -1) + String(d)))
  }
  return out
}

/**
 * The solution misreads a number of the question (RISE's word-level "misreading of the question"): from
 * the step that first uses it, every use of that number (in expressions and in the prose) is the misread
 * one, and the results carry it on. The question itself is unchanged. Offered only at the step of first
 * use, for a number the question states once and no step computes.
 */
export const misreadQuestion = (model: SolutionModel, step: number): Plan[] => {
  const stepSpan = model.parsed.steps[step - 1]?.span
  if (!stepSpan) return []
  const asked = numberTokens(model.question)
  const guarded = model.sites.flatMap((s) => [s.annotation.span, ...(s.prose ? [s.prose.span] : []), ...(s.annotation.written ? [s.annotation.written.span] : [])])
  const out: Plan[] = []
  for (const q of model.questionDigitValues) {
    const mentions = asked.filter((t) => R.equals(t.value, q))
    if (mentions.length !== 1 || model.sites.some((s) => R.equals(s.stated, q))) continue
    const first = model.parsed.steps.find((st) => numberTokens(model.text, st.span.start, st.span.end).some((t) => R.equals(t.value, q)))
    if (first?.index !== step) continue
    const uses = model.sites.filter((s) => s.step >= step).map((s) => ({ site: s, idx: literalIndicesOf(s.expr.ast, q) })).filter((u) => u.idx.length > 0)
    if (!uses.some((u) => u.site.step === step)) continue
    const loose = editableTokens(model.text, stepSpan.start, model.text.length).filter(
      (t) => R.equals(t.value, q) && !guarded.some((g) => g.start <= t.span.start && t.span.end <= g.end) && t.span.start < model.final.span.start
    )
    const qt = mentions[0]!.text
    for (const m of misreadings(qt, q, model.questionDigitValues.filter((v) => !R.equals(v, q)))) {
      const ops = new Map<number, ExprOp[]>(uses.map((u) => [u.site.index, u.idx.map((index): ExprOp => ({ kind: "literal", index, value: m }))]))
      const extraEdits: TextEdit[] = []
      let writable = true
      for (const t of loose) {
        const text = formatLike(m, t.text)
        if (text === undefined) writable = false
        else extraEdits.push({ span: t.span, text })
      }
      if (!writable) continue
      const mt = show(m, qt)
      out.push({ step, ops, extraEdits, detail: `reads ${qt} as ${mt}`, explain: `I read ${mt} in the question where it says ${qt}.` })
    }
  }
  return out
}
