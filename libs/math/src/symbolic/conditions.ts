/**
 * Conditions a redraw must meet, inferred from the original problem. GSM-Symbolic (Apple 2024) writes them
 * by hand (`divides(a, b)`, `is_int(expr)`, inequalities); here each follows from what the original was:
 *
 *   per step result  – integral stays integral (this is where divisibility comes from: 306 / 3 must stay
 *                      whole), the sign stays (a positive remainder stays positive, so a subtraction's
 *                      a > b order holds), a non-integer stays a finite decimal with at most
 *                      max(original places, 2) decimals (money stays in cents);
 *   per variable     – a percent of at most 100 stays at most 100 (below 100 if it was), a denominator stays
 *                      at least 2, a capped count stays capped ("days a week" ≤ 7); a variable tied to a
 *                      result must also look like the original number (integral, positive, cents);
 *   per fraction     – "3/4" stays proper and in lowest terms when it was; a fraction used as a decimal
 *                      (0.75) must have one;
 *   per pair         – variables that differed still differ;
 *   per orderings    – question numbers with the same unit keep their order ("stop after 6 kilometers" of
 *                      a "10 kilometers" course), and numbers compared in a step without a calculation
 *                      ("Since $51 is at least $50") keep theirs.
 */
import { canonicalJson } from "#core"
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import type { Span } from "../arithmetic.ts"
import type { ProseNumber } from "./numbers.ts"
import type { SymbolicAnnotation, SymbolicCondition, SymbolicRef, SymbolicVariable } from "./types.ts"

export interface ConditionInput {
  readonly atoms: ReadonlyArray<ProseNumber>
  readonly varOfAtom: (atomIndex: number) => string | undefined
  readonly variables: ReadonlyArray<SymbolicVariable>
  readonly annotations: ReadonlyArray<SymbolicAnnotation>
  readonly prose: ReadonlyArray<ProseNumber>
  readonly proseRefs: ReadonlyMap<number, SymbolicRef>
  /** Steps with no annotation, where compared numbers must keep their order. */
  readonly proseSteps: ReadonlyArray<Span>
  readonly keepUnitOrder: boolean
}


const placesLimit = (v: Rational): number => Math.max(R.decimalPlaces(v) ?? 2, 2)

const sameRef = (a: SymbolicRef, b: SymbolicRef): boolean => canonicalJson(a) === canonicalJson(b)

export const inferConditions = (input: ConditionInput): SymbolicCondition[] => {
  const out: SymbolicCondition[] = []
  const { atoms, annotations, variables } = input

  // Step results keep their kind.
  annotations.forEach((a, index) => {
    const ref: SymbolicRef = { kind: "result", index, scale: R.ONE }
    if (R.isInteger(a.value)) out.push({ kind: "integer", ref, why: `step ${a.step} was a whole number` })
    else out.push({ kind: "places", ref, max: placesLimit(a.value), why: `step ${a.step} was a finite decimal${a.money ? " of money" : ""}` })
    out.push({ kind: "sign", ref, sign: R.sign(a.value), why: `step ${a.step} was ${R.sign(a.value) > 0 ? "positive" : R.sign(a.value) < 0 ? "negative" : "zero"}` })
    a.bindings.forEach((b) => {
      if (b.kind === "fraction") out.push({ kind: "terminating", ref: b, why: `step ${a.step} writes a fraction as a decimal` })
    })
  })

  // Variables keep what the question's wording needs.
  for (const v of variables) {
    const ref: SymbolicRef = { kind: "var", id: v.id, scale: R.ONE }
    const own = atoms.filter((a) => v.occurrences.some((o) => o.span.start === a.span.start))
    if (v.derivedFrom !== undefined) {
      if (R.isInteger(v.value)) out.push({ kind: "integer", ref, why: `${v.id} follows a step result and was a whole number` })
      else out.push({ kind: "places", ref, max: placesLimit(v.value), why: `${v.id} follows a step result and was a finite decimal` })
      out.push({ kind: "sign", ref, sign: R.sign(v.value), why: `${v.id} follows a step result` })
    }
    if (own.some((a) => a.context === "percent") && R.compare(v.value, R.HUNDRED) <= 0) {
      out.push({ kind: "range", ref, max: R.HUNDRED, strictMax: R.compare(v.value, R.HUNDRED) < 0, why: `${v.id} is a percent` })
    }
    if (own.some((a) => a.context === "denominator")) out.push({ kind: "range", ref, min: R.fromBigInt(2n), why: `${v.id} is a denominator` })
    for (const a of own) if (a.cap !== undefined) out.push({ kind: "range", ref, max: a.cap, why: `${v.id} is capped by its wording` })
  }

  // Different numbers stay different: equal ones would be merged into one variable if the variant were
  // templated again, and a reader could no longer tell which quantity a step uses.
  variables.forEach((a, i) => {
    variables.forEach((b, j) => {
      if (j > i) out.push({ kind: "differ", a: { kind: "var", id: a.id, scale: R.ONE }, b: { kind: "var", id: b.id, scale: R.ONE }, why: "different numbers stay different" })
    })
  })

  const atomRef = (i: number): SymbolicRef => {
    const id = input.varOfAtom(i)
    return id !== undefined ? { kind: "var", id, scale: R.ONE } : { kind: "const", value: atoms[i]!.value }
  }
  const pushOrder = (a: SymbolicRef, b: SymbolicRef, av: Rational, bv: Rational, why: string): void => {
    const cmp = R.compare(av, bv)
    if (cmp === 0 || (a.kind === "const" && b.kind === "const") || sameRef(a, b)) return
    const dup = out.some((c) => c.kind === "order" && ((sameRef(c.a, a) && sameRef(c.b, b)) || (sameRef(c.a, b) && sameRef(c.b, a))))
    if (!dup) out.push({ kind: "order", a, b, cmp, why })
  }

  // Written fractions stay proper and reduced.
  atoms.forEach((atom, i) => {
    if (atom.context !== "numerator" || atom.partner === undefined) return
    const den = atoms[atom.partner]!
    const n = atomRef(i)
    const d = atomRef(atom.partner)
    if (n.kind === "const" && d.kind === "const") return
    pushOrder(n, d, atom.value, den.value, `${atom.text}/${den.text} is a ${R.compare(atom.value, den.value) < 0 ? "proper" : "improper"} fraction`)
    if (R.gcd(atom.value.num, den.value.num) === 1n) out.push({ kind: "coprime", a: n, b: d, why: `${atom.text}/${den.text} is in lowest terms` })
  })

  // Same-unit question numbers keep their order.
  if (input.keepUnitOrder) {
    atoms.forEach((a, i) => {
      atoms.forEach((b, j) => {
        if (j <= i || a.unit === undefined || a.unit !== b.unit || a.unit === "%" || a.money || b.money) return
        if (a.context !== "plain" || b.context !== "plain") return
        pushOrder(atomRef(i), atomRef(j), a.value, b.value, `question numbers in ${a.unit} keep their order`)
      })
    })
  }

  // Comparisons stated in words keep their order.
  for (const span of input.proseSteps) {
    const inside = input.prose.map((n, i) => ({ n, i })).filter(({ n }) => n.span.start >= span.start && n.span.end <= span.end)
    inside.forEach(({ n: a, i }, x) => {
      inside.forEach(({ n: b, i: j }, y) => {
        if (y <= x) return
        const ra = input.proseRefs.get(i) ?? { kind: "const", value: a.value }
        const rb = input.proseRefs.get(j) ?? { kind: "const", value: b.value }
        pushOrder(ra, rb, a.value, b.value, `a step compares ${a.text} and ${b.text} in words`)
      })
    })
  }
  return out
}
