import { Console, Effect } from "effect"

/** Prints a result: JSON for machines (`--json`), otherwise the human text. */
export const emit = (json: boolean, value: unknown, human: () => string): Effect.Effect<void> =>
  json ? Console.log(JSON.stringify(value, null, 2)) : Console.log(human())

/**
 * Writes to stdout as output is produced, waiting while the pipe is full. When the reader has gone
 * (EPIPE, e.g. `| head`), writes fail and `closed()` says so, so a command can stop quietly.
 */
export const stdoutWriter = () => {
  let failed: Error | undefined
  const onError = (e: Error) => void (failed ??= e)
  process.stdout.on("error", onError)
  const write = (s: string): Promise<void> =>
    new Promise((resolve, reject) => {
      if (failed !== undefined) return reject(failed)
      const more = process.stdout.write(s, (e) => {
        if (e) reject((failed ??= e))
      })
      if (more) resolve()
      else process.stdout.once("drain", () => resolve())
    })
  return { write, closed: () => failed !== undefined, release: () => void process.stdout.off("error", onError) }
}
