import { Context, Effect, Layer, Random, Schema } from "effect"
import { HttpClient } from "effect/http"
import { DEFAULT_PROFILE, type ChatRequest, type ChatResponse, type EndpointProfile, type FinishReason } from "./chat.ts"
import { ResponseCache, formOf, sampleKey, usable, type CacheEntry } from "./cache.ts"
import type { AttemptFailed } from "./errors.ts"
import { FlowController } from "./flow.ts"
import { sendChatWith, type Attempt, type Endpoint } from "./provider.ts"
import { parseCompletion, wireBody } from "./wire.ts"

/**
 * The language model a run uses: samples for a request, from the durable cache when it has them, else
 * from the endpoints under the run's one flow controller, with retries. Stages see only `sample`.
 */
export interface ModelOptions {
  readonly endpoints: ReadonlyArray<Endpoint>
  readonly model: string
  /** The user's tag for the model's weights (e.g. a checkpoint hash): part of every cache key. */
  readonly revision?: string
  /** Each request's time limit. */
  readonly timeoutMs?: number
  /** Tries per request before the row is rejected (retryable failures only). */
  readonly maxAttempts?: number
  /** First backoff; each retry doubles it (jittered), up to `maxBackoffMs`. */
  readonly backoffMs?: number
  readonly maxBackoffMs?: number
  /** The longest Retry-After a row waits for (default 5 minutes); a server asking more rejects the row. */
  readonly maxRetryAfterMs?: number
  /** What the endpoints can do; `honoursN` is also found out from the first answer that ignores `n`. */
  readonly profile?: Partial<EndpointProfile>
  /** Prices in dollars per million tokens, for a cost figure; none: no cost is reported. */
  readonly prices?: Prices
}

/** Dollars per million prompt (input) and completion (output) tokens. */
export interface Prices {
  readonly inputPerMillion: number
  readonly outputPerMillion: number
}

/** What `prompt` and `completion` tokens cost at `prices`, in dollars. */
export const costUsd = (prices: Prices, prompt: number, completion: number): number =>
  (prompt * prices.inputPerMillion + completion * prices.outputPerMillion) / 1e6

/** One sample: its text (prefill included), how it ended, and whether it came from the cache. */
export interface Sample {
  readonly text: string
  readonly finishReason: FinishReason
  readonly cached: boolean
}

/** A request the model could not answer: the row that asked is rejected with this reason, the stage goes on. */
export class ModelRequestFailed extends Schema.TaggedError<ModelRequestFailed>()("ModelRequestFailed", {
  reason: Schema.Literals(["retries_exhausted", "refused"]),
  status: Schema.optional(Schema.Number),
  message: Schema.String
}) {}

/** Requests, tokens and cache hits of one stage (or of the whole run). */
export interface StageUsage {
  readonly requests: number
  readonly promptTokens: number
  readonly completionTokens: number
  readonly cacheHits: number
  /** Dollars, when prices were given. */
  readonly costUsd?: number
}

export interface ModelUsage {
  readonly requests: number
  readonly retries: number
  readonly promptTokens: number
  readonly completionTokens: number
  readonly cacheHits: number
  /** Completion tokens the cache saved: what its hits cost when they were first asked. */
  readonly completionTokensSaved: number
  readonly truncated: number
  readonly failed: Readonly<Record<string, number>>
  /** Dollars, when prices were given. */
  readonly costUsd?: number
  readonly byStage: Readonly<Record<string, StageUsage>>
}

/** What is going on right now, for a progress line: read without an effect, at each redraw. */
export interface LiveFigures {
  readonly inFlight: number
  readonly requests: number
  readonly retries: number
  readonly promptTokens: number
  readonly completionTokens: number
  readonly cacheHits: number
  readonly costUsd?: number
  readonly failed: Readonly<Record<string, number>>
  /** Milliseconds since the first request was sent (0 before). */
  readonly elapsedMs: number
}

export interface LanguageModelShape {
  readonly model: string
  readonly revision: string
  /** `k` samples of `request`: samples 0..k-1, each cached under its own key; `stage` names who asks, for the figures. */
  readonly sample: (request: Omit<ChatRequest, "model" | "n">, k: number, options?: { readonly stage?: string }) => Effect.Effect<ReadonlyArray<Sample>, ModelRequestFailed>
  readonly usage: Effect.Effect<ModelUsage>
  readonly live: () => LiveFigures
  /** What was found out about each endpoint (for the run summary). */
  readonly profiles: Effect.Effect<ReadonlyArray<{ readonly url: string; readonly profile: EndpointProfile }>>
}

export class LanguageModel extends Context.Service<LanguageModel, LanguageModelShape>()("autodidact/llm/LanguageModel") {
  static readonly layer = (options: ModelOptions): Layer.Layer<LanguageModel, never, FlowController | ResponseCache | HttpClient.HttpClient> =>
    Layer.effect(LanguageModel, makeLanguageModel(options))

  /**
   * For a build with no model: offline pipelines have no stage that asks one, so a call is a bug in
   * the pipeline's wiring, and it says so rather than inventing an answer.
   */
  static readonly none: Layer.Layer<LanguageModel> = Layer.succeed(LanguageModel, {
    model: "none",
    revision: "",
    sample: () => Effect.die(new Error("a stage asked a language model, but this build has none: pass --llm URL and --model NAME")),
    usage: Effect.succeed({ requests: 0, retries: 0, promptTokens: 0, completionTokens: 0, cacheHits: 0, completionTokensSaved: 0, truncated: 0, failed: {}, byStage: {} }),
    live: () => ({ inFlight: 0, requests: 0, retries: 0, promptTokens: 0, completionTokens: 0, cacheHits: 0, failed: {}, elapsedMs: 0 }),
    profiles: Effect.succeed([])
  })
}

/** A 31-bit seed for sample `index` when an endpoint ignores `n`: derived from the sample's own key. */
const derivedSeed = (key: string): number => Number.parseInt(key.slice(0, 8), 16) & 0x7fffffff

/** Tokens a request may use, for the per-minute budget: its prompt (about 4 characters a token) and its answers. */
const estimate = (request: ChatRequest, n: number) =>
  Math.ceil(request.messages.reduce((s, m) => s + m.content.length, (request.prefill ?? "").length) / 4) + n * (request.params?.max_tokens ?? 512)

const isOverload = (e: AttemptFailed) => e.kind === "http" && (e.status === 429 || e.status === 503)

const makeLanguageModel = (options: ModelOptions) =>
  Effect.gen(function* () {
    if (options.endpoints.length === 0) return yield* Effect.die(new Error("a language model needs at least one endpoint"))
    const flow = yield* FlowController
    const cache = yield* ResponseCache
    const client = yield* HttpClient.HttpClient
    /** No tracing span per request: a span with its attributes and a traceparent header was a measurable share of the CPU per request, and no run installs a tracer. */
    const untraced = () => true
    const revision = options.revision ?? ""
    const timeoutMs = options.timeoutMs ?? 300_000
    const maxAttempts = Math.max(1, options.maxAttempts ?? 6)
    const backoffMs = options.backoffMs ?? 500
    const maxBackoffMs = options.maxBackoffMs ?? 30_000
    const maxRetryAfterMs = options.maxRetryAfterMs ?? 300_000
    const endpoints = options.endpoints.map((endpoint) => ({ endpoint, inFlight: 0, profile: { ...DEFAULT_PROFILE, ...options.profile } as { -readonly [K in keyof EndpointProfile]: EndpointProfile[K] } }))
    const usage = { requests: 0, retries: 0, promptTokens: 0, completionTokens: 0, cacheHits: 0, completionTokensSaved: 0, truncated: 0, failed: {} as Record<string, number> }
    const byStage = new Map<string, { requests: number; promptTokens: number; completionTokens: number; cacheHits: number }>()
    const stageFigures = (stage: string) => {
      let f = byStage.get(stage)
      if (f === undefined) byStage.set(stage, (f = { requests: 0, promptTokens: 0, completionTokens: 0, cacheHits: 0 }))
      return f
    }
    const countFailure = (key: string) => {
      usage.failed[key] = (usage.failed[key] ?? 0) + 1
    }
    const cost = (prompt: number, completion: number) =>
      options.prices === undefined ? {} : { costUsd: costUsd(options.prices, prompt, completion) }
    let firstSentAt: number | undefined

    /** The endpoint with the fewest requests in flight (the first of equals). */
    const pick = () => endpoints.reduce((best, e) => (e.inFlight < best.inFlight ? e : best))

    /**
     * One request for `n` samples, retried on retryable failures with the slot released while waiting.
     * The endpoint is chosen, and the request counted, once it has a slot; `store` runs inside the slot,
     * so an answer holds its slot until it is durable: at any moment at most `--concurrency` answers are
     * received and not yet stored, which is all a killed run can pay for twice.
     */
    const request = (full: ChatRequest, n: number, seed: number | undefined, stage: string, store: (response: ChatResponse) => Effect.Effect<void>) =>
      Effect.gen(function* () {
        for (let attempt = 1; ; attempt++) {
          let chosen = endpoints[0]!
          const send = Effect.suspend(() => {
            chosen = pick()
            const target = chosen
            target.inFlight++
            usage.requests++
            stageFigures(stage).requests++
            firstSentAt ??= performance.now()
            return sendChatWith(client, target.endpoint, wireBody(full, target.profile, n, seed), full.prefill, timeoutMs).pipe(
              Effect.tap((a: Attempt) => store(a.response)),
              Effect.map((a: Attempt) => ({ value: a, tokens: a.response.usage.promptTokens + a.response.usage.completionTokens })),
              Effect.ensuring(Effect.sync(() => target.inFlight--))
            )
          })
          const outcome = yield* flow.withSlot(estimate(full, n), send, isOverload).pipe(Effect.provideService(HttpClient.TracerDisabledWhen, untraced), Effect.result)
          if (outcome._tag === "Success") {
            yield* flow.learn(outcome.success.headers)
            return { response: outcome.success.response, profile: chosen.profile }
          }
          const e = outcome.failure
          const key = e.status !== undefined ? `http_${e.status}` : e.kind
          const status = e.status !== undefined ? { status: e.status } : {}
          if (!e.retryable) {
            countFailure(key)
            return yield* Effect.fail(new ModelRequestFailed({ reason: "refused", message: e.message, ...status }))
          }
          if (e.retryAfterMs !== undefined && e.retryAfterMs > maxRetryAfterMs) {
            // A server that asks for a day is down for this run: the row is rejected rather than the run hung.
            countFailure(key)
            return yield* Effect.fail(
              new ModelRequestFailed({
                reason: "retries_exhausted",
                message: `the server asked to wait ${Math.round(e.retryAfterMs / 1000)} s before trying again, more than the ${Math.round(maxRetryAfterMs / 1000)} s a row waits: ${e.message}`,
                ...status
              })
            )
          }
          if (attempt >= maxAttempts) {
            countFailure(key)
            return yield* Effect.fail(new ModelRequestFailed({ reason: "retries_exhausted", message: `${maxAttempts} attempts failed; the last: ${e.message}`, ...status }))
          }
          usage.retries++
          // Equal jitter on an exponential backoff (half fixed, half random), never sooner than the server asked.
          const jitter = yield* Random.next
          const backoff = Math.min(maxBackoffMs, backoffMs * 2 ** (attempt - 1)) * (0.5 + jitter / 2)
          yield* Effect.sleep(`${Math.ceil(Math.max(backoff, e.retryAfterMs ?? 0))} millis`)
        }
      })

    /**
     * The seed sample `index` is asked with, the same whichever way it is asked (in a request for `n` or
     * alone): the request's own seed for sample 0, one derived from the sample's key for the others. So
     * what a server answers does not depend on when this run found out that it ignores `n`.
     */
    const seedOf = (full: ChatRequest, keys: ReadonlyArray<string>, index: number) => (index === 0 ? full.params?.seed : derivedSeed(keys[index]!))

    const sample: LanguageModelShape["sample"] = (partial, k, sampleOptions) =>
      Effect.gen(function* () {
        const stage = sampleOptions?.stage ?? "(none)"
        const full: ChatRequest = { ...partial, model: options.model }
        const maxTokens = full.params?.max_tokens
        const form = formOf(full, endpoints[0]!.profile)
        const keys = Array.from({ length: k }, (_, i) => sampleKey(full, revision, i, form))
        const found = yield* Effect.forEach(keys, (key) => cache.get(key)).pipe(Effect.orDie)
        const out: Array<Sample | undefined> = found.map((entry) => {
          if (entry === undefined || !usable(entry, maxTokens)) return undefined
          const parsed = parseCompletion(entry.raw, full.prefill)
          const choice = typeof parsed === "string" ? undefined : parsed.choices.find((c) => c.index === entry.choice)
          if (choice === undefined) return undefined
          usage.cacheHits++
          stageFigures(stage).cacheHits++
          usage.completionTokensSaved += entry.completionTokens
          return { text: choice.text, finishReason: choice.finishReason, cached: true }
        })
        /**
         * Stores the choices of one answer under the samples they answer: choice `index` j of a request
         * for the samples `slots` answers slots[j]. Returns the samples answered.
         */
        const storeFor = (slots: ReadonlyArray<number>, answered: Set<number>) => (response: ChatResponse) =>
          Effect.gen(function* () {
            const entries: Array<CacheEntry> = []
            for (const choice of response.choices) {
              const slot = slots[choice.index]
              if (slot === undefined || answered.has(slot)) continue
              answered.add(slot)
              entries.push({
                key: keys[slot]!,
                raw: response.raw,
                choice: choice.index,
                finishReason: choice.finishReason,
                maxTokens: maxTokens ?? null,
                // Usage is per response; each sample carries its share so that savings add up. Its own
                // length is known only when it is the response's one choice.
                promptTokens: Math.round(response.usage.promptTokens / response.choices.length),
                completionTokens: Math.round(response.usage.completionTokens / response.choices.length),
                choiceTokens: response.choices.length === 1 ? response.usage.completionTokens : null
              })
              if (choice.finishReason === "length") usage.truncated++
              out[slot] = { text: choice.text, finishReason: choice.finishReason, cached: false }
            }
            // Durable before use: a killed run finds these and does not pay for them again.
            yield* cache.put(entries).pipe(Effect.orDie)
            usage.promptTokens += response.usage.promptTokens
            usage.completionTokens += response.usage.completionTokens
            const f = stageFigures(stage)
            f.promptTokens += response.usage.promptTokens
            f.completionTokens += response.usage.completionTokens
          })
        let missing = out.flatMap((s, i) => (s === undefined ? [i] : []))
        if (missing.length > 1 && pick().profile.honoursN) {
          const answered = new Set<number>()
          const { response, profile } = yield* request(full, missing.length, seedOf(full, keys, missing[0]!), stage, storeFor(missing, answered))
          // One choice for several asked: this endpoint ignores `n` (Ollama); fan out from now on.
          if (response.choices.length === 1) profile.honoursN = false
          missing = missing.filter((i) => !answered.has(i))
        }
        // One sample missing (the usual case): asked on this fiber, not a forked one.
        if (missing.length === 1) yield* request(full, 1, seedOf(full, keys, missing[0]!), stage, storeFor(missing, new Set()))
        else
          yield* Effect.forEach(missing, (index) => request(full, 1, seedOf(full, keys, index), stage, storeFor([index], new Set())), {
            concurrency: "unbounded",
            discard: true
          })
        return out as Array<Sample>
      })

    return LanguageModel.of({
      model: options.model,
      revision,
      sample,
      usage: Effect.sync(() => ({
        ...usage,
        failed: { ...usage.failed },
        ...cost(usage.promptTokens, usage.completionTokens),
        byStage: Object.fromEntries([...byStage].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, f]) => [name, { ...f, ...cost(f.promptTokens, f.completionTokens) }]))
      })),
      live: () => ({
        inFlight: endpoints.reduce((n, e) => n + e.inFlight, 0),
        requests: usage.requests,
        retries: usage.retries,
        promptTokens: usage.promptTokens,
        completionTokens: usage.completionTokens,
        cacheHits: usage.cacheHits,
        failed: usage.failed,
        ...cost(usage.promptTokens, usage.completionTokens),
        elapsedMs: firstSentAt === undefined ? 0 : performance.now() - firstSentAt
      }),
      profiles: Effect.sync(() => endpoints.map((e) => ({ url: e.endpoint.url, profile: { ...e.profile } })))
    })
  })
