import { accessSync, closeSync, constants, openSync, statSync, unlinkSync } from "node:fs"
import { dirname, join } from "node:path"
import { Effect, Schema } from "effect"

/** A folder flag (`--out`, `--data-dir`) names a place the command cannot write to: exit code 1. */
export class CannotWrite extends Schema.TaggedError<CannotWrite>()("CannotWrite", { message: Schema.String }) {}

const codeOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code

/**
 * Checks, before anything is written, that `dir` is (or can be made as) a folder this process can
 * create files in, and otherwise fails naming the flag, the folder and why: "not a directory",
 * "read-only", ... A folder that does not exist yet is judged by its nearest existing ancestor,
 * which is also where it would be created. Writability is tried, not inferred from permission bits
 * (root writes through chmod 0555): a probe file is created and removed.
 */
export const requireWritableDir = (flag: string, dir: string): Effect.Effect<void, CannotWrite> =>
  Effect.suspend(() => {
    const reason = whyNotWritable(dir)
    return reason === undefined ? Effect.void : Effect.fail(new CannotWrite({ message: `cannot write to ${flag} ${dir}: ${reason}` }))
  })

const whyNotWritable = (dir: string): string | undefined => {
  let at = dir
  for (;;) {
    try {
      const stat = statSync(at)
      if (!stat.isDirectory()) return at === dir ? "not a directory" : `not a directory (${at} is a file)`
      return probe(at)
    } catch (e) {
      const code = codeOf(e)
      if (code === "EACCES") return "permission denied"
      if (code !== "ENOENT" && code !== "ENOTDIR") return describeCode(code, e)
      const parent = dirname(at)
      // A relative path with no existing component: the current folder is where it would be made.
      if (parent === at) return undefined
      at = parent
    }
  }
}

const probe = (dir: string): string | undefined => {
  const file = join(dir, `.autodidact-write-probe-${process.pid}`)
  try {
    closeSync(openSync(file, "wx"))
  } catch (e) {
    // EEXIST: a probe left by a killed process with this pid; the folder took a file, so it is writable.
    return codeOf(e) === "EEXIST" ? undefined : describeCode(codeOf(e), e)
  }
  try {
    unlinkSync(file)
  } catch {
    // Left behind is harmless; the folder is writable, which is what was asked.
  }
  return undefined
}

const describeCode = (code: string | undefined, e: unknown): string => {
  switch (code) {
    case "EACCES":
    case "EPERM":
    case "EROFS":
    // /proc and the like answer ENOENT to a new file in a folder that exists.
    case "ENOENT":
      return "read-only"
    case "ENOSPC":
    case "EDQUOT":
      return "no space left on the device"
    default:
      return (e as Error | undefined)?.message ?? String(e)
  }
}

/** `--data-dir` names something the command cannot read datasets from: exit 1, like gc's and rollback's writability check. */
export class DataDirUnreadable extends Schema.TaggedError<DataDirUnreadable>()("DataDirUnreadable", { message: Schema.String }) {}

/**
 * For the commands that only read (versions, query, diff, validate): `--data-dir` must be a folder this
 * process can list, else one line says so (not ENOTDIR on a path inside it). A folder that does not exist
 * is left to the "no published dataset" message, which says where it looked.
 */
export const requireReadableDataDir = (dir: string): Effect.Effect<void, DataDirUnreadable> =>
  Effect.suspend(() => {
    const fail = (why: string) => Effect.fail(new DataDirUnreadable({ message: `--data-dir ${dir} ${why}` }))
    let stat
    try {
      stat = statSync(dir)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === "ENOENT") return Effect.void
      if (code === "ENOTDIR") {
        let at = dirname(dir)
        while (at !== dirname(at) && !(statSync(at, { throwIfNoEntry: false })?.isFile() ?? false)) at = dirname(at)
        return fail(`is not a directory (${at} is a file)`)
      }
      return fail(`cannot be read: ${(e as Error).message}`)
    }
    if (!stat.isDirectory()) return fail("is not a directory")
    try {
      accessSync(dir, constants.R_OK | constants.X_OK)
    } catch {
      return fail("cannot be read (permission denied)")
    }
    return Effect.void
  })
