/**
 * Absurd wrong steps. A LEMMA trace shows its wrong step to the learner, so the mistake must be one a solver
 * could plausibly make and not notice at once: not `22 - 22 = 0 people`. A candidate is rejected, with one of
 * these reasons, when its wrong step
 *   - self_cancel: subtracts or divides a number by itself (`x - x`, `x / x`);
 *   - zero_or_negative: states a result of 0 or below where the correct step's is positive;
 *   - fractional_count: states a non-integer where the correct step counts whole things (people, eggs,
 *     buses: any result that is not money, a percentage or a measure);
 *   - tenfold: states a result 10 or more times larger or smaller than the correct one;
 *   - identity: multiplies or divides by 1 (`24 / 1 = 24`, `1 * 3 = $8`) where the correct annotation
 *     differs: either the edit made a step that does nothing, or it miscounted a product by one, and a
 *     reader sees either at a glance (issue #11's second review: 61 traces).
 * The checks compare the wrong step's annotations with the correct step's, position by position; a step
 * with a different number of annotations is compared up to the shorter.
 */
import * as R from "../rational.ts"
import { nodes, parseExpression } from "../arithmetic.ts"
import type { Expr } from "../arithmetic.ts"
import type { Annotation, ParsedStep } from "../parse.ts"
import { readNumber } from "./format.ts"

export const ABSURD_REASONS = ["self_cancel", "zero_or_negative", "fractional_count", "tenfold", "identity"] as const
export type AbsurdReason = (typeof ABSURD_REASONS)[number]

/** Words after a number that make it a measure or money, where a fraction is ordinary. */
const MEASURE =
  /^(?:hours?|minutes?|seconds?|days?|weeks?|months?|years?|(?:kilo|centi|milli)?meters?|km|miles?|feet|foot|inches?|yards?|(?:milli)?liters?|gallons?|quarts?|pints?|cups?|(?:kilo)?grams?|kg|pounds?|ounces?|tons?|percent|degrees?|square|cubic|dollars?|cents?|times)\b/i

const unwrap = (e: Expr): Expr => (e.kind === "paren" ? unwrap(e.expr) : e)

/** A `-` or `/` whose two operands are the same number. */
const selfCancels = (ast: Expr): boolean =>
  nodes(ast).some(({ node }) => {
    if (node.kind !== "bin" || (node.op !== "-" && node.op !== "/" && node.op !== "//")) return false
    const l = unwrap(node.left)
    const r = unwrap(node.right)
    return l.kind === "num" && r.kind === "num" && R.equals(l.value, r.value)
  })

/** Whether the number an annotation states is money, a percentage or a measure (judged from the step's text). */
const isMeasure = (stepText: string, a: Annotation, stepStart: number): boolean => {
  const start = a.span.start - stepStart
  const end = (a.written ? a.written.span.end : a.span.end) - stepStart
  if (/\$\s*$/.test(stepText.slice(0, start)) || /^\s*\$/.test(stepText.slice(a.span.end - stepStart))) return true
  if (a.written?.percent) return true
  const after = stepText.slice(end).replace(/^[\s,]+/, "")
  return MEASURE.test(after)
}

const isOne = (e: Expr): boolean => {
  const u = unwrap(e)
  return u.kind === "num" && R.equals(u.value, R.ONE)
}

/** A `*` or `/` with an operand of exactly 1 (`x * 1`, `1 * x`, `x / 1`). */
const identityOp = (ast: Expr): boolean =>
  nodes(ast).some(({ node }) => {
    if (node.kind !== "bin") return false
    if (node.op === "*") return isOne(node.left) || isOne(node.right)
    return (node.op === "/" || node.op === "//") && isOne(node.right)
  })

const stated = (a: Annotation): R.Rational | undefined => (a.result === undefined ? undefined : readNumber(a.result))

/** Why the wrong step is absurd next to the correct one, or undefined when it is a plausible mistake. */
export const absurdity = (right: ParsedStep, wrong: ParsedStep): AbsurdReason | undefined => {
  const n = Math.min(right.annotations.length, wrong.annotations.length)
  for (let i = 0; i < n; i++) {
    const ra = right.annotations[i]!
    const wa = wrong.annotations[i]!
    const p = parseExpression(wa.expr)
    if (p.ok && selfCancels(p.ast)) return "self_cancel"
    if (p.ok && identityOp(p.ast) && (ra.expr.replace(/\s+/g, "") !== wa.expr.replace(/\s+/g, "") || ra.result !== wa.result)) return "identity"
    const rv = stated(ra)
    const wv = stated(wa)
    if (rv === undefined || wv === undefined || R.equals(rv, wv)) continue
    if (R.sign(wv) <= 0 && R.sign(rv) > 0) return "zero_or_negative"
    if (R.isInteger(rv) && !R.isInteger(wv) && !isMeasure(wrong.text, wa, wrong.span.start)) return "fractional_count"
    if (R.sign(rv) !== 0 && R.sign(wv) !== 0) {
      const q = R.div(wv, rv)
      if (q.ok) {
        const ratio = R.sign(q.value) < 0 ? R.neg(q.value) : q.value
        if (R.compare(ratio, R.fromBigInt(10n)) >= 0 || R.compare(R.mul(ratio, R.fromBigInt(10n)), R.ONE) <= 0) return "tenfold"
      }
    }
  }
  return undefined
}
