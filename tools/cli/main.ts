import { Cause, Effect, Exit, Layer } from "effect"
import { Command } from "effect/cli"
import { isCliError } from "effect/cli/CliError"
// The subpath, not the package index: the index also loads Redis and WebSocket modules (~0.4 s at start-up).
import * as NodeServices from "@effect/platform-node/NodeServices"
import { DuckDb } from "#io"
import { buildCommand } from "./commands/build.ts"
import { refreshCommand } from "./commands/refresh.ts"
import { verifyCommand } from "./commands/verify.ts"
import { dedupCommand } from "./commands/dedup.ts"
import { decontaminateCommand } from "./commands/decontaminate.ts"
import { storeCommands } from "./commands/store.ts"
import { formatError } from "./errors.ts"
import { RunWhereabouts, Whereabouts } from "./interrupt.ts"
import { usagePresenter } from "./usage.ts"
import packageJson from "../../package.json" with { type: "json" }

export const root = Command.make("autodidact").pipe(
  Command.withDescription(
    "Builds synthetic self-training datasets for language models: seed tasks → generation → verification → " +
      "error injection → dedup → versioned Parquet shards."
  ),
  Command.withSubcommands([buildCommand, refreshCommand, verifyCommand, dedupCommand, decontaminateCommand, ...storeCommands])
)

/**
 * `query` and `validate` took the dataset version as `--version vN` before it became `--at vN`; the global
 * `--version` (`-v`) prints autodidact's version and exits 0, so `validate math -v v1` (or `-v1`,
 * `--version=v1`, or a bare `-v` after `--at v1`) would pass without validating anything. After one of
 * these commands, any form of it is a usage error pointing at --at; `autodidact --version` still works.
 */
export const misplacedVersionFlag = (args: ReadonlyArray<string>): string | undefined => {
  if (args[0] !== "query" && args[0] !== "validate") return undefined
  const i = args.findIndex((a, k) => k > 0 && /^(-v|--version)$|^--version=|^-v[v=]?\d/.test(a))
  if (i < 0) return undefined
  const flag = args[i]!
  const attached = /^(?:--version=|-v=?)(.+)$/.exec(flag)?.[1]
  const value = attached ?? (/^v?\d+$/i.test(args[i + 1] ?? "") ? args[i + 1] : undefined)
  const at = value !== undefined && /^v?\d+$/i.test(value) ? `--at ${/^\d/.test(value) ? "v" : ""}${value}` : "--at vN"
  return `${flag} is autodidact's own version flag (\`autodidact --version\`); \`${args[0]}\` chooses the dataset version with ${at}`
}

/**
 * Runs the command line and resolves to the exit code: 0 success, 1 a failure (the message names the
 * stage, file or record), 2 a usage error (unknown flag, bad value, unknown pipeline), 130 or 143 when
 * `signal` is aborted (by bin.ts on SIGINT or SIGTERM, with the signal's name as the reason): the
 * command is interrupted, so its finalizers run (locks released, no partial part kept), and one line
 * says where it stopped and that the same command resumes it.
 */
export const runCli = (args: ReadonlyArray<string>, options: { readonly signal?: AbortSignal } = {}): Promise<number> => {
  const misplaced = misplacedVersionFlag(args)
  if (misplaced !== undefined) {
    process.stderr.write(`error: ${misplaced}\n`)
    return Promise.resolve(2)
  }
  const where = new Whereabouts()
  const program = Command.runWith(root, { version: packageJson.version })(args).pipe(
    Effect.provide(Layer.mergeAll(NodeServices.layer, DuckDb.layer(), usagePresenter, Layer.succeed(RunWhereabouts, where)))
  )
  return Effect.runPromiseExit(program as Effect.Effect<void, unknown>, options.signal === undefined ? {} : { signal: options.signal }).then((exit) => {
    if (Exit.isSuccess(exit)) return 0
    if (options.signal?.aborted && Cause.hasInterrupts(exit.cause)) {
      process.stderr.write(`${where.interruptedMessage()}\n`)
      return options.signal.reason === "SIGTERM" ? 143 : 130
    }
    const error = Cause.squash(exit.cause)
    if (isCliError(error)) {
      // The usage presenter has already printed the one-line parse error (or the help asked for).
      if (error._tag === "ShowHelp") return error.errors.length === 0 ? 0 : 2
      return 2
    }
    const tag = (error as { _tag?: string })._tag
    process.stderr.write(`error: ${formatError(error)}\n`)
    return tag === "UsageError" ? 2 : 1
  })
}
