/**
 * Evaluates a template under an assignment of its free variables: every annotation's result (in
 * dependency order, since a variable tied to a result may be used before that result's step) and every
 * condition. Exact rationals throughout, as in the verifier.
 */
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import { evaluate, mapLiterals } from "../arithmetic.ts"
import type { StoryRule, SymbolicAnnotation, SymbolicCondition, SymbolicRef, SymbolicVariable } from "./types.ts"

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
  const following = new Set<string>()
  const variable = (id: string): Rational => {
    const v = byId.get(id)
    if (v === undefined) throw new EvaluationFailure(`unknown variable ${id}`)
    if (v.derivedFrom !== undefined) return result(v.derivedFrom)
    if (v.follows !== undefined) {
      if (following.has(id)) throw new EvaluationFailure(`${id} follows itself`)
      following.add(id)
      const value = R.add(variable(v.follows.id), v.follows.offset)
      following.delete(id)
      return value
    }
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

/** Why one condition fails under the evaluation; undefined when it holds. */
const failure = (c: SymbolicCondition, ev: Evaluation): string | undefined => {
  switch (c.kind) {
    case "integer":
      return R.isInteger(ev.ref(c.ref)) ? undefined : `${show(c.ref)} must be an integer (${c.why})`
    case "sign":
      return R.sign(ev.ref(c.ref)) !== c.sign && !(c.sign === 0 && R.sign(ev.ref(c.ref)) > 0) ? `${show(c.ref)} must keep sign ${c.sign} (${c.why})` : undefined
    case "places": {
      const p = R.decimalPlaces(ev.ref(c.ref))
      return p === undefined || p > c.max ? `${show(c.ref)} must have at most ${c.max} decimals (${c.why})` : undefined
    }
    case "terminating":
      return R.decimalPlaces(ev.ref(c.ref)) === undefined ? `${show(c.ref)} must be a finite decimal (${c.why})` : undefined
    case "range": {
      const v = ev.ref(c.ref)
      if (c.min !== undefined && R.compare(v, c.min) < 0) return `${show(c.ref)} must be at least ${R.toString(c.min)} (${c.why})`
      if (c.max !== undefined) {
        const cmp = R.compare(v, c.max)
        if (cmp > 0 || (c.strictMax === true && cmp === 0)) return `${show(c.ref)} must be below ${R.toString(c.max)} (${c.why})`
      }
      return undefined
    }
    case "order":
      return R.compare(ev.ref(c.a), ev.ref(c.b)) !== c.cmp ? `${show(c.a)} must stay ${c.cmp < 0 ? "<" : ">"} ${show(c.b)} (${c.why})` : undefined
    case "perUnitOrder": {
      const a = R.div(ev.ref(c.a), ev.ref(c.aPer))
      const b = R.div(ev.ref(c.b), ev.ref(c.bPer))
      if (!a.ok || !b.ok) return `${show(c.a)}/${show(c.aPer)} and ${show(c.b)}/${show(c.bPer)} must be defined (${c.why})`
      return R.compare(a.value, b.value) !== c.cmp ? `${show(c.a)}/${show(c.aPer)} must stay ${c.cmp < 0 ? "<" : ">"} ${show(c.b)}/${show(c.bPer)} (${c.why})` : undefined
    }
    case "gap":
      return R.compare(R.sub(ev.ref(c.a), ev.ref(c.b)), c.min) < 0 ? `${show(c.a)} must stay at least ${R.toString(c.min)} above ${show(c.b)} (${c.why})` : undefined
    case "ratio": {
      const q = R.div(ev.ref(c.a), ev.ref(c.b))
      if (!q.ok || R.compare(q.value, c.min) < 0 || R.compare(q.value, c.max) > 0) {
        return `${show(c.a)} / ${show(c.b)} must stay between ${R.toString(c.min)} and ${R.toString(c.max)} (${c.why})`
      }
      return undefined
    }
    case "oneOf": {
      const v = ev.ref(c.ref)
      return c.values.some((x) => R.equals(x, v)) ? undefined : `${show(c.ref)} must be one of ${c.values.map(R.toString).join(", ")} (${c.why})`
    }
    case "tie":
      return R.equals(ev.ref(c.a), R.add(ev.ref(c.b), c.offset)) ? undefined : `${show(c.a)} must stay ${show(c.b)} + ${R.toString(c.offset)} (${c.why})`
    case "differ":
      return R.equals(ev.ref(c.a), ev.ref(c.b)) ? `${show(c.a)} and ${show(c.b)} must differ (${c.why})` : undefined
    case "coprime": {
      const a = ev.ref(c.a)
      const b = ev.ref(c.b)
      if (!R.isInteger(a) || !R.isInteger(b)) return `${show(c.a)}/${show(c.b)} must be a fraction of integers (${c.why})`
      return R.gcd(a.num, b.num) !== 1n ? `${show(c.a)}/${show(c.b)} must stay in lowest terms (${c.why})` : undefined
    }
  }
}

export interface BrokenCondition {
  readonly message: string
  /** The story rule broken, when the condition is one: the draw is then a rejected variant of that reason. */
  readonly rule?: StoryRule
}

/**
 * The first condition the evaluation breaks; undefined when all hold. Story rules are checked after every
 * other condition, so a draw rejected for one would otherwise have been a variant: the count of story
 * rejects is the count of broken stories the rules kept out, not of draws that failed anyway.
 */
export const firstBroken = (conditions: ReadonlyArray<SymbolicCondition>, ev: Evaluation): BrokenCondition | undefined => {
  for (const c of conditions) {
    if (c.rule !== undefined) continue
    const message = failure(c, ev)
    if (message !== undefined) return { message }
  }
  for (const c of conditions) {
    if (c.rule === undefined) continue
    const message = failure(c, ev)
    if (message !== undefined) return { message, rule: c.rule }
  }
  return undefined
}
