/**
 * Safe arithmetic for GSM8K calculator annotations (`<<48/2=24>>`). The original GSM8K calculator ran
 * Python `eval` on `0-9 * + - / . ( )`; here a tokenizer and a recursive-descent parser build an AST that is
 * evaluated exactly on rationals, so model-written text can never run code. Accepted beyond the original:
 * thousands separators (80,000), leading-dot decimals (.5), `x` `×` `·` `÷` `−` aliases, postfix percent
 * (20% = 20/100), `**`/`^` powers with small integer exponents, and a `$` before a number. Python's floor division
 * `//` (`<<560//10=56>>`) is read as in Python: the quotient rounded down.
 *
 * The AST keeps the source span of every literal and operator: symbolic variation (GSM-Symbolic) and error
 * injection (RISE) substitute numbers, change operators and delete or swap terms through it.
 */
import * as R from "./rational.ts"
import type { Rational } from "./rational.ts"

/** Half-open character range [start, end) in the source text. */
export interface Span {
  readonly start: number
  readonly end: number
}

export type BinOp = "+" | "-" | "*" | "/" | "//" | "^"

/** Nodes built by code rather than parsed have no spans. */
export type Expr =
  | { readonly kind: "num"; readonly value: Rational; readonly text?: string; readonly span?: Span }
  | { readonly kind: "bin"; readonly op: BinOp; readonly left: Expr; readonly right: Expr; readonly span?: Span; readonly opSpan?: Span }
  | { readonly kind: "neg"; readonly expr: Expr; readonly span?: Span }
  | { readonly kind: "pct"; readonly expr: Expr; readonly span?: Span }
  | { readonly kind: "paren"; readonly expr: Expr; readonly span?: Span }

export type NumNode = Extract<Expr, { kind: "num" }>
export type BinNode = Extract<Expr, { kind: "bin" }>

export const num = (value: Rational): Expr => ({ kind: "num", value })
export const bin = (op: BinOp, left: Expr, right: Expr): Expr => ({ kind: "bin", op, left, right })
export const negate = (expr: Expr): Expr => ({ kind: "neg", expr })
export const percent = (expr: Expr): Expr => ({ kind: "pct", expr })
export const paren = (expr: Expr): Expr => ({ kind: "paren", expr })

/** Limits that keep hostile or runaway input cheap to reject. */
export const LIMITS = {
  maxLength: 500,
  maxDepth: 50,
  maxExponent: 64,
  /** Largest numerator or denominator (in bits) any intermediate value may reach. */
  maxBits: 4096
} as const

export type ParseResult = { readonly ok: true; readonly ast: Expr } | { readonly ok: false; readonly error: string; readonly position: number }
export type EvalResult = { readonly ok: true; readonly value: Rational } | { readonly ok: false; readonly error: string; readonly position?: number }
export type ExpressionResult =
  | { readonly ok: true; readonly value: Rational; readonly ast: Expr }
  | { readonly ok: false; readonly error: string; readonly position?: number }

// ---------------------------------------------------------------- tokenizer

type Token =
  | { readonly t: "num"; readonly value: Rational; readonly text: string; readonly span: Span }
  | { readonly t: "op"; readonly op: "+" | "-" | "*" | "/" | "//" | "^" | "%"; readonly span: Span }
  | { readonly t: "("; readonly span: Span }
  | { readonly t: ")"; readonly span: Span }
  | { readonly t: "end"; readonly span: Span }

type TokenizeResult = { ok: true; tokens: Token[] } | { ok: false; error: string; position: number }

/** A literal: digits with well-formed thousands groups, or plain digits, or a leading-dot decimal. */
const NUMBER = /\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+/y
const OP_ALIASES: Record<string, "+" | "-" | "*" | "/" | "^" | "%"> = {
  "+": "+",
  "-": "-",
  "\u2212": "-",
  "\u2013": "-",
  "*": "*",
  "\u00d7": "*",
  "\u00b7": "*",
  "\u22c5": "*",
  "/": "/",
  "\u00f7": "/",
  "^": "^",
  "%": "%"
}

const tokenize = (src: string): TokenizeResult => {
  const tokens: Token[] = []
  let i = 0
  while (i < src.length) {
    const c = src[i] ?? ""
    if (/\s/.test(c) || c === "$") {
      // `$` is decoration in GSM8K text ("4*$5"); it never changes a value.
      i++
      continue
    }
    if (/[0-9.]/.test(c)) {
      NUMBER.lastIndex = i
      const m = NUMBER.exec(src)
      if (!m) return { ok: false, error: `malformed number at position ${i}`, position: i }
      const text = m[0]
      const end = i + text.length
      if (src[end] === ",") {
        return { ok: false, error: `ambiguous comma at position ${end}: thousands groups must have 3 digits (e.g. 80,000)`, position: end }
      }
      if (src[end] === ".") {
        return { ok: false, error: `malformed number at position ${i}`, position: i }
      }
      const parsed = R.parseRational(text)
      if (!parsed.ok) return { ok: false, error: `${parsed.error} at position ${i}`, position: i }
      tokens.push({ t: "num", value: parsed.value, text, span: { start: i, end } })
      i = end
      continue
    }
    if (c === "*" && src[i + 1] === "*") {
      tokens.push({ t: "op", op: "^", span: { start: i, end: i + 2 } })
      i += 2
      continue
    }
    if (c === "/" && src[i + 1] === "/") {
      tokens.push({ t: "op", op: "//", span: { start: i, end: i + 2 } })
      i += 2
      continue
    }
    const op = OP_ALIASES[c]
    if (op !== undefined) {
      tokens.push({ t: "op", op, span: { start: i, end: i + 1 } })
      i++
      continue
    }
    if (c === "(" || c === ")") {
      tokens.push({ t: c, span: { start: i, end: i + 1 } })
      i++
      continue
    }
    if (/[A-Za-z_]/.test(c)) {
      // Letters then digits ("x3") must split so `2x3` reads as 2 × 3.
      const letters = /[A-Za-z_]+/y
      letters.lastIndex = i
      const run = letters.exec(src)?.[0] ?? c
      if (run === "x" || run === "X") {
        tokens.push({ t: "op", op: "*", span: { start: i, end: i + 1 } })
        i++
        continue
      }
      const shown = run.length > 20 ? `${run.slice(0, 20)}…` : run
      return { ok: false, error: `identifier "${shown}" at position ${i} is not allowed: only numbers and + - * / % ( ) are`, position: i }
    }
    return { ok: false, error: `unexpected character "${c}" at position ${i}`, position: i }
  }
  tokens.push({ t: "end", span: { start: src.length, end: src.length } })
  return { ok: true, tokens }
}

// ---------------------------------------------------------------- parser

class ParseFailure {
  readonly error: string
  readonly position: number
  constructor(error: string, position: number) {
    this.error = error
    this.position = position
  }
}

/**
 * Grammar (precedence low → high), Python-like so `-2**2` is -(2**2):
 *   sum     := product (("+" | "-") product)*
 *   product := unary (("*" | "/" | "//") unary)*
 *   unary   := ("-" | "+") unary | power
 *   power   := postfix ("^" unary)?
 *   postfix := primary "%"*
 *   primary := NUMBER | "(" sum ")"
 */
const parseTokens = (tokens: Token[]): Expr => {
  let pos = 0
  let depth = 0
  const peek = (): Token => tokens[pos] ?? tokens[tokens.length - 1]!
  const next = (): Token => tokens[pos++] ?? tokens[tokens.length - 1]!
  const isOp = (tok: Token, ...ops: string[]): boolean => tok.t === "op" && ops.includes(tok.op)
  const spanOf = (a: Expr, b: Expr): Span | undefined =>
    a.span && b.span ? { start: a.span.start, end: b.span.end } : undefined
  const enter = (at: number): void => {
    if (++depth > LIMITS.maxDepth) throw new ParseFailure(`nesting deeper than ${LIMITS.maxDepth} at position ${at}`, at)
  }
  const describe = (tok: Token): string =>
    tok.t === "end" ? "end of input" : tok.t === "num" ? `number ${tok.text}` : tok.t === "op" ? `"${tok.op}"` : `"${tok.t}"`

  // One precedence level: left-associative chains of `ops` over operands of the next level down.
  const level =
    (operand: () => Expr, ...ops: Array<BinOp>) =>
    (): Expr => {
      let left = operand()
      while (isOp(peek(), ...ops)) {
        const tok = next() as Extract<Token, { t: "op" }>
        const right = operand()
        left = { kind: "bin", op: tok.op as BinOp, left, right, span: spanOf(left, right), opSpan: tok.span }
      }
      return left
    }
  const product = level(() => unary(), "*", "/", "//")
  const sum = level(product, "+", "-")
  const unary = (): Expr => {
    const tok = peek()
    if (isOp(tok, "-", "+")) {
      next()
      enter(tok.span.start)
      const inner = unary()
      depth--
      if (isOp(tok, "+")) return inner
      return { kind: "neg", expr: inner, span: inner.span ? { start: tok.span.start, end: inner.span.end } : undefined }
    }
    return power()
  }
  const power = (): Expr => {
    const base = postfix()
    if (isOp(peek(), "^")) {
      const tok = next()
      enter(tok.span.start)
      const exponent = unary()
      depth--
      return { kind: "bin", op: "^", left: base, right: exponent, span: spanOf(base, exponent), opSpan: tok.span }
    }
    return base
  }
  const postfix = (): Expr => {
    let e = primary()
    while (isOp(peek(), "%")) {
      const tok = next()
      e = { kind: "pct", expr: e, span: e.span ? { start: e.span.start, end: tok.span.end } : undefined }
    }
    return e
  }
  const primary = (): Expr => {
    const tok = next()
    if (tok.t === "num") return { kind: "num", value: tok.value, text: tok.text, span: tok.span }
    if (tok.t === "(") {
      enter(tok.span.start)
      const inner = sum()
      depth--
      const close = next()
      if (close.t !== ")") {
        throw new ParseFailure(`expected ")" at position ${close.span.start} to close "(" at position ${tok.span.start}, found ${describe(close)}`, close.span.start)
      }
      return { kind: "paren", expr: inner, span: { start: tok.span.start, end: close.span.end } }
    }
    throw new ParseFailure(`expected a number or "(" at position ${tok.span.start}, found ${describe(tok)}`, tok.span.start)
  }

  const ast = sum()
  const rest = peek()
  if (rest.t !== "end") {
    throw new ParseFailure(`unexpected ${describe(rest)} at position ${rest.span.start}`, rest.span.start)
  }
  return ast
}

/** Parses an arithmetic expression into an AST (no evaluation). */
export const parseExpression = (src: string): ParseResult => {
  if (src.length > LIMITS.maxLength) {
    return { ok: false, error: `expression is ${src.length} characters, longer than the ${LIMITS.maxLength} allowed`, position: LIMITS.maxLength }
  }
  const tokens = tokenize(src)
  if (!tokens.ok) return tokens
  try {
    return { ok: true, ast: parseTokens(tokens.tokens) }
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, error: e.error, position: e.position }
    throw e
  }
}

// ---------------------------------------------------------------- evaluation

/** The largest integer not above `a` (Python's `//` rounds down, so -7//2 is -4). */
const floorOf = (a: Rational): Rational => {
  const q = a.num / a.den
  return R.fromBigInt(a.num < 0n && q * a.den !== a.num ? q - 1n : q)
}

/** Exact value of an AST; division by zero, huge powers and oversized values come back as errors. */
export const evaluate = (expr: Expr): EvalResult => {
  const fail = (error: string, span?: Span): EvalResult =>
    span ? { ok: false, error: `${error} at position ${span.start}`, position: span.start } : { ok: false, error }
  const guard = (value: Rational, span?: Span): EvalResult =>
    R.bitLength(value) > LIMITS.maxBits ? fail(`intermediate value exceeds ${LIMITS.maxBits} bits`, span) : { ok: true, value }
  const go = (e: Expr): EvalResult => {
    switch (e.kind) {
      case "num":
        return guard(e.value, e.span)
      case "paren":
        return go(e.expr)
      case "neg": {
        const v = go(e.expr)
        return v.ok ? { ok: true, value: R.neg(v.value) } : v
      }
      case "pct": {
        const v = go(e.expr)
        if (!v.ok) return v
        const q = R.div(v.value, R.HUNDRED)
        return q.ok ? { ok: true, value: q.value } : fail(q.error, e.span)
      }
      case "bin": {
        const l = go(e.left)
        if (!l.ok) return l
        const r = go(e.right)
        if (!r.ok) return r
        const a = l.value
        const b = r.value
        switch (e.op) {
          case "+":
            return guard(R.add(a, b), e.span)
          case "-":
            return guard(R.sub(a, b), e.span)
          case "*":
            return guard(R.mul(a, b), e.span)
          case "/": {
            const q = R.div(a, b)
            return q.ok ? guard(q.value, e.span) : fail(q.error, e.opSpan ?? e.span)
          }
          case "//": {
            const q = R.div(a, b)
            return q.ok ? guard(floorOf(q.value), e.span) : fail(q.error, e.opSpan ?? e.span)
          }
          case "^": {
            if (!R.isInteger(b)) return fail(`exponent ${R.toString(b)} is not an integer`, e.opSpan ?? e.span)
            const n = Number(b.num)
            if (Math.abs(n) > LIMITS.maxExponent) return fail(`exponent ${b.num} is larger than ${LIMITS.maxExponent}`, e.opSpan ?? e.span)
            if (R.bitLength(a) * Math.abs(n) > LIMITS.maxBits) return fail(`power result would exceed ${LIMITS.maxBits} bits`, e.opSpan ?? e.span)
            const p = R.pow(a, n)
            return p.ok ? guard(p.value, e.span) : fail(p.error, e.opSpan ?? e.span)
          }
        }
      }
    }
  }
  return go(expr)
}

/** Parses and evaluates in one go: the common entry point for annotation checks. */
export const evaluateExpression = (src: string): ExpressionResult => {
  const parsed = parseExpression(src)
  if (!parsed.ok) return parsed
  const v = evaluate(parsed.ast)
  return v.ok ? { ok: true, value: v.value, ast: parsed.ast } : v
}

/**
 * The expression evaluated in doubles, operation by operation, as the original GSM8K calculator (Python's
 * `eval`) computed it: `11/18*162` gives 99.00000000000001 where the exact value is 99. Only used to
 * recognise a calculator's printed result; NaN when the expression has no finite double value.
 */
export const evaluateFloat = (expr: Expr): number => {
  switch (expr.kind) {
    case "num":
      return R.toNumber(expr.value)
    case "paren":
      return evaluateFloat(expr.expr)
    case "neg":
      return -evaluateFloat(expr.expr)
    case "pct":
      return evaluateFloat(expr.expr) / 100
    case "bin": {
      const a = evaluateFloat(expr.left)
      const b = evaluateFloat(expr.right)
      const v = expr.op === "+" ? a + b : expr.op === "-" ? a - b : expr.op === "*" ? a * b : expr.op === "/" ? a / b : expr.op === "//" ? Math.floor(a / b) : a ** b
      return Number.isFinite(v) ? v : Number.NaN
    }
  }
}

// ---------------------------------------------------------------- printing

const PREC = { sum: 1, product: 2, unary: 3, power: 4, postfix: 5, atom: 6 } as const

const precedence = (e: Expr): number => {
  switch (e.kind) {
    case "num":
      return R.sign(e.value) < 0 && e.text === undefined ? PREC.unary : PREC.atom
    case "paren":
      return PREC.atom
    case "pct":
      return PREC.postfix
    case "neg":
      return PREC.unary
    case "bin":
      return e.op === "+" || e.op === "-" ? PREC.sum : e.op === "^" ? PREC.power : PREC.product
  }
}

export interface RenderOptions {
  /** Put spaces around binary operators ("9 * 2"); default false, GSM8K annotations are compact ("9*2"). */
  readonly spaces?: boolean
}

/**
 * Text for an AST that parses back to the same value. Parsed literals keep their original text (80,000
 * stays 80,000); code-built literals print as their shortest exact decimal, or "(p/q)" when they have none.
 * Parentheses are added only where precedence needs them, plus the ones the source had (paren nodes).
 */
export const render = (expr: Expr, options: RenderOptions = {}): string => {
  const sp = options.spaces ? " " : ""
  const wrap = (e: Expr, needs: boolean): string => (needs ? `(${go(e)})` : go(e))
  const go = (e: Expr): string => {
    switch (e.kind) {
      case "num": {
        if (e.text !== undefined) return e.text
        return R.decimalPlaces(e.value) === undefined ? `(${R.toString(e.value)})` : R.toString(e.value)
      }
      case "paren":
        return `(${go(e.expr)})`
      case "pct":
        return `${wrap(e.expr, precedence(e.expr) < PREC.postfix)}%`
      case "neg": {
        // "--2" re-parses fine, but a space keeps a negated negative readable.
        const inner = wrap(e.expr, precedence(e.expr) < PREC.unary)
        return inner.startsWith("-") ? `-(${inner})` : `-${inner}`
      }
      case "bin": {
        const p = precedence(e)
        const opText = e.op === "^" ? "**" : e.op
        if (e.op === "^") {
          // Right-associative; a negative base needs parentheses ((-2)**2, not -2**2).
          const left = wrap(e.left, precedence(e.left) <= PREC.power)
          return `${left}${sp}${opText}${sp}${wrap(e.right, precedence(e.right) < PREC.unary)}`
        }
        const left = wrap(e.left, precedence(e.left) < p)
        const rp = precedence(e.right)
        const right = wrap(e.right, rp < p || (rp === p && (e.op === "-" || e.op === "/" || e.op === "//")))
        return `${left}${sp}${opText}${sp}${right}`
      }
    }
  }
  return go(expr)
}

// ---------------------------------------------------------------- AST helpers for editors

/** A path from the root: which child to take at each node ("left"/"right" of bin, "expr" of the others). */
export type PathStep = "left" | "right" | "expr"
export type Path = readonly PathStep[]

export interface LocatedNode {
  readonly node: Expr
  readonly path: Path
}

/** Every node in source order (pre-order, left before right) with its path. */
export const nodes = (expr: Expr): LocatedNode[] => {
  const out: LocatedNode[] = []
  const go = (e: Expr, path: PathStep[]): void => {
    out.push({ node: e, path })
    if (e.kind === "bin") {
      go(e.left, [...path, "left"])
      go(e.right, [...path, "right"])
    } else if (e.kind !== "num") {
      go(e.expr, [...path, "expr"])
    }
  }
  go(expr, [])
  return out
}

export interface Literal {
  readonly value: Rational
  /** Source text of the literal without any `$` ("80,000", ".5"); undefined for code-built nodes. */
  readonly text?: string
  readonly span?: Span
  readonly path: Path
}

/** Numeric literals in source order, with spans into the parsed text. */
export const literals = (expr: Expr): Literal[] =>
  nodes(expr).flatMap(({ node, path }) => (node.kind === "num" ? [{ value: node.value, text: node.text, span: node.span, path }] : []))

/** Binary operator nodes in source order, with the span of the operator character(s). */
export const operators = (expr: Expr): Array<{ readonly node: BinNode; readonly path: Path }> =>
  nodes(expr).flatMap(({ node, path }) => (node.kind === "bin" ? [{ node, path }] : []))

/** Numeric literals of an expression string; [] when it does not parse. */
export const literalsOf = (src: string): Literal[] => {
  const p = parseExpression(src)
  return p.ok ? literals(p.ast) : []
}

export const getAt = (expr: Expr, path: Path): Expr | undefined => {
  let e: Expr | undefined = expr
  for (const step of path) {
    if (e === undefined) return undefined
    if (e.kind === "bin" && (step === "left" || step === "right")) e = e[step]
    else if (e.kind !== "num" && e.kind !== "bin" && step === "expr") e = e.expr
    else return undefined
  }
  return e
}

/** Parent bin node of the node at `path`, and which side the node is on. */
export const parentOf = (ast: Expr, path: Path): { node: BinNode; side: "left" | "right" } | undefined => {
  if (path.length === 0) return undefined
  const parent = getAt(ast, path.slice(0, -1))
  const side = path[path.length - 1]
  return parent?.kind === "bin" && (side === "left" || side === "right") ? { node: parent, side } : undefined
}

/** `span` without the whitespace at either end. */
export const trimSpan = (text: string, span: Span): Span => {
  let s = span.start
  let e = span.end
  while (s < e && /\s/.test(text[s] ?? "")) s++
  while (e > s && /\s/.test(text[e - 1] ?? "")) e--
  return { start: s, end: e }
}

/** A copy of `expr` with the node at `path` replaced; undefined if the path does not exist. */
export const replaceAt = (expr: Expr, path: Path, replacement: Expr): Expr | undefined => {
  if (path.length === 0) return replacement
  const [step, ...rest] = path
  if (expr.kind === "bin" && (step === "left" || step === "right")) {
    const child = replaceAt(expr[step], rest, replacement)
    return child === undefined ? undefined : { ...expr, [step]: child }
  }
  if (expr.kind !== "num" && expr.kind !== "bin" && step === "expr") {
    const child = replaceAt(expr.expr, rest, replacement)
    return child === undefined ? undefined : { ...expr, expr: child }
  }
  return undefined
}

/** Replaces every literal's value by `f(literal, index)` (index in source order); keeps the tree shape. */
export const mapLiterals = (expr: Expr, f: (lit: NumNode, index: number) => Rational): Expr => {
  let i = 0
  const go = (e: Expr): Expr => {
    switch (e.kind) {
      case "num": {
        const value = f(e, i++)
        return R.equals(value, e.value) ? e : { kind: "num", value }
      }
      case "bin":
        return { ...e, left: go(e.left), right: go(e.right) }
      default:
        return { ...e, expr: go(e.expr) }
    }
  }
  return go(expr)
}

/** Changes the operator of the bin node at `path`. */
export const withOperator = (expr: Expr, path: Path, op: BinOp): Expr | undefined => {
  const node = getAt(expr, path)
  return node?.kind === "bin" ? replaceAt(expr, path, { kind: "bin", op, left: node.left, right: node.right }) : undefined
}

/** Swaps the two operands of the bin node at `path` (a "swap two calculation terms" edit). */
export const swapOperands = (expr: Expr, path: Path): Expr | undefined => {
  const node = getAt(expr, path)
  return node?.kind === "bin" ? replaceAt(expr, path, { kind: "bin", op: node.op, left: node.right, right: node.left }) : undefined
}

/**
 * Deletes one operand of the bin node at `path`, leaving the other in its place (a "delete a calculation
 * term" edit): deleteOperand(parse("a+b*c"), ["right"], "right") → "a+b".
 */
export const deleteOperand = (expr: Expr, path: Path, side: "left" | "right"): Expr | undefined => {
  const node = getAt(expr, path)
  if (node?.kind !== "bin") return undefined
  return replaceAt(expr, path, side === "left" ? node.right : node.left)
}

/**
 * Applies text edits given by spans into `text` (e.g. new literal texts at literal spans), from the end
 * backward so earlier spans stay valid. Overlapping spans are rejected by returning undefined.
 */
export const replaceSpans = (text: string, edits: ReadonlyArray<{ readonly span: Span; readonly text: string }>): string | undefined => {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start)
  let out = text
  let limit = text.length
  for (const edit of sorted) {
    if (edit.span.end > limit || edit.span.start < 0 || edit.span.start > edit.span.end) return undefined
    out = out.slice(0, edit.span.start) + edit.text + out.slice(edit.span.end)
    limit = edit.span.start
  }
  return out
}
