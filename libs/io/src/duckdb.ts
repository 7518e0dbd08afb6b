import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { randomBytes } from "node:crypto"
import { tmpdir, totalmem } from "node:os"
import { join } from "node:path"
import { DuckDBInstance, ResultReturnType, StatementType, type DuckDBConnection, type DuckDBPreparedStatement, type DuckDBResult } from "@duckdb/node-api"
import { Context, Effect, Layer, Schema, Stream } from "effect"
import { errorMessage } from "./errors.ts"
import { pidAlive } from "./lock.ts"
import { sqlStringList } from "./sql.ts"

export class DuckDbError extends Schema.TaggedError<DuckDbError>()("DuckDbError", {
  operation: Schema.String,
  message: Schema.String
}) {}

export interface DuckDbOptions {
  /** Database file; ":memory:" (default) for scratch work such as writing Parquet parts. */
  readonly path?: string
  /** DuckDB worker threads; defaults to DuckDB's own choice (the core count). */
  readonly threads?: number
  /** DuckDB's memory_limit, e.g. "2GB" (default `defaultMemoryLimit()`): past it, sorts and tables spill to disk. */
  readonly memoryLimit?: string
  /**
   * The folder DuckDB spills under (default the OS temp folder): the instance spills into a subfolder of
   * its own there, `duckdb-<pid>-<random>`, removed when it closes. Builds pass `<data>/cache/duckdb-tmp`,
   * the disk the data is on, rather than a /tmp that may be small or in memory.
   */
  readonly tempDirectory?: string
}

/** The share of the machine's memory DuckDB may use by default (its own default is 80%). */
const DEFAULT_MEMORY_SHARE = 1 / 10
const MIN_MEMORY_LIMIT = 1024 ** 3

/**
 * DuckDB's default memory limit here: a tenth of the machine's memory, at least 1 GiB (2.4 GiB on a
 * 24 GiB machine). Under DuckDB's own default, 80%, a publish holds its whole staged table in memory
 * (2.7 GiB of process at 1M rows, ~10x at 10M); under this one the sort and the table spill to the temp
 * folder, and the process, which peaks at about 0.5 GiB above DuckDB's limit, stays under 4 GB at 10M
 * rows (README, Benchmarks: Scale). DuckDB's sort of publish-sized rows needs about 400 MB to run at all.
 */
export const defaultMemoryLimit = (total: number = totalmem()): string =>
  `${Math.floor(Math.max(MIN_MEMORY_LIMIT, total * DEFAULT_MEMORY_SHARE) / 1024 ** 2)}MiB`

/** The name of an instance's spill folder: the process id makes a dead process's folder recognisable. */
const SPILL_FOLDER = /^duckdb-(\d+)-[0-9a-f]+$/

/**
 * A private spill folder under `parent` (not created: DuckDB makes it when it first spills), after
 * removing the folders there of processes that no longer run (a killed build leaves its spill behind).
 */
export const spillFolder = (parent: string): string => {
  mkdirSync(parent, { recursive: true })
  for (const entry of readdirSync(parent)) {
    const pid = SPILL_FOLDER.exec(entry)?.[1]
    if (pid !== undefined && !pidAlive(Number(pid))) rmSync(join(parent, entry), { recursive: true, force: true })
  }
  return join(parent, `duckdb-${process.pid}-${randomBytes(4).toString("hex")}`)
}

type Row = Record<string, unknown>

export interface DuckDbShape {
  /** Runs `f` with a connection of its own, closed afterwards, so concurrent callers never share one. */
  readonly use: <A>(operation: string, f: (connection: DuckDBConnection) => Promise<A>) => Effect.Effect<A, DuckDbError>
  readonly run: (sql: string) => Effect.Effect<void, DuckDbError>
  readonly all: (sql: string) => Effect.Effect<ReadonlyArray<Row>, DuckDbError>
  /** Result rows as a stream, fetched a DuckDB chunk (2048 rows) at a time. */
  readonly stream: (sql: string) => Stream.Stream<Row, DuckDbError>
  /**
   * Runs `f` on a connection to a fresh in-memory DuckDB of its own (this instance is untouched) that can
   * read `access.readablePaths` / `readableDirectories` and nothing else on disk: external access off,
   * extension install and autoload off, then `access.setup` (e.g. views over those files), then the
   * configuration locked so SQL cannot undo any of it. It still runs any statement it is given: callers
   * that take SQL from users check statement types as well (`prepareReadOnly`).
   */
  readonly useLocked: <A>(operation: string, access: LockedAccess, f: (connection: DuckDBConnection) => Promise<A>) => Effect.Effect<A, DuckDbError>
}

export interface LockedAccess {
  /** Files the connection may read (DuckDB's `allowed_paths`). */
  readonly readablePaths: ReadonlyArray<string>
  /** Folders whose files the connection may read (DuckDB's `allowed_directories`). */
  readonly readableDirectories?: ReadonlyArray<string>
  /** Runs after access is restricted and before the configuration is locked (e.g. CREATE VIEW over the files). */
  readonly setup?: (connection: DuckDBConnection) => Promise<void>
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
    settings["memory_limit"] = options.memoryLimit ?? defaultMemoryLimit()
    const instance = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: async () => {
          // Without it DuckDB spills to ".tmp" under the working directory, wherever that is.
          const spill = spillFolder(options.tempDirectory ?? tmpdir())
          try {
            return { db: await DuckDBInstance.create(options.path ?? ":memory:", { ...settings, temp_directory: spill }), spill }
          } catch (e) {
            rmSync(spill, { recursive: true, force: true })
            throw e
          }
        },
        catch: (e) => new DuckDbError({ operation: `open ${options.path ?? ":memory:"}`, message: errorMessage(e) })
      }),
      ({ db, spill }) =>
        Effect.sync(() => {
          db.closeSync()
          rmSync(spill, { recursive: true, force: true })
        })
    ).pipe(Effect.map(({ db }) => db))
    const use = <A>(operation: string, f: (connection: DuckDBConnection) => Promise<A>) =>
      Effect.acquireUseRelease(
        Effect.tryPromise({
          try: () => instance.connect(),
          catch: (e) => new DuckDbError({ operation: "connect", message: errorMessage(e) })
        }),
        (connection) => runOn(operation, connection, f),
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
            // A stream stopped early (interrupted) may have a fetch in flight: stop it before closing.
            (c) => Effect.promise(() => settled(c, inFlight)).pipe(Effect.andThen(Effect.sync(() => c.closeSync())))
          )
          let inFlight: Promise<unknown> = Promise.resolve()
          const result = yield* runOn("query", connection, (c) => c.stream(sql))
          const chunks = result.yieldRowObjectJs()
          // One DuckDB chunk (up to 2048 rows) per pull keeps memory flat on large results. A query that
          // fails mid-way ends like one that is done (see `streamFailed`): the end is checked, so a reader
          // never takes a truncated result for a whole one.
          const pull = async () => {
            const next = await chunks.next()
            if (next.done === true && streamFailed(result)) throw new Error(await streamFailureMessage(connection, sql))
            return next
          }
          return Stream.fromAsyncIterable(
            {
              [Symbol.asyncIterator]: () => ({
                next: () => {
                  const next = pull()
                  inFlight = next
                  return next
                }
              })
            },
            (e) => new DuckDbError({ operation: "fetch", message: errorMessage(e) })
          ).pipe(Stream.flattenIterable)
        })
      ) as Stream.Stream<Row, DuckDbError>
    const useLocked = <A>(operation: string, access: LockedAccess, f: (connection: DuckDBConnection) => Promise<A>) =>
      Effect.acquireUseRelease(
        Effect.tryPromise({
          try: async () => {
            // DuckDB lets a connection read and write its temp directory whatever the other settings say,
            // and its default is ".tmp" under the working directory: a data folder in there would be open
            // to writes. A private spill folder outside it keeps the lock what it says.
            const spill = mkdtempSync(join(tmpdir(), "autodidact-query-spill-"))
            const locked = await DuckDBInstance.create(":memory:", { ...settings, autoload_known_extensions: "false", temp_directory: spill }).catch((e: unknown) => {
              rmSync(spill, { recursive: true, force: true })
              throw e
            })
            try {
              const connection = await locked.connect()
              await connection.run(`SET allowed_paths = ${sqlStringList(access.readablePaths)}`)
              await connection.run(`SET allowed_directories = ${sqlStringList(access.readableDirectories ?? [])}`)
              await connection.run("SET enable_external_access = false")
              await access.setup?.(connection)
              await connection.run("SET lock_configuration = true")
              return { locked, connection, spill }
            } catch (e) {
              locked.closeSync()
              rmSync(spill, { recursive: true, force: true })
              throw e
            }
          },
          catch: (e) => new DuckDbError({ operation: `${operation}: open a locked DuckDB`, message: errorMessage(e) })
        }),
        ({ connection }) => runOn(operation, connection, f),
        ({ locked, connection, spill }) =>
          Effect.sync(() => {
            connection.closeSync()
            locked.closeSync()
            rmSync(spill, { recursive: true, force: true })
          })
      )
    return DuckDb.of({
      use,
      useLocked,
      run: (sql) => use("run", (c) => c.run(sql)).pipe(Effect.asVoid),
      all: (sql) => use("query", async (c) => (await c.runAndReadAll(sql)).getRowObjectsJS() as Array<Row>),
      stream
    })
  })

/**
 * `f(connection)` as an Effect that, when interrupted (Ctrl-C, a failing sibling), asks DuckDB to stop
 * the query and waits until it has stopped: the caller closes the connection next, and closing it while
 * a query still runs on DuckDB's threads crashes the process (SIGSEGV).
 */
const runOn = <A>(operation: string, connection: DuckDBConnection, f: (connection: DuckDBConnection) => Promise<A>): Effect.Effect<A, DuckDbError> =>
  Effect.callback<A, DuckDbError>((resume) => {
    let pending: Promise<A>
    try {
      pending = f(connection)
    } catch (e) {
      return resume(Effect.fail(new DuckDbError({ operation, message: errorMessage(e) })))
    }
    pending.then(
      (a) => resume(Effect.succeed(a)),
      (e) => resume(Effect.fail(new DuckDbError({ operation, message: errorMessage(e) })))
    )
    return Effect.promise(() => settled(connection, pending))
  })

/** Connections whose work was interrupted: a stream that ends on them ends on that, not on an error worth a second run. */
const stopped = new WeakSet<DuckDBConnection>()

/** Interrupts what runs on `connection` and resolves once `pending` has settled, whichever way. */
const settled = (connection: DuckDBConnection, pending: Promise<unknown>): Promise<void> => {
  stopped.add(connection)
  connection.interrupt()
  return pending.then(
    () => undefined,
    () => undefined
  )
}

/** A statement a read-only session will not run: `statement` counts from 1; `kind` is e.g. "COPY". */
export class ReadOnlyRefusal extends Error {
  readonly statement: number
  readonly kind: string | undefined
  constructor(statement: number, kind: string | undefined, reason: string) {
    super(`statement ${statement}${kind === undefined ? "" : ` (${kind})`} was refused: ${reason}`)
    this.statement = statement
    this.kind = kind
  }
}

const statementKind = (t: StatementType): string => {
  switch (t) {
    case StatementType.VARIABLE_SET:
    case StatementType.SET:
      return "SET"
    case StatementType.LOAD:
      return "INSTALL or LOAD"
    default:
      return (StatementType[t] ?? `statement type ${t}`).replaceAll("_", " ")
  }
}

/**
 * Whether a streamed result stopped on an error rather than at its end. In @duckdb/node-api 1.5.6
 * `fetchChunk()` gives an empty chunk both when a streaming result is done and when it failed (the C
 * API's `duckdb_fetch_chunk` returns NULL for both, and the binding does not pass on
 * `duckdb_result_error`); but the C API's `duckdb_result_return_type` answers INVALID once the result
 * holds an error, so `returnType` tells them apart. Call it after the empty chunk.
 */
export const streamFailed = (result: DuckDBResult): boolean => result.returnType === ResultReturnType.INVALID

/**
 * DuckDB's message for a streamed query that failed (`streamFailed`). The binding does not expose it, so
 * the query runs again with every column of every row hashed into one aggregate (memory stays flat, and
 * no column can be optimised away) and that run's error is the message; a query that does not fail the
 * second time (it is not deterministic) or cannot be wrapped gets a plain one. Only a single SELECT is
 * wrapped, and it runs on the caller's connection, so a locked connection stays locked. A connection
 * that was interrupted (Ctrl-C) is not run again: its message is "interrupted".
 */
export const streamFailureMessage = async (connection: DuckDBConnection, sql: string): Promise<string> => {
  if (stopped.has(connection)) return "interrupted"
  const plain = "DuckDB stopped the query with an error part-way through its result (the rows before it were returned; the error text could not be read back)"
  const body = sql.trim().replace(/;\s*$/, "")
  try {
    const extracted = await connection.extractStatements(`SELECT max(hash(t)) AS h FROM (${body}) AS t`)
    if (extracted.count !== 1) return plain
    const p = await extracted.prepare(0)
    try {
      if (p.statementType !== StatementType.SELECT) return plain
      await p.run()
    } finally {
      p.destroySync()
    }
    return plain
  } catch (e) {
    return errorMessage(e)
  }
}

/** SELECT covers FROM-first queries, VALUES, WITH, DESCRIBE, SUMMARIZE, SHOW and PRAGMA table_info. */
const READ_ONLY_TYPES: ReadonlySet<StatementType> = new Set([StatementType.SELECT, StatementType.EXPLAIN])

/**
 * Prepares every statement in `sql` before any runs and refuses the batch (`ReadOnlyRefusal`) when one is
 * not a query: COPY, ATTACH, CREATE, INSERT, EXPORT, INSTALL/LOAD, SET, CALL, PRAGMA with effects, ... A
 * statement that reads a file the connection may not read (see `useLocked`) is refused the same way.
 */
export const prepareReadOnly = async (connection: DuckDBConnection, sql: string): Promise<ReadonlyArray<DuckDBPreparedStatement>> => {
  if (sql.trim() === "") throw new Error("no SQL statement given")
  const extracted = await connection.extractStatements(sql)
  const prepared: Array<DuckDBPreparedStatement> = []
  try {
    for (let i = 0; i < extracted.count; i++) {
      let statement: DuckDBPreparedStatement
      try {
        statement = await extracted.prepare(i)
      } catch (e) {
        const message = errorMessage(e)
        if (message.startsWith("Permission Error")) {
          throw new ReadOnlyRefusal(i + 1, statementHead(sql, i), `it reads or writes a file it may not (${firstLine(message)})`)
        }
        throw e
      }
      prepared.push(statement)
      // EXPLAIN ANALYZE runs what it explains (a COPY writes its file): what follows EXPLAIN must be a query too.
      if (statement.statementType === StatementType.EXPLAIN) await checkExplained(connection, sql, extracted.count, i + 1)
      if (!READ_ONLY_TYPES.has(statement.statementType)) {
        const kind = statementKind(statement.statementType)
        const pivot = statement.statementType === StatementType.CREATE && /\bPIVOT\b/i.test(sql) ? "; a PIVOT without an IN list creates a type first: list the values, PIVOT ... ON col IN (...)" : ""
        throw new ReadOnlyRefusal(i + 1, kind, `only queries run (SELECT, FROM, WITH, VALUES, DESCRIBE, SUMMARIZE, SHOW, EXPLAIN)${pivot}`)
      }
    }
    return prepared
  } catch (e) {
    for (const p of prepared) p.destroySync()
    throw e
  }
}

/**
 * Refuses an EXPLAIN unless the statement it explains is itself a query: `EXPLAIN ANALYZE` (also
 * `EXPLAIN (ANALYZE)`) runs it. The statement is found in the text, after `EXPLAIN`, its `ANALYZE` /
 * `VERBOSE` words and its `(options)`, with comments skipped as DuckDB does (nested block comments
 * too), and is prepared on its own. So that the text is surely DuckDB's statement, an EXPLAIN has to be
 * the batch's only statement.
 */
const checkExplained = async (connection: DuckDBConnection, sql: string, count: number, statement: number): Promise<void> => {
  if (count !== 1) throw new ReadOnlyRefusal(statement, "EXPLAIN", "an EXPLAIN runs only as the only statement of the SQL given")
  const inner = explainedStatement(sql)
  if (inner === undefined) throw new ReadOnlyRefusal(statement, "EXPLAIN", "the statement it explains could not be told apart from EXPLAIN's options")
  let extracted
  try {
    extracted = await connection.extractStatements(inner)
  } catch (e) {
    throw new ReadOnlyRefusal(statement, "EXPLAIN", `the statement it explains does not parse on its own (${firstLine(errorMessage(e))})`)
  }
  if (extracted.count !== 1) throw new ReadOnlyRefusal(statement, "EXPLAIN", "it must explain exactly one statement")
  let p: DuckDBPreparedStatement
  try {
    p = await extracted.prepare(0)
  } catch (e) {
    const message = errorMessage(e)
    if (message.startsWith("Permission Error")) throw new ReadOnlyRefusal(statement, "EXPLAIN", `it reads or writes a file it may not (${firstLine(message)})`)
    throw e
  }
  try {
    if (p.statementType === StatementType.EXPLAIN) return await checkExplained(connection, inner, 1, statement)
    if (p.statementType !== StatementType.SELECT) {
      throw new ReadOnlyRefusal(statement, `EXPLAIN ${statementKind(p.statementType)}`, "EXPLAIN ANALYZE runs the statement it explains, and only queries run (SELECT, FROM, WITH, VALUES, DESCRIBE, SUMMARIZE, SHOW)")
    }
  } finally {
    p.destroySync()
  }
}

/** Skips whitespace and comments (`--` to the end of the line; `/* ... *\/`, nested as DuckDB nests them) from `i`. */
const skipSpace = (sql: string, i: number): number => {
  for (;;) {
    while (i < sql.length && /\s/.test(sql[i]!)) i++
    if (sql.startsWith("--", i)) {
      const end = sql.indexOf("\n", i)
      i = end < 0 ? sql.length : end + 1
    } else if (sql.startsWith("/*", i)) {
      let depth = 1
      i += 2
      while (i < sql.length && depth > 0) {
        if (sql.startsWith("/*", i)) (depth++, (i += 2))
        else if (sql.startsWith("*/", i)) (depth--, (i += 2))
        else i++
      }
      if (depth > 0) return sql.length
    } else return i
  }
}

/**
 * The text of the statement an `EXPLAIN` explains (`sql` holding just that EXPLAIN), or undefined when
 * it does not start `EXPLAIN [ANALYZE|ANALYSE] [VERBOSE] [(options)]` in a form read here.
 */
export const explainedStatement = (sql: string): string | undefined => {
  let i = skipSpace(sql, 0)
  const word = () => /^[A-Za-z_]+/.exec(sql.slice(i))?.[0]?.toUpperCase()
  if (word() !== "EXPLAIN") return undefined
  i = skipSpace(sql, i + "EXPLAIN".length)
  for (let w = word(); w === "ANALYZE" || w === "ANALYSE" || w === "VERBOSE"; w = word()) i = skipSpace(sql, i + w.length)
  if (sql[i] === "(") {
    const options = /^\(([A-Za-z0-9_\s,'"]*)\)/.exec(sql.slice(i))
    const after = options === null ? undefined : skipSpace(sql, i + options[0].length)
    // `EXPLAIN (SELECT 1)` explains a parenthesised query, not options.
    if (after !== undefined && after < sql.length && !/^(select|with|from|values|table)\b/i.test(options![1]!.trim())) i = after
  }
  const inner = sql.slice(i)
  return inner.trim() === "" ? undefined : inner
}

/**
 * The first keyword of the `index`th statement in `sql`, for messages when DuckDB refuses a statement before
 * its type is known: statements split at semicolons outside quotes and comments.
 */
const statementHead = (sql: string, index: number): string | undefined =>
  /^\s*\(?\s*([A-Za-z]+)/.exec(splitStatements(sql)[index] ?? "")?.[1]?.toUpperCase()

/** The statements of `sql`, split at semicolons outside quotes and comments (comments become spaces). */
export const splitStatements = (sql: string): ReadonlyArray<string> => {
  const statements: Array<string> = []
  let current = ""
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!
    if (ch === "'" || ch === '"') {
      const end = sql.indexOf(ch, i + 1)
      const stop = end < 0 ? sql.length : end
      current += sql.slice(i, stop + 1)
      i = stop
    } else if (ch === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i)
      i = end < 0 ? sql.length : end
      current += " "
    } else if (ch === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2)
      i = end < 0 ? sql.length : end + 1
      current += " "
    } else if (ch === ";") {
      if (current.trim() !== "") statements.push(current)
      current = ""
    } else current += ch
  }
  if (current.trim() !== "") statements.push(current)
  return statements
}

const firstLine = (s: string) => s.split("\n")[0]!.replace(/^Permission Error: /, "")
