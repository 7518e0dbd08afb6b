import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import type { ChatRequest } from "./chat.ts"
import { ResponseCache, sampleKey, usable, type CacheEntry } from "./cache.ts"

const dir = mkdtempSync(join(tmpdir(), "autodidact-cache-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const withCache = <A, E>(path: string, f: (cache: typeof ResponseCache.Service) => Effect.Effect<A, E>) =>
  Effect.runPromise(Effect.flatMap(ResponseCache, f).pipe(Effect.provide(ResponseCache.layer(path))))

const entry = (key: string, over: Partial<CacheEntry> = {}): CacheEntry => ({
  key,
  raw: `{"choices":[{"index":0,"message":{"content":"${key}"},"finish_reason":"stop"}]}`,
  choice: 0,
  finishReason: "stop",
  maxTokens: 256,
  promptTokens: 10,
  completionTokens: 20,
  choiceTokens: 20,
  ...over
})

const request: ChatRequest = { model: "m", messages: [{ role: "user", content: "2+3?" }], params: { temperature: 0.7, max_tokens: 256 } }

describe("sampleKey", () => {
  it("changes with the model, revision, messages, prefill, output-changing parameters and sample index, not with max_tokens", () => {
    const k = sampleKey(request, "r1", 0)
    expect(sampleKey({ ...request, params: { temperature: 0.7, max_tokens: 1024 } }, "r1", 0)).toBe(k)
    expect(sampleKey({ ...request, params: { ...request.params, temperature: 0.2 } }, "r1", 0)).not.toBe(k)
    expect(sampleKey({ ...request, model: "m2" }, "r1", 0)).not.toBe(k)
    expect(sampleKey(request, "r2", 0)).not.toBe(k)
    expect(sampleKey(request, "r1", 1)).not.toBe(k)
    expect(sampleKey({ ...request, prefill: "Step 1: " }, "r1", 0)).not.toBe(k)
    expect(sampleKey({ ...request, messages: [{ role: "user", content: "2+4?" }] }, "r1", 0)).not.toBe(k)
  })
})

describe("usable", () => {
  it.each([
    ["a complete answer, same budget", "stop", 256, 20, 256, true],
    ["a complete answer, larger budget", "stop", 256, 20, 1024, true],
    ["a complete answer that fits a smaller budget", "stop", 256, 20, 64, true],
    ["a complete answer longer than a smaller budget", "stop", 256, 200, 64, false],
    ["one of n choices, its own length unknown, a smaller budget: sent again", "stop", 256, null, 64, false],
    ["one of n choices, its own length unknown, the same budget", "stop", 256, null, 256, true],
    ["an answer cut by length, same budget: never re-sent unchanged", "length", 256, 256, 256, true],
    ["an answer cut by length, larger budget: sent again", "length", 256, 256, 1024, false],
    ["an answer cut by length, no budget now", "length", 256, 256, undefined, false]
  ] as const)("%s", (_, finishReason, maxTokens, choiceTokens, asked, expected) => {
    expect(usable(entry("k", { finishReason, maxTokens, choiceTokens }), asked)).toBe(expected)
  })
})

describe("ResponseCache", () => {
  it("stores entries durably: a reopened cache has them, byte for byte", async () => {
    const path = join(dir, "reopen", "responses.sqlite")
    await withCache(path, (c) => c.put([entry("a"), entry("b", { finishReason: "length", maxTokens: null, choice: 1 })]))
    const got = await withCache(path, (c) => Effect.all([c.get("a"), c.get("b"), c.get("missing"), c.size]))
    expect(got).toEqual([entry("a"), entry("b", { finishReason: "length", maxTokens: null, choice: 1 }), undefined, 2])
  })

  it("commits many concurrent writers in groups, each resolved only once committed", async () => {
    const path = join(dir, "group.sqlite")
    const size = await withCache(path, (c) =>
      Effect.forEach(Array.from({ length: 2000 }, (_, i) => entry(`k${i}`)), (e) => c.put([e]), { concurrency: "unbounded", discard: true }).pipe(
        Effect.andThen(c.size)
      )
    )
    expect(size).toBe(2000)
  })

  it("keeps what a process stored before it was killed with SIGKILL", async () => {
    const path = join(dir, "killed.sqlite")
    const script = `
      import { Effect } from "effect"
      import { ResponseCache } from "#llm/cache.ts"
      const e = (key) => ({ key, raw: "{}", choice: 0, finishReason: "stop", maxTokens: null, promptTokens: 1, completionTokens: 1, choiceTokens: 1 })
      await Effect.runPromise(Effect.scoped(Effect.gen(function* () {
        const c = yield* ResponseCache
        yield* c.put([e("x1"), e("x2")])
        process.stdout.write("stored\\n")
        yield* Effect.never
      })).pipe(Effect.provide(ResponseCache.layer(${JSON.stringify(path)}))))
    `
    const child = spawn(join(process.cwd(), "node_modules/.bin/node"), ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] })
    let err = ""
    child.stderr.on("data", (d) => (err += d))
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        if (d.toString().includes("stored")) child.kill("SIGKILL")
      })
      child.on("exit", (_code, signal) => (signal === "SIGKILL" ? resolve() : reject(new Error(`child ended without storing: ${err}`))))
    })
    expect(await withCache(path, (c) => Effect.all([c.get("x1"), c.get("x2")]).pipe(Effect.map((r) => r.map((e) => e?.key))))).toEqual(["x1", "x2"])
  })
})
