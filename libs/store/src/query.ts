import { stat } from "node:fs/promises"
import { join, resolve, sep } from "node:path"
import { JsonDuckDBValueConverter, type DuckDBConnection } from "@duckdb/node-api"
import { Effect } from "effect"
import { QueryError } from "./errors.ts"
import { DuckDb, errorMessage, prepareReadOnly, ReadOnlyRefusal, splitStatements, streamFailed, streamFailureMessage } from "#io"
import { chooseVersion, datasetDir, publishedVersions, versionDir } from "./layout.ts"
import { allFiles, readManifest, type Manifest } from "./manifest.ts"
import { verifyShards } from "./verified.ts"
import { createViewSql, datasetViews, type ViewDef } from "./views.ts"

/** DuckDB gives 64-bit integers as strings in JSON; counts and sums fit a JS number almost always. */
const safeNumber = (v: unknown): unknown => {
  if (typeof v !== "string") return v
  const n = Number(v)
  return Number.isSafeInteger(n) ? n : v
}

export interface QueryColumn {
  /** The name SQL gave the column; two columns may share one (`SELECT 1 AS x, 2 AS x`). */
  readonly name: string
  readonly type: string
  /** Unique among the result's columns: the name, or for a repeated name the next free `<name>_1`, `<name>_2`, ... */
  readonly key: string
}

/** Unique keys for column names: a repeat gets the lowest `_N` suffix no column of the result has. */
export const columnKeys = (names: ReadonlyArray<string>): ReadonlyArray<string> => {
  const taken = new Set<string>()
  const firsts = new Set<string>()
  const keys: Array<string | undefined> = names.map((n) => {
    if (firsts.has(n)) return undefined
    firsts.add(n)
    taken.add(n)
    return n
  })
  return keys.map((k, i) => {
    if (k !== undefined) return k
    let n = 1
    while (taken.has(`${names[i]}_${n}`)) n++
    const key = `${names[i]}_${n}`
    taken.add(key)
    return key
  })
}

/** Where a streamed query's rows go, one DuckDB chunk (up to 2,048 rows) at a time. */
export interface QuerySink {
  /** Called once, before any rows. */
  readonly columns?: (columns: ReadonlyArray<QueryColumn>) => void | Promise<void>
  /** Rows as arrays of JSON-safe values in column order (big integers beyond 2^53 and decimals as strings). */
  readonly rows: (rows: ReadonlyArray<ReadonlyArray<unknown>>) => void | Promise<void>
}

export interface QueryOptions {
  /** The version the unsuffixed views show (default LATEST). */
  readonly version?: string
  /** Hand at most about this many rows to the sink (whole chunks); the rest are counted, not converted. */
  readonly rowLimit?: number
  /** Other files or folders (every file under it) the SQL may read, e.g. a CSV to join against. */
  readonly read?: ReadonlyArray<string>
}

export interface QuerySummary {
  readonly dataset: string
  readonly version: string
  readonly views: ReadonlyArray<string>
  readonly columns: ReadonlyArray<QueryColumn>
  /** Rows the query returned (all of them, also past `rowLimit`). */
  readonly rows: number
  /** One line per version the query's views read whose shards changed since it was published. */
  readonly warnings: ReadonlyArray<string>
}

export interface QueryResult extends Omit<QuerySummary, "rows"> {
  /** Rows keyed by each column's `key`; JSON-safe values (big integers beyond 2^53 and decimals come as strings). */
  readonly rows: ReadonlyArray<Record<string, unknown>>
}

/** Whether `sql` mentions the view (as a whole word, any case; quoted or not). */
const namesView = (sql: string, view: string): boolean =>
  new RegExp(`(^|[^A-Za-z0-9_])${view.replace(/[^A-Za-z0-9_]/g, "\\$&")}($|[^A-Za-z0-9_])`, "i").test(sql)

/**
 * The check before a query: each shard of the (version, config) pairs the views named in `sql` read is
 * there with manifest.json's size and sha256. Hashes are kept in `<dataDir>/cache/query-verified.json`
 * under each file's (size, mtime, ctime, inode), so a shard is hashed once and then only stat'ed until
 * it changes (see `verifyShards`).
 */
const shardWarnings = (dataDir: string, name: string, sql: string, views: ReadonlyArray<ViewDef>, manifests: ReadonlyArray<Manifest>) =>
  Effect.promise(async () => {
    const named = views.filter((v) => namesView(sql, v.name))
    const configs = new Map<string, Set<string>>()
    for (const v of named) for (const c of v.covers) configs.set(c.version, (configs.get(c.version) ?? new Set()).add(c.config))
    const checked = manifests.flatMap((m) =>
      allFiles(m)
        .filter((f) => configs.get(m.version)?.has(f.config) === true)
        .map((f) => ({ version: m.version, name: f.path, path: join(versionDir(dataDir, name, m.version), f.path), bytes: f.bytes, sha256: f.sha256 }))
    )
    const all = manifests.flatMap((m) => allFiles(m).map((f) => join(versionDir(dataDir, name, m.version), f.path)))
    const verdicts = await verifyShards(dataDir, datasetDir(dataDir, name), checked, all)
    const warnings: Array<string> = []
    for (const m of manifests) {
      const problems = checked.flatMap((f, i) => (f.version === m.version && verdicts[i] !== undefined ? [`${f.name} ${verdicts[i]}`] : []))
      if (problems.length === 0) continue
      const shown = problems.slice(0, 3).join("; ") + (problems.length > 3 ? `; and ${problems.length - 3} more` : "")
      warnings.push(`warning: ${name} ${m.version}: ${shown}. The query read the files as they are now; ${validateHint(dataDir, name, m.version)}`)
    }
    return warnings
  })

const validateHint = (dataDir: string, name: string, version: string) =>
  `check the version with \`autodidact validate ${name} --at ${version}${dataDir === "data" ? "" : ` --data-dir ${dataDir}`}\``

/**
 * Runs SQL against a dataset, read-only, streaming the result to `sink` a chunk at a time. Views:
 * `<config>` for the chosen version (LATEST by default), `<config>_<version>` for each version,
 * `<config>_all` over all versions with a `version` column. The SQL runs in a DuckDB of its own that can
 * read the dataset's shards and nothing else, and only queries run (see `prepareReadOnly`): anything else
 * fails with a QueryError saying which statement was refused, before any statement runs.
 */
export const streamQuery = (dataDir: string, name: string, sql: string, sink: QuerySink, options: QueryOptions = {}) =>
  Effect.gen(function* () {
    // One listing and one read of LATEST; the versions' states (listVersions' size check) are not needed here.
    const published = yield* publishedVersions(dataDir, name)
    const chosen = yield* chooseVersion(name, published, options.version)
    const read = yield* Effect.forEach(published.versions, (v) => readManifest(dataDir, name, v).pipe(Effect.result))
    const manifests = read.flatMap((r) => (r._tag === "Success" ? [r.success] : []))
    // A version folder whose manifest.json cannot be read is no version (listVersions leaves it out too), so the
    // unsuffixed views have nothing to show when it is the chosen one: say so rather than a bare Catalog Error.
    const unreadable = manifests.some((m) => m.version === chosen)
      ? undefined
      : yield* readManifest(dataDir, name, chosen).pipe(
          Effect.match({ onFailure: (e) => e.message, onSuccess: () => "its manifest.json cannot be read" })
        )
    const views = datasetViews(datasetDir(dataDir, name), manifests, chosen)
    const shards = manifests.flatMap((m) => allFiles(m).map((f) => join(versionDir(dataDir, name, m.version), f.path)))
    const warnings = [...(yield* shardWarnings(dataDir, name, sql, views, manifests))]
    if (unreadable !== undefined) {
      const other = [...manifests].reverse()[0]?.version
      warnings.push(
        `warning: ${name} ${chosen}${options.version === undefined ? ", which LATEST names," : ""} cannot be read (${unreadable}), so the views without a version suffix do not exist` +
          (other === undefined ? "" : `; query another version's views (e.g. _${other}) or \`autodidact rollback ${name} ${other}\``)
      )
    }
    const db = yield* DuckDb
    // A view over a damaged version (a shard DuckDB cannot read) is left out and said, so the other views still work.
    const made: Array<string> = []
    const setup = async (c: DuckDBConnection) => {
      for (const v of views) {
        try {
          await c.run(createViewSql(v, undefined, true))
          made.push(v.name)
        } catch (e) {
          if (namesView(sql, v.name)) warnings.push(`warning: view ${v.name} is left out: ${errorMessage(e).split("\n")[0]}`)
        }
      }
    }
    const extra = yield* Effect.promise(() => Promise.all((options.read ?? []).map(async (p) => ({ p: resolve(p), dir: (await stat(p).catch(() => undefined))?.isDirectory() === true }))))
    const access = {
      readablePaths: [...shards, ...extra.filter((e) => !e.dir).map((e) => e.p)],
      readableDirectories: extra.filter((e) => e.dir).map((e) => `${e.p}${sep}`),
      setup
    }
    const r = yield* db.useLocked(`query ${name}`, access, async (c) => {
      let columns: ReadonlyArray<QueryColumn> = []
      let rows = 0
      try {
        const prepared = await prepareReadOnly(c, sql)
        try {
          for (const p of prepared.slice(0, -1)) await p.run()
          const last = prepared.at(-1)
          if (last === undefined) return { ok: false as const, error: "no SQL statement given" }
          const result = await last.stream()
          const names = result.columnNames()
          const types = result.columnTypes().map((t) => t.toString())
          const keys = columnKeys(names)
          columns = names.map((n, i) => ({ name: n, type: types[i]!, key: keys[i]! }))
          const integer = types.flatMap((t, i) => (/^(U?(BIG|HUGE)INT)$/.test(t) ? [i] : []))
          await sink.columns?.(columns)
          const limit = options.rowLimit ?? Infinity
          for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
            if (rows < limit) {
              const converted = chunk.convertRows(JsonDuckDBValueConverter) as Array<Array<unknown>>
              for (const row of converted) for (const i of integer) row[i] = safeNumber(row[i])
              await sink.rows(converted)
            }
            rows += chunk.rowCount
          }
          // An empty chunk also ends a query that failed part-way: that must not pass for the whole result.
          if (streamFailed(result)) {
            const statements = splitStatements(sql)
            const text = prepared.length === 1 ? sql : statements.length === prepared.length ? statements.at(-1)! : undefined
            const why = text === undefined ? "DuckDB stopped the query with an error part-way through its result" : await streamFailureMessage(c, text)
            throw new Error(`${why} (after ${rows.toLocaleString("en-US")} rows; the output is incomplete)`)
          }
        } finally {
          for (const p of prepared) p.destroySync()
        }
        return { ok: true as const, columns, rows }
      } catch (e) {
        const hint = "; --read PATH lets a query read another file or folder"
        if (e instanceof ReadOnlyRefusal) return { ok: false as const, error: `query is read-only: ${e.message}${e.kind === "SELECT" ? hint : ""}`, refused: true }
        const message = errorMessage(e)
        if (message.startsWith("Permission Error")) return { ok: false as const, error: `query is read-only and reads only the dataset's shards: ${message.split("\n")[0]}${hint}`, refused: true }
        return { ok: false as const, error: message }
      }
    })
    if (r.ok) return { dataset: name, version: chosen, views: made, columns: r.columns, rows: r.rows, warnings } satisfies QuerySummary
    const known = "refused" in r ? "" : advice(dataDir, name, r.error, made)
    return yield* Effect.fail(
      new QueryError({
        dataset: name,
        version: chosen,
        message: `query on dataset "${name}" ${chosen} failed: ${r.error}${known}${warnings.length === 0 ? "" : `\n${warnings.join("\n")}`}`
      })
    )
  })

/**
 * What to add to a failed query's error: the views, when DuckDB did not know a table or view; the
 * `validate` command, when it could not read or decode one of the dataset's shards (IO Error, Invalid
 * Input Error naming the file); nothing otherwise (a syntax or column error says enough).
 */
const advice = (dataDir: string, name: string, error: string, views: ReadonlyArray<string>): string => {
  if (/^Catalog Error: (Table|View|Table Function) with name /m.test(error)) return views.length === 0 ? ". No view could be made (see the warnings)" : `. Views you can use: ${views.join(", ")}`
  const shard = new RegExp(`${escapeRegExp(datasetDir(dataDir, name))}/(v\\d{4,})/\\S+\\.parquet`).exec(error) ??
    new RegExp(`datasets/${escapeRegExp(name)}/(v\\d{4,})/\\S+\\.parquet`).exec(error)
  if (shard !== null && /^(IO|Invalid Input) Error/m.test(error)) return `. The shard may be damaged: ${validateHint(dataDir, name, shard[1]!)}`
  return ""
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** `streamQuery` collected into rows (keyed by each column's `key`): for results that fit in memory. */
export const queryDataset = (dataDir: string, name: string, sql: string, version?: string) =>
  Effect.gen(function* () {
    const rows: Array<Record<string, unknown>> = []
    let keys: ReadonlyArray<string> = []
    const summary = yield* streamQuery(
      dataDir,
      name,
      sql,
      {
        columns: (columns) => void (keys = columns.map((c) => c.key)),
        rows: (chunk) => {
          for (const row of chunk) rows.push(Object.fromEntries(keys.map((k, i) => [k, row[i]])))
        }
      },
      version === undefined ? {} : { version }
    )
    return { ...summary, rows } satisfies QueryResult
  })
