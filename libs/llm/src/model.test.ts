import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Layer, Redacted } from "effect"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import { ResponseCache } from "./cache.ts"
import { FlowController } from "./flow.ts"
import { SERVER_PROFILES } from "./chat.ts"
import { LanguageModel, type ModelOptions } from "./model.ts"
import { startScriptedServer, type ScriptedServer, type ScriptedServerOptions } from "./scripted-server.ts"

const dir = mkdtempSync(join(tmpdir(), "autodidact-model-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const servers: Array<ScriptedServer> = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
const serve = async (options: ScriptedServerOptions) => {
  const s = await startScriptedServer(options)
  servers.push(s)
  return s
}
let caches = 0
const cachePath = () => join(dir, `cache-${caches++}`, "responses.sqlite")

/** Runs `f` with a LanguageModel over real HTTP, one flow controller and the cache at `path`. */
const withModel = <A, E>(
  path: string,
  options: Partial<ModelOptions> & Pick<ModelOptions, "endpoints">,
  concurrency: number,
  f: (model: typeof LanguageModel.Service) => Effect.Effect<A, E>
) =>
  Effect.runPromise(
    Effect.flatMap(LanguageModel, f).pipe(
      Effect.provide(
        LanguageModel.layer({ model: "scripted", backoffMs: 5, maxBackoffMs: 50, timeoutMs: 2_000, ...options }).pipe(
          Layer.provide(Layer.mergeAll(FlowController.layer({ concurrency }), ResponseCache.layer(path), NodeHttpClient.layerUndici))
        )
      )
    )
  )

const question = (i: number) => ({ messages: [{ role: "user" as const, content: `Question ${i}: what is ${i} + ${i}?` }], params: { temperature: 0.7, max_tokens: 64 } })
const answer = (r: { messages: ReadonlyArray<{ content: string }> }, i: number) => `sample ${i} of ${r.messages.at(-1)!.content}`

describe("LanguageModel over HTTP", () => {
  it("under 20% mixed faults gives every row its samples or a rejection with the reason, within the concurrency bound and Retry-After", async () => {
    const server = await serve({
      answer,
      latencyMs: { min: 1, max: 8 },
      faults: { "429": 0.05, "503": 0.04, "500": 0.04, drop: 0.03, malformed: 0.02, stall: 0.02 },
      retryAfterMs: 40,
      seed: 3
    })
    const rows = Array.from({ length: 150 }, (_, i) => i)
    const results = await withModel(cachePath(), { endpoints: [{ url: server.url }], timeoutMs: 300, maxAttempts: 8 }, 6, (model) =>
      Effect.all([
        Effect.forEach(rows, (i) => model.sample(question(i), 2).pipe(Effect.result), { concurrency: 40 }),
        model.usage
      ])
    )
    const [outcomes, usage] = results
    const answered = outcomes.filter((o) => o._tag === "Success")
    const rejected = outcomes.filter((o) => o._tag === "Failure")
    expect(answered.length + rejected.length).toBe(150)
    for (const [i, o] of outcomes.entries()) {
      if (o._tag === "Success") expect(o.success.map((s) => s.text)).toEqual([0, 1].map((k) => `sample ${k} of Question ${i}: what is ${i} + ${i}?`))
      else expect(o.failure.message).toMatch(/attempts failed; the last: http:\/\/127\.0\.0\.1:\d+\/v1: /)
    }
    // Faults were met and retried.
    expect(usage.retries).toBeGreaterThan(10)
    expect(server.log.some((l) => l.fault === "stall")).toBe(true)
    // Never more in flight than the bound, however many rows wait.
    expect(server.maxInFlight()).toBeLessThanOrEqual(6)
    // No request re-sent before the Retry-After its 429 or 503 asked for.
    const byBody = new Map<string, Array<(typeof server.log)[number]>>()
    for (const l of server.log) byBody.set(l.bodyHash, [...(byBody.get(l.bodyHash) ?? []), l])
    let checked = 0
    for (const attempts of byBody.values()) {
      for (let a = 1; a < attempts.length; a++) {
        const before = attempts[a - 1]!
        if (before.retryAfterMs === undefined) continue
        checked++
        expect(attempts[a]!.receivedAt - before.respondedAt).toBeGreaterThanOrEqual(before.retryAfterMs)
      }
    }
    expect(checked).toBeGreaterThan(0)
  })

  it("sends nothing when the same requests are asked again: the durable cache answers", async () => {
    const server = await serve({ answer })
    const path = cachePath()
    const first = await withModel(path, { endpoints: [{ url: server.url }] }, 4, (m) => Effect.forEach([1, 2, 3], (i) => m.sample(question(i), 3)))
    const sent = server.log.length
    expect(sent).toBe(3)
    const again = await withModel(path, { endpoints: [{ url: server.url }] }, 4, (m) =>
      Effect.all([Effect.forEach([1, 2, 3], (i) => m.sample(question(i), 3)), m.usage])
    )
    expect(server.log.length).toBe(sent)
    expect(again[0].map((s) => s.map((x) => x.text))).toEqual(first.map((s) => s.map((x) => x.text)))
    expect(again[1]).toMatchObject({ requests: 0, cacheHits: 9 })
    // Asking for more samples sends only the new ones, with a seed of their own.
    await withModel(path, { endpoints: [{ url: server.url }] }, 4, (m) => m.sample(question(1), 5))
    expect(server.log.length).toBe(sent + 1)
    expect(server.log.at(-1)!.body).toMatchObject({ n: 2 })
    expect(server.log.at(-1)!.body!.seed).toEqual(expect.any(Number))
  })

  it("keeps an answer cut by length as it is, never re-sends it unchanged, and re-sends only it when max_tokens grows", async () => {
    const server = await serve({ answer: (r) => (r.messages[0]!.content.includes("long") ? "w ".repeat(100).trim() : "short answer") })
    const path = cachePath()
    const ask = (content: string, max_tokens: number) => ({ messages: [{ role: "user" as const, content }], params: { max_tokens } })
    const first = await withModel(path, { endpoints: [{ url: server.url }] }, 2, (m) => Effect.all([m.sample(ask("a long one", 50), 1), m.sample(ask("a short one", 50), 1)]))
    expect(first.map((s) => s[0]!.finishReason)).toEqual(["length", "stop"])
    expect(server.log.length).toBe(2)
    await withModel(path, { endpoints: [{ url: server.url }] }, 2, (m) => Effect.all([m.sample(ask("a long one", 50), 1), m.sample(ask("a short one", 50), 1)]))
    expect(server.log.length).toBe(2)
    const more = await withModel(path, { endpoints: [{ url: server.url }] }, 2, (m) => Effect.all([m.sample(ask("a long one", 200), 1), m.sample(ask("a short one", 200), 1)]))
    expect(server.log.length).toBe(3)
    expect(server.log.at(-1)!.body).toMatchObject({ max_tokens: 200 })
    expect(more.map((s) => s[0]!.finishReason)).toEqual(["stop", "stop"])
  })

  it("fans out single requests with derived seeds to an endpoint that ignores n, and records that it does", async () => {
    const server = await serve({ answer: (r, i) => `seed ${String(r.seed)} sample ${i}`, honoursN: false })
    const [samples, profiles] = await withModel(cachePath(), { endpoints: [{ url: server.url }] }, 4, (m) => Effect.all([m.sample(question(7), 4), m.profiles]))
    expect(samples).toHaveLength(4)
    expect(new Set(samples.map((s) => s.text)).size).toBe(4)
    // One request with n=4 answered once, then three single requests.
    expect(server.log.map((l) => l.body!.n ?? 1)).toEqual([4, 1, 1, 1])
    expect(profiles[0]!.profile.honoursN).toBe(false)
  })

  it("sends single requests with derived seeds from the start when the profile says the server ignores n (--server ollama)", async () => {
    const server = await serve({ answer: (r, i) => `seed ${String(r.seed)} sample ${i}` })
    const samples = await withModel(cachePath(), { endpoints: [{ url: server.url }], profile: SERVER_PROFILES.ollama }, 4, (m) => m.sample(question(3), 3))
    expect(server.log.map((l) => l.body!.n)).toEqual([undefined, undefined, undefined])
    expect(new Set(server.log.map((l) => l.body!.seed)).size).toBe(3)
    // Each sample is the one choice of its own request.
    expect(new Set(samples.map((s) => s.text))).toEqual(new Set(server.log.map((l) => `seed ${String(l.body!.seed)} sample 0`)))
  })

  it("gives the same samples whatever the concurrency when the server ignores n, however early the run finds out", async () => {
    const texts = async (concurrency: number) => {
      const server = await serve({ answer: (r, i) => `seed ${String(r.seed)} sample ${i}`, honoursN: false })
      return withModel(cachePath(), { endpoints: [{ url: server.url }] }, concurrency, (m) =>
        Effect.forEach(Array.from({ length: 12 }, (_, i) => i), (i) => m.sample(question(i), 3).pipe(Effect.map((ss) => ss.map((x) => x.text))), { concurrency: "unbounded" })
      )
    }
    expect(await texts(16)).toEqual(await texts(1))
  })

  it("serves a cached one-of-n answer to a smaller max_tokens only when it is sure to fit, and re-asks otherwise", async () => {
    const server = await serve({ answer: (_, i) => (i === 0 ? "word ".repeat(150).trim() : "short") })
    const path = cachePath()
    const ask = (max_tokens: number) => ({ messages: [{ role: "user" as const, content: "tell me" }], params: { max_tokens } })
    await withModel(path, { endpoints: [{ url: server.url }] }, 2, (m) => m.sample(ask(1000), 3))
    expect(server.log).toHaveLength(1)
    // The same budget or a larger one: all from the cache.
    await withModel(path, { endpoints: [{ url: server.url }] }, 2, (m) => m.sample(ask(2000), 3))
    expect(server.log).toHaveLength(1)
    // A smaller one: the samples' own lengths are unknown (one answer for three), so they are asked again.
    const small = await withModel(path, { endpoints: [{ url: server.url }] }, 2, (m) => m.sample(ask(100), 3))
    expect(server.log).toHaveLength(2)
    expect(small[0]!.finishReason).toBe("length")
  })

  it("keeps an answer with no text that ended by length (a model that spent its budget thinking), without re-sending it", async () => {
    const { createServer } = await import("node:http")
    let hits = 0
    const raw = createServer((req, res) => {
      req.resume()
      req.on("end", () => {
        hits++
        res.writeHead(200, { "content-type": "application/json" })
        res.end(JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content: null }, finish_reason: "length" }], usage: { prompt_tokens: 5, completion_tokens: 64 } }))
      })
    })
    await new Promise<void>((r) => raw.listen(0, "127.0.0.1", () => r()))
    const url = `http://127.0.0.1:${(raw.address() as import("node:net").AddressInfo).port}/v1`
    try {
      const [samples] = await withModel(cachePath(), { endpoints: [{ url }] }, 2, (m) => Effect.all([m.sample(question(1), 1)]))
      expect(samples).toEqual([{ text: "", finishReason: "length", cached: false }])
      expect(hits).toBe(1)
    } finally {
      await new Promise((r) => raw.close(r))
    }
  })

  it("stores choices under the samples they answer by index, and marks an endpoint as ignoring n only for a single choice", async () => {
    const { createServer } = await import("node:http")
    const raw = createServer((req, res) => {
      req.resume()
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json" })
        // Asked for 4: two choices, out of order.
        res.end(JSON.stringify({ choices: [3, 1].map((i) => ({ index: i, message: { content: `choice ${i}` }, finish_reason: "stop" })), usage: { prompt_tokens: 5, completion_tokens: 4 } }))
      })
    })
    await new Promise<void>((r) => raw.listen(0, "127.0.0.1", () => r()))
    const url = `http://127.0.0.1:${(raw.address() as import("node:net").AddressInfo).port}/v1`
    try {
      const [samples, profiles] = await withModel(cachePath(), { endpoints: [{ url }] }, 2, (m) => Effect.all([m.sample(question(1), 4), m.profiles]))
      expect(samples[1]!.text).toBe("choice 1")
      expect(samples[3]!.text).toBe("choice 3")
      expect(profiles[0]!.profile.honoursN).toBe(true)
    } finally {
      await new Promise((r) => raw.close(r))
    }
  })

  it("rejects a row rather than wait past the longest Retry-After it accepts", async () => {
    const server = await serve({ faults: { "429": 1 }, retryAfterSeconds: 86_400 })
    const failure = await withModel(cachePath(), { endpoints: [{ url: server.url }], maxRetryAfterMs: 1_000 }, 2, (m) => Effect.flip(m.sample(question(1), 1)))
    expect(failure).toMatchObject({ reason: "retries_exhausted", status: 429 })
    expect(failure.message).toMatch(/^the server asked to wait 86400 s before trying again, more than the 1 s a row waits: /)
    expect(server.log).toHaveLength(1)
  })

  it("rejects a request the server refuses (4xx) after one attempt, with the server's reason", async () => {
    const server = await serve({ models: ["another"] })
    const failure = await withModel(cachePath(), { endpoints: [{ url: server.url }] }, 2, (m) => Effect.flip(m.sample(question(1), 1)))
    expect(failure).toMatchObject({ _tag: "ModelRequestFailed", reason: "refused", status: 404 })
    expect(failure.message).toContain("The model `scripted` does not exist.")
    expect(server.log.length).toBe(1)
  })

  it("sends each request to the endpoint with the fewest in flight", async () => {
    const a = await serve({ answer, latencyMs: 20 })
    const b = await serve({ answer, latencyMs: 20 })
    await withModel(cachePath(), { endpoints: [{ url: a.url }, { url: b.url }] }, 8, (m) => Effect.forEach(Array.from({ length: 40 }, (_, i) => i), (i) => m.sample(question(i), 1), { concurrency: 8 }))
    expect(a.log.length + b.log.length).toBe(40)
    expect(Math.abs(a.log.length - b.log.length)).toBeLessThanOrEqual(8)
    expect(a.maxInFlight() + b.maxInFlight()).toBeLessThanOrEqual(8)
  })

  it("writes the API key to no file of the cache", async () => {
    const server = await serve({ answer, apiKey: "sk-live-TOPSECRET" })
    const path = cachePath()
    await withModel(path, { endpoints: [{ url: server.url, apiKey: Redacted.make("sk-live-TOPSECRET") }] }, 2, (m) => m.sample(question(1), 2))
    expect(server.log[0]!.authorization).toBe("Bearer sk-live-TOPSECRET")
    const folder = join(path, "..")
    for (const f of readdirSync(folder)) expect(readFileSync(join(folder, f)).includes("TOPSECRET"), f).toBe(false)
  })
})
