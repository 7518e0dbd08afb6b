import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api"
import { Context, Effect, Layer, Schema, Stream } from "effect"

export class DuckDbError extends Schema.TaggedError<DuckDbError>()("DuckDbError", {
  operation: Schema.String,
  message: Schema.String
}) {}

export interface DuckDbOptions {
  /** Database file; ":memory:" (default) for scratch work such as writing Parquet parts. */
  readonly path?: string
  /** DuckDB worker threads; defaults to DuckDB's own choice (the core count). */
  readonly threads?: number
  readonly memoryLimit?: string
}

type Row = Record<string, unknown>

export interface DuckDbShape {
  /** Runs `f` with a connection of its own, closed afterwards, so concurrent callers never share one. */
  readonly use: <A>(operation: string, f: (connection: DuckDBConnection) => Promise<A>) => Effect.Effect<A, DuckDbError>
  readonly run: (sql: string) => Effect.Effect<void, DuckDbError>
  readonly all: (sql: string) => Effect.Effect<ReadonlyArray<Row>, DuckDbError>
  /** Result rows as a stream, fetched a DuckDB chunk (2048 rows) at a time. */
  readonly stream: (sql: string) => Stream.Stream<Row, DuckDbError>
}

/**
 * One DuckDB instance for the process. Settings keep it offline and out of the home directory:
 * this machine cannot download extensions, and an auto-install attempt would create ~/.duckdb.
 */
export class DuckDb extends Context.Service<DuckDb, DuckDbShape>()("autodidact/DuckDb") {
  static readonly layer = (options: DuckDbOptions = {}): Layer.Layer<DuckDb, DuckDbError> =>
    Layer.effect(DuckDb, make(options))
}

const make = (options: DuckDbOptions) =>
  Effect.gen(function* () {
    const settings: Record<string, string> = {
      autoinstall_known_extensions: "false",
      autoload_known_extensions: "true"
    }
    if (options.threads !== undefined) settings["threads"] = String(options.threads)
    if (options.memoryLimit !== undefined) settings["memory_limit"] = options.memoryLimit
    const instance = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => DuckDBInstance.create(options.path ?? ":memory:", settings),
        catch: (e) => new DuckDbError({ operation: `open ${options.path ?? ":memory:"}`, message: errorMessage(e) })
      }),
      (db) => Effect.sync(() => db.closeSync())
    )
    const use = <A>(operation: string, f: (connection: DuckDBConnection) => Promise<A>) =>
      Effect.acquireUseRelease(
        Effect.tryPromise({
          try: () => instance.connect(),
          catch: (e) => new DuckDbError({ operation: "connect", message: errorMessage(e) })
        }),
        (connection) => Effect.tryPromise({ try: () => f(connection), catch: (e) => new DuckDbError({ operation, message: errorMessage(e) }) }),
        (connection) => Effect.sync(() => connection.closeSync())
      )
    const stream = (sql: string): Stream.Stream<Row, DuckDbError> =>
      Stream.unwrap(
        Effect.gen(function* () {
          const connection = yield* Effect.acquireRelease(
            Effect.tryPromise({
              try: () => instance.connect(),
              catch: (e) => new DuckDbError({ operation: "connect", message: errorMessage(e) })
            }),
            (c) => Effect.sync(() => c.closeSync())
          )
          const result = yield* Effect.tryPromise({
            try: () => connection.stream(sql),
            catch: (e) => new DuckDbError({ operation: "query", message: errorMessage(e) })
          })
          // One DuckDB chunk (up to 2048 rows) per pull keeps memory flat on large results.
          return Stream.fromAsyncIterable(
            result.yieldRowObjectJs(),
            (e) => new DuckDbError({ operation: "fetch", message: errorMessage(e) })
          ).pipe(Stream.flattenIterable)
        })
      ) as Stream.Stream<Row, DuckDbError>
    return DuckDb.of({
      use,
      run: (sql) => use("run", (c) => c.run(sql)).pipe(Effect.asVoid),
      all: (sql) => use("query", async (c) => (await c.runAndReadAll(sql)).getRowObjectsJS() as Array<Row>),
      stream
    })
  })

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/** A SQL string literal: single quotes doubled, so paths with quotes cannot break out. */
export const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`

/** A quoted SQL identifier: double quotes doubled, so any column or view name is safe. */
export const sqlIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`
