#!/usr/bin/env node
import { runCli } from "./main.ts"

// Ctrl-C or SIGTERM interrupts the command (its finalizers run; runCli prints where it stopped and
// resolves to 130 or 143); a second signal stops the process at once.
const interrupt = new AbortController()
const onSignal = (signal: NodeJS.Signals) => {
  if (interrupt.signal.aborted) process.exit(signal === "SIGTERM" ? 143 : 130)
  interrupt.abort(signal)
}
process.on("SIGINT", onSignal)
process.on("SIGTERM", onSignal)
const code = await runCli(process.argv.slice(2), { signal: interrupt.signal })
// Once interrupted, what was running is stopped and its line printed: nothing is left worth waiting for.
if (interrupt.signal.aborted) process.exit(code)
process.exitCode = code
