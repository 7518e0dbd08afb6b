import { open, rename, writeFile, mkdir, rm, readFile, readdir, stat } from "node:fs/promises"
import { dirname, join, basename } from "node:path"
import { Effect } from "effect"
import { errorMessage, MaterialiseError } from "./errors.ts"

/** Maps a file-system failure on `path` to a MaterialiseError. */
export const fileError = (path: string) => (e: unknown) => new MaterialiseError({ path, message: errorMessage(e) })

/** fsync a file or folder, so a rename that follows cannot be seen before the data is on disk. */
export const fsyncPath = async (path: string): Promise<void> => {
  const handle = await open(path, "r")
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Publish a finished file under its final name: flush it, rename it (atomic on one file system), and
 * flush the folder so the rename itself survives a crash. Readers see the whole file or none.
 */
export const commitFile = (tmpPath: string, finalPath: string, options: { readonly syncDir?: boolean } = {}): Effect.Effect<void, MaterialiseError> =>
  Effect.tryPromise({
    try: async () => {
      await fsyncPath(tmpPath)
      await rename(tmpPath, finalPath)
      if (options.syncDir !== false) await fsyncPath(dirname(finalPath))
    },
    catch: fileError(finalPath)
  })

let tmpCounter = 0

/** Write text to `path` atomically (temp file in the same folder, fsync, rename). */
export const writeFileAtomic = (path: string, text: string): Effect.Effect<void, MaterialiseError> =>
  Effect.gen(function* () {
    // pid and a per-process counter: two writers of one path (two processes, or two fibers) never share a temp file.
    const tmp = join(dirname(path), `.${basename(path)}.${process.pid}-${++tmpCounter}.tmp`)
    yield* Effect.tryPromise({ try: () => writeFile(tmp, text), catch: fileError(path) })
    yield* commitFile(tmp, path)
  })

export const ensureDir = (path: string) => Effect.tryPromise({ try: () => mkdir(path, { recursive: true }), catch: fileError(path) })

export const removePath = (path: string) =>
  Effect.tryPromise({ try: () => rm(path, { recursive: true, force: true }), catch: fileError(path) })

export const readJsonIfExists = <A>(path: string): Effect.Effect<A | undefined, MaterialiseError> =>
  Effect.tryPromise({
    try: async () => {
      try {
        return JSON.parse(await readFile(path, "utf8")) as A
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined
        throw e
      }
    },
    catch: fileError(path)
  })

export const listDir = (path: string): Effect.Effect<ReadonlyArray<string>, MaterialiseError> =>
  Effect.tryPromise({
    try: async () => {
      try {
        return (await readdir(path)).sort()
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return []
        throw e
      }
    },
    catch: fileError(path)
  })

export const fileSize = (path: string) => Effect.tryPromise({ try: async () => (await stat(path)).size, catch: fileError(path) })
