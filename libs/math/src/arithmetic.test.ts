import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import fc from "fast-check"
import * as R from "./rational.ts"
import {
  bin,
  deleteOperand,
  evaluate,
  evaluateExpression,
  literals,
  literalsOf,
  mapLiterals,
  negate,
  num,
  operators,
  parseExpression,
  percent,
  render,
  replaceSpans,
  swapOperands,
  withOperator
} from "./arithmetic.ts"
import type { BinOp, Expr } from "./arithmetic.ts"

const value = (src: string): string => {
  const r = evaluateExpression(src)
  return r.ok ? R.toString(r.value) : `error: ${r.error}`
}

describe("evaluateExpression", () => {
  it.each([
    ["9*2", "18"],
    ["16-3-4", "9"],
    ["48/2", "24"],
    ["100-50-30-15", "5"],
    ["80000*1.5", "120000"],
    ["80,000+50,000", "130000"],
    ["1,200.50*2", "2401"],
    [".5*8", "4"],
    ["8*.5", "4"],
    ["0.2 x 50", "10"],
    ["2x3", "6"],
    ["3 × 4 ÷ 6", "2"],
    ["12 \u2212 5", "7"],
    ["1/2*10", "5"],
    ["1/3+1/6", "0.5"],
    ["10/3", "10/3"],
    ["20%*50", "10"],
    ["50%", "0.5"],
    ["(200-20)/2", "90"],
    ["-5+2", "-3"],
    ["-(3-8)", "5"],
    ["--4", "4"],
    ["2*-3", "-6"],
    ["2**3", "8"],
    ["2^-2", "0.25"],
    ["-2**2", "-4"],
    ["(-2)**2", "4"],
    ["2**3**2", "512"],
    ["4*$5", "20"],
    ["  12 * 52  ", "624"],
    ["0.1+0.2", "0.3"],
    ["5.", "5"],
    // Python's floor division, as GSM8K's calculator ran it.
    ["560//10", "56"],
    ["180//3", "60"],
    ["7//2", "3"],
    ["-7//2", "-4"],
    ["10-7//2*2", "4"],
    ["1/2//1", "0"]
  ])("%s = %s", (src, expected) => {
    expect(value(src)).toBe(expected)
  })

  it("keeps the literal text and spans in the AST", () => {
    const p = parseExpression("80,000*1.5 + .5")
    expect(p.ok).toBe(true)
    if (!p.ok) return
    expect(literals(p.ast).map((l) => [l.text, l.span?.start, l.span?.end, R.toString(l.value)])).toEqual([
      ["80,000", 0, 6, "80000"],
      ["1.5", 7, 10, "1.5"],
      [".5", 13, 15, "0.5"]
    ])
    expect(operators(p.ast).map((o) => [o.node.op, o.node.opSpan?.start])).toEqual([
      ["+", 11],
      ["*", 6]
    ])
  })

  it("excludes the dollar sign from a literal's span", () => {
    expect(literalsOf("4*$5").map((l) => l.span)).toEqual([
      { start: 0, end: 1 },
      { start: 3, end: 4 }
    ])
  })
})

describe("rejects bad and hostile input with a reason", () => {
  it.each([
    ["constructor", /identifier "constructor" at position 0/],
    ["process.exit()", /identifier "process" at position 0/],
    ["__proto__", /identifier "__proto__"/],
    ["Function('return 1')()", /identifier "Function"/],
    ["eval(1)", /identifier "eval"/],
    ["1e308", /identifier "e" at position 1/],
    ["this.x", /identifier "this"/],
    ["`1`", /unexpected character "`" at position 0/],
    ["${1}", /unexpected character "\{" at position 1/],
    ["[1]", /unexpected character "\["/],
    ["1;2", /unexpected character ";" at position 1/],
    ["1=1", /unexpected character "=" at position 1/],
    ["1/0", /division by zero at position 1/],
    ["5/(3-3)", /division by zero at position 1/],
    ["0**-1", /division by zero/],
    ["1,20+3", /ambiguous comma at position 1/],
    ["1234,567", /ambiguous comma at position 4/],
    ["1.2.3", /malformed number at position 0/],
    ["2(3)", /unexpected "\(" at position 1/],
    ["(1+2", /expected "\)" at position 4/],
    ["1+", /expected a number or "\(" at position 2, found end of input/],
    ["", /found end of input/],
    ["*3", /expected a number/],
    ["9**9**9", /exponent 387420489 is larger than 64/],
    ["2**100000", /exponent 100000 is larger than 64/],
    ["(10**60)**60", /exceed 4096 bits/],
    ["2**0.5", /exponent 0.5 is not an integer/],
    ["1".repeat(501), /longer than the 500 allowed/],
    ["(".repeat(60) + "1" + ")".repeat(60), /nesting deeper than 50/],
    ["-".repeat(60) + "1", /nesting deeper than 50/]
  ])("%j", (src, reason) => {
    const r = evaluateExpression(src)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toMatch(reason)
  })

  it("accepts long flat sums within the length limit", () => {
    expect(value(Array(200).fill("1").join("+"))).toBe("200")
  })

  it("never hands input to eval or Function", () => {
    const source = readFileSync(new URL("./arithmetic.ts", import.meta.url), "utf8")
    expect(source).not.toMatch(/\beval\s*\(|new\s+Function\b|\bFunction\s*\(/)
  })
})

describe("render and editing helpers", () => {
  const parse = (src: string): Expr => {
    const p = parseExpression(src)
    if (!p.ok) throw new Error(p.error)
    return p.ast
  }

  it("renders parsed text back faithfully (modulo spaces and aliases)", () => {
    expect(render(parse("80,000 * (1 + .5)"))).toBe("80,000*(1+.5)")
    expect(render(parse("3 x 4"), { spaces: true })).toBe("3 * 4")
    expect(render(parse("2^3"))).toBe("2**3")
    expect(render(parse("20%*50"))).toBe("20%*50")
  })

  it("adds the parentheses precedence needs to code-built trees", () => {
    const three = num(R.rat("3"))
    const two = num(R.rat("2"))
    expect(render(bin("*", bin("+", two, three), three))).toBe("(2+3)*3")
    expect(render(bin("-", two, bin("-", three, two)))).toBe("2-(3-2)")
    expect(render(bin("/", two, bin("*", three, two)))).toBe("2/(3*2)")
    expect(render(bin("^", num(R.rat("-2")), two))).toBe("(-2)**2")
    expect(render(num(R.rat("1/3")))).toBe("(1/3)")
    expect(render(bin("/", two, num(R.rat("1/3"))))).toBe("2/(1/3)")
    expect(render(negate(num(R.rat("-3"))))).toBe("-(-3)")
    expect(render(percent(bin("+", two, three)))).toBe("(2+3)%")
    expect(render(bin("//", two, bin("//", three, two)))).toBe("2//(3//2)")
  })

  it("substitutes numbers (symbolic variation) and re-evaluates", () => {
    const ast = parse("48/2")
    const doubled = mapLiterals(ast, (lit, i) => (i === 0 ? R.rat("60") : lit.value))
    expect(render(doubled)).toBe("60/2")
    const v = evaluate(doubled)
    expect(v.ok && R.toString(v.value)).toBe("30")
  })

  it("changes an operator, swaps and deletes terms (error injection)", () => {
    const ast = parse("100-50-30")
    expect(render(withOperator(ast, [], "+")!)).toBe("100-50+30")
    expect(render(swapOperands(ast, ["left"])!)).toBe("50-100-30")
    expect(render(deleteOperand(ast, ["left"], "right")!)).toBe("100-30")
    expect(withOperator(ast, ["right"], "*")).toBeUndefined()
  })

  it("edits the original text in place through spans", () => {
    const text = "She makes 9*2 dollars"
    const ast = parse("9*2")
    const edits = literals(ast).map((l, i) => ({ span: { start: 10 + l.span!.start, end: 10 + l.span!.end }, text: i === 0 ? "11" : "3" }))
    expect(replaceSpans(text, edits)).toBe("She makes 11*3 dollars")
    expect(replaceSpans("abc", [{ span: { start: 0, end: 2 }, text: "x" }, { span: { start: 1, end: 3 }, text: "y" }])).toBeUndefined()
  })
})

// ------------------------------------------------------------ properties

type Tree = { n: bigint } | { op: "+" | "-" | "*" | "/"; l: Tree; r: Tree }

const arbTree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.bigInt({ min: 0n, max: 99n }).map((n) => ({ n })),
    fc.record({ op: fc.constantFrom("+" as const, "-" as const, "*" as const, "/" as const), l: tie("tree"), r: tie("tree") })
  )
})).tree

/** Oracle independent of rational.ts: unreduced fractions, undefined on division by zero. */
const oracle = (t: Tree): [bigint, bigint] | undefined => {
  if ("n" in t) return [t.n, 1n]
  const a = oracle(t.l)
  const b = oracle(t.r)
  if (!a || !b) return undefined
  const [p, q] = a
  const [r, s] = b
  switch (t.op) {
    case "+":
      return [p * s + r * q, q * s]
    case "-":
      return [p * s - r * q, q * s]
    case "*":
      return [p * r, q * s]
    case "/":
      return r === 0n ? undefined : [p * s, q * r]
  }
}

const fullyParenthesised = (t: Tree): string => ("n" in t ? t.n.toString() : `(${fullyParenthesised(t.l)}${t.op}${fullyParenthesised(t.r)})`)

/** Minimal-parenthesis text written by hand, so render() is tested against a different printer. */
const toAst = (t: Tree): Expr => ("n" in t ? num(R.fromBigInt(t.n)) : bin(t.op as BinOp, toAst(t.l), toAst(t.r)))

describe("properties", () => {
  it("the evaluator agrees with exact fraction arithmetic on random expression trees", () => {
    fc.assert(
      fc.property(arbTree, (t) => {
        const src = fullyParenthesised(t)
        fc.pre(src.length <= 500)
        const expected = oracle(t)
        const got = evaluateExpression(src)
        if (expected === undefined) return !got.ok && /division by zero/.test(got.error)
        return got.ok && got.value.num * expected[1] === expected[0] * got.value.den
      }),
      { numRuns: 300 }
    )
  })

  it("render(parse(e)) re-parses to the same value", () => {
    fc.assert(
      fc.property(arbTree, (t) => {
        const src = fullyParenthesised(t)
        fc.pre(src.length <= 500)
        const first = evaluateExpression(src)
        fc.pre(first.ok)
        if (!first.ok) return true
        const again = evaluateExpression(render(first.ast))
        return again.ok && R.equals(again.value, first.value)
      }),
      { numRuns: 300 }
    )
  })

  it("render of a code-built tree (minimal parentheses) evaluates like the tree", () => {
    fc.assert(
      fc.property(arbTree, fc.boolean(), (t, spaces) => {
        const ast = toAst(t)
        const direct = evaluate(ast)
        const text = render(ast, { spaces })
        fc.pre(text.length <= 500)
        const parsed = evaluateExpression(text)
        if (!direct.ok) return !parsed.ok
        return parsed.ok && R.equals(parsed.value, direct.value) && !/\(\d+\)/.test(text)
      }),
      { numRuns: 300 }
    )
  })
})
