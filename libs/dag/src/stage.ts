import type { Effect, Schema, Stream } from "effect"
import type { Rng } from "#core"
import type { DuckDbError } from "#io"
import type { StageFailed } from "./errors.ts"

/** How reading an input stage can fail: its parts cannot be read, or the stage did not declare that input. */
export type InputError = DuckDbError | StageFailed

/**
 * What a stage sees while it runs. Rejects and counters are recorded per batch, persisted with the
 * batch's part, and summed by the engine: stages never keep their own tallies.
 */
export interface StageContext<Config> {
  readonly stage: string
  readonly seed: number
  readonly config: Config
  /** Randomness for one record: derived from (run seed, stage, record id) only. */
  readonly rng: (recordId: string) => Rng
  /** Keep a rejected record with its reason; counted in the summary under the reason. */
  readonly reject: (reason: string, record: { readonly id?: string; readonly detail?: unknown }) => void
  /** Add to a named counter (e.g. "error_type/operator"); summed over batches in the summary. */
  readonly count: (counter: string, n?: number) => void
  /** The rows of an input stage, in their materialised order. */
  readonly input: (stage: string) => Stream.Stream<unknown, InputError>
  /** How many rows an input stage produced (known before this stage starts). */
  readonly inputRows: (stage: string) => number
}

/** A JSON-shaped row schema: rows are stored as JSON, so the encoded side must be plain data. */
export type RowSchema<Row> = Schema.Codec<Row, unknown>

interface StageBase<Name extends string, Row, Config> {
  readonly name: Name
  /** Bump when the stage's logic changes: it is part of the cache key. */
  readonly version: number
  readonly inputs: ReadonlyArray<string>
  readonly schema: RowSchema<Row>
  /** Resolved configuration; part of the cache key, so everything that changes output must be here. */
  readonly config: Config
  readonly description?: string
  /**
   * Top-level fields also written as their own VARCHAR columns beside `row` in every part, for readers
   * that need only them (the store reads `id`, `task_id` and the split column of published stages this
   * way instead of parsing each row's JSON). Values read as json_extract_string gives them.
   */
  readonly keyColumns?: ReadonlyArray<string>
}

/**
 * A stream stage produces its rows as one ordered stream (a seed reader, a global dedup). The engine
 * cuts the stream into parts of `partRows` rows; after a kill, the stream is run again and the rows
 * of finished parts are skipped rather than rewritten.
 *
 * The stream declares the services it needs (`R`) and the errors it raises (`E`). An error fails the
 * stage; it names its record only by being a RecordError (or another tagged error with a `record`
 * field): the engine has no input row of its own to name.
 */
export interface StreamStage<Name extends string, Row, Config, E = never, R = never> extends StageBase<Name, Row, Config> {
  readonly kind: "stream"
  readonly partRows?: number
  /** Rows, and NO_ROW where a record was rejected (so rejects are written per part, not held until the next row). */
  readonly run: (ctx: StageContext<Config>) => Stream.Stream<Row | NoRow, E, R>
}

/**
 * What a stream stage emits in place of a row it rejected: no row is written, but the engine gets
 * the chance to cut a part when MAX_PART_REJECTS rejects have piled up, so a long run of rejected
 * records (a seed file of mostly bad rows) is written and freed part by part rather than held in
 * memory until the next row or the end of the stream.
 */
export const NO_ROW: unique symbol = Symbol.for("autodidact/dag/NO_ROW")
export type NoRow = typeof NO_ROW

/** A stream stage's part is cut at this many rejects even when it has fewer than `partRows` rows. */
export const MAX_PART_REJECTS = 10_000

/**
 * A map stage processes its first input in fixed batches of `batchSize` rows; batch k becomes part k,
 * so batches may run concurrently and a resumed run redoes only the batches with no finished part.
 *
 * `process` declares the services it needs (`R`) and the errors it raises (`E`). An error fails the
 * stage naming the batch, and the record when the error is a RecordError (or another tagged error with
 * a `record` field), or else when the batch holds one row only, by `recordId` of that row.
 */
export interface MapStage<Name extends string, In, Row, Config, E = never, R = never> extends StageBase<Name, Row, Config> {
  readonly kind: "map"
  readonly batchSize?: number
  readonly concurrency?: number
  readonly process: (batch: ReadonlyArray<In>, ctx: StageContext<Config>) => Effect.Effect<ReadonlyArray<Row>, E, R>
  /** How an error names an input row (default: the row's `id` field, when it has one). */
  readonly recordId?: (row: In) => string | undefined
  /**
   * The stage promises that `process(batch)` gives, row for row, what `process([row])` gives for each row
   * (its rows, rejects and counters, in batch order), from the row, the config, `ctx.rng` of the row's id
   * and what `ctx` says about inputs, and nothing else. The engine then calls `process` one row at a time
   * and keeps each row's outcome in a memo by the stage's identity (name, version, seed, config, key
   * columns; not its inputs' keys), so a later run reuses the outcome of every input row it has seen and
   * computes only new or changed rows (memo.ts). Output and figures are those of a full recompute.
   */
  readonly rowIndependent?: boolean
}

/**
 * A row stage processes its first input one row at a time, for work whose duration varies from row to
 * row (a model call): at most `window` rows are worked on at once, and the next row starts as soon as
 * any one finishes, across batch boundaries, so one slow row never holds the others back. Rows are
 * committed in order, in batches of `batchSize` (batch k becomes part k, as for a map stage), through a
 * reorder buffer of at most `reorderRows` started rows; so resume and byte-identical output hold.
 *
 * `process` declares the services it needs (`R`, e.g. the language model) and the errors it raises
 * (`E`); an error fails the stage, naming the row by the error's own `record` (a RecordError, or another
 * tagged error with a `record` field), else by `recordId` (a row the stage chooses to drop is a
 * `ctx.reject`, not an error). `window` and `reorderRows` change speed, never output: they are not
 * part of the cache key.
 */
export interface RowStage<Name extends string, In, Row, Config, E = never, R = never> extends StageBase<Name, Row, Config> {
  readonly kind: "rows"
  readonly batchSize?: number
  readonly window?: number
  readonly reorderRows?: number
  readonly process: (row: In, ctx: StageContext<Config>) => Effect.Effect<ReadonlyArray<Row>, E, R>
  /** How an error names the row (default: the row's `id` field, when it has one). */
  readonly recordId?: (row: In) => string | undefined
}

/** Any stage; `R` is what the pipeline's stages need from the environment (never, for offline pipelines). */
export type Stage<R = never> = StreamStage<string, any, any, any, R> | MapStage<string, any, any, any, any, R> | RowStage<string, any, any, any, any, R>

/** The services a list of stages needs: the union of every stage's `R`, whatever its kind. */
export type StageRequirements<S> = S extends StreamStage<string, any, any, any, infer R>
  ? R
  : S extends MapStage<string, any, any, any, any, infer R>
    ? R
    : S extends RowStage<string, any, any, any, any, infer R>
      ? R
      : never

/** The default `recordId`: the row's own `id` field, when it is a string. */
export const rowIdOf = (row: unknown): string | undefined =>
  typeof row === "object" && row !== null && typeof (row as { readonly id?: unknown }).id === "string" ? (row as { readonly id: string }).id : undefined

export const DEFAULT_PART_ROWS = 10_000
export const DEFAULT_BATCH_SIZE = 1_000
/** Rows a row stage works on at once, unless it says otherwise. */
export const DEFAULT_WINDOW = 64
/** A row stage's reorder buffer, in windows: enough for rows 20x slower than most to keep the window full. */
export const REORDER_WINDOWS = 32

export const streamStage = <const Name extends string, Row, Config, E = never, R = never>(
  stage: Omit<StreamStage<Name, Row, Config, E, R>, "kind">
): StreamStage<Name, Row, Config, E, R> => ({ kind: "stream", ...stage })

export const mapStage = <In, const Name extends string = string, Row = unknown, Config = unknown, E = never, R = never>(
  stage: Omit<MapStage<Name, In, Row, Config, E, R>, "kind">
): MapStage<Name, In, Row, Config, E, R> => {
  if (stage.inputs.length === 0) throw new TypeError(`map stage "${stage.name}" needs an input to map over`)
  return { kind: "map", ...stage }
}

export const rowStage = <In, const Name extends string = string, Row = unknown, Config = unknown, E = never, R = never>(
  stage: Omit<RowStage<Name, In, Row, Config, E, R>, "kind">
): RowStage<Name, In, Row, Config, E, R> => {
  if (stage.inputs.length === 0) throw new TypeError(`row stage "${stage.name}" needs an input to go through`)
  return { kind: "rows", ...stage }
}
