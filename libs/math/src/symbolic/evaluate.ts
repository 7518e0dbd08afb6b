/**
 * Evaluates a template under an assignment of its free variables: every annotation's result (in
 * dependency order, since a variable tied to a result may be used before that result's step) and every
 * condition. Exact rationals throughout, as in the verifier.
 */
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import { evaluate, mapLiterals } from "../arithmetic.ts"
import type { SymbolicAnnotation, SymbolicCondition, SymbolicRef, SymbolicVariable } from "./types.ts"

export interface Evaluation {
  readonly ref: (ref: SymbolicRef) => Rational
  readonly variable: (id: string) => Rational
  readonly result: (index: number) => Rational
}

export class EvaluationFailure {
  readonly message: string
  constructor(message: string) {
    this.message = message
  }
}

/**
 * Lazy, memoised evaluation. Throws EvaluationFailure on division by zero, an oversized value or a cycle
 * (templateOf never builds cycles; the guard keeps a hand-made template from looping).
 */
export const evaluation = (
  variables: ReadonlyArray<SymbolicVariable>,
  annotations: ReadonlyArray<SymbolicAnnotation>,
  free: ReadonlyMap<string, Rational>
): Evaluation => {
  const byId = new Map(variables.map((v) => [v.id, v]))
  const results = new Map<number, Rational>()
  const busy = new Set<number>()
  const variable = (id: string): Rational => {
    const v = byId.get(id)
    if (v === undefined) throw new EvaluationFailure(`unknown variable ${id}`)
    if (v.derivedFrom !== undefined) return result(v.derivedFrom)
    const value = free.get(id)
    if (value === undefined) throw new EvaluationFailure(`no value for ${id}`)
    return value
  }
  const ref = (r: SymbolicRef): Rational => {
    switch (r.kind) {
      case "const":
        return r.value
      case "var":
        return R.mul(variable(r.id), r.scale)
      case "result":
        return R.mul(result(r.index), r.scale)
      case "fraction": {
        const n = r.num.kind === "var" ? variable(r.num.id) : r.num.value
        const d = r.den.kind === "var" ? variable(r.den.id) : r.den.value
        const q = R.div(n, d)
        if (!q.ok) throw new EvaluationFailure(`fraction: ${q.error}`)
        return q.value
      }
    }
  }
  const result = (index: number): Rational => {
    const known = results.get(index)
    if (known !== undefined) return known
    const a = annotations[index]
    if (a === undefined) throw new EvaluationFailure(`unknown annotation ${index}`)
    if (busy.has(index)) throw new EvaluationFailure(`annotation ${index} depends on itself`)
    busy.add(index)
    const ast = mapLiterals(a.ast, (_lit, i) => {
      const b = a.bindings[i]
      return b === undefined ? _lit.value : ref(b)
    })
    busy.delete(index)
    const v = evaluate(ast)
    if (!v.ok) throw new EvaluationFailure(`step ${a.step}: ${a.expr.trim()}: ${v.error}`)
    results.set(index, v.value)
    return v.value
  }
  return { ref, variable, result }
}

const show = (r: SymbolicRef): string =>
  r.kind === "const" ? R.toString(r.value) : r.kind === "var" ? r.id : r.kind === "result" ? `result#${r.index + 1}` : "fraction"

/** The first condition the evaluation breaks, as a message; undefined when all hold. */
export const brokenCondition = (conditions: ReadonlyArray<SymbolicCondition>, ev: Evaluation): string | undefined => {
  for (const c of conditions) {
    switch (c.kind) {
      case "integer":
        if (!R.isInteger(ev.ref(c.ref))) return `${show(c.ref)} must be an integer (${c.why})`
        break
      case "sign":
        if (R.sign(ev.ref(c.ref)) !== c.sign && !(c.sign === 0 && R.sign(ev.ref(c.ref)) > 0)) return `${show(c.ref)} must keep sign ${c.sign} (${c.why})`
        break
      case "places": {
        const p = R.decimalPlaces(ev.ref(c.ref))
        if (p === undefined || p > c.max) return `${show(c.ref)} must have at most ${c.max} decimals (${c.why})`
        break
      }
      case "terminating":
        if (R.decimalPlaces(ev.ref(c.ref)) === undefined) return `${show(c.ref)} must be a finite decimal (${c.why})`
        break
      case "range": {
        const v = ev.ref(c.ref)
        if (c.min !== undefined && R.compare(v, c.min) < 0) return `${show(c.ref)} must be at least ${R.toString(c.min)} (${c.why})`
        if (c.max !== undefined) {
          const cmp = R.compare(v, c.max)
          if (cmp > 0 || (c.strictMax === true && cmp === 0)) return `${show(c.ref)} must be below ${R.toString(c.max)} (${c.why})`
        }
        break
      }
      case "order":
        if (R.compare(ev.ref(c.a), ev.ref(c.b)) !== c.cmp) return `${show(c.a)} must stay ${c.cmp < 0 ? "<" : ">"} ${show(c.b)} (${c.why})`
        break
      case "differ":
        if (R.equals(ev.ref(c.a), ev.ref(c.b))) return `${show(c.a)} and ${show(c.b)} must differ (${c.why})`
        break
      case "coprime": {
        const a = ev.ref(c.a)
        const b = ev.ref(c.b)
        if (!R.isInteger(a) || !R.isInteger(b)) return `${show(c.a)}/${show(c.b)} must be a fraction of integers (${c.why})`
        if (R.gcd(a.num, b.num) !== 1n) return `${show(c.a)}/${show(c.b)} must stay in lowest terms (${c.why})`
        break
      }
    }
  }
  return undefined
}
