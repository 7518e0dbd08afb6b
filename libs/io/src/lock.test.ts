import { spawn, spawnSync } from "node:child_process"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { mkdtemp } from "node:fs/promises"
import { hostname, tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Fiber } from "effect"
import { describe, expect, it } from "vitest"
import { LockTimeout } from "./errors.ts"
import { acquireLock, tookOverMessage, type LockInfo } from "./lock.ts"

const NODE = join(process.cwd(), "node_modules/.bin/node")
const dir = () => mkdtemp(join(tmpdir(), "autodidact-lock-"))
const info = (pid: number, host = hostname()): LockInfo => ({ pid, host, started_at: "2026-01-01T00:00:00.000Z", purpose: "publishing dataset \"math\"", token: "t0" })

describe("acquireLock", () => {
  it("writes pid, host and start time while held and removes the file after", async () => {
    const path = join(await dir(), ".lock")
    const seen = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const held = yield* acquireLock(path, { purpose: "test", timeoutMs: 1000 })
          return { held, file: JSON.parse(readFileSync(path, "utf8")) as LockInfo }
        })
      )
    )
    expect(seen.file.pid).toBe(process.pid)
    expect(seen.file.host).toBe(hostname())
    expect(seen.file.purpose).toBe("test")
    expect(Number.isNaN(Date.parse(seen.file.started_at))).toBe(false)
    expect(seen.held.tookOver).toBeUndefined()
    expect(existsSync(path)).toBe(false)
  })

  it("takes over a lock whose process on this host is gone, and says whose it was", async () => {
    const path = join(await dir(), ".lock")
    const dead = spawnSync(NODE, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString()
    writeFileSync(path, JSON.stringify(info(Number(dead))))
    const held = await Effect.runPromise(Effect.scoped(acquireLock(path, { purpose: "test", timeoutMs: 1000 })))
    expect(held.tookOver?.pid).toBe(Number(dead))
    expect(tookOverMessage(held)).toBe(
      `took over the stale lock ${path} left by pid ${dead} on host ${hostname()} (publishing dataset "math", since 2026-01-01T00:00:00.000Z), which is no longer running`
    )
  })

  it("waits for a live holder, then fails naming it and the file", async () => {
    const path = join(await dir(), ".lock")
    const live = spawn(NODE, ["-e", "setTimeout(() => {}, 30000)"])
    try {
      writeFileSync(path, JSON.stringify(info(live.pid!)))
      const error = await Effect.runPromise(Effect.scoped(acquireLock(path, { purpose: "publishing dataset \"math\"", timeoutMs: 300, pollMs: 20 })).pipe(Effect.flip))
      expect(error).toBeInstanceOf(LockTimeout)
      expect(error.message).toContain(`the lock ${path} is held by pid ${live.pid} on host ${hostname()}`)
      expect(error.message).toContain(`delete ${path}`)
      expect(JSON.parse(readFileSync(path, "utf8")).pid).toBe(live.pid)
    } finally {
      live.kill("SIGKILL")
    }
  })

  it("never takes over a lock from another host (its process cannot be checked)", async () => {
    const path = join(await dir(), ".lock")
    writeFileSync(path, JSON.stringify(info(999_999_999, "some-other-host")))
    const error = await Effect.runPromise(Effect.scoped(acquireLock(path, { purpose: "p", timeoutMs: 50, pollMs: 10 })).pipe(Effect.flip))
    expect(error).toBeInstanceOf(LockTimeout)
    expect((error as LockTimeout).holder).toContain("on host some-other-host")
  })

  it("serialises two holders in one process: the second gets the lock after the first lets go", async () => {
    const path = join(await dir(), ".lock")
    const log: Array<string> = []
    const holder = (name: string, holdMs: number) =>
      Effect.scoped(
        Effect.gen(function* () {
          yield* acquireLock(path, { purpose: name, timeoutMs: 5000, pollMs: 10 })
          log.push(`${name} in`)
          yield* Effect.sleep(holdMs)
          log.push(`${name} out`)
        })
      )
    await Effect.runPromise(
      Effect.gen(function* () {
        const a = yield* Effect.forkChild(holder("a", 200))
        yield* Effect.sleep(50)
        const b = yield* Effect.forkChild(holder("b", 10))
        yield* Fiber.join(a)
        yield* Fiber.join(b)
      })
    )
    expect(log).toEqual(["a in", "a out", "b in", "b out"])
  })
})
