import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { canonicalJson } from "./canonical-json.ts"
import { contentId, hashValue, normaliseText } from "./hash.ts"

describe("canonicalJson and hashes", () => {
  it("sorts keys at every depth and drops undefined fields", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}')
  })

  it("does not depend on key order (property)", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (o) => {
        const reversed = Object.fromEntries(Object.entries(o).reverse())
        expect(canonicalJson(reversed)).toBe(canonicalJson(o))
        expect(hashValue(reversed)).toBe(hashValue(o))
      })
    )
  })

  it("round-trips JSON values (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(JSON.parse(canonicalJson(v)))).toBe(canonicalJson(v))
      })
    )
  })

  it("keeps a __proto__ key as a key", () => {
    expect(canonicalJson(JSON.parse('{"b":1,"__proto__":{"x":1}}'))).toBe('{"__proto__":{"x":1},"b":1}')
  })

  it("refuses numbers JSON cannot hold", () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/non-finite/)
  })

  it("gives text ids that ignore case and spacing but not content", () => {
    expect(normaliseText("  Tom has\n 3  APPLES ")).toBe("tom has 3 apples")
    expect(contentId("task", "Tom has 3 apples")).toBe(contentId("task", "tom  has 3 apples"))
    expect(contentId("task", "Tom has 3 apples")).not.toBe(contentId("task", "Tom has 4 apples"))
    expect(contentId("task", "x")).toMatch(/^task-[0-9a-f]{32}$/)
  })
})
