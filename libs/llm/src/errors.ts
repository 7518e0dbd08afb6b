import { Schema } from "effect"

/**
 * Why one attempt at a chat completion failed. `retryable` says whether sending the same request again
 * can succeed (429, 5xx, 408, timeouts, resets, a malformed body); `retryAfterMs` is the server's own word
 * on when (Retry-After or retry-after-ms). Messages name the endpoint by URL only, never the key.
 */
export class AttemptFailed extends Schema.TaggedError<AttemptFailed>()("AttemptFailed", {
  endpoint: Schema.String,
  kind: Schema.Literals(["http", "timeout", "transport", "malformed"]),
  status: Schema.optional(Schema.Number),
  retryable: Schema.Boolean,
  retryAfterMs: Schema.optional(Schema.Number),
  message: Schema.String
}) {}

/** An endpoint cannot serve the run: wrong URL, wrong key, unknown model. Found before any stage runs. */
export class EndpointUnusable extends Schema.TaggedError<EndpointUnusable>()("EndpointUnusable", {
  endpoint: Schema.String,
  message: Schema.String
}) {}
