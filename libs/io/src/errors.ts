import { Schema } from "effect"

/** Reading or writing files failed (a run's parts, a dataset's files, a lock). */
export class MaterialiseError extends Schema.TaggedError<MaterialiseError>()("MaterialiseError", {
  path: Schema.String,
  message: Schema.String
}) {}

/** Another live process holds a lock (a run, a dataset publish) and did not let go in time. */
export class LockTimeout extends Schema.TaggedError<LockTimeout>()("LockTimeout", {
  lockFile: Schema.String,
  holder: Schema.String,
  waitedMs: Schema.Number,
  message: Schema.String
}) {}

/** The message of anything thrown: an Error's own message, else its string form. */
export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e))
