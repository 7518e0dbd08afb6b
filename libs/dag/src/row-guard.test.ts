import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { Schema } from "effect"
import { canonicalJson } from "#core"
import { compileRowGuard } from "./row-guard.ts"

const Message = Schema.Struct({ role: Schema.Literals(["user", "assistant"]), content: Schema.String })
const Row = Schema.Struct({
  id: Schema.String,
  n: Schema.Number,
  ok: Schema.Boolean,
  tags: Schema.Array(Schema.String),
  messages: Schema.Array(Message),
  note: Schema.optional(Schema.String),
  extra: Schema.optional(Schema.Record(Schema.String, Schema.Number)),
  kind: Schema.Union([Schema.Literal("a"), Schema.Null])
})

describe("compileRowGuard", () => {
  const guard = compileRowGuard(Row.ast)!
  const is = Schema.is(Row)
  const encode = Schema.encodeUnknownSync(Row as Schema.Codec<unknown, unknown>)

  it("accepts a valid row and rejects wrong types, missing keys and unknown keys", () => {
    const row = { id: "r1", n: 2, ok: true, tags: ["x"], messages: [{ role: "user", content: "hi" }], kind: null }
    expect(guard(row)).toBe(true)
    expect(guard({ ...row, note: "n", extra: { a: 1 } })).toBe(true)
    expect(guard({ ...row, n: "2" })).toBe(false)
    expect(guard({ ...row, messages: [{ role: "system", content: "x" }] })).toBe(false)
    const { id: _id, ...noId } = row
    expect(guard(noId)).toBe(false)
    expect(guard({ ...row, surprise: 1 })).toBe(false) // encoding would drop it: the slow path decides
    expect(guard({ ...row, n: Number.NaN })).toBe(false)
    expect(guard([row])).toBe(false)
  })

  it("gives no guard for schemas with checks or transformations", () => {
    expect(compileRowGuard(Schema.Struct({ n: Schema.NumberFromString }).ast)).toBeUndefined()
    expect(compileRowGuard(Schema.Struct({ s: Schema.String.check(Schema.isMinLength(2)) }).ast)).toBeUndefined()
  })

  it("never accepts what the schema rejects, and what it accepts encodes to the same JSON", () => {
    // Each field is valid nine times in ten, so both accepted and rejected rows occur often.
    const mostly = <A, B>(valid: fc.Arbitrary<A>, invalid: fc.Arbitrary<B>) => fc.oneof({ arbitrary: valid, weight: 9 }, { arbitrary: invalid, weight: 1 })
    const message = fc.record({ role: mostly(fc.constantFrom("user", "assistant"), fc.constant("system")), content: mostly(fc.string(), fc.integer()) })
    const candidate = fc.record(
      {
        id: mostly(fc.string(), fc.integer()),
        n: mostly(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.oneof(fc.string(), fc.constant(Number.NaN))),
        ok: mostly(fc.boolean(), fc.constant(null)),
        tags: mostly(fc.array(fc.string(), { maxLength: 3 }), fc.array(fc.integer(), { minLength: 1 })),
        messages: fc.array(message, { maxLength: 2 }),
        note: mostly(fc.oneof(fc.string(), fc.constant(undefined)), fc.integer()),
        extra: mostly(fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }), fc.dictionary(fc.string(), fc.string(), { minKeys: 1 })),
        kind: mostly(fc.constantFrom("a", null), fc.constant("b")),
        surprise: fc.integer()
      },
      { requiredKeys: ["id", "n", "ok", "tags", "messages", "kind"] }
    )
    let accepted = 0
    fc.assert(
      fc.property(candidate, (value) => {
        if (guard(value)) {
          accepted += 1
          expect(is(value)).toBe(true)
          expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(encode(value)))
        }
      }),
      { numRuns: 2000 }
    )
    // The property must have been exercised on accepted rows, not only on rejected ones.
    expect(accepted).toBeGreaterThan(100)
  })
})
