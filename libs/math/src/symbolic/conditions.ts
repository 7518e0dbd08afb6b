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
 *                      a "10 kilometers" course; prices per the same unit, "$1.20 per pound"), and numbers
 *                      compared in a step without a calculation ("Since $51 is at least $50") keep theirs;
 *   per story        – the rules a reader checks even when the arithmetic is right, each tagged with the
 *                      StoryRule a draw that breaks it is rejected for: ties the words state (ties.ts;
 *                      a number that follows another stays at least 2), calendar and clock bounds on
 *                      question numbers and step results (bounds.ts), and the orderings the pair lexicon
 *                      finds (orderings.ts: child < adult, small < large, a pack cheaper per item).
 */
import { canonicalJson } from "#core"
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import type { Span } from "../arithmetic.ts"
import type { ProseNumber } from "./numbers.ts"
import { resultBound } from "./bounds.ts"
import { impliedOrderings } from "./orderings.ts"
import { GENERATION_GAP, generationBefore } from "./ages.ts"
import { BANKNOTES, isBanknote } from "./ties.ts"
import type { StoryRule, SymbolicAnnotation, SymbolicCondition, SymbolicRef, SymbolicVariable } from "./types.ts"

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
  /** The question and the solution, for the words around numbers and results. */
  readonly question: string
  readonly reference: string
  /** Ties the template could not keep by making one variable follow another: a draw must keep them. */
  readonly ties?: ReadonlyArray<{ readonly a: SymbolicRef; readonly b: SymbolicRef; readonly offset: Rational; readonly why: string }>
}

/** "$1.20 per pound", "$15 a month": the unit a price is per, for keeping same-unit prices in order. */
const rateUnit = (question: string, atom: ProseNumber): string | undefined => {
  if (!atom.money) return undefined
  const m = /^\s*(?:per|a|an|each|every)\s+([a-z]+)/i.exec(question.slice(atom.span.end, atom.span.end + 30))
  return m ? m[1]!.toLowerCase().replace(/s$/, "") : undefined
}

/** Least years between a parent and a child the story keeps, when the seed's gap was at least that. */
const PARENT_GAP = R.fromBigInt(18n)


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
    // A banknote keeps a banknote's value; like a denominator's minimum, a draw outside is simply redrawn.
    if (own.some((a) => isBanknote(input.question, a))) out.push({ kind: "oneOf", ref, values: BANKNOTES.map(R.fromBigInt), why: `${v.id} is a banknote` })
    for (const a of own) {
      if (a.floor !== undefined) out.push({ kind: "range", ref, min: a.floor, ...(a.cap !== undefined ? { max: a.cap } : {}), why: `${v.id} is bounded by its wording (${a.floorWhy ?? "a band"})`, rule: "implausible_order" })
      else if (a.cap !== undefined) out.push({ kind: "range", ref, max: a.cap, why: `${v.id} is capped by its wording (${a.capWhy ?? "a bound"})`, rule: "calendar_bound" })
    }
    // "his 3 friends" follows "the 4 of them": it must not become "his 1 friends" or "his 0 friends".
    if (v.follows !== undefined && R.compare(v.value, R.fromBigInt(2n)) >= 0) out.push({ kind: "range", ref, min: R.fromBigInt(2n), why: `${v.id} follows ${v.follows.id} and was at least 2`, rule: "broken_story_tie" })
  }
  for (const t of input.ties ?? []) out.push({ kind: "tie", a: t.a, b: t.b, offset: t.offset, why: t.why, rule: "broken_story_tie" })

  // Results stay within the clock and the calendar their words name ("Each day he spends 10.5 hours").
  annotations.forEach((a, index) => {
    const slot = a.written ?? a.result
    if (slot === undefined) return
    const lineStart = input.reference.lastIndexOf("\n", a.exprSpan.start) + 1
    const lineEnd = input.reference.indexOf("\n", slot.span.end)
    const line = input.reference.slice(lineStart, lineEnd < 0 ? undefined : lineEnd)
    const b = resultBound(input.reference.slice(slot.span.end, slot.span.end + 40), line, input.question)
    if (b === undefined || R.compare(R.mul(a.value, slot.scale), b.max) > 0) return
    out.push({ kind: "range", ref: { kind: "result", index, scale: slot.scale }, max: b.max, why: `step ${a.step} counts ${b.why}`, rule: "calendar_bound" })
  })

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
  const pushOrder = (a: SymbolicRef, b: SymbolicRef, av: Rational, bv: Rational, why: string, rule?: StoryRule): void => {
    const cmp = R.compare(av, bv)
    if (cmp === 0 || (a.kind === "const" && b.kind === "const") || sameRef(a, b)) return
    const dup = out.some((c) => c.kind === "order" && ((sameRef(c.a, a) && sameRef(c.b, b)) || (sameRef(c.a, b) && sameRef(c.b, a))))
    if (!dup) out.push({ kind: "order", a, b, cmp, why, ...(rule !== undefined ? { rule } : {}) })
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

  // Orderings the words imply (the pair lexicon) are story rules. Same-unit question numbers and prices per
  // the same unit keep their order too, but as the generator's caution ("42 cups on Saturday, 35 on
  // Sunday" implies nothing): a draw that flips one is redrawn, not counted as a broken story.
  for (const o of impliedOrderings(input.question, atoms)) {
    if (o.kind === "pair") pushOrder(atomRef(o.a), atomRef(o.b), atoms[o.a]!.value, atoms[o.b]!.value, o.why, "implausible_order")
    else if (o.kind === "perUnit") {
      const pack = atoms[o.pack]!.value
      const count = atoms[o.count]!.value
      const single = atoms[o.single]!.value
      const cmp = R.compare(R.mul(single, count), pack)
      const refs = [atomRef(o.pack), atomRef(o.count), atomRef(o.single)]
      if (cmp !== 0 && refs.some((r) => r.kind !== "const")) {
        out.push({ kind: "perUnitOrder", a: refs[0]!, aPer: refs[1]!, b: refs[2]!, bPer: { kind: "const", value: R.ONE }, cmp: cmp > 0 ? -1 : 1, why: o.why, rule: "implausible_order" })
      }
    } else if (o.kind === "ratio") {
      const [a, b] = [atomRef(o.a), atomRef(o.b)]
      const band = (x: number): Rational => R.rat(String(Math.round(x * 10000) / 10000))
      if (a.kind !== "const" || b.kind !== "const") out.push({ kind: "ratio", a, b, min: band(o.min), max: band(o.max), why: o.why })
    } else {
      const parent = atomRef(o.parent)
      const child = atomRef(o.child)
      const gap = R.sub(atoms[o.parent]!.value, atoms[o.child]!.value)
      if (R.sign(gap) <= 0 || (parent.kind === "const" && child.kind === "const")) continue
      out.push({ kind: "gap", a: parent, b: child, min: R.compare(gap, PARENT_GAP) < 0 ? R.ONE : PARENT_GAP, why: o.why, rule: "implausible_order" })
    }
  }
  // Family ages, stated or computed, keep a generation between a parent and a child (when the seed does).
  const AGE_AFTER = /^\s*(?:-|\s)?years?(?:-|\s)old\b/i
  const ages: Array<{ ref: SymbolicRef; value: Rational; gen: number }> = []
  atoms.forEach((a, i) => {
    if (a.money || !AGE_AFTER.test(input.question.slice(a.span.end, a.span.end + 20))) return
    const start = Math.max(input.question.lastIndexOf(". ", a.span.start), input.question.lastIndexOf("? ", a.span.start)) + 1
    const gen = generationBefore(input.question.slice(start, a.span.start))
    if (gen !== undefined) ages.push({ ref: atomRef(i), value: a.value, gen })
  })
  annotations.forEach((a, index) => {
    const slot = a.written ?? a.result
    if (slot === undefined || !AGE_AFTER.test(input.reference.slice(slot.span.end, slot.span.end + 20))) return
    const lineStart = input.reference.lastIndexOf("\n", a.exprSpan.start) + 1
    const gen = generationBefore(input.reference.slice(lineStart, a.exprSpan.start).replace(/[\d.,\s+\-*/()$=]*$/, " "))
    if (gen !== undefined) ages.push({ ref: { kind: "result", index, scale: slot.scale }, value: R.mul(a.value, slot.scale), gen })
  })
  for (const p of ages) {
    for (const c of ages) {
      const n = p.gen - c.gen
      if (n < 1 || (p.ref.kind === "const" && c.ref.kind === "const")) continue
      const min = R.fromBigInt(BigInt(GENERATION_GAP * n))
      if (R.compare(R.sub(p.value, c.value), min) < 0) continue
      out.push({ kind: "gap", a: p.ref, b: c.ref, min, why: `a ${n === 1 ? "parent" : "grandparent"} (${R.toString(p.value)}) stays ${GENERATION_GAP * n} or more years older than a ${n === 1 ? "child" : "grandchild"} (${R.toString(c.value)})`, rule: "implausible_order" })
    }
  }
  if (input.keepUnitOrder) {
    atoms.forEach((a, i) => {
      atoms.forEach((b, j) => {
        if (j <= i || a.context !== "plain" || b.context !== "plain") return
        if (a.money || b.money) {
          const unit = rateUnit(input.question, a)
          if (unit !== undefined && unit === rateUnit(input.question, b)) pushOrder(atomRef(i), atomRef(j), a.value, b.value, `prices per ${unit} keep their order`)
          return
        }
        if (a.unit === undefined || a.unit !== b.unit || a.unit === "%") return
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
