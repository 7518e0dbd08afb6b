import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo, Socket } from "node:net"
import { hashValue, rngFor } from "#core"

/**
 * A scripted OpenAI-compatible server for tests and benchmarks: real HTTP on loopback, answers that are a
 * pure function of the request, latency and faults drawn from a seed, a capacity limit, and a log of every
 * request it saw. It serves `GET /v1/models` and `POST /v1/chat/completions`, which is what Autodidact calls.
 *
 * Faults are drawn per attempt: the n-th time the same request body arrives, its fault comes from
 * (seed, body hash, n). A request that failed once can succeed when re-sent, as against a real server.
 */

/** The part of a chat completion request the script sees. */
export interface ScriptedRequest {
  readonly model: string
  readonly messages: ReadonlyArray<{ readonly role: string; readonly content: string }>
  readonly n?: number
  readonly seed?: number
  readonly max_tokens?: number
  readonly temperature?: number
  readonly [field: string]: unknown
}

/** One scripted choice; `finish_reason` defaults to "stop". */
export interface ScriptedChoice {
  readonly content: string
  readonly finish_reason?: "stop" | "length" | "content_filter"
}

export type Fault = "429" | "503" | "500" | "stall" | "drop" | "malformed" | "length"

export interface ScriptedServerOptions {
  /** The answer for sample `index` of a request (index 0..n-1, or the request's seed decides with no `n`). */
  readonly answer?: (request: ScriptedRequest, index: number) => string | ScriptedChoice
  /** Milliseconds before answering: fixed, or drawn uniformly from [min, max] per attempt. */
  readonly latencyMs?: number | { readonly min: number; readonly max: number }
  /** A fraction of attempts `slowFactor` times slower (tail latency). */
  readonly slow?: { readonly fraction: number; readonly factor: number }
  /** Requests worked on at once; others wait in a queue, like a model server's scheduler. Default: no limit. */
  readonly capacity?: number
  /** Queue length past which requests get 503 (vLLM's --max-num-queued-reqs). Default: no limit. */
  readonly maxQueued?: number
  /** Probability of each fault per attempt; the draws are exclusive (their sum must be at most 1). */
  readonly faults?: Partial<Record<Fault, number>>
  /** Retry-After sent with 429 and 503, in seconds; as `retry-after-ms` too when `retryAfterMs` is set. */
  readonly retryAfterSeconds?: number
  readonly retryAfterMs?: number
  /** Whether `n` > 1 gives n choices (vLLM, SGLang) or is ignored (Ollama: one choice). Default true. */
  readonly honoursN?: boolean
  /** Models `/v1/models` lists; a request for another gets 404. Default ["scripted"]. */
  readonly models?: ReadonlyArray<string>
  /** When set, requests must carry `Authorization: Bearer <apiKey>`, else 401. */
  readonly apiKey?: string
  /** Headers sent with every completion, e.g. x-ratelimit-limit-requests. */
  readonly headers?: Readonly<Record<string, string>>
  readonly seed?: number
  /** Keep every attempt in `log` (default true); a benchmark of millions of requests turns it off. */
  readonly keepLog?: boolean
  /** Called as each attempt is answered (or dropped): a test can act at a point of the server's progress. */
  readonly onLogged?: (entry: LoggedRequest, log: ReadonlyArray<LoggedRequest>) => void
}

/** What the server saw of one attempt. */
export interface LoggedRequest {
  readonly bodyHash: string
  readonly attempt: number
  readonly receivedAt: number
  readonly respondedAt: number
  readonly status: number | "dropped" | "stalled"
  readonly fault: Fault | undefined
  readonly retryAfterMs: number | undefined
  readonly body: ScriptedRequest | undefined
  readonly authorization: string | undefined
}

export interface ScriptedServer {
  /** Base URL including `/v1`, e.g. http://127.0.0.1:40123/v1 */
  readonly url: string
  readonly log: ReadonlyArray<LoggedRequest>
  /** Most completion requests open at once (queued or in work). */
  readonly maxInFlight: () => number
  readonly inFlight: () => number
  /** TCP connections accepted so far (a client that reuses connections keeps this low). */
  readonly connections: () => number
  /**
   * The longest time the server had a free slot and no request came: from the later of a slot's freeing
   * and the previous arrival, to the next arrival (the end of a run, with no request after, does not
   * count). A client that keeps a server busy leaves it no such pause; one that waits for batches does.
   */
  readonly longestIdleMs: () => number
  /** The latency drawn for each answered request, in order of arrival: what an ideal dispatcher would face. */
  readonly latencies: () => ReadonlyArray<number>
  /** Forgets the figures above (not the log), to measure a new phase. */
  readonly resetFigures: () => void
  readonly close: () => Promise<void>
}

/** The default script: a short answer that names the request, so each request's answer differs. */
export const echoAnswer = (request: ScriptedRequest, index: number): string => {
  const last = request.messages.at(-1)?.content ?? ""
  return `answer ${index} to: ${last.slice(0, 80)}`
}

const FAULT_ORDER: ReadonlyArray<Fault> = ["429", "503", "500", "stall", "drop", "malformed", "length"]

export const startScriptedServer = (options: ScriptedServerOptions = {}): Promise<ScriptedServer> => {
  const seed = options.seed ?? 0
  const models = options.models ?? ["scripted"]
  const answer = options.answer ?? echoAnswer
  const attempts = new Map<string, number>()
  const log: Array<LoggedRequest> = []
  const sockets = new Set<Socket>()
  const stalled = new Set<ServerResponse>()
  const waiting: Array<() => void> = []
  let working = 0
  let open = 0
  let maxOpen = 0
  let created = 0
  // Times at which answered requests freed their slot, oldest first; each new arrival takes the oldest.
  let freed: Array<number> = []
  let freedHead = 0
  let longestIdle = 0
  let lastArrival = 0
  let drawn: Array<number> = []

  const acquire = (): Promise<void> | "full" => {
    if (options.capacity === undefined || working < options.capacity) {
      working++
      return Promise.resolve()
    }
    if (options.maxQueued !== undefined && waiting.length >= options.maxQueued) return "full"
    return new Promise((resolve) => waiting.push(() => resolve()))
  }
  const release = () => {
    const next = waiting.shift()
    if (next) next()
    else working--
  }

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = typeof body === "string" ? body : JSON.stringify(body)
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers })
    res.end(text)
  }
  const errorBody = (message: string, type: string) => ({ error: { message, type, code: null } })

  const completion = async (req: IncomingMessage, res: ServerResponse, raw: string, receivedAt: number) => {
    let body: ScriptedRequest | undefined
    try {
      body = JSON.parse(raw) as ScriptedRequest
    } catch {
      body = undefined
    }
    const bodyHash = hashValue(body ?? raw)
    const attempt = (attempts.get(bodyHash) ?? 0) + 1
    attempts.set(bodyHash, attempt)
    const rng = rngFor(seed, "scripted-server", `${bodyHash}:${attempt}`)
    const entry = (status: LoggedRequest["status"], fault?: Fault, retryAfterMs?: number) => {
      const logged: LoggedRequest = { bodyHash, attempt, receivedAt, respondedAt: performance.now(), status, fault, retryAfterMs, body, authorization: req.headers.authorization }
      if (options.keepLog !== false) log.push(logged)
      options.onLogged?.(logged, log)
    }

    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      entry(401)
      return send(res, 401, errorBody("Incorrect API key provided.", "invalid_request_error"))
    }
    if (body === undefined || !Array.isArray(body.messages) || typeof body.model !== "string") {
      entry(400)
      return send(res, 400, errorBody("Request body is not a chat completion request.", "invalid_request_error"))
    }
    if (!models.includes(body.model)) {
      entry(404)
      return send(res, 404, errorBody(`The model \`${body.model}\` does not exist.`, "NotFoundError"))
    }

    // One draw decides the fault: faults are exclusive, so their rates add up.
    let fault: Fault | undefined
    const draw = rng.next()
    let edge = 0
    for (const f of FAULT_ORDER) {
      edge += options.faults?.[f] ?? 0
      if (draw < edge) {
        fault = f
        break
      }
    }
    const retryHeaders = (): Record<string, string> => ({
      ...(options.retryAfterSeconds !== undefined ? { "retry-after": String(options.retryAfterSeconds) } : {}),
      ...(options.retryAfterMs !== undefined ? { "retry-after-ms": String(options.retryAfterMs) } : {})
    })
    const retryAfterMs = options.retryAfterMs ?? (options.retryAfterSeconds !== undefined ? options.retryAfterSeconds * 1000 : undefined)
    if (fault === "429") {
      entry(429, fault, retryAfterMs)
      return send(res, 429, errorBody("Rate limit reached. Please try again later.", "rate_limit_error"), retryHeaders())
    }

    // An overload fault answers before taking a slot, so it never holds one.
    const slot = fault === "503" ? "full" : acquire()
    if (slot === "full") {
      entry(503, "503", retryAfterMs)
      return send(res, 503, errorBody("The server is overloaded; the request queue is full.", "service_unavailable"), retryHeaders())
    }
    await slot
    try {
      const base = typeof options.latencyMs === "number" ? options.latencyMs : options.latencyMs ? rng.int(options.latencyMs.min, options.latencyMs.max) : 0
      const latency = options.slow && rng.chance(options.slow.fraction) ? base * options.slow.factor : base
      drawn.push(latency)
      if (latency > 0) await new Promise((r) => setTimeout(r, latency))
      if (res.destroyed) return entry("dropped", fault)

      if (fault === "500") {
        entry(500, fault)
        return send(res, 500, errorBody("Internal server error.", "internal_error"))
      }
      if (fault === "stall") {
        // Headers and nothing more: the client's timeout must end it. Closed when the server closes.
        entry("stalled", fault)
        res.writeHead(200, { "content-type": "application/json" })
        res.flushHeaders()
        stalled.add(res)
        return
      }
      if (fault === "drop") {
        entry("dropped", fault)
        req.socket.destroy()
        return
      }
      if (fault === "malformed") {
        entry(200, fault)
        return send(res, 200, '{"id": "chatcmpl-broken", "choices": [{"index": 0, "message": {"role": "assis')
      }

      const n = options.honoursN === false ? 1 : Math.max(1, body.n ?? 1)
      const choices = Array.from({ length: n }, (_, i) => {
        const a = answer(body, i)
        const scripted: ScriptedChoice = typeof a === "string" ? { content: a } : a
        const truncated = fault === "length" || (body.max_tokens !== undefined && tokens(scripted.content) > body.max_tokens)
        const content = truncated ? cut(scripted.content, Math.min(body.max_tokens ?? Infinity, Math.ceil(tokens(scripted.content) / 2))) : scripted.content
        return { index: i, message: { role: "assistant", content }, logprobs: null, finish_reason: truncated ? "length" : (scripted.finish_reason ?? "stop") }
      })
      const prompt = body.messages.reduce((s, m) => s + tokens(m.content), 0)
      const completionTokens = choices.reduce((s, c) => s + tokens(c.message.content), 0)
      entry(200, fault)
      send(
        res,
        200,
        {
          id: `chatcmpl-${bodyHash.slice(0, 12)}-${attempt}`,
          object: "chat.completion",
          created: 1_700_000_000,
          model: body.model,
          choices,
          usage: { prompt_tokens: prompt, completion_tokens: completionTokens, total_tokens: prompt + completionTokens }
        },
        options.headers ?? {}
      )
    } finally {
      release()
    }
  }

  const server: Server = createServer((req, res) => {
    const receivedAt = performance.now()
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const path = (req.url ?? "").replace(/\?.*$/, "")
      if (req.method === "GET" && path === "/v1/models") {
        if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
          return send(res, 401, errorBody("Incorrect API key provided.", "invalid_request_error"))
        }
        return send(res, 200, { object: "list", data: models.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "scripted" })) })
      }
      if (req.method === "POST" && path === "/v1/chat/completions") {
        open++
        maxOpen = Math.max(maxOpen, open)
        if (freedHead < freed.length) longestIdle = Math.max(longestIdle, receivedAt - Math.max(lastArrival, freed[freedHead++]!))
        lastArrival = receivedAt
        if (freedHead > 4096) {
          freed = freed.slice(freedHead)
          freedHead = 0
        }
        let closed = false
        const done = () => {
          if (!closed) {
            closed = true
            open--
            freed.push(performance.now())
          }
        }
        res.on("close", done)
        void completion(req, res, Buffer.concat(chunks).toString("utf8"), receivedAt).catch((e: unknown) => {
          if (!res.headersSent) send(res, 500, errorBody(String(e), "internal_error"))
        })
        return
      }
      send(res, 404, errorBody(`No route ${req.method} ${path}`, "not_found"))
    })
  })
  server.on("connection", (socket) => {
    created++
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })
  server.keepAliveTimeout = 60_000

  return new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}/v1`,
        log,
        maxInFlight: () => maxOpen,
        inFlight: () => open,
        connections: () => created,
        longestIdleMs: () => longestIdle,
        latencies: () => drawn,
        resetFigures: () => {
          maxOpen = open
          freed = []
          freedHead = 0
          longestIdle = 0
          lastArrival = 0
          drawn = []
        },
        close: () =>
          new Promise<void>((done) => {
            for (const res of stalled) res.destroy()
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          })
      })
    })
  })
}

/** A rough token count (words and punctuation), enough for usage figures and max_tokens cuts. */
export const tokens = (text: string): number => (text.match(/\w+|[^\s\w]/g) ?? []).length

const cut = (text: string, keep: number): string => {
  const re = /\w+|[^\s\w]/g
  let count = 0
  let end = 0
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (count === keep) break
    count++
    end = m.index + m[0].length
  }
  return text.slice(0, end)
}
