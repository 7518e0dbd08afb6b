import { Clock, Cron, Effect, Result } from "effect"
import { UsageError } from "./errors.ts"

/**
 * A cron expression (5 fields, or 6 with seconds first) read in UTC, so a schedule means the same on every
 * host whatever its time zone; or a usage error saying what is wrong with it.
 */
export const parseCron = (expr: string): Effect.Effect<Cron.Cron, UsageError> => {
  const parsed = Cron.parse(expr, "UTC")
  return Result.isSuccess(parsed)
    ? Effect.succeed(parsed.success)
    : Effect.fail(new UsageError({ message: `--cron "${expr}" is not a cron expression: ${parsed.failure.message} (e.g. "0 3 * * *" for 03:00 every day)` }))
}

/**
 * Runs `job` at every time `cron` names, for ever: says when the next run is, sleeps until then on the
 * Effect clock (so a test moves time with TestClock), runs the job, and looks again from the time it
 * ended. A job that overruns the next time skips it rather than piling runs up.
 */
export const onSchedule = <E, R>(cron: Cron.Cron, job: Effect.Effect<void, E, R>, announce: (next: Date) => Effect.Effect<void>): Effect.Effect<never, E, R> =>
  Effect.gen(function* () {
    for (;;) {
      const now = yield* Clock.currentTimeMillis
      const next = Cron.next(cron, now)
      yield* announce(next)
      yield* Effect.sleep(next.getTime() - now)
      yield* job
    }
  })
