import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { startScriptedServer, type ScriptedRequest, type ScriptedServer } from "#llm/scripted-server.ts"
import { autodidact } from "./helpers.ts"

const KEY = "sk-test-DO-NOT-LEAK-4242"
const temps: Array<string> = []
const servers: Array<ScriptedServer> = []
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()))
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })))
})

/** The CLI as a child process with the given environment; the scripted server runs in this process. */
const cli = (args: ReadonlyArray<string>, env: Record<string, string> = {}) => autodidact(args, { env })

/** Every file under `dir`, recursively. */
const filesUnder = async (dir: string): Promise<Array<string>> => {
  const out: Array<string> = []
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...(await filesUnder(p)))
    else out.push(p)
  }
  return out
}

const problemOf = (r: ScriptedRequest) => r.messages.at(-1)!.content.replace(/^[\s\S]*\nProblem: /, "")

describe("autodidact build math --llm (rejection sampling over real HTTP)", () => {
  it("keeps the verified samples as SFT rows, rejects the others with their reason, and re-runs without a request", async () => {
    const out = await mkdtemp(join(tmpdir(), "autodidact-llm-build-"))
    temps.push(out)
    // An offline build first: its sft rows give each task's reference solution, which the scripted model
    // then answers with, right and wrong.
    const offline = await cli(["build", "math", "--size", "30", "--out", out, "--json"])
    expect(offline.code, offline.stderr).toBe(0)
    const q = await cli(["query", "math", "SELECT messages[1].content AS question, annotated_solution AS solution FROM sft", "--data-dir", out, "--format", "json"])
    expect(q.code, q.stderr).toBe(0)
    const references = new Map((JSON.parse(q.stdout) as Array<{ question: string; solution: string }>).map((r) => [r.question, r.solution]))
    expect(references.size).toBe(30)

    // Sample 0: the reference (right); 1: its final answer moved by one (wrong); 2: the reference again
    // (a duplicate); 3: the reference cut short (finish_reason length).
    const server = await startScriptedServer({
      models: ["tutor-1"],
      apiKey: KEY,
      latencyMs: { min: 1, max: 5 },
      answer: (r, i) => {
        const reference = references.get(problemOf(r))
        if (reference === undefined) return "I do not know this problem.\n#### 0"
        if (i === 1) return reference.replace(/#### (-?[\d.]+)\s*$/, (_, n: string) => `#### ${Number(n) + 1}`)
        if (i === 3) return { content: reference.split("\n")[0]!, finish_reason: "length" }
        return reference
      }
    })
    servers.push(server)
    const args = ["build", "math", "--size", "30", "--out", out, "--llm", server.url, "--model", "tutor-1", "--samples", "4", "--concurrency", "4", "--price-input", "0.5", "--price-output", "2", "--json"]
    const first = await cli(args, { OPENAI_API_KEY: KEY })
    expect(first.code, first.stderr).toBe(0)
    const result = JSON.parse(first.stdout) as {
      summary: {
        stages: Array<{ name: string; rows_out: number; rejects: Record<string, number>; counters: Record<string, number> }>
        reports: { model: { usage: { requests: number; cacheHits: number; promptTokens: number; completionTokens: number; costUsd: number; byStage: Record<string, { requests: number; costUsd: number }> } } }
      }
      dataset: { version: string; rows: Record<string, number> }
    }
    const solve = result.summary.stages.find((s) => s.name === "solve")!
    expect(solve.rows_out).toBe(30)
    expect(solve.rejects).toEqual({ "sample:duplicate": 30, "sample:truncated": 30, [Object.keys(solve.rejects).find((k) => k.startsWith("sample:") && !["sample:duplicate", "sample:truncated"].includes(k))!]: 30 })
    expect(solve.counters).toMatchObject({ "solve/samples": 120, "solve/correct": 30 })
    expect(result.dataset).toMatchObject({ version: "v0002", rows: { sft: 30 } })
    // One request per task (n=4 honoured), each carrying the key.
    const usage = result.summary.reports.model.usage
    expect(usage).toMatchObject({ requests: 30, cacheHits: 0 })
    expect(usage.byStage).toEqual({ solve: expect.objectContaining({ requests: 30, costUsd: usage.costUsd }) })
    expect(usage.costUsd).toBeCloseTo((usage.promptTokens * 0.5 + usage.completionTokens * 2) / 1e6, 12)
    expect(usage.promptTokens).toBeGreaterThan(0)
    expect(server.log.filter((l) => l.status === 200)).toHaveLength(30)
    expect(server.log.every((l) => l.authorization === `Bearer ${KEY}` && l.body?.n === 4)).toBe(true)

    // The published sft rows are the model's verified solutions.
    const rows = await cli(["query", "math", "SELECT origin, count(*) AS n FROM sft GROUP BY origin", "--data-dir", out, "--format", "json"])
    expect(JSON.parse(rows.stdout)).toEqual([{ origin: "sample", n: 30 }])

    // The same command again: every answer comes from the durable cache, nothing is sent.
    const before = server.log.length
    const again = await cli(args, { OPENAI_API_KEY: KEY })
    expect(again.code, again.stderr).toBe(0)
    expect(server.log.length).toBe(before)
    expect(JSON.parse(again.stdout).dataset.version).toBe("v0002")
    // Without --json, the end report says what the model cost (the solve stage is reused whole: nothing).
    const human = await cli(args.filter((a) => a !== "--json"), { OPENAI_API_KEY: KEY })
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout).toContain("\nmodel tutor-1: 0 requests (0 retries), 0 prompt + 0 completion tokens, $0.0000; 0 answers from the cache (0 completion tokens saved)\n")

    // The key is in no file under the data folder and in no output.
    for (const f of await filesUnder(out)) {
      if ((await stat(f)).size > 0) expect((await readFile(f)).includes(KEY), f).toBe(false)
    }
    for (const text of [first.stdout, first.stderr, again.stdout, again.stderr]) expect(text).not.toContain(KEY)
  })

  it("fails before any stage runs when the endpoint refuses the key or does not serve the model, naming it and what to fix", async () => {
    const out = await mkdtemp(join(tmpdir(), "autodidact-llm-check-"))
    temps.push(out)
    const server = await startScriptedServer({ models: ["tutor-1"], apiKey: KEY })
    servers.push(server)
    const wrongKey = await cli(["build", "math", "--size", "5", "--out", out, "--llm", server.url, "--model", "tutor-1"], { OPENAI_API_KEY: "sk-wrong-SECRET" })
    expect(wrongKey.code).toBe(1)
    expect(wrongKey.stderr).toContain(`${server.url}: the server refused the API key (HTTP 401); set OPENAI_API_KEY to a key it accepts`)
    expect(wrongKey.stderr).not.toContain("sk-wrong-SECRET")
    const wrongModel = await cli(["build", "math", "--size", "5", "--out", out, "--llm", server.url, "--model", "tutor-2"], { OPENAI_API_KEY: KEY })
    expect(wrongModel.code).toBe(1)
    expect(wrongModel.stderr).toContain(`it does not serve model "tutor-2"; it serves: tutor-1`)
    // Nothing ran: no run folder was made.
    expect(await readdir(out).catch(() => [])).not.toContain("runs")
    // A model that solves nothing: nothing is published, and the message says why and where to look.
    const wrong = await startScriptedServer({ models: ["guesser"], answer: () => "2 + 2 = 4\n#### 4" })
    servers.push(wrong)
    const unsolved = await cli(["build", "math", "--size", "5", "--out", out, "--llm", wrong.url, "--model", "guesser", "--samples", "2"])
    expect(unsolved.code, unsolved.stderr).toBe(1)
    expect(unsolved.stderr).toMatch(/error: dataset "math": the model solved none of 5 tasks \(10 samples: sample:\w+ 10\); nothing was published and LATEST is unchanged\. Read the rejected samples in .*solve\/rejects-\*\.parquet/)
    expect(await readdir(join(out, "datasets", "math")).catch(() => [])).not.toContain("LATEST")
    const inUrl = await cli(["build", "math", "--llm", server.url.replace("http://", "http://user:sk-in-url-SECRET@"), "--model", "tutor-1", "--out", out])
    expect(inUrl.code).toBe(2)
    expect(inUrl.stderr).toBe("error: --llm must not carry a user or key (user:key@host): put the key in OPENAI_API_KEY\n")
    const noModel = await cli(["build", "math", "--llm", server.url, "--out", out])
    expect(noModel.code).toBe(2)
    expect(noModel.stderr).toBe("error: --llm needs --model NAME: the model the server serves (see its /v1/models)\n")
  })
})

describe("autodidact build math --llm --dry-run", () => {
  it("runs the stages that need no model, prints what would be sent with tokens and cost, and sends and publishes nothing", async () => {
    const out = await mkdtemp(join(tmpdir(), "autodidact-llm-dry-"))
    temps.push(out)
    const server = await startScriptedServer({ models: ["m"] })
    servers.push(server)
    const args = ["build", "math", "--size", "12", "--out", out, "--llm", server.url, "--model", "m", "--samples", "3", "--max-tokens", "500", "--price-input", "1", "--price-output", "4", "--dry-run"]
    const r = await cli([...args, "--json"])
    expect(r.code, r.stderr).toBe(0)
    const { dry_run } = JSON.parse(r.stdout) as { dry_run: Array<{ stage: string; tasks: number; samples: number; cached: number; requests: number; promptTokens: number; completionTokens: { expected: number; most: number }; example: { model: string; n: number; messages: Array<{ role: string; content: string }>; max_tokens: number } }> }
    expect(dry_run).toHaveLength(1)
    expect(dry_run[0]).toMatchObject({ stage: "solve", tasks: 12, samples: 36, cached: 0, requests: 12, completionTokens: { most: 36 * 500 } })
    expect(dry_run[0]!.promptTokens).toBeGreaterThan(12 * 30)
    expect(dry_run[0]!.completionTokens.expected).toBeGreaterThan(0)
    // The body as it would be sent.
    expect(dry_run[0]!.example).toMatchObject({ model: "m", n: 3, max_tokens: 500, temperature: 0.7, top_p: 0.95 })
    expect(dry_run[0]!.example.messages.at(-1)!.content).toMatch(/^Solve the problem step by step[\s\S]*\nProblem: /)
    // Nothing was sent (not even the /models check) and nothing published.
    expect(server.log).toHaveLength(0)
    expect(await readdir(out)).not.toContain("datasets")
    const human = await cli(args)
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout).toMatch(/^dry run: nothing was sent to the model and nothing was published\nsolve: 12 tasks; 36 samples to ask \(0 already in the response cache\) in about 12 requests\n  tokens: about [\d,]+ prompt \+ [\d,]+ completion expected \(at most 18,000 at --max-tokens\); cost about \$\d+\.\d\d \(at most \$\d+\.\d\d\)\n  first request: \{"model":"m"/)
    // A server that ignores n (Ollama): one request per sample, each paying the prompt.
    const ollama = JSON.parse((await cli([...args, "--server", "ollama", "--json"])).stdout) as { dry_run: Array<{ requests: number; promptTokens: number }> }
    expect(ollama.dry_run[0]!.requests).toBe(36)
    expect(ollama.dry_run[0]!.promptTokens).toBe(3 * dry_run[0]!.promptTokens)
    const noModel = await cli(["build", "math", "--dry-run", "--out", out])
    expect(noModel.code).toBe(2)
    expect(noModel.stderr).toBe("error: --dry-run estimates what a model build would send: pass --llm URL and --model NAME\n")
  })
})
