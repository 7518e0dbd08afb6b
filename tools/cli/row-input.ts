import { open, rename, unlink } from "node:fs/promises"
import { join } from "node:path"
import { Effect } from "effect"
import { RowFileError } from "#dedup"

/**
 * An output file written in place of `<dir>/<name>` only when complete: lines are buffered and written to a
 * temporary name, which `commit` renames into place; `abort` removes it.
 */
export const outputFile = (dir: string, name: string) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        const path = join(dir, name)
        const temp = join(dir, `.${name}.tmp-${process.pid}`)
        const handle = await open(temp, "w")
        let buffer: Array<string> = []
        let size = 0
        let done = false
        const flush = async () => {
          if (buffer.length === 0) return
          const text = buffer.join("")
          buffer = []
          size = 0
          await handle.write(text)
        }
        return {
          path,
          /** Adds one line (without its newline); resolves at once unless 1 MB is waiting. */
          line: async (text: string) => {
            buffer.push(text, "\n")
            size += text.length + 1
            if (size >= 1 << 20) await flush()
          },
          commit: async () => {
            await flush()
            await handle.sync()
            await handle.close()
            done = true
            await rename(temp, path)
          },
          abort: async () => {
            if (done) return
            done = true
            await handle.close().catch(() => undefined)
            await unlink(temp).catch(() => undefined)
          }
        }
      },
      catch: (e) => new RowFileError({ message: `cannot write ${join(dir, name)}: ${(e as Error).message}` })
    }),
    (file) => Effect.promise(() => file.abort())
  )

/**
 * Progress on stderr for long inputs: nothing for the first second, then a line a second (redrawn in place on a
 * terminal), and a last line at the end when any was shown.
 */
export const progressLine = (
  label: string,
  quiet = false,
  io: { readonly now?: () => number; readonly write?: (text: string) => void; readonly tty?: boolean } = {}
) => {
  const now = io.now ?? Date.now
  const write = io.write ?? ((text: string) => void process.stderr.write(text))
  const tty = io.tty ?? process.stderr.isTTY === true
  const start = now()
  let last = start
  let shown = false
  const say = (text: string, end: boolean) => {
    if (tty) write(`\r\x1b[2K${text}${end ? "\n" : ""}`)
    else write(`${text}\n`)
  }
  const describe = (rows: number, removed: number | undefined) => {
    const s = Math.max((now() - start) / 1000, 1e-3)
    const gone = removed === undefined ? "" : `, ${removed.toLocaleString("en-US")} removed`
    return `${label}: ${rows.toLocaleString("en-US")} rows${gone}, ${Math.round(rows / s).toLocaleString("en-US")} rows/s`
  }
  return {
    /** `removed` is left out of the line when undefined. */
    update: (rows: number, removed?: number) => {
      if (quiet) return
      const t = now()
      if (t - last < 1000) return
      last = t
      shown = true
      say(describe(rows, removed), false)
    },
    done: (rows: number, removed?: number) => {
      if (shown && !quiet) say(describe(rows, removed), true)
    }
  }
}
