import { randomBytes } from "node:crypto"
import { link, readFile, stat, unlink, writeFile } from "node:fs/promises"
import { hostname } from "node:os"
import { Effect, Scope } from "effect"
import { LockTimeout, type MaterialiseError } from "./errors.ts"
import { fileError } from "./files.ts"

/** What a lock file holds: enough for a person (or the next publisher) to tell whether its owner still runs. */
export interface LockInfo {
  readonly pid: number
  readonly host: string
  readonly started_at: string
  readonly purpose: string
  readonly token: string
}

export interface HeldLock {
  readonly path: string
  readonly info: LockInfo
  /** The dead owner whose lock this one replaced, if any. */
  readonly tookOver?: LockInfo
}

export interface LockOptions {
  readonly purpose: string
  readonly timeoutMs: number
  readonly pollMs?: number
}

const code = (e: unknown) => (e as NodeJS.ErrnoException).code

/** Whether a process of this host is alive: signal 0 checks without sending anything. */
export const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return code(e) === "EPERM"
  }
}

export const describeHolder = (info: LockInfo | undefined): string =>
  info === undefined ? "an unknown process" : `pid ${info.pid} on host ${info.host} (${info.purpose}, since ${info.started_at})`

const readInfo = async (path: string): Promise<LockInfo | undefined | "missing"> => {
  try {
    const text = await readFile(path, "utf8")
    try {
      return JSON.parse(text) as LockInfo
    } catch {
      return undefined
    }
  } catch (e) {
    if (code(e) === "ENOENT") return "missing"
    throw e
  }
}

/**
 * Creates `path` holding `text` only if it does not exist, with its content complete from the first
 * moment: written to a private file, then hard-linked (link fails on an existing name, atomically).
 */
const createExclusive = async (path: string, text: string): Promise<boolean> => {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`
  await writeFile(tmp, text)
  try {
    await link(tmp, path)
    return true
  } catch (e) {
    if (code(e) === "EEXIST") return false
    throw e
  } finally {
    await unlink(tmp).catch(() => undefined)
  }
}

/** A lock is stale when its owner ran on this host and is gone; an unreadable one when it is old. */
const isStale = async (path: string, info: LockInfo | undefined): Promise<boolean> => {
  if (info === undefined) {
    const s = await stat(path).catch(() => undefined)
    return s !== undefined && Date.now() - s.mtimeMs > 10_000
  }
  return info.host === hostname() && !pidAlive(info.pid)
}

/**
 * Removes a stale lock, making sure it is still the same stale lock: two processes that both saw it
 * stale must not remove the fresh lock one of them made a moment later. A short-lived guard file
 * serialises the check-and-remove.
 */
const removeStale = async (path: string, seen: LockInfo | undefined): Promise<boolean> => {
  const guard = `${path}.takeover`
  if (!(await createExclusive(guard, String(process.pid)))) {
    const s = await stat(guard).catch(() => undefined)
    if (s !== undefined && Date.now() - s.mtimeMs > 30_000) await unlink(guard).catch(() => undefined)
    return false
  }
  try {
    const now = await readInfo(path)
    if (now === "missing") return true
    if ((now?.token ?? null) !== (seen?.token ?? null)) return false
    await unlink(path).catch((e) => {
      if (code(e) !== "ENOENT") throw e
    })
    return true
  } finally {
    await unlink(guard).catch(() => undefined)
  }
}

/** Tries once: the held lock, or the current holder's description when another live process holds it. */
const tryAcquire = async (path: string, info: LockInfo): Promise<{ held: boolean; holder?: LockInfo; tookOver?: LockInfo }> => {
  let tookOver: LockInfo | undefined
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await createExclusive(path, JSON.stringify(info, null, 2) + "\n")) return { held: true, ...(tookOver ? { tookOver } : {}) }
    const current = await readInfo(path)
    if (current === "missing") continue
    if (!(await isStale(path, current))) return { held: false, ...(current ? { holder: current } : {}) }
    if (await removeStale(path, current)) tookOver = current ?? { pid: -1, host: "?", started_at: "?", purpose: "unreadable lock", token: "" }
  }
  return { held: false }
}

const release = (held: HeldLock) =>
  Effect.promise(async () => {
    const current = await readInfo(held.path).catch(() => undefined)
    if (typeof current === "object" && current.token === held.info.token) await unlink(held.path).catch(() => undefined)
  })

/**
 * Holds the lock file `path` for the enclosing scope. A lock whose owner died on this host is taken
 * over (the result says whose); a live owner is waited for, polling, up to `timeoutMs`.
 */
export const acquireLock = (path: string, options: LockOptions): Effect.Effect<HeldLock, LockTimeout | MaterialiseError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.gen(function* () {
      const info: LockInfo = {
        pid: process.pid,
        host: hostname(),
        started_at: new Date().toISOString(),
        purpose: options.purpose,
        token: randomBytes(8).toString("hex")
      }
      const started = Date.now()
      const poll = options.pollMs ?? 100
      for (;;) {
        const r = yield* Effect.tryPromise({ try: () => tryAcquire(path, info), catch: fileError(path) })
        if (r.held) return { path, info, ...(r.tookOver ? { tookOver: r.tookOver } : {}) } satisfies HeldLock
        const waited = Date.now() - started
        if (waited >= options.timeoutMs) {
          return yield* new LockTimeout({
            lockFile: path,
            holder: describeHolder(r.holder),
            waitedMs: waited,
            message:
              `${options.purpose}: the lock ${path} is held by ${describeHolder(r.holder)}; waited ${(waited / 1000).toFixed(1)} s. ` +
              `Wait for that process to finish and try again; if it is gone (on another host it cannot be checked), delete ${path}`
          })
        }
        yield* Effect.sleep(Math.min(poll, Math.max(1, options.timeoutMs - waited)))
      }
    }),
    release
  )

export const tookOverMessage = (held: HeldLock): string | undefined =>
  held.tookOver === undefined
    ? undefined
    : `took over the stale lock ${held.path} left by ${describeHolder(held.tookOver)}, which is no longer running`
