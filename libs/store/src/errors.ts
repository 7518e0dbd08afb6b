import { Schema } from "effect"
import type { DuckDbError, LockTimeout, MaterialiseError } from "#io"

/** Reading or writing a dataset's files failed. */
export class StoreIoError extends Schema.TaggedError<StoreIoError>()("StoreIoError", {
  path: Schema.String,
  message: Schema.String
}) {}

/** The publish request itself is wrong (no configs, a missing column, a part file that is not there). */
export class PublishInputError extends Schema.TaggedError<PublishInputError>()("PublishInputError", {
  dataset: Schema.String,
  config: Schema.optional(Schema.String),
  file: Schema.optional(Schema.String),
  message: Schema.String
}) {}

/** The staged or published files do not match what was written or what the manifest says. */
export class ValidationFailed extends Schema.TaggedError<ValidationFailed>()("ValidationFailed", {
  dataset: Schema.String,
  version: Schema.String,
  file: Schema.String,
  problems: Schema.Number,
  message: Schema.String
}) {}

/** No dataset of that name under the data folder. */
export class UnknownDataset extends Schema.TaggedError<UnknownDataset>()("UnknownDataset", {
  dataset: Schema.String,
  dataDir: Schema.String,
  message: Schema.String
}) {}

/** No such version of the dataset (or it was garbage-collected). */
export class UnknownVersion extends Schema.TaggedError<UnknownVersion>()("UnknownVersion", {
  dataset: Schema.String,
  version: Schema.String,
  message: Schema.String
}) {}

/** The analyst's SQL failed (DuckDB's message says where); the views it can use are listed. */
export class QueryError extends Schema.TaggedError<QueryError>()("QueryError", {
  dataset: Schema.String,
  version: Schema.String,
  message: Schema.String
}) {}

export type StoreError =
  | StoreIoError
  | PublishInputError
  | LockTimeout
  | ValidationFailed
  | UnknownDataset
  | UnknownVersion
  | QueryError
  | DuckDbError
  | MaterialiseError
