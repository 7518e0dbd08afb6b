import { stat } from "node:fs/promises"
import { dirname } from "node:path"
import { Effect } from "effect"
import { errorMessage, fsyncPath } from "#io"
import { StoreIoError } from "./errors.ts"

export const ioError = (path: string) => (e: unknown) => new StoreIoError({ path, message: errorMessage(e) })

export const io = <A>(path: string, f: () => Promise<A>): Effect.Effect<A, StoreIoError> => Effect.tryPromise({ try: f, catch: ioError(path) })

export const exists = (path: string): Effect.Effect<boolean> =>
  Effect.promise(() => stat(path).then(
    () => true,
    () => false
  ))

/**
 * Flushes `files` and every folder from theirs up to `root`, deepest first. `flushed` are files
 * already flushed one by one (the shards): only their folders are.
 */
export const syncTree = (root: string, files: ReadonlyArray<string>, flushed: ReadonlyArray<string> = []) =>
  io(root, async () => {
    for (const f of files) await fsyncPath(f)
    const dirs = new Set<string>([root, ...[...files, ...flushed].map((f) => dirname(f))])
    for (const d of [...dirs].sort((a, b) => b.length - a.length)) await fsyncPath(d)
  })
