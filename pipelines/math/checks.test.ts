import { describe, expect, it } from "vitest"
import type { RunSummary, StageFigures } from "#dag"
import { checkPublishable, shortfallOf } from "./checks.ts"

const figures = (name: string, rows_out: number, rejects: Record<string, number> = {}): StageFigures => ({
  name, status: "done", cache: "miss", rows_in: 0, rows_out, rejects, counters: {}, parts: 1, parts_reused: 0, duration_ms: 0
})
const run = (stages: ReadonlyArray<StageFigures>) => ({ runDir: "data/runs/r", summary: { pipeline: "math", stages } as unknown as RunSummary })

describe("checkPublishable", () => {
  it("passes when every config has rows", () => {
    expect(checkPublishable(run([figures("seeds", 3), figures("verified", 3)]), { sft: 5, rl: 5 }, "s.jsonl")).toBeUndefined()
  })

  it("says how many of the seed rows read were usable, and the top reasons across seeds and verified", () => {
    const error = checkPublishable(
      run([figures("seeds", 2, { "bad_row:answer": 260_000, "bad_row:(row)": 838, duplicate_question: 1 }), figures("verified", 0, { "unverified:annotation_mismatch": 2 })]),
      { sft: 0, rl: 0 },
      "s.csv"
    )
    expect(error?.message).toBe(
      `dataset "math": 0 of 260,841 seed rows usable: bad_row:answer 260,000, bad_row:(row) 838, unverified:annotation_mismatch 2, and 1 more reasons; ` +
        `nothing was published and LATEST is unchanged. Fix the seed file (the rejected rows, with their reasons, are in ` +
        `data/runs/r/seeds/rejects-*.parquet and data/runs/r/verified/rejects-*.parquet) or point --seeds at another one`
    )
  })

  it("fails a build where one config would have no rows although seeds were usable", () => {
    const error = checkPublishable(run([figures("seeds", 4), figures("verified", 4)]), { sft: 9, preference: 0 }, "s.jsonl")
    expect(error?._tag).toBe("NothingToPublish")
    expect(error?.message).toContain(`config "preference" would have no rows (4 of 4 seed rows usable); nothing was published and LATEST is unchanged`)
  })
})

describe("shortfallOf", () => {
  it("gives asked and made when the tasks stage made fewer than --size, else nothing", () => {
    expect(shortfallOf({ stages: [figures("tasks", 170)] } as unknown as RunSummary, 3000)).toEqual({ asked: 3000, made: 170 })
    expect(shortfallOf({ stages: [figures("tasks", 3000)] } as unknown as RunSummary, 3000)).toBeUndefined()
  })
})
