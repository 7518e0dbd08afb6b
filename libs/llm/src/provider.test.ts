import { Effect, Exit, Redacted } from "effect"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { afterEach, describe, expect, it } from "vitest"
import { DEFAULT_PROFILE, type ChatRequest } from "./chat.ts"
import { checkEndpoint, sendChat, type Endpoint } from "./provider.ts"
import { startScriptedServer, type ScriptedServer, type ScriptedServerOptions } from "./scripted-server.ts"
import { wireBody } from "./wire.ts"

const servers: Array<ScriptedServer> = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
const serve = async (options: ScriptedServerOptions = {}) => {
  const s = await startScriptedServer(options)
  servers.push(s)
  return s
}
const run = <A, E>(effect: Effect.Effect<A, E, import("effect/http").HttpClient.HttpClient>) =>
  Effect.runPromiseExit(effect.pipe(Effect.provide(NodeHttpClient.layerUndici)))
const failure = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error(`expected a failure, got ${JSON.stringify(exit.value)}`)
  const e = exit.cause.reasons.find((r) => r._tag === "Fail")
  if (!e || e._tag !== "Fail") throw new Error(`expected a typed failure, got ${String(exit.cause)}`)
  return e.error
}

const success = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isFailure(exit)) throw new Error(`expected a success, got ${String(exit.cause)}`)
  return exit.value
}

const ask: ChatRequest = { model: "scripted", messages: [{ role: "user", content: "What is 2 + 3?" }], params: { temperature: 0.2, max_tokens: 64 } }
const send = (endpoint: Endpoint, request: ChatRequest = ask, n = 1, timeoutMs = 5_000) =>
  sendChat(endpoint, wireBody(request, DEFAULT_PROFILE, n), request.prefill, timeoutMs)

describe("sendChat against an OpenAI-compatible server over HTTP", () => {
  it("returns each choice's text, its finish reason and the usage, and sends the parameters as given", async () => {
    const server = await serve({ answer: (r, i) => `sample ${i}: ${r.messages.at(-1)!.content} = 5` })
    const { response } = success(await run(send({ url: server.url }, ask, 3)))
    expect(response.choices).toEqual([
      { index: 0, text: "sample 0: What is 2 + 3? = 5", finishReason: "stop" },
      { index: 1, text: "sample 1: What is 2 + 3? = 5", finishReason: "stop" },
      { index: 2, text: "sample 2: What is 2 + 3? = 5", finishReason: "stop" }
    ])
    expect(response.usage.promptTokens).toBe(6)
    expect(response.usage.completionTokens).toBeGreaterThan(0)
    expect(server.log[0]!.body).toEqual({ model: "scripted", messages: [{ role: "user", content: "What is 2 + 3?" }], temperature: 0.2, max_tokens: 64, n: 3 })
  })

  it("prefills the answer with vLLM's continuation flags and returns the text with the prefill in front", async () => {
    const server = await serve({ answer: () => "2 + 3 = 5." })
    const { response } = success(await run(send({ url: server.url }, { ...ask, prefill: "Step 1: " })))
    expect(response.choices[0]!.text).toBe("Step 1: 2 + 3 = 5.")
    const body = server.log[0]!.body!
    expect(body.messages.at(-1)).toEqual({ role: "assistant", content: "Step 1: " })
    expect(body["continue_final_message"]).toBe(true)
    expect(body["add_generation_prompt"]).toBe(false)
  })

  it("reports an answer cut by max_tokens as finish reason length", async () => {
    const server = await serve({ faults: { length: 1 }, answer: () => "one two three four five six seven eight" })
    const { response } = success(await run(send({ url: server.url })))
    expect(response.choices[0]).toEqual({ index: 0, text: "one two three four", finishReason: "length" })
  })

  it("says a 429 can be retried, and after how long the server asked", async () => {
    const server = await serve({ faults: { "429": 1 }, retryAfterSeconds: 2 })
    const e = failure(await run(send({ url: server.url })))
    expect(e).toMatchObject({ _tag: "AttemptFailed", kind: "http", status: 429, retryable: true, retryAfterMs: 2000 })
    expect(e.message).toContain("HTTP 429: Rate limit reached")
  })

  it("a scripted 503 holds no capacity slot: a server at capacity 1 keeps answering after many", async () => {
    const server = await serve({ capacity: 1, faults: { "503": 0.5 }, seed: 4 })
    const statuses: Array<number | undefined> = []
    for (let i = 0; i < 12; i++) {
      const exit = await run(send({ url: server.url }, { ...ask, messages: [{ role: "user", content: `q${i}` }] }, 1, 1_000))
      statuses.push(Exit.isSuccess(exit) ? 200 : failure(exit).status)
    }
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(2)
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true)
  })

  it("prefers retry-after-ms to Retry-After", async () => {
    const server = await serve({ faults: { "503": 1 }, retryAfterSeconds: 2, retryAfterMs: 350 })
    expect(failure(await run(send({ url: server.url })))).toMatchObject({ status: 503, retryable: true, retryAfterMs: 350 })
  })

  it("says a 4xx other than 408/409/429 is not worth re-sending, with the server's reason", async () => {
    const server = await serve({ models: ["other"] })
    const e = failure(await run(send({ url: server.url })))
    expect(e).toMatchObject({ kind: "http", status: 404, retryable: false })
    expect(e.message).toContain("The model `scripted` does not exist.")
  })

  it("treats a body that is not a completion as malformed and retryable", async () => {
    const server = await serve({ faults: { malformed: 1 } })
    const e = failure(await run(send({ url: server.url })))
    expect(e).toMatchObject({ kind: "malformed", retryable: true })
    expect(e.message).toMatch(/the body is not JSON/)
  })

  it("ends a stalled answer at the timeout, and a dropped connection as a transport failure", async () => {
    const stalled = await serve({ faults: { stall: 1 } })
    const timeout = failure(await run(send({ url: stalled.url }, ask, 1, 300)))
    expect(timeout).toMatchObject({ kind: "timeout", retryable: true })
    expect(timeout.message).toContain("no answer within 300 ms")
    const dropped = await serve({ faults: { drop: 1 } })
    expect(failure(await run(send({ url: dropped.url })))).toMatchObject({ kind: "transport", retryable: true })
  })

  it("sends the key as a bearer token and never shows it in an error", async () => {
    const server = await serve({ apiKey: "sk-secret-123", faults: { "500": 1 } })
    const e = failure(await run(send({ url: server.url, apiKey: Redacted.make("sk-secret-123") })))
    expect(server.log[0]!.authorization).toBe("Bearer sk-secret-123")
    expect(e.status).toBe(500)
    expect(JSON.stringify(e)).not.toContain("sk-secret-123")
    expect(String(e)).not.toContain("sk-secret-123")
  })
})

describe("checkEndpoint before a run", () => {
  it("passes a server that serves the model, listing its models", async () => {
    const server = await serve({ models: ["a", "scripted"] })
    const exit = await run(checkEndpoint({ url: server.url }, "scripted"))
    expect(exit).toEqual(Exit.succeed(["a", "scripted"]))
  })

  it("names the endpoint and says what to fix: wrong key, unknown model, wrong path, nothing listening", async () => {
    const server = await serve({ apiKey: "right", models: ["m1", "m2"] })
    const wrongKey = failure(await run(checkEndpoint({ url: server.url, apiKey: Redacted.make("wrong-key") }, "m1")))
    expect(wrongKey.message).toBe(`${server.url}: the server refused the API key (HTTP 401); set OPENAI_API_KEY to a key it accepts`)
    const unknown = failure(await run(checkEndpoint({ url: server.url, apiKey: Redacted.make("right") }, "m3")))
    expect(unknown.message).toBe(`${server.url}: it does not serve model "m3"; it serves: m1, m2. Pass one of those to --model`)
    const base = server.url.replace(/\/v1$/, "")
    const wrongPath = failure(await run(checkEndpoint({ url: base, apiKey: Redacted.make("right") }, "m1")))
    expect(wrongPath.message).toContain("should be the API base, ending in /v1")
    await server.close()
    const down = failure(await run(checkEndpoint({ url: server.url }, "m1")))
    expect(down.message).toContain(`${server.url}: cannot reach the server`)
  })
})
