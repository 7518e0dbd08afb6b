import { join } from "node:path"
import { Config, Effect, Layer, Option, Redacted } from "effect"
import { Flag } from "effect/cli"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { FlowController, LanguageModel, ResponseCache, SERVER_PROFILES, checkEndpoint, type Endpoint, type ModelUsage, type ServerKind, costUsd, type Prices } from "#llm"
import type { DryRun, ModelBuildOptions } from "#pipelines/pipeline.ts"
import { UsageError } from "./errors.ts"

const cachePath = (dataDir: string) => join(dataDir, "cache", "responses.sqlite")

/** The flags that point a build at a model server, shared by every command that may call one. */
export const modelFlags = {
  llm: Flag.String("llm").pipe(
    Flag.withDescription("OpenAI-compatible API base URL of a model server, e.g. http://127.0.0.1:8000/v1 (repeat for several; each request goes to the one with the fewest in flight). With --model and no --llm, OPENAI_BASE_URL; with neither, the offline build. The key, for a hosted API, comes from OPENAI_API_KEY only"),
    Flag.atLeast(0)
  ),
  model: Flag.String("model").pipe(Flag.withDescription("model name the server serves (see its /v1/models); required with --llm"), Flag.optional),
  server: Flag.Literals("server", Object.keys(SERVER_PROFILES) as ReadonlyArray<ServerKind>).pipe(
    Flag.withDescription("what kind of server --llm is, for what it can do: n samples in one request (vllm, sglang, openai), how to prefill an answer; one that ignores n is found out anyway (default vllm)"),
    Flag.withDefault("vllm" as const)
  ),
  modelRevision: Flag.String("model-revision").pipe(
    Flag.withDescription("your tag for the model's weights (e.g. a checkpoint hash): part of every response cache key, so a new tag asks again (default none)"),
    Flag.withDefault("")
  ),
  samples: Flag.Int("samples").pipe(Flag.withDescription("solutions sampled per task with --llm; rejection sampling keeps the verified ones (default 4)"), Flag.withDefault(4)),
  temperature: Flag.Finite("temperature").pipe(Flag.withDescription("sampling temperature with --llm (default 0.7)"), Flag.withDefault(0.7)),
  topP: Flag.Finite("top-p").pipe(Flag.withDescription("nucleus sampling top_p with --llm (default 0.95)"), Flag.withDefault(0.95)),
  maxTokens: Flag.Int("max-tokens").pipe(Flag.withDescription("max_tokens per answer with --llm; an answer cut there is rejected as truncated, never re-sent unchanged (default 1024)"), Flag.withDefault(1024)),
  concurrency: Flag.Int("concurrency").pipe(Flag.withDescription("most model requests in flight at once, over the whole run; halved on 429/503 and grown back (default 16)"), Flag.withDefault(16)),
  requestsPerMinute: Flag.Int("requests-per-minute").pipe(Flag.withDescription("pace requests to at most this many a minute (default: as the server's x-ratelimit headers say, else unpaced)"), Flag.optional),
  tokensPerMinute: Flag.Int("tokens-per-minute").pipe(Flag.withDescription("pace tokens (prompt + answer) to at most this many a minute (default: as the server's x-ratelimit headers say, else unpaced)"), Flag.optional),
  priceInput: Flag.Finite("price-input").pipe(Flag.withDescription("dollars per million prompt tokens, for a cost figure in progress, the report and the summary"), Flag.optional),
  priceOutput: Flag.Finite("price-output").pipe(Flag.withDescription("dollars per million completion tokens (with --price-input)"), Flag.optional),
  requestTimeout: Flag.Int("request-timeout").pipe(Flag.withDescription("seconds one request may take before it is retried (default 300)"), Flag.withDefault(300))
}

export interface ModelFlagValues {
  readonly llm: ReadonlyArray<string>
  readonly model: Option.Option<string>
  readonly modelRevision: string
  readonly server: ServerKind
  readonly samples: number
  readonly temperature: number
  readonly topP: number
  readonly maxTokens: number
  readonly concurrency: number
  readonly requestsPerMinute: Option.Option<number>
  readonly tokensPerMinute: Option.Option<number>
  readonly requestTimeout: number
  readonly priceInput: Option.Option<number>
  readonly priceOutput: Option.Option<number>
}

/** What a build needs to call a model: the pipeline's options and the layer that serves them. */
export interface ModelSetup {
  readonly options: ModelBuildOptions | undefined
  readonly layer: Layer.Layer<LanguageModel, unknown>
  /** Checks every endpoint answers, accepts the key and serves the model; before any stage runs. */
  readonly check: Effect.Effect<void, unknown>
  /** The durable response cache alone (a dry run reads it to count what would not be sent). */
  readonly cache: Layer.Layer<ResponseCache, unknown>
  readonly prices: Prices | undefined
}

/**
 * Reads the model flags, with OPENAI_BASE_URL and OPENAI_API_KEY from the environment (the key only from
 * there, so it is never on a command line, in shell history or in a process listing).
 */
export const modelSetup = (flags: ModelFlagValues, dataDir: string): Effect.Effect<ModelSetup, UsageError> =>
  Effect.gen(function* () {
    const fromEnv = yield* Config.option(Config.String("OPENAI_BASE_URL")).pipe(Effect.orElseSucceed(() => Option.none<string>()))
    const cache = ResponseCache.layer(cachePath(dataDir))
    // OPENAI_BASE_URL alone does not turn a build into a model build (other tools set it too): it stands
    // in for --llm only when --model asks for a model.
    const urls = flags.llm.length > 0 ? flags.llm : Option.isSome(flags.model) ? Option.toArray(fromEnv) : []
    if (urls.length === 0) {
      if (Option.isSome(flags.model)) return yield* new UsageError({ message: "--model needs --llm URL (or OPENAI_BASE_URL): the server to ask" })
      return { options: undefined, layer: LanguageModel.none, check: Effect.void, cache, prices: undefined }
    }
    if (Option.isNone(flags.model)) return yield* new UsageError({ message: "--llm needs --model NAME: the model the server serves (see its /v1/models)" })
    for (const url of urls) {
      if (!/^https?:\/\/[^/\s]+/.test(url)) return yield* new UsageError({ message: `--llm takes an http(s) URL such as http://127.0.0.1:8000/v1, got "${url}"` })
      // A key written into the URL would be echoed in messages and the run summary: refuse it, unshown.
      if (/^https?:\/\/[^/\s]*@/.test(url)) {
        return yield* new UsageError({ message: "--llm must not carry a user or key (user:key@host): put the key in OPENAI_API_KEY" })
      }
    }
    const positive = (flag: string, n: number) => (n >= 1 ? Effect.void : Effect.fail(new UsageError({ message: `--${flag} must be at least 1 (got ${n})` })))
    yield* positive("samples", flags.samples)
    yield* positive("max-tokens", flags.maxTokens)
    yield* positive("concurrency", flags.concurrency)
    yield* positive("request-timeout", flags.requestTimeout)
    const key = yield* Config.option(Config.Redacted("OPENAI_API_KEY")).pipe(Effect.orElseSucceed(() => Option.none<Redacted.Redacted<string>>()))
    const endpoints: Array<Endpoint> = urls.map((url) => (Option.isSome(key) && Redacted.value(key.value) !== "" ? { url, apiKey: key.value } : { url }))
    const model = flags.model.value
    const http = NodeHttpClient.layerUndici
    if (Option.isSome(flags.priceInput) !== Option.isSome(flags.priceOutput)) {
      return yield* new UsageError({ message: "--price-input and --price-output go together: dollars per million prompt and completion tokens" })
    }
    const prices = Option.isSome(flags.priceInput) && Option.isSome(flags.priceOutput) ? { inputPerMillion: flags.priceInput.value, outputPerMillion: flags.priceOutput.value } : undefined
    const layer = LanguageModel.layer({
      endpoints,
      model,
      revision: flags.modelRevision,
      timeoutMs: flags.requestTimeout * 1000,
      profile: SERVER_PROFILES[flags.server],
      ...(prices === undefined ? {} : { prices })
    }).pipe(
      Layer.provide(
        Layer.mergeAll(
          FlowController.layer({
            concurrency: flags.concurrency,
            requestsPerMinute: Option.getOrUndefined(flags.requestsPerMinute),
            tokensPerMinute: Option.getOrUndefined(flags.tokensPerMinute)
          }),
          cache,
          http
        )
      )
    )
    return {
      options: {
        model,
        revision: flags.modelRevision,
        samples: flags.samples,
        temperature: flags.temperature,
        topP: flags.topP,
        maxTokens: flags.maxTokens,
        // Rows in work: enough to keep every request slot busy while rows wait on their K samples.
        window: flags.concurrency * 2,
        honoursN: SERVER_PROFILES[flags.server].honoursN
      },
      layer,
      check: Effect.forEach(endpoints, (e) => checkEndpoint(e, model), { discard: true }).pipe(Effect.provide(http)),
      cache,
      prices
    }
  })

const count = (n: number) => Math.round(n).toLocaleString("en-US")
const dollars = (x: number | undefined) => (x === undefined ? "" : `, $${x < 10 ? x.toFixed(4) : x.toFixed(2)}`)
const failures = (failed: Readonly<Record<string, number>>) => {
  const e = Object.entries(failed)
  return e.length === 0 ? "" : `; failed: ${e.map(([k, n]) => `${k} ${n}`).join(", ")}`
}

/** The progress line of a model: in flight, requests and rate, tokens, cost, retries, cache hits, failures. */
export const liveLine = (model: typeof LanguageModel.Service): ReadonlyArray<string> => {
  if (model.model === "none") return []
  const f = model.live()
  if (f.requests === 0 && f.cacheHits === 0) return []
  const rate = f.elapsedMs > 0 ? (f.requests * 1000) / f.elapsedMs : 0
  return [
    `model ${model.model}: ${f.inFlight} in flight, ${count(f.requests)} requests (${rate.toFixed(1)}/s), ` +
      `${count(f.promptTokens)} + ${count(f.completionTokens)} tokens${dollars(f.costUsd)}, ${count(f.retries)} retries, ${count(f.cacheHits)} from cache${failures(f.failed)}`
  ]
}

/** One line on what the model cost over the run: requests, retries, tokens, dollars, what the cache saved. */
export const usageLine = (name: string, u: ModelUsage): string =>
  `model ${name}: ${count(u.requests)} requests (${count(u.retries)} retries), ${count(u.promptTokens)} prompt + ${count(u.completionTokens)} completion tokens${dollars(u.costUsd)}; ` +
  `${count(u.cacheHits)} answers from the cache (${count(u.completionTokensSaved)} completion tokens saved)` +
  (u.truncated > 0 ? `; ${count(u.truncated)} cut at --max-tokens` : "") +
  failures(u.failed)

/** What a dry run found, in words: per model stage, what would be sent, its tokens and cost, and the first request. */
export const dryRunReport = (estimates: ReadonlyArray<DryRun>, prices: ModelSetup["prices"]): string => {
  const price = (prompt: number, completion: number) => (prices === undefined ? undefined : costUsd(prices, prompt, completion))
  const lines = ["dry run: nothing was sent to the model and nothing was published"]
  for (const e of estimates) {
    const expected = price(e.promptTokens, e.completionTokens.expected)
    const most = price(e.promptTokens, e.completionTokens.most)
    lines.push(
      `${e.stage}: ${count(e.tasks)} tasks; ${count(e.samples)} samples to ask (${count(e.cached)} already in the response cache) in about ${count(e.requests)} requests`,
      `  tokens: about ${count(e.promptTokens)} prompt + ${count(e.completionTokens.expected)} completion expected (at most ${count(e.completionTokens.most)} at --max-tokens)` +
        (expected === undefined ? "; pass --price-input and --price-output for a cost" : `; cost about $${expected.toFixed(2)} (at most $${most!.toFixed(2)})`)
    )
    if (e.example !== undefined) lines.push(`  first request: ${JSON.stringify(e.example)}`)
  }
  return lines.join("\n")
}

/** The model's figures for the run summary and the end report. */
export const modelReport = Effect.gen(function* () {
  const model = yield* LanguageModel
  if (model.model === "none") return {}
  return { model: { name: model.model, revision: model.revision, endpoints: yield* model.profiles, usage: yield* model.usage } }
})
