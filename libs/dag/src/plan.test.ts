import { describe, expect, it } from "vitest"
import { Effect, Schema, Stream } from "effect"
import { plan } from "./plan.ts"
import { streamStage, type Stage } from "./stage.ts"

const stage = (name: string, inputs: ReadonlyArray<string>): Stage =>
  streamStage({ name, version: 1, inputs, schema: Schema.Unknown, config: {}, run: () => Stream.empty })

const planError = (stages: ReadonlyArray<Stage>) => Effect.runPromise(Effect.flip(plan(stages)))

describe("plan", () => {
  it("orders stages so that every stage comes after its inputs, ties in declaration order", async () => {
    const p = await Effect.runPromise(plan([stage("d", ["b", "c"]), stage("b", ["a"]), stage("c", ["a"]), stage("a", [])]))
    expect(p.order.map((s) => s.name)).toEqual(["a", "b", "c", "d"])
    expect(p.dependents.get("a")).toEqual(["b", "c"])
  })

  it("rejects a cycle and names the stages on it", async () => {
    const e = await planError([stage("a", []), stage("b", ["a", "d"]), stage("c", ["b"]), stage("d", ["c"])])
    expect(e.reason).toBe("cycle")
    expect(e.message).toMatch(/cycle: [bcd] → [bcd] → [bcd] → [bcd]/)
    expect(e.message).not.toContain("a →")
  })

  it("rejects a stage reading itself", async () => {
    const e = await planError([stage("a", ["a"])])
    expect(e.message).toBe("the stages form a cycle: a → a")
  })

  it("rejects an input that is not a stage, listing the stages there are", async () => {
    const e = await planError([stage("seeds", []), stage("solve", ["seedz"])])
    expect(e.reason).toBe("missing_input")
    expect(e.message).toBe('stage "solve" reads "seedz", which is not a stage of this pipeline (stages: seeds, solve)')
  })

  it("rejects two stages with one name", async () => {
    const e = await planError([stage("a", []), stage("a", [])])
    expect(e.reason).toBe("duplicate_name")
    expect(e.message).toContain('two stages are named "a"')
  })

  it("rejects key columns that are unnamed, repeated or called row", async () => {
    const keyed = (keyColumns: ReadonlyArray<string>) => ({ ...stage("out", []), keyColumns }) as Stage
    expect((await planError([keyed(["id", "task_id", "id"])])).message).toBe(
      'stage "out" declares key column "id" twice; key columns are distinct top-level field names'
    )
    expect((await planError([keyed(["row"])])).message).toContain('key column "row" ("row" holds the JSON row itself)')
    expect((await planError([keyed([""])])).reason).toBe("key_columns")
    expect((await Effect.runPromise(plan([keyed(["id", "task_id"])]))).order.length).toBe(1)
  })

  it("rejects an empty pipeline", async () => {
    expect((await planError([])).reason).toBe("empty")
  })
})
