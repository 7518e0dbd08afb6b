import { Effect, Redacted } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import type { ChatResponse } from "./chat.ts"
import { AttemptFailed, EndpointUnusable } from "./errors.ts"
import { parseCompletion, retryAfterMs } from "./wire.ts"

/** An OpenAI-compatible server: its base URL (ending in /v1) and, for hosted APIs, its key. */
export interface Endpoint {
  readonly url: string
  /** Redacted: printing the endpoint, or an error about it, never shows the key. */
  readonly apiKey?: Redacted.Redacted<string>
}

/** What one attempt brought back: the parsed answer and the headers that steer the flow controller. */
export interface Attempt {
  readonly response: ChatResponse
  readonly headers: Readonly<Record<string, string | undefined>>
}

const base = (url: string) => url.replace(/\/+$/, "")

/** HTTP statuses worth sending again unchanged: rate limits, overload, timeouts, server faults. */
const retryableStatus = (status: number): boolean => status === 408 || status === 409 || status === 429 || status >= 500

const errorText = (body: string): string => {
  try {
    const json = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown }
    const m = typeof json.error === "string" ? json.error : (json.error?.message ?? json.message)
    if (typeof m === "string") return m.slice(0, 300)
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.slice(0, 300)
}

const request = (endpoint: Endpoint, method: "GET" | "POST", path: string) => {
  const r = method === "GET" ? HttpClientRequest.get(`${base(endpoint.url)}${path}`) : HttpClientRequest.post(`${base(endpoint.url)}${path}`)
  const accepted = HttpClientRequest.acceptJson(r)
  return endpoint.apiKey === undefined ? accepted : HttpClientRequest.bearerToken(accepted, endpoint.apiKey)
}

/**
 * `self`, or the failure `onTimeout()` once `ms` have passed (`self` is then interrupted). One child fiber
 * and one timer: `Effect.timeoutOrElse` races two fibers (one of them a sleep) for every request, which
 * shows in the model stage's CPU profile.
 */
const within = <A, E, R, E2>(self: Effect.Effect<A, E, R>, ms: number, onTimeout: () => E2): Effect.Effect<A, E | E2, R> =>
  Effect.flatMap(Effect.forkChild(self, { startImmediately: true }), (fiber) =>
    Effect.callback<A, E | E2>((resume) => {
      const timer = setTimeout(() => {
        remove()
        fiber.interruptUnsafe()
        resume(Effect.fail(onTimeout()))
      }, ms)
      const remove = fiber.addObserver((exit) => {
        clearTimeout(timer)
        resume(exit)
      })
      return Effect.sync(() => {
        clearTimeout(timer)
        remove()
        fiber.interruptUnsafe()
      })
    })
  )

/**
 * One POST to `/chat/completions`, bounded by `timeoutMs`. Every failure is an `AttemptFailed` that says
 * whether re-sending can help; nothing here retries or waits: that is the flow controller's job.
 */
export const sendChat = (endpoint: Endpoint, body: Record<string, unknown>, prefill: string | undefined, timeoutMs: number) =>
  Effect.flatMap(HttpClient.HttpClient, (client) => sendChatWith(client, endpoint, body, prefill, timeoutMs))

/** `sendChat` with the client given: the model layer takes its client once, not from the context per request. */
export const sendChatWith = (
  client: HttpClient.HttpClient,
  endpoint: Endpoint,
  body: Record<string, unknown>,
  prefill: string | undefined,
  timeoutMs: number
): Effect.Effect<Attempt, AttemptFailed> => {
  const fail = (kind: AttemptFailed["kind"], message: string, extra: { status?: number; retryable?: boolean; retryAfterMs?: number | undefined } = {}) =>
    new AttemptFailed({
      endpoint: endpoint.url,
      kind,
      retryable: extra.retryable ?? true,
      message: `${endpoint.url}: ${message}`,
      ...(extra.status !== undefined ? { status: extra.status } : {}),
      ...(extra.retryAfterMs !== undefined ? { retryAfterMs: extra.retryAfterMs } : {})
    })
  const exchange = client.execute(HttpClientRequest.bodyJsonUnsafe(request(endpoint, "POST", "/chat/completions"), body)).pipe(
    Effect.mapError((e) => fail("transport", `request failed: ${e.message}`)),
    Effect.flatMap((response) =>
      response.text.pipe(
        Effect.mapError((e) => fail("transport", `reading the answer failed: ${e.message}`)),
        Effect.map((text) => ({ status: response.status, headers: response.headers as Readonly<Record<string, string | undefined>>, text }))
      )
    )
  )
  return Effect.flatMap(
    within(exchange, timeoutMs, () => fail("timeout", `no answer within ${timeoutMs} ms`)),
    (answer): Effect.Effect<Attempt, AttemptFailed> => {
      if (answer.status < 200 || answer.status >= 300) {
        return Effect.fail(
          fail("http", `HTTP ${answer.status}: ${errorText(answer.text)}`, {
            status: answer.status,
            retryable: retryableStatus(answer.status),
            retryAfterMs: retryAfterMs(answer.headers, Date.now())
          })
        )
      }
      const parsed = parseCompletion(answer.text, prefill)
      if (typeof parsed === "string") return Effect.fail(fail("malformed", `malformed answer: ${parsed}`))
      return Effect.succeed({ response: parsed, headers: answer.headers })
    }
  )
}

/**
 * Checks an endpoint before any stage runs: it answers `/models`, accepts the key, and serves `model`.
 * Each failure says what to fix, naming the endpoint by URL (never the key).
 */
export const checkEndpoint = (endpoint: Endpoint, model: string, timeoutMs = 10_000) =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const unusable = (message: string) => new EndpointUnusable({ endpoint: endpoint.url, message: `${endpoint.url}: ${message}` })
    const answer = yield* client.execute(request(endpoint, "GET", "/models")).pipe(
      Effect.flatMap((r) => Effect.map(r.text, (text) => ({ status: r.status, text }))),
      Effect.mapError((e) => unusable(`cannot reach the server (${e.message}); check the URL (it should end in /v1) and that the server is running`)),
      Effect.timeoutOrElse({ duration: `${timeoutMs} millis`, orElse: () => Effect.fail(unusable(`no answer to GET /models within ${timeoutMs} ms`)) })
    )
    if (answer.status === 401 || answer.status === 403) {
      return yield* Effect.fail(unusable(`the server refused the API key (HTTP ${answer.status}); set OPENAI_API_KEY to a key it accepts`))
    }
    if (answer.status === 404) return yield* Effect.fail(unusable("GET /models is not found: the URL should be the API base, ending in /v1"))
    if (answer.status !== 200) return yield* Effect.fail(unusable(`GET /models answered HTTP ${answer.status}: ${errorText(answer.text)}`))
    let ids: Array<string> = []
    try {
      ids = ((JSON.parse(answer.text) as { data?: Array<{ id?: unknown }> }).data ?? []).flatMap((m) => (typeof m.id === "string" ? [m.id] : []))
    } catch {
      return yield* Effect.fail(unusable("GET /models did not answer JSON: is this an OpenAI-compatible server?"))
    }
    if (!ids.includes(model)) {
      return yield* Effect.fail(unusable(`it does not serve model "${model}"; it serves: ${ids.slice(0, 20).join(", ") || "(none listed)"}. Pass one of those to --model`))
    }
    return ids
  })
