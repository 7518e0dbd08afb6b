/**
 * Text edits on one arithmetic expression, addressed by the position of a literal or operator in source
 * order. The annotation `<<42+35=77>>` and the prose "42 + 35" have the same shape but different texts, so an
 * edit is described once (by index) and applied to each text through its own spans: the smallest change,
 * the rest of the text kept byte for byte.
 */
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import { literals, operators, parentOf, replaceSpans } from "../arithmetic.ts"
import type { Expr, Span } from "../arithmetic.ts"
import { formatLike } from "./format.ts"
import type { WriteStyle } from "./format.ts"
import type { ExprSite } from "./model.ts"

export type ArithOp = "+" | "-" | "*" | "/"

export type ExprOp =
  /** Literal `index` (source order) becomes `value`. */
  | { readonly kind: "literal"; readonly index: number; readonly value: Rational }
  /** Binary operator `index` (source order) becomes `op`. */
  | { readonly kind: "operator"; readonly index: number; readonly op: ArithOp }
  /** Literals `a` and `b` trade places. */
  | { readonly kind: "swap"; readonly a: number; readonly b: number }
  /** Literal `index` is removed together with the operator that joins it to its neighbour. */
  | { readonly kind: "delete"; readonly index: number }
  /** ` op value` is added at the end of the expression. */
  | { readonly kind: "append"; readonly op: ArithOp; readonly value: Rational }

/** Operator text in the style of the text it replaces (× stays a symbol, ASCII stays ASCII). */
const opText = (old: string, op: ArithOp): string => {
  if (/[×·⋅÷]/.test(old)) return op === "*" ? "×" : op === "/" ? "÷" : op === "-" ? "−" : "+"
  if (old === "\u2212") return op === "-" ? "\u2212" : op
  return op
}

/** Whether the text writes spaces around its operators ("42 + 35"), so an added term matches. */
const spaced = (text: string): boolean => /\s[+\-*/×÷\u2212]\s/.test(text)

/** The span a "delete" removes, or undefined when the literal cannot be dropped cleanly. */
export const deleteSpan = (ast: Expr, index: number): Span | undefined => {
  const lit = literals(ast)[index]
  if (!lit?.span) return undefined
  const parent = parentOf(ast, lit.path)
  if (!parent || parent.node.op === "^") return undefined
  const { node, side } = parent
  if (side === "right" && node.left.span) return { start: node.left.span.end, end: lit.span.end }
  // Dropping the first term is only the same kind of slip for + and ×: "a - b" without a is not "b".
  if (side === "left" && (node.op === "+" || node.op === "*") && node.right.span) return { start: lit.span.start, end: node.right.span.start }
  return undefined
}

/**
 * Applies `ops` and then `subs` (literal index → new value, for literals no op touches) to an expression
 * site; returns the new text, or undefined when an edit cannot be written (a value with no decimal form,
 * overlapping edits).
 */
export const rewriteExpr = (site: ExprSite, ops: readonly ExprOp[], subs: ReadonlyMap<number, Rational>, style: WriteStyle = {}): string | undefined => {
  const lits = literals(site.ast)
  const ops_ = operators(site.ast)
  const edits: Array<{ span: Span; text: string }> = []
  const touched = new Set<number>()
  let tail = ""
  for (const op of ops) {
    switch (op.kind) {
      case "literal": {
        const lit = lits[op.index]
        if (!lit?.span) return undefined
        const t = formatLike(op.value, lit.text ?? "", style)
        if (t === undefined) return undefined
        edits.push({ span: lit.span, text: t })
        touched.add(op.index)
        break
      }
      case "operator": {
        const o = ops_[op.index]?.node.opSpan
        if (!o) return undefined
        edits.push({ span: o, text: opText(site.text.slice(o.start, o.end), op.op) })
        break
      }
      case "swap": {
        const a = lits[op.a]
        const b = lits[op.b]
        if (!a?.span || !b?.span) return undefined
        edits.push({ span: a.span, text: site.text.slice(b.span.start, b.span.end) })
        edits.push({ span: b.span, text: site.text.slice(a.span.start, a.span.end) })
        touched.add(op.a)
        touched.add(op.b)
        break
      }
      case "delete": {
        const span = deleteSpan(site.ast, op.index)
        if (!span) return undefined
        edits.push({ span, text: "" })
        touched.add(op.index)
        break
      }
      case "append": {
        const sp = spaced(site.text) ? " " : ""
        const t = formatLike(op.value, "", style)
        if (t === undefined) return undefined
        tail += `${sp}${opText("", op.op)}${sp}${t}`
        break
      }
    }
  }
  for (const [index, value] of subs) {
    if (touched.has(index)) continue
    const lit = lits[index]
    if (!lit?.span) return undefined
    // A deleted literal's span is inside the delete edit; skip it rather than overlap.
    if (edits.some((e) => e.span.start <= lit.span!.start && lit.span!.end <= e.span.end && e.text === "")) continue
    const t = formatLike(value, lit.text ?? "", style)
    if (t === undefined) return undefined
    edits.push({ span: lit.span, text: t })
  }
  const out = replaceSpans(site.text, edits)
  return out === undefined ? undefined : out + tail
}

/** Literal indices of an expression whose value equals `v`. */
export const literalIndicesOf = (ast: Expr, v: Rational): number[] =>
  literals(ast).flatMap((l, i) => (R.equals(l.value, v) ? [i] : []))
