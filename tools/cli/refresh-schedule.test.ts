import { Clock, Effect, Fiber } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "@effect/vitest"
import { onSchedule, parseCron } from "./refresh-schedule.ts"

describe("refresh --cron", () => {
  it.effect("runs the job at each time the expression names, announcing the next one first", () =>
    Effect.gen(function* () {
      // TestClock starts at 1970-01-01T00:00:00Z; "every 15 minutes" fires at :15, :30, :45 and 01:00.
      const cron = yield* parseCron("*/15 * * * *")
      const ran: Array<string> = []
      const announced: Array<string> = []
      const job = Effect.flatMap(Clock.currentTimeMillis, (t) => Effect.sync(() => void ran.push(new Date(t).toISOString())))
      const fiber = yield* Effect.forkChild(onSchedule(cron, job, (next) => Effect.sync(() => void announced.push(next.toISOString()))))
      yield* TestClock.adjust("14 minutes")
      expect(ran).toEqual([])
      expect(announced).toEqual(["1970-01-01T00:15:00.000Z"])
      yield* TestClock.adjust("1 minute")
      expect(ran).toEqual(["1970-01-01T00:15:00.000Z"])
      yield* TestClock.adjust("45 minutes")
      expect(ran).toEqual(["1970-01-01T00:15:00.000Z", "1970-01-01T00:30:00.000Z", "1970-01-01T00:45:00.000Z", "1970-01-01T01:00:00.000Z"])
      expect(announced.at(-1)).toBe("1970-01-01T01:15:00.000Z")
      yield* Fiber.interrupt(fiber)
    })
  )

  it.effect("skips the times a job overran instead of running them late, one after another", () =>
    Effect.gen(function* () {
      const cron = yield* parseCron("*/10 * * * *")
      const ran: Array<string> = []
      // Each run takes 25 minutes: the run at :10 ends at :35, so :20 and :30 are skipped and the next is :40.
      const job = Effect.flatMap(Clock.currentTimeMillis, (t) => Effect.sync(() => void ran.push(new Date(t).toISOString()))).pipe(Effect.andThen(Effect.sleep("25 minutes")))
      const fiber = yield* Effect.forkChild(onSchedule(cron, job, () => Effect.void))
      yield* TestClock.adjust("80 minutes")
      expect(ran).toEqual(["1970-01-01T00:10:00.000Z", "1970-01-01T00:40:00.000Z", "1970-01-01T01:10:00.000Z"])
      yield* Fiber.interrupt(fiber)
    })
  )

  it.effect("names what is wrong with a bad expression", () =>
    Effect.gen(function* () {
      const e = yield* Effect.flip(parseCron("61 * * * *"))
      expect(e.message).toBe('--cron "61 * * * *" is not a cron expression: Expected a value between 0 and 59 (e.g. "0 3 * * *" for 03:00 every day)')
    })
  )
})
