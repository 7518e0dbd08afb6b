import { randomBytes } from "node:crypto"
import { join } from "node:path"
import type { DuckDBConnection } from "@duckdb/node-api"
import { Effect } from "effect"
import { DuckDb, ensureDir, errorMessage, fileDigest, fsyncPath, sqlIdent, sqlString, sqlStringList, type DuckDbError, type MaterialiseError } from "#io"
import type { PhaseUpdate } from "#dag"
import { PublishInputError, StoreIoError } from "./errors.ts"
import { jsonStructure, shuffleKey, testSplitPredicate } from "./sql.ts"
import { cutoffPredicate } from "./test-split.ts"

export interface ColumnSpec {
  readonly name: string
  /** DuckDB type, e.g. "VARCHAR", "BIGINT", "STRUCT(role VARCHAR, content VARCHAR)[]". */
  readonly type: string
  readonly description: string
}

export interface ConfigSpec {
  /** "sft", "preference", "step_preference", "correction", "rl". */
  readonly name: string
  readonly description: string
  /** Every row has at least "id" (unique within the config) and "task_id". */
  readonly columns: ReadonlyArray<ColumnSpec>
  /** Engine part files: Parquet with one VARCHAR column `row` holding a JSON object per row. */
  readonly files: ReadonlyArray<string>
}

export interface ShardLayout {
  readonly seed: number
  readonly testFraction: number
  /** The column whose md5 decides a row's split: rows with equal values always share a split. */
  readonly splitBy: string
  readonly shardRows: number
  /** Already a multiple of DuckDB's vector size (2048): its writer cannot cut row groups finer. */
  readonly rowGroupRows: number
  /**
   * The test split by cutoff (see test-split.ts): test when md5(splitBy) <= cutoff, none when the cutoff is
   * undefined. Absent: the hash-threshold rule, a group in test when its md5's first 8 hex digits fall below
   * testFraction × 2^32.
   */
  readonly testCutoff?: { readonly cutoff: string | undefined }
  /** Shard counts that divide common data-parallel world sizes (shardCount); else as many full shards as the rows fill. */
  readonly divisibleShards?: boolean
}

/** Rows a split needs before its shard count is rounded to a multiple of 8 (with divisibleShards). */
export const EIGHT_SHARDS_FROM_ROWS = 8000

/**
 * How many shards a split of `rows` rows is cut into. By default as many as `shardRows` rows a shard fill.
 * With `divisible`, that count rounded up to a multiple of 8 when the split has at least 8,000 rows, of 4
 * when it has at least 4 rows: `datasets.distributed.split_dataset_by_node` gives each rank whole shards
 * only when the shard count divides by the world size, and otherwise every rank reads every shard and
 * keeps every n-th row. Rows are then spread evenly (shard sizes differ by at most one row), so ranks get
 * equal work.
 */
export const shardCount = (rows: number, shardRows: number, divisible = false): number => {
  const least = Math.max(1, Math.ceil(rows / shardRows))
  if (!divisible) return least
  const multiple = rows >= EIGHT_SHARDS_FROM_ROWS ? 8 : rows >= 4 ? 4 : 1
  return Math.ceil(least / multiple) * multiple
}

/** Row ranges [lo, hi) of a split's shards, relative to its first row. */
export const shardRanges = (rows: number, shardRows: number, divisible = false): ReadonlyArray<readonly [number, number]> => {
  const count = shardCount(rows, shardRows, divisible)
  return Array.from({ length: count }, (_, i): readonly [number, number] =>
    divisible
      ? [Math.floor((i * rows) / count), Math.floor(((i + 1) * rows) / count)]
      : [i * shardRows, Math.min(rows, (i + 1) * shardRows)]
  )
}

/** Groups (values of the split column) per split, and rows per group over both splits. */
export interface GroupFigures {
  readonly train: number
  readonly test: number
  readonly rows_min: number
  readonly rows_median: number
  readonly rows_max: number
}

/** What was written for one config, before verification adds sizes and checksums. */
export interface WrittenConfig {
  readonly rows: number
  readonly splits: Readonly<Record<string, { readonly rows: number; readonly files: ReadonlyArray<{ readonly path: string; readonly rows: number }> }>>
  /**
   * Each shard as read back right after it was written (by its path in the version folder): rows decoded from its
   * `id` column, size and sha256. Done inside the shard's job, so it overlaps the other shard's write;
   * the shard is also flushed to disk there.
   */
  readonly readBack: ReadonlyMap<string, { readonly rows: number; readonly bytes: number; readonly sha256: string }>
  readonly groups: GroupFigures
}

export const SPLITS = ["train", "test"] as const

/** Where a config's publish stands (publish.ts passes it on to the run's Progress). */
export type Report = (update: PhaseUpdate) => void

/** `train-00001-of-00004.parquet`: the Hugging Face shard naming that `datasets` recognises. */
export const shardName = (split: string, index: number, count: number): string =>
  `${split}-${String(index).padStart(5, "0")}-of-${String(count).padStart(5, "0")}.parquet`

/**
 * Converts one config's JSON rows to typed columns, splits them by task, shuffles them by seed and
 * writes the shards under `<stagingDir>/<config>/`. All of it runs inside DuckDB: the rows go into one
 * table, sorted (test rows first, then train, each in shuffle order), in a private in-memory database
 * that DuckDB spills to disk when large; rows never pass through JavaScript. Each shard is then a range
 * of that table's row ids, so shards are cut without a window function and written up to four at a time
 * (a small range scan would otherwise keep one thread busy and the other idle).
 */
export const writeConfigShards = (
  dataset: string,
  stagingDir: string,
  spec: ConfigSpec,
  layout: ShardLayout,
  report: Report = () => {}
): Effect.Effect<WrittenConfig, PublishInputError | StoreIoError | MaterialiseError | DuckDbError, DuckDb> =>
  Effect.gen(function* () {
    const db = yield* DuckDb
    const dir = join(stagingDir, spec.name)
    yield* ensureDir(dir)
    const scratch = `store_scratch_${randomBytes(6).toString("hex")}`
    const table = `${scratch}.main.staged`
    const inputError = (message: string) => new PublishInputError({ dataset, config: spec.name, message })
    const readable = (e: DuckDbError) =>
      /read_parquet|No files found|does not exist|Binder Error|Malformed JSON|Conversion Error|Parser Error|Catalog Error.*Type|Invalid Input Error/i.test(e.message)
        ? inputError(
            `could not read the rows of config "${spec.name}" as the declared columns: ${e.message}. ` +
              `Check the part files (${spec.files.slice(0, 3).join(", ")}${spec.files.length > 3 ? ", ..." : ""}) and the column types`
          )
        : e
    const work = Effect.gen(function* () {
      const prepared = yield* db
        .use(`publish ${dataset}/${spec.name}`, async (c) => {
          await c.run(`ATTACH ':memory:' AS ${scratch}`)
          for (const setting of ["enable_progress_bar = true", "enable_progress_bar_print = false", "progress_bar_time = 0"]) await c.run(`SET ${setting}`)
          await stage(c, table, spec, layout, report)
          report({ phase: "checking rows" })
          const problem = await checkRows(c, table, spec, layout.splitBy)
          if (problem !== undefined) return { problem }
          const counts = (await c.runAndReadAll(`SELECT CASE WHEN __train THEN 'train' ELSE 'test' END AS split, count(*) AS n FROM ${table} GROUP BY ALL`)).getRowObjectsJS()
          // From the part files' keys rather than the staged table, which keeps no split key (the sort moves less).
          const groups = (
            await c.runAndReadAll(
              `SELECT count(*) FILTER (WHERE NOT test) AS train, count(*) FILTER (WHERE test) AS test,
                      coalesce(min(n), 0) AS lo, coalesce(median(n), 0) AS mid, coalesce(max(n), 0) AS hi
               FROM (SELECT coalesce(${testPredicateOf(layout)}, false) AS test, count(*) AS n
                     FROM ${await keyedSource(c, spec, layout.splitBy)} GROUP BY __split_key)`
            )
          ).getRowObjectsJS()[0]!
          const settings = (
            await c.runAndReadAll("SELECT current_setting('preserve_insertion_order') AS ordered, current_setting('threads') AS threads")
          ).getRowObjectsJS()[0]!
          return {
            counts: new Map(counts.map((r) => [String(r["split"]), Number(r["n"])])),
            groups: {
              train: Number(groups["train"]),
              test: Number(groups["test"]),
              rows_min: Number(groups["lo"]),
              rows_median: Number(groups["mid"]),
              rows_max: Number(groups["hi"])
            },
            ordered: String(settings["ordered"]) === "true",
            threads: Number(settings["threads"])
          }
        })
        .pipe(Effect.mapError(readable))
      if ("problem" in prepared) return yield* inputError(prepared.problem!)
      // Rows are stored test first, then train (by the sort), so each split is one row id range.
      const jobs: Array<{ path: string; file: string; lo: number; hi: number }> = []
      const splits: Record<string, { rows: number; files: Array<{ path: string; rows: number }> }> = {}
      let offset = 0
      for (const split of [...SPLITS].sort()) {
        const n = prepared.counts.get(split) ?? 0
        const ranges = shardRanges(n, layout.shardRows, layout.divisibleShards)
        const files: Array<{ path: string; rows: number }> = []
        for (const [i, [from, to]] of ranges.entries()) {
          const name = shardName(split, i, ranges.length)
          const lo = offset + from
          const hi = offset + to
          jobs.push({ path: join(dir, name), file: `${spec.name}/${name}`, lo, hi })
          files.push({ path: `${spec.name}/${name}`, rows: hi - lo })
        }
        splits[split] = { rows: n, files }
        offset += n
      }
      // With insertion order preserved a range scan yields rows in row id order, so the shard's bytes
      // depend only on its rows; otherwise ORDER BY makes it so (at the cost of a sort).
      const order = prepared.ordered ? "" : " ORDER BY rowid"
      const readBack = new Map<string, { rows: number; bytes: number; sha256: string }>()
      // A shard counts once it is written, read back, flushed and hashed.
      report({ phase: "shards written", done: 0, total: jobs.length })
      yield* Effect.forEach(
        jobs,
        (job) =>
          Effect.gen(function* () {
            const rows = yield* db
              .use(`write ${job.file}`, async (c) => {
                await c.run(
                  `COPY (${typedRows(table, spec, `rowid >= ${job.lo} AND rowid < ${job.hi}${order}`)}) ` +
                    `TO ${sqlString(job.path)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${layout.rowGroupRows})`
                )
                return Number((await c.runAndReadAll(`SELECT count("id") AS n FROM read_parquet(${sqlString(job.path)})`)).getRowObjectsJS()[0]!["n"])
              })
              .pipe(Effect.mapError(readable))
            // Flushed here rather than with the rest of the version, so the wait overlaps the other shard's write.
            const digest = yield* Effect.tryPromise({
              try: async () => {
                await fsyncPath(job.path)
                return fileDigest(job.path)
              },
              catch: (e) => new StoreIoError({ path: job.path, message: errorMessage(e) })
            })
            readBack.set(job.file, { rows, ...digest })
            report({ phase: "shards written", done: readBack.size, total: jobs.length })
          }),
        { concurrency: Math.max(1, Math.min(4, prepared.threads)), discard: true }
      )
      return {
        rows: [...prepared.counts.values()].reduce((a, b) => a + b, 0),
        splits: Object.fromEntries(SPLITS.map((s) => [s, splits[s]!])),
        readBack,
        groups: prepared.groups
      }
    })
    return yield* work.pipe(Effect.ensuring(db.run(`DETACH DATABASE IF EXISTS ${scratch}`).pipe(Effect.ignore)))
  })

/**
 * The staged table: each row's JSON text with what the layout needs (its id, whether it lacks a task
 * id or split key, __train, and __key, the shuffle key as a 64-bit number), stored in (split, key, id)
 * order, test rows first. The rows stay JSON text here, so the sort moves one flat string per row; they
 * become typed columns in each shard's COPY, where the conversion runs in parallel with the other
 * shards' writes. The keys come from the part files' key columns when every file has them (the engine
 * writes them for stages that declare `keyColumns`), which skips a JSON parse of every row; otherwise
 * they are parsed out of the JSON. Both give the same values, so the shards do not depend on which was used.
 *
 * One statement reads and sorts: DuckDB spills its sort and the scratch database to its temp folder past
 * its memory limit (a 10M-row config is ~9 GB of text). Loading the rows first and sorting them in a
 * second statement would report staging exactly, but held a third copy of the rows (3.3 against 2.6 GiB
 * peak at 1M rows). So the progress is DuckDB's own, polled while the statement runs: "staging rows"
 * while it reads the part files, "shuffling" once they are read and the sort finishes (DuckDB's count
 * is of the rows its steps processed, an estimate that can pause while a spilled sort merges).
 */
const stage = async (c: DuckDBConnection, table: string, spec: ConfigSpec, layout: ShardLayout, report: Report): Promise<void> => {
  const source = await keyedSource(c, spec, layout.splitBy)
  const total = (await fileRows(c, spec.files)).reduce((a, b) => a + b, 0)
  report({ phase: "staging rows", done: 0, total })
  // Narrow sort keys (a boolean, a number, then the id for ties) and only one string besides the row.
  await whileRunning(
    c,
    c.run(
      `CREATE TABLE ${table} AS
       SELECT row, "id", "task_id" IS NULL AS __no_task, __split_key IS NULL AS __no_split,
              NOT coalesce(${testPredicateOf(layout)}, false) AS __train,
              ${shuffleKey(layout.seed, '"id"')} AS __key
       FROM ${source}
       ORDER BY __train, __key, "id"`
    ),
    ({ percentage, rows }) => {
      if (percentage < 0) return
      // Rows read count towards the sort's later steps too when it spills (10M rows stopped at 75% while it merged).
      if (percentage >= SCANNED || rows >= total) report({ phase: "shuffling" })
      else report({ phase: "staging rows", done: rows, total })
    }
  )
}

/** DuckDB's progress once the part files are read, if its count of rows has not told already: the rest is the sort's merge and the table's writing. */
const SCANNED = 99.9
const POLL_MS = 500

/**
 * Runs `pending` (a statement on `c`) to its end, giving `tick` DuckDB's progress of it every POLL_MS: a
 * percentage (-1 while unknown) and the rows its steps have processed. DuckDB tracks progress only with
 * its progress bar on (printing off; from the first moment rather than after 2 s): writeConfigShards
 * sets these on its connection.
 */
const whileRunning = async (c: DuckDBConnection, pending: Promise<unknown>, tick: (progress: { percentage: number; rows: number }) => void): Promise<void> => {
  const timer = setInterval(() => {
    const p = c.progress
    tick({ percentage: p.percentage, rows: Number(p.rows_processed) })
  }, POLL_MS)
  try {
    await pending
  } finally {
    clearInterval(timer)
  }
}

/** Rows in each part file, from the Parquet footers. */
const fileRows = async (c: DuckDBConnection, files: ReadonlyArray<string>): Promise<Array<number>> => {
  if (files.length === 0) return []
  const rows = (await c.runAndReadAll(`SELECT file_name, num_rows FROM parquet_file_metadata(${sqlStringList(files)})`)).getRowObjectsJS()
  const byFile = new Map(rows.map((r) => [String(r["file_name"]), Number(r["num_rows"])]))
  return files.map((f) => byFile.get(f) ?? 0)
}

/** True for a test row, over a subquery's `__split_key`. */
const testPredicateOf = (layout: ShardLayout): string =>
  layout.testCutoff === undefined ? testSplitPredicate("__split_key", layout.testFraction) : cutoffPredicate("__split_key", layout.testCutoff.cutoff)

/**
 * A config's part files as a subquery of (row, id, task_id, __split_key). The keys come from the part
 * files' key columns when every file has them, else from each row's JSON (one parse for all three).
 */
export const keyedSource = async (c: DuckDBConnection, spec: Pick<ConfigSpec, "files">, splitBy: string): Promise<string> =>
  sourceOf(spec.files, splitBy, spec.files.length > 0 && (await haveKeyColumns(c, spec.files, ["id", "task_id", splitBy])))

const sourceOf = (files: ReadonlyArray<string>, splitBy: string, keyed: boolean): string =>
  files.length === 0
    ? `(SELECT NULL::VARCHAR AS row, NULL::VARCHAR AS "id", NULL::VARCHAR AS "task_id", NULL::VARCHAR AS __split_key WHERE false)`
    : keyed
      ? `(SELECT row, "id", "task_id", ${sqlIdent(splitBy)} AS __split_key FROM read_parquet(${sqlStringList(files)}))`
      : // One JSON parse per row for all three keys (a list of paths), not one per key.
        `(SELECT row, k[1] AS "id", k[2] AS "task_id", k[3] AS __split_key
          FROM (SELECT row, json_extract_string(row, [${["id", "task_id", splitBy].map((name) => sqlString(`$.${JSON.stringify(name)}`)).join(", ")}]) AS k
                FROM read_parquet(${sqlStringList(files)})))`

/**
 * Whether every file has each of `keys` as a top-level VARCHAR column. Read from the Parquet footers
 * (parquet_schema, which unlike parquet_metadata also describes files with no rows); the schema is a
 * tree in depth-first order, so the top-level columns are the root's children, each followed by its
 * own descendants.
 */
export const haveKeyColumns = async (c: DuckDBConnection, files: ReadonlyArray<string>, keys: ReadonlyArray<string>): Promise<boolean> => {
  const elements = (
    await c.runAndReadAll(`SELECT file_name, name, duckdb_type, num_children FROM parquet_schema(${sqlStringList(files)}) ORDER BY file_name, column_id`)
  ).getRowObjectsJS()
  const byFile = Map.groupBy(elements, (e) => String(e["file_name"]))
  if (byFile.size !== new Set(files).size) return false
  for (const schema of byFile.values()) {
    const varchar = new Set<string>()
    let i = 1
    const skipSubtree = (): void => {
      const children = Number(schema[i++]?.["num_children"] ?? 0)
      for (let k = 0; k < children; k++) skipSubtree()
    }
    for (let k = 0; k < Number(schema[0]?.["num_children"] ?? 0) && i < schema.length; k++) {
      if (schema[i]!["duckdb_type"] === "VARCHAR") varchar.add(String(schema[i]!["name"]))
      skipSubtree()
    }
    if (!keys.every((key) => varchar.has(key))) return false
  }
  return true
}

/** The SELECT that turns staged JSON rows into the config's typed columns, in declared order. */
const typedRows = (table: string, spec: ConfigSpec, where: string): string => {
  const cols = spec.columns.map((col) => `s.${sqlIdent(col.name)} AS ${sqlIdent(col.name)}`).join(", ")
  return `SELECT ${cols} FROM (SELECT from_json(row, ${sqlString(jsonStructure(spec.columns))}) AS s FROM ${table} WHERE ${where})`
}

/**
 * Rows the store cannot publish: no id, no task_id, no value in the split column, or an id used twice
 * (diff and dedup key on it).
 */
const checkRows = async (c: DuckDBConnection, table: string, spec: ConfigSpec, splitBy: string): Promise<string | undefined> => {
  const r = (
    await c.runAndReadAll(
      `SELECT count(*) FILTER (WHERE "id" IS NULL) AS no_id, count(*) FILTER (WHERE __no_task) AS no_task,
              count(*) FILTER (WHERE __no_split) AS no_split, count("id") - count(DISTINCT "id") AS dup FROM ${table}`
    )
  ).getRowObjectsJS()[0]!
  const where = `in the part files of config "${spec.name}"`
  const sampleWhere = async (condition: string) =>
    (await c.runAndReadAll(`SELECT "id" FROM ${table} WHERE ${condition} ORDER BY "id" LIMIT 3`)).getRowObjectsJS().map((x) => x["id"])
  if (Number(r["no_id"]) > 0) return `${r["no_id"]} rows ${where} have no string "id"; every published row needs a unique id`
  if (Number(r["no_task"]) > 0) {
    return `${r["no_task"]} rows ${where} have no "task_id" (e.g. ids ${(await sampleWhere("__no_task")).join(", ")}); every published row needs the task it came from`
  }
  if (Number(r["no_split"]) > 0) {
    return `${r["no_split"]} rows ${where} have no "${splitBy}" (e.g. ids ${(await sampleWhere("__no_split")).join(", ")}); the train/test split is drawn by it`
  }
  if (Number(r["dup"]) > 0) {
    const sample = (await c.runAndReadAll(`SELECT "id" FROM ${table} GROUP BY "id" HAVING count(*) > 1 ORDER BY "id" LIMIT 3`))
      .getRowObjectsJS()
      .map((x) => x["id"])
    return `${r["dup"]} duplicate ids ${where} (e.g. ${sample.join(", ")}); ids must be unique within a config (deduplicate before publishing)`
  }
  return undefined
}
