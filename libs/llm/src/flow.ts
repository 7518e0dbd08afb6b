import { Clock, Context, Effect, Exit, Layer } from "effect"

/**
 * One flow controller for a whole run, shared by every stage that calls a model. It bounds requests in
 * flight (`concurrency`), shrinks that bound by half when a server says it is overloaded (429, 503) and
 * grows it back by one per window of successes (AIMD, as TCP does), and paces requests and tokens per
 * minute when limits are set or the server announces them (`x-ratelimit-limit-*`).
 *
 * A request holds its slot only while it is on the wire: waits for Retry-After or backoff happen outside
 * the slot, so the server is kept busy with other requests meanwhile.
 */
export interface FlowOptions {
  /** Most requests in flight at once. */
  readonly concurrency: number
  readonly requestsPerMinute?: number | undefined
  readonly tokensPerMinute?: number | undefined
}

export interface FlowStats {
  /** The current bound on requests in flight (at most `concurrency`). */
  readonly limit: number
  readonly inFlight: number
  readonly maxInFlight: number
  /** Times a server said it was overloaded, and so the bound was halved. */
  readonly throttled: number
  readonly requestsPerMinute: number | undefined
  readonly tokensPerMinute: number | undefined
}

export interface FlowShape {
  /**
   * Runs `send` in a slot, after reserving one request and `estimatedTokens` tokens of the per-minute
   * budgets. `send` returns the tokens it really used; the difference is refunded. A success grows the
   * bound (additive increase); a failure that `overloaded` recognises (429, 503) halves it, once for all
   * the requests that were already in flight when it last shrank (multiplicative decrease).
   */
  readonly withSlot: <A, E, R>(
    estimatedTokens: number,
    send: Effect.Effect<{ readonly value: A; readonly tokens: number }, E, R>,
    overloaded: (error: E) => boolean
  ) => Effect.Effect<A, E, R>
  /** Takes per-minute limits from a response's `x-ratelimit-limit-*` headers when none were configured. */
  readonly learn: (headers: Readonly<Record<string, string | undefined>>) => Effect.Effect<void>
  readonly stats: Effect.Effect<FlowStats>
}

export class FlowController extends Context.Service<FlowController, FlowShape>()("autodidact/llm/FlowController") {
  static readonly layer = (options: FlowOptions): Layer.Layer<FlowController> => Layer.effect(FlowController, makeFlow(options))
}

/** A token bucket refilled continuously at `perMinute`; a reservation larger than the bucket waits for a full one. */
interface Bucket {
  perMinute: number
  available: number
  at: number
}

const refill = (b: Bucket, now: number) => {
  b.available = Math.min(b.perMinute, b.available + ((now - b.at) * b.perMinute) / 60_000)
  b.at = now
}

export const makeFlow = (options: FlowOptions) =>
  Effect.gen(function* () {
    const max = Math.max(1, Math.floor(options.concurrency))
    const start = yield* Clock.currentTimeMillis
    const bucket = (perMinute: number | undefined): Bucket | undefined =>
      perMinute === undefined || perMinute <= 0 ? undefined : { perMinute, available: perMinute, at: start }
    let requests = bucket(options.requestsPerMinute)
    let tokens = bucket(options.tokensPerMinute)
    // The AIMD window, as a real number: each success adds 1/window, so the bound grows by one per window.
    let window = max
    let limit = max
    let inFlight = 0
    let maxInFlight = 0
    let throttledCount = 0
    // Requests are numbered as sent; answers to those sent before the last decrease say nothing new.
    let sent = 0
    let sentAtDecrease = 0

    /**
     * The slots: a count and a first-come queue of requests waiting for one. Not Effect's Semaphore: it
     * wakes by scanning every waiter on each release, and a row stage keeps hundreds waiting here.
     * A freed slot is handed to the oldest waiter in a microtask, so a release never runs another
     * request's work inside its own.
     */
    interface Waiter {
      readonly resume: () => void
      handed: boolean
      cancelled: boolean
    }
    let queue: Array<Waiter> = []
    let head = 0
    let handing = false
    const handOver = () => {
      handing = false
      while (inFlight < limit && head < queue.length) {
        const w = queue[head++]!
        if (w.cancelled) continue
        w.handed = true
        inFlight++
        w.resume()
      }
      if (head > 1024 && head * 2 > queue.length) {
        queue = queue.slice(head)
        head = 0
      }
    }
    const scheduleHandOver = () => {
      if (!handing && head < queue.length && inFlight < limit) {
        handing = true
        queueMicrotask(handOver)
      }
    }
    const acquire: Effect.Effect<void> = Effect.callback<void>((resume) => {
      if (inFlight < limit && head === queue.length) {
        inFlight++
        resume(Effect.void)
        return
      }
      const w: Waiter = { resume: () => resume(Effect.void), handed: false, cancelled: false }
      queue.push(w)
      return Effect.sync(() => {
        w.cancelled = true
        // Interrupted after being handed a slot it never used: the slot goes on to the next.
        if (w.handed) release()
      })
    })
    const release = () => {
      inFlight--
      scheduleHandOver()
    }

    const resizeTo = (next: number) => {
      const bounded = Math.max(1, Math.min(max, Math.floor(next)))
      if (bounded === limit) return
      limit = bounded
      scheduleHandOver()
    }

    /** Waits until both buckets can give what is asked, then takes it. */
    const reserve = (cost: number): Effect.Effect<void> =>
      Effect.gen(function* () {
        for (;;) {
          const now = yield* Clock.currentTimeMillis
          let waitMs = 0
          for (const [b, want] of [
            [requests, 1],
            [tokens, cost]
          ] as const) {
            if (b === undefined) continue
            refill(b, now)
            const need = Math.min(want, b.perMinute)
            if (b.available < need) waitMs = Math.max(waitMs, Math.ceil(((need - b.available) * 60_000) / b.perMinute))
          }
          if (waitMs === 0) {
            if (requests) requests.available -= 1
            if (tokens) tokens.available -= Math.min(cost, tokens.perMinute)
            return
          }
          yield* Effect.sleep(`${waitMs} millis`)
        }
      })

    const grow = () => {
      if (window < max) {
        window = Math.min(max, window + 1 / Math.max(1, window))
        resizeTo(window)
      }
    }
    const shrink = (seq: number) => {
      if (seq <= sentAtDecrease) return
      sentAtDecrease = sent
      throttledCount++
      window = Math.max(1, window / 2)
      resizeTo(window)
    }

    const withSlot: FlowShape["withSlot"] = (estimatedTokens, send, overloaded) => {
      const inSlot = Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(restore(acquire), () => {
          const seq = ++sent
          maxInFlight = Math.max(maxInFlight, inFlight)
          return restore(send).pipe(
            Effect.onExit((exit) =>
              Effect.sync(() => {
                release()
                // The reservation goes back, less what the answer used (a failed attempt used no tokens the server counts).
                const used = Exit.isSuccess(exit) ? exit.value.tokens : 0
                if (tokens) tokens.available = Math.min(tokens.perMinute, tokens.available + Math.min(estimatedTokens, tokens.perMinute) - used)
                if (Exit.isSuccess(exit)) {
                  grow()
                  return
                }
                const failure = exit.cause.reasons.find((r) => r._tag === "Fail")
                if (failure !== undefined && overloaded(failure.error)) shrink(seq)
              })
            ),
            Effect.map((result) => result.value)
          )
        })
      )
      // With no per-minute limit there is nothing to reserve: no clock read, no fiber step.
      return Effect.suspend(() => (requests === undefined && tokens === undefined ? inSlot : Effect.andThen(reserve(estimatedTokens), inSlot)))
    }

    return FlowController.of({
      withSlot,
      learn: (headers) =>
        // Most answers carry no limits, or limits already known: no clock read, no fiber step.
        (requests !== undefined || headers["x-ratelimit-limit-requests"] === undefined) && (tokens !== undefined || headers["x-ratelimit-limit-tokens"] === undefined)
          ? Effect.void
          : Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          // A limit must be positive; what remains may be 0 (the budget is spent until it refills).
          const read = (name: string, least: number) => {
            const raw = headers[name]
            const v = raw === undefined || raw.trim() === "" ? Number.NaN : Number(raw)
            return Number.isFinite(v) && v >= least ? v : undefined
          }
          const rpm = read("x-ratelimit-limit-requests", 1)
          const tpm = read("x-ratelimit-limit-tokens", 1)
          if (requests === undefined && options.requestsPerMinute === undefined && rpm !== undefined) {
            requests = { perMinute: rpm, available: Math.min(rpm, read("x-ratelimit-remaining-requests", 0) ?? rpm), at: now }
          }
          if (tokens === undefined && options.tokensPerMinute === undefined && tpm !== undefined) {
            tokens = { perMinute: tpm, available: Math.min(tpm, read("x-ratelimit-remaining-tokens", 0) ?? tpm), at: now }
          }
        }),
      stats: Effect.sync(() => ({
        limit,
        inFlight,
        maxInFlight,
        throttled: throttledCount,
        requestsPerMinute: requests?.perMinute,
        tokensPerMinute: tokens?.perMinute
      }))
    })
  })
