import { describe, expect, it } from "vitest"
import fc from "fast-check"
import * as R from "./rational.ts"

const show = (text: string): string => {
  const r = R.parseRational(text)
  return r.ok ? R.toString(r.value) : `error: ${r.error}`
}

describe("parseRational", () => {
  it.each([
    ["12.50", "12.5"],
    [".5", "0.5"],
    ["-3", "-3"],
    ["1,200", "1200"],
    ["80,000.25", "80000.25"],
    ["1/2", "0.5"],
    ["-3/4", "-0.75"],
    ["2/6", "1/3"],
    ["0.10", "0.1"],
    ["5.", "5"],
    ["-0", "0"],
    ["+7", "7"],
    ["\u22122", "-2"]
  ])("%s → %s", (input, expected) => {
    expect(show(input)).toBe(expected)
  })

  it.each(["", "abc", "1,20", "12,3456", "1.2.3", "50%", "1/0", "$5", "1e5", "9".repeat(201)])("rejects %j", (input) => {
    expect(R.parseRational(input).ok).toBe(false)
  })
})

describe("toString", () => {
  it.each([
    [1n, 3n, "1/3"],
    [-7n, 6n, "-7/6"],
    [1n, 8n, "0.125"],
    [-1n, 20n, "-0.05"],
    [10n, 4n, "2.5"],
    [6n, -3n, "-2"],
    [0n, -5n, "0"]
  ])("%s/%s → %s", (n, d, expected) => {
    const r = R.ratio(n, d)
    expect(r.ok && R.toString(r.value)).toBe(expected)
  })
})

describe("arithmetic", () => {
  it("adds, subtracts, multiplies and divides exactly", () => {
    const a = R.rat("0.1")
    const b = R.rat("0.2")
    expect(R.toString(R.add(a, b))).toBe("0.3")
    expect(R.toString(R.sub(a, b))).toBe("-0.1")
    expect(R.toString(R.mul(R.rat("1/3"), R.rat("3")))).toBe("1")
    const q = R.div(R.rat("1"), R.rat("3"))
    expect(q.ok && R.toString(q.value)).toBe("1/3")
  })

  it("returns an error value for division by zero", () => {
    expect(R.div(R.ONE, R.ZERO)).toEqual({ ok: false, error: "division by zero" })
    expect(R.ratio(1n, 0n).ok).toBe(false)
    expect(R.pow(R.ZERO, -1).ok).toBe(false)
  })

  it("compares, tests integers and converts to numbers", () => {
    expect(R.compare(R.rat("1/3"), R.rat("0.33"))).toBe(1)
    expect(R.compare(R.rat("-1"), R.rat("1"))).toBe(-1)
    expect(R.compare(R.rat("0.50"), R.rat("1/2"))).toBe(0)
    expect(R.isInteger(R.rat("4/2"))).toBe(true)
    expect(R.isInteger(R.rat("2.5"))).toBe(false)
    expect(R.toNumber(R.rat("0.1"))).toBe(0.1)
    expect(R.toNumber(R.rat("1/3"))).toBeCloseTo(1 / 3, 15)
  })

  it("rounds half-up and truncates to a number of places", () => {
    const third = R.rat("10/3")
    expect(R.toString(R.roundDecimal(third, 2, "half-up"))).toBe("3.33")
    expect(R.toString(R.roundDecimal(R.rat("2/3"), 2, "half-up"))).toBe("0.67")
    expect(R.toString(R.roundDecimal(R.rat("2/3"), 2, "truncate"))).toBe("0.66")
    expect(R.toString(R.roundDecimal(R.rat("-2.5"), 0, "half-up"))).toBe("-3")
    expect(R.toString(R.roundDecimal(R.rat("25/6"), 0, "truncate"))).toBe("4")
  })

  it("reports decimal places only for terminating decimals", () => {
    expect(R.decimalPlaces(R.rat("0.125"))).toBe(3)
    expect(R.decimalPlaces(R.rat("12"))).toBe(0)
    expect(R.decimalPlaces(R.rat("1/3"))).toBeUndefined()
  })
})

const arbRational = fc
  .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 12n }))
  .map(([n, d]) => {
    const r = R.ratio(n, d)
    if (!r.ok) throw new Error("unreachable: d >= 1")
    return r.value
  })

describe("properties", () => {
  it("parseRational(toString(x)) == x", () => {
    fc.assert(
      fc.property(arbRational, (x) => {
        const back = R.parseRational(R.toString(x))
        return back.ok && R.equals(back.value, x)
      })
    )
  })

  it("results are normalised: positive denominator, no common factor", () => {
    fc.assert(
      fc.property(arbRational, arbRational, (a, b) => {
        const all = [R.add(a, b), R.sub(a, b), R.mul(a, b)]
        const q = R.div(a, b)
        if (q.ok) all.push(q.value)
        return all.every((r) => r.den > 0n && (r.num === 0n ? r.den === 1n : true) && R.equals(R.add(r, R.ZERO), r))
      })
    )
  })

  it("a decimal string n/10^k reads back as n/10^k", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 6 }), (n, k) => {
        const digits = n.toString().padStart(k + 1, "0")
        const text = k === 0 ? digits : `${digits.slice(0, -k)}.${digits.slice(-k)}`
        const r = R.parseRational(text)
        const expected = R.ratio(n, 10n ** BigInt(k))
        return r.ok && expected.ok && R.equals(r.value, expected.value)
      })
    )
  })

  it("(a / b) * b == a for non-zero b", () => {
    fc.assert(
      fc.property(arbRational, arbRational, (a, b) => {
        fc.pre(!R.isZero(b))
        const q = R.div(a, b)
        return q.ok && R.equals(R.mul(q.value, b), a)
      })
    )
  })
})
