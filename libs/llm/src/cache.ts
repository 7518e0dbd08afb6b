import { mkdirSync } from "node:fs"
import { dirname } from "node:path"
import { DatabaseSync, type StatementSync } from "node:sqlite"
import { Worker } from "node:worker_threads"
import { Context, Effect, Layer, Schema } from "effect"
import { hashValue } from "#core"
import { INSERT_SQL, PRAGMAS, commitRows, type WriterRow } from "./cache-writer.ts"
import type { ChatRequest, EndpointProfile, FinishReason } from "./chat.ts"

/**
 * The durable response cache: every answer a model gave, stored before any stage uses it, so a killed run
 * never pays for it twice and a re-run sends nothing. SQLite (node:sqlite) in WAL mode with synchronous=FULL:
 * a committed answer survives a crash of the process or the machine. Writes are committed in groups (all
 * the answers that arrived while the previous commit ran), so fsyncs do not bound the request rate, by a
 * writer thread (cache-writer.ts), so an fsync never stalls the requests and rows of the main thread.
 *
 * An entry is one sample: the raw response body it came in (parsing is separate: a changed parser re-reads
 * it without sending), which choice of that body it is, and how it ended.
 */
export interface CacheEntry {
  readonly key: string
  readonly raw: string
  readonly choice: number
  readonly finishReason: FinishReason
  /** max_tokens the answer was asked with (null: none). */
  readonly maxTokens: number | null
  readonly promptTokens: number
  readonly completionTokens: number
  /** This sample's own completion tokens, when known (it was the answer's only choice); else null. */
  readonly choiceTokens: number | null
}

export class CacheError extends Schema.TaggedError<CacheError>()("CacheError", { path: Schema.String, message: Schema.String }) {}

/**
 * The cache key of sample `index` of a request: the model, the user's revision tag for it, the messages as
 * rendered (prefill included), and every parameter that changes output except max_tokens (see `usable`).
 * Not the endpoint's address and not the key: the same model behind another URL gives the same answers.
 */
export const sampleKey = (request: ChatRequest, revision: string, index: number, form: RequestForm = {}): string => {
  const { max_tokens: _ignored, ...params } = request.params ?? {}
  return hashValue({ model: request.model, revision, messages: request.messages, prefill: request.prefill ?? null, params, index, ...form })
}

/**
 * The parts of an endpoint's profile that change what is sent for this request, and so belong in its
 * key: how a prefill is continued, when there is one; how a schema is asked for, when there is one.
 */
export interface RequestForm {
  readonly prefillStyle?: EndpointProfile["prefill"]
  readonly structuredOutput?: EndpointProfile["structuredOutput"]
}

export const formOf = (request: ChatRequest, profile: EndpointProfile): RequestForm => ({
  ...(request.prefill !== undefined ? { prefillStyle: profile.prefill } : {}),
  ...(request.params?.json_schema !== undefined ? { structuredOutput: profile.structuredOutput } : {})
})

/**
 * Whether a stored answer serves a request asking for `maxTokens`. A complete answer serves any budget it
 * fits in; an answer cut by length serves only the same budget (asking again unchanged would be cut again),
 * so raising max_tokens re-sends exactly the answers that ended by length.
 */
export const usable = (entry: CacheEntry, maxTokens: number | undefined): boolean => {
  const asked = maxTokens ?? null
  if (entry.finishReason === "length") return entry.maxTokens === asked
  if (asked === null) return true
  // Its own length known: it fits or not. Unknown (one of n choices): only a budget at least as large as
  // the one it was asked with is sure to hold it.
  if (entry.choiceTokens !== null) return entry.choiceTokens <= asked
  return entry.maxTokens !== null && entry.maxTokens <= asked
}

export interface ResponseCacheShape {
  readonly get: (key: string) => Effect.Effect<CacheEntry | undefined, CacheError>
  /** Resolves once the entries are committed to disk. */
  readonly put: (entries: ReadonlyArray<CacheEntry>) => Effect.Effect<void, CacheError>
  readonly size: Effect.Effect<number, CacheError>
}

export class ResponseCache extends Context.Service<ResponseCache, ResponseCacheShape>()("autodidact/llm/ResponseCache") {
  /** The cache in the SQLite file at `path`, created with its folder when missing; closed with the scope. */
  static readonly layer = (path: string): Layer.Layer<ResponseCache, CacheError> => Layer.effect(ResponseCache, openCache(path))
}

interface Row {
  key: string
  raw: string
  choice: number
  finish_reason: string
  max_tokens: number | null
  prompt_tokens: number
  completion_tokens: number
  choice_tokens: number | null
}

/** Commits groups of rows, one group at a time, resolving once a group is on disk. */
interface Writer {
  readonly commit: (rows: ReadonlyArray<WriterRow>) => Promise<void>
  readonly close: () => Promise<void>
}

const WRITER_URL = new URL("./cache-writer.ts", import.meta.url)

/**
 * The writer thread (cache-writer.ts), started on the first write, so that a run that only reads (an
 * offline build, a dry run) starts none. It keeps the process alive only while a commit is pending.
 */
const threadWriter = (path: string): Writer => {
  let worker: Worker | undefined
  let current: { resolve: () => void; reject: (e: unknown) => void } | undefined
  let broken: unknown
  let nextId = 0
  const fail = (error: unknown) => {
    broken ??= error
    const c = current
    current = undefined
    c?.reject(broken)
  }
  const start = () => {
    // None of the parent's flags: they can be ones a worker refuses (`--input-type` with `-e`).
    const w = new Worker(WRITER_URL, { workerData: { cacheWriter: true, path }, execArgv: [] })
    w.on("message", (reply: { id: number; error?: string }) => {
      const c = current
      current = undefined
      w.unref()
      if (reply.error === undefined) c?.resolve()
      else c?.reject(new Error(reply.error))
    })
    w.on("error", (e) => fail(e))
    w.on("messageerror", (e) => fail(e))
    w.on("exit", (code) => fail(new Error(`the cache writer thread exited (code ${code})`)))
    w.unref()
    return w
  }
  return {
    commit: (rows) =>
      new Promise<void>((resolve, reject) => {
        if (broken !== undefined) return reject(broken)
        worker ??= start()
        current = { resolve, reject }
        worker.ref()
        worker.postMessage({ id: nextId++, rows })
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (worker === undefined || broken !== undefined) return resolve()
        broken = new Error("the response cache is closed")
        worker.ref()
        worker.once("exit", () => resolve())
        worker.postMessage({ close: true })
      })
  }
}

/** For an in-memory cache (no file a thread could share): commits on this thread. */
const inlineWriter = (db: DatabaseSync): Writer => {
  const insert = db.prepare(INSERT_SQL)
  return {
    commit: (rows) => {
      try {
        commitRows(db, insert, rows)
        return Promise.resolve()
      } catch (error) {
        return Promise.reject(error)
      }
    },
    close: () => Promise.resolve()
  }
}

const openCache = (path: string) =>
  Effect.gen(function* () {
    const fail = (e: unknown) => new CacheError({ path, message: `response cache ${path}: ${e instanceof Error ? e.message : String(e)}` })
    const db = yield* Effect.acquireRelease(
      Effect.try({
        try: () => {
          if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true })
          const db = new DatabaseSync(path)
          db.exec(PRAGMAS)
          db.exec(`CREATE TABLE IF NOT EXISTS responses (
            key TEXT PRIMARY KEY, raw TEXT NOT NULL, choice INTEGER NOT NULL, finish_reason TEXT NOT NULL,
            max_tokens INTEGER, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
            stored_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), choice_tokens INTEGER)`)
          // A cache made before choice_tokens existed gets the column, empty (unknown) for its rows.
          const columns = (db.prepare("PRAGMA table_info(responses)").all() as Array<{ name: string }>).map((c) => c.name)
          if (!columns.includes("choice_tokens")) db.exec("ALTER TABLE responses ADD COLUMN choice_tokens INTEGER")
          return db
        },
        catch: fail
      }),
      (db) => Effect.sync(() => db.close())
    )
    const select: StatementSync = db.prepare("SELECT key, raw, choice, finish_reason, max_tokens, prompt_tokens, completion_tokens, choice_tokens FROM responses WHERE key = ?")
    const count: StatementSync = db.prepare("SELECT count(*) AS n FROM responses")
    // Released before the database above is closed: the writer finishes its commit, then closes its own.
    const writer = yield* Effect.acquireRelease(
      Effect.sync(() => (path === ":memory:" ? inlineWriter(db) : threadWriter(path))),
      (w) => Effect.promise(() => w.close())
    )

    // Group commit: entries that arrive while a commit is running join the next one; one transaction, one
    // fsync per group. The first group waits only for the end of the current event-loop turn.
    let next: Array<WriterRow> = []
    let waiting: Array<(error?: unknown) => void> = []
    let committing = false
    let scheduled = false
    const flush = () => {
      scheduled = false
      if (committing || next.length === 0) return
      const rows = next
      const done = waiting
      next = []
      waiting = []
      committing = true
      const settle = (error?: unknown) => {
        committing = false
        for (const d of done) d(error)
        flush()
      }
      writer.commit(rows).then(() => settle(), settle)
    }

    return ResponseCache.of({
      get: (key) =>
        Effect.try({
          try: () => {
            const row = select.get(key) as Row | undefined
            return row === undefined
              ? undefined
              : {
                  key: row.key,
                  raw: row.raw,
                  choice: row.choice,
                  finishReason: row.finish_reason as FinishReason,
                  maxTokens: row.max_tokens,
                  promptTokens: row.prompt_tokens,
                  completionTokens: row.completion_tokens,
                  choiceTokens: row.choice_tokens
                }
          },
          catch: fail
        }),
      put: (entries) =>
        entries.length === 0
          ? Effect.void
          : Effect.callback<void, CacheError>((resume) => {
              for (const e of entries) next.push([e.key, e.raw, e.choice, e.finishReason, e.maxTokens, e.promptTokens, e.completionTokens, e.choiceTokens])
              waiting.push((error) => resume(error === undefined ? Effect.void : Effect.fail(fail(error))))
              if (!committing && !scheduled) {
                scheduled = true
                setImmediate(flush)
              }
            }),
      size: Effect.try({ try: () => Number((count.get() as { n: number }).n), catch: fail })
    })
  })
