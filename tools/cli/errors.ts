import { Effect, Schema } from "effect"
import { describeFailure, messageOf } from "#dag"

/** A command was called wrongly (unknown pipeline, bad flag value): exit code 2, like a parse error. */
export class UsageError extends Schema.TaggedError<UsageError>()("UsageError", { message: Schema.String }) {}

/** Handlers for `Effect.catchTags`: an unknown dataset or version is a usage error (exit code 2), not a failure. */
export const unknownToUsage = {
  UnknownDataset: (e: { readonly message: string }) => Effect.fail(new UsageError({ message: e.message })),
  UnknownVersion: (e: { readonly message: string }) => Effect.fail(new UsageError({ message: e.message }))
}

/** One line saying what failed, where, and (from the error's own text) what to do. Never includes secrets. */
export const formatError = (error: unknown): string => {
  if (typeof error === "object" && error !== null && "_tag" in error) {
    const e = error as { _tag: string } & Record<string, unknown>
    if (e._tag === "StageFailed" || e._tag === "StageSkipped") return describeFailure(error as never)
  }
  return messageOf(error)
}
