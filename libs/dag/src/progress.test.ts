import { describe, expect, it, vi } from "vitest"
import { Effect } from "effect"
import { Progress, formatDuration, formatPhase, formatStage, reportPhase } from "./progress.ts"

describe("progress", () => {
  it("formats a stage line with rows, rate and an ETA from the expected input", () => {
    const line = formatStage("variants", { status: "running", expectedIn: 1000, rowsIn: 250, rowsOut: 900, startedAt: 0 }, 5000)
    // 250 rows in 5 s = 50 rows/s; 750 left → 15 s.
    expect(line).toBe("variants           running  250/1000 in, 900 out, 50 rows/s, 5.0s eta 15.0s")
  })

  it("gives no ETA when the input size is unknown or the stage is done", () => {
    expect(formatStage("seeds", { status: "running", rowsIn: 0, rowsOut: 120, startedAt: 0 }, 2000)).toBe("seeds              running  120 out, 60 rows/s, 2.0s")
    expect(formatStage("sft", { status: "done", expectedIn: 10, rowsIn: 10, rowsOut: 10, startedAt: 0, endedAt: 90_000 }, 99_000)).toBe(
      "sft                done     10/10 in, 10 out, 0 rows/s, 1m30s"
    )
  })

  it("writes plain lines when a stage starts and finishes, for logs without a terminal", async () => {
    const lines: Array<string> = []
    await Effect.runPromise(
      Effect.gen(function* () {
        const p = yield* Progress
        p.start("seeds")
        p.advance("seeds", 0, 107)
        p.finish("seeds", "done")
        p.start("tasks", 5)
        p.finish("tasks", "failed")
        p.close()
      }).pipe(Effect.provide(Progress.plain((l) => lines.push(l), 60_000)))
    )
    expect(lines.length).toBe(4)
    expect(lines[0]).toBe("seeds              started")
    expect(lines[1]).toMatch(/^seeds {14}done {5}107 out, \d+ rows\/s, \d+\.\ds$/)
    expect(lines[3]).toMatch(/^tasks {14}failed {3}0\/5 in, 0 out/)
  })

  it("adds the extra lines (a model's traffic) under the running stages, at each interval, and only while a stage runs", async () => {
    vi.useFakeTimers()
    try {
      const lines: Array<string> = []
      let requests = 0
      const extra = () => [`model m: ${requests} requests`]
      await Effect.runPromise(
        Effect.gen(function* () {
          const p = yield* Progress
          p.start("solve", 10)
          requests = 4
          vi.advanceTimersByTime(1000)
          requests = 9
          vi.advanceTimersByTime(1000)
          p.finish("solve", "done")
          vi.advanceTimersByTime(1000)
          p.close()
        }).pipe(Effect.provide(Progress.plain((l) => lines.push(l), 1000, extra)))
      )
      expect(lines.filter((l) => l.startsWith("model"))).toEqual(["model m: 4 requests", "model m: 9 requests"])
      expect(lines.filter((l) => l.startsWith("solve"))).toHaveLength(4)
    } finally {
      vi.useRealTimers()
    }
  })

  it("formats a task's phase with its count and the task's time so far", () => {
    expect(formatPhase("publish math", { update: { phase: "sft: shards written", done: 12, total: 50 }, startedAt: 0 }, 14_200)).toBe("publish math       sft: shards written 12/50, 14.2s")
    expect(formatPhase("publish math", { update: { phase: "syncing" }, startedAt: 0 }, 500)).toBe("publish math       syncing, 0.5s")
    expect(formatPhase("publish math", { update: { phase: "published v0003", final: true }, startedAt: 0, endedAt: 75_000 }, 99_000)).toBe("publish math       published v0003, 1m15s")
  })

  it("writes a plain line as a task starts and ends, and the interval's lines show its phase and counts meanwhile", async () => {
    vi.useFakeTimers()
    try {
      const lines: Array<string> = []
      await Effect.runPromise(
        Effect.gen(function* () {
          const p = yield* Progress
          reportPhase(p, "publish math", { phase: "sft: staging rows", done: 0, total: 1000 })
          reportPhase(p, "publish math", { phase: "sft: staging rows", done: 500, total: 1000 })
          vi.advanceTimersByTime(1000)
          reportPhase(p, "publish math", { phase: "sft: shards written", done: 0, total: 4 })
          reportPhase(p, "publish math", { phase: "sft: shards written", done: 1, total: 4 })
          reportPhase(p, "publish math", { phase: "published v0001", final: true })
          // A finished task is not written again at the interval.
          vi.advanceTimersByTime(1000)
          p.close()
        }).pipe(Effect.provide(Progress.plain((l) => lines.push(l), 1000)))
      )
      expect(lines.map((l) => l.replace(/, [\d.]+s$/, ""))).toEqual([
        "publish math       sft: staging rows 0/1000",
        "publish math       sft: staging rows 500/1000",
        "publish math       published v0001"
      ])
    } finally {
      vi.useRealTimers()
    }
  })

  it("draws a task's line under the stages on a terminal", async () => {
    let screen = ""
    const out = { write: (s: string) => ((screen += s), true) } as unknown as NodeJS.WriteStream
    await Effect.runPromise(
      Effect.gen(function* () {
        const p = yield* Progress
        p.start("sft")
        p.finish("sft", "done")
        reportPhase(p, "publish math", { phase: "sft: shards written", done: 3, total: 50 })
        p.close()
      }).pipe(Effect.provide(Progress.tty(out)))
    )
    const last = screen.split("\x1b[2K").slice(-2).map((l) => l.trim())
    expect(last[0]).toMatch(/^sft {16}done/)
    expect(last[1]).toMatch(/^publish math {7}sft: shards written 3\/50, \d+\.\ds$/)
  })
})

describe("formatDuration", () => {
  it("writes tenths under a minute and whole seconds after, never 60 seconds in a minute", () => {
    expect([0.04, 9.94, 59.94, 59.96, 60, 119.4, 119.6, 3599.7].map(formatDuration)).toEqual(["0.0s", "9.9s", "59.9s", "1m00s", "1m00s", "1m59s", "2m00s", "60m00s"])
  })
})
