import { Deferred, Effect, Fiber } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "@effect/vitest"
import { makeFlow } from "./flow.ts"

const ok = (tokens = 0) => Effect.succeed({ value: "answer", tokens })
const overloaded = (e: string) => e === "429"

describe("the flow controller", () => {
  it.effect("hands freed slots to waiters in arrival order, and a waiter interrupted in the queue takes no slot with it", () =>
    Effect.gen(function* () {
      const flow = yield* makeFlow({ concurrency: 2 })
      const gates = yield* Effect.forEach(Array.from({ length: 6 }), () => Deferred.make<void>())
      const started: Array<number> = []
      const fibers = yield* Effect.forEach(gates, (gate, i) =>
        Effect.forkChild(
          flow.withSlot(
            0,
            Effect.gen(function* () {
              started.push(i)
              yield* Deferred.await(gate)
              return { value: i, tokens: 0 }
            }),
            overloaded
          )
        )
      )
      yield* Effect.yieldNow
      expect(started).toEqual([0, 1])
      // Request 2 gives up while it waits; 3 is next in line and must get the slot 0 frees.
      yield* Fiber.interrupt(fibers[2]!)
      yield* Deferred.succeed(gates[0]!, undefined)
      for (let i = 0; i < 5; i++) yield* Effect.yieldNow
      expect(started).toEqual([0, 1, 3])
      for (const g of gates) yield* Deferred.succeed(g, undefined)
      yield* Fiber.joinAll([0, 1, 3, 4, 5].map((i) => fibers[i]!))
      expect(started).toEqual([0, 1, 3, 4, 5])
      expect((yield* flow.stats).inFlight).toBe(0)
    })
  )

  it.effect("never has more requests in flight than its bound, and starts the next as soon as one ends", () =>
    Effect.gen(function* () {
      const flow = yield* makeFlow({ concurrency: 3 })
      const gates = yield* Effect.forEach(Array.from({ length: 10 }), () => Deferred.make<void>())
      let open = 0
      let most = 0
      const fibers = yield* Effect.forEach(gates, (gate) =>
        Effect.forkChild(
          flow.withSlot(
            0,
            Effect.gen(function* () {
              open++
              most = Math.max(most, open)
              yield* Deferred.await(gate)
              open--
              return { value: 1, tokens: 0 }
            }),
            overloaded
          )
        )
      )
      yield* Effect.yieldNow
      expect(open).toBe(3)
      // One finishes: exactly one more starts.
      yield* Deferred.succeed(gates[0]!, undefined)
      yield* Effect.yieldNow
      yield* Effect.yieldNow
      expect(open).toBe(3)
      for (const g of gates) yield* Deferred.succeed(g, undefined)
      yield* Fiber.joinAll(fibers)
      expect(most).toBe(3)
      expect((yield* flow.stats).maxInFlight).toBe(3)
    })
  )

  it.effect("halves its bound when a server is overloaded, once for the requests already in flight, and grows back by one per window", () =>
    Effect.gen(function* () {
      const flow = yield* makeFlow({ concurrency: 8 })
      const gates = yield* Effect.forEach(Array.from({ length: 2 }), () => Deferred.make<string>())
      // Two requests in flight together both get a 429: one decrease, not two.
      const fibers = yield* Effect.forEach(gates, (gate) =>
        Effect.forkChild(flow.withSlot(0, Effect.flatMap(Deferred.await(gate), (e) => Effect.fail(e)), overloaded).pipe(Effect.ignore))
      )
      yield* Effect.yieldNow
      for (const g of gates) yield* Deferred.succeed(g, "429")
      yield* Fiber.joinAll(fibers)
      expect((yield* flow.stats)).toMatchObject({ limit: 4, throttled: 1 })
      // A new request's 429 is news: 4 → 2.
      yield* flow.withSlot(0, Effect.fail("429"), overloaded).pipe(Effect.ignore)
      expect((yield* flow.stats)).toMatchObject({ limit: 2, throttled: 2 })
      // Other failures do not shrink it.
      yield* flow.withSlot(0, Effect.fail("400"), overloaded).pipe(Effect.ignore)
      expect((yield* flow.stats).limit).toBe(2)
      // Additive increase, 1/window per success: from 2, three successes make 3.24, three more 4.09, and so
      // on up to 8, never past.
      yield* Effect.repeat(flow.withSlot(0, ok(), overloaded), { times: 1 })
      expect((yield* flow.stats).limit).toBe(2)
      yield* flow.withSlot(0, ok(), overloaded)
      expect((yield* flow.stats).limit).toBe(3)
      yield* Effect.repeat(flow.withSlot(0, ok(), overloaded), { times: 2 })
      expect((yield* flow.stats).limit).toBe(4)
      yield* Effect.repeat(flow.withSlot(0, ok(), overloaded), { times: 100 })
      expect((yield* flow.stats).limit).toBe(8)
    })
  )

  it.effect("paces requests per minute: a full bucket at first, then one request per 60/rpm seconds", () =>
    Effect.gen(function* () {
      const flow = yield* makeFlow({ concurrency: 10, requestsPerMinute: 2 })
      yield* flow.withSlot(0, ok(), overloaded)
      yield* flow.withSlot(0, ok(), overloaded)
      const third = yield* Effect.forkChild(flow.withSlot(0, ok(), overloaded))
      yield* TestClock.adjust("29 seconds")
      expect(third.pollUnsafe()).toBeUndefined()
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(third)).toBe("answer")
    })
  )

  it.effect("reserves estimated tokens per minute and refunds what a request did not use", () =>
    Effect.gen(function* () {
      const flow = yield* makeFlow({ concurrency: 10, tokensPerMinute: 1000 })
      // Estimated 800, used 100: 900 left, so another 800 goes at once.
      yield* flow.withSlot(800, ok(100), overloaded)
      yield* flow.withSlot(800, ok(800), overloaded)
      // 100 left; 800 more needs 700 refilled at 1000/min = 42 s.
      const next = yield* Effect.forkChild(flow.withSlot(800, ok(800), overloaded))
      yield* TestClock.adjust("41 seconds")
      expect(next.pollUnsafe()).toBeUndefined()
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(next)).toBe("answer")
    })
  )

  it.effect("takes per-minute limits from x-ratelimit headers when none were set, and keeps set ones", () =>
    Effect.gen(function* () {
      const flow = yield* makeFlow({ concurrency: 4, tokensPerMinute: 5000 })
      yield* flow.learn({ "x-ratelimit-limit-requests": "500", "x-ratelimit-limit-tokens": "90000", "x-ratelimit-remaining-requests": "499" })
      expect(yield* flow.stats).toMatchObject({ requestsPerMinute: 500, tokensPerMinute: 5000 })
    })
  )

  it.effect("gives a failed attempt's token reservation back, and reads a remaining budget of 0 as spent", () =>
    Effect.gen(function* () {
      const flow = yield* makeFlow({ concurrency: 4, tokensPerMinute: 1000 })
      // Three 429s reserving 800 each would drain the budget if nothing came back.
      for (let i = 0; i < 3; i++) yield* flow.withSlot(800, Effect.fail("429"), overloaded).pipe(Effect.ignore)
      const next = yield* Effect.forkChild(flow.withSlot(800, ok(800), overloaded))
      yield* Effect.yieldNow
      expect(next.pollUnsafe()).toBeDefined()
      const spent = yield* makeFlow({ concurrency: 4 })
      yield* spent.learn({ "x-ratelimit-limit-requests": "60", "x-ratelimit-remaining-requests": "0" })
      // 60 a minute, none left: the next request waits a second for one to refill.
      const waiting = yield* Effect.forkChild(spent.withSlot(0, ok(), overloaded))
      yield* TestClock.adjust("999 millis")
      expect(waiting.pollUnsafe()).toBeUndefined()
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(waiting)).toBe("answer")
    })
  )
})
