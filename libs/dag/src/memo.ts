import { join } from "node:path"
import { Effect } from "effect"
import { hashValue, sha256Hex } from "#core"
import { DuckDb, ensureDir, listDir, sqlStringList, type DuckDbError, type MaterialiseError } from "#io"
import { writeJsonLines, type Reject } from "./parts.ts"

/**
 * The memo of a row-independent stage: for each input row it processed (named by a hash of the row's
 * content), what that row gave: its output rows (encoded, as written), its rejects and counters, and what
 * it read besides the row. It is keyed by the stage's identity (name, version, seed, config, key columns)
 * and not by its inputs' keys, so that a run whose input gained a few rows finds the others' outcomes here
 * and computes only the new ones.
 *
 * On disk: <data>/cache/memo/<stage>-<identity>/<content>-<pid>-<n>.parquet, one file per part that
 * computed new rows, with columns `h` (the input row's hash) and `entry` (the MemoEntry as JSON). Files are
 * written to a temp name, synced and renamed, so a file that is there is whole: a torn write is never read.
 * Lookups go through DuckDB a chunk of input rows at a time; the memo is never loaded into memory whole.
 */
export interface MemoEntry {
  readonly rows: ReadonlyArray<unknown>
  readonly rejects: ReadonlyArray<Reject>
  readonly counters: Readonly<Record<string, number>>
  /**
   * What processing the row read beyond the row, the config and its rng: `rows:<stage>` (an input's row
   * count) and `input:<stage>` (an input's key). The entry serves only while each is still the same.
   */
  readonly reads: Readonly<Record<string, string | number>>
}

export interface StageIdentity {
  readonly name: string
  readonly version: number
  readonly seed: number
  readonly config: unknown
  readonly keyColumns?: ReadonlyArray<string>
  /** The run's code fingerprint (RunOptions.code), when it has one. */
  readonly code?: string
}

/** Bump when the memo's layout or meaning changes: old memos are then left unread. */
const MEMO_FORMAT = 1

export const memoDir = (dataDir: string, identity: StageIdentity): string =>
  join(dataDir, "cache", "memo", `${identity.name}-${hashValue({ format: MEMO_FORMAT, ...identity, keyColumns: identity.keyColumns ?? [] }).slice(0, 24)}`)

/** A row's memo name: its JSON text as read, hashed. Rows read from parts keep their field order, so equal rows hash equal. */
export const rowHash = (row: unknown): string => sha256Hex(JSON.stringify(row)).slice(0, 32)

/** Whether an entry's reads are all what they are now. */
export const readsHold = (entry: MemoEntry, now: (read: string) => string | number): boolean => {
  for (const [read, value] of Object.entries(entry.reads)) if (now(read) !== value) return false
  return true
}

export interface Memo {
  /** Entries recorded for these row hashes (several per hash when they were computed under other reads). */
  readonly lookup: (hashes: ReadonlyArray<string>) => Effect.Effect<ReadonlyMap<string, ReadonlyArray<MemoEntry>>, DuckDbError, DuckDb>
  /** Records new entries, durably; they serve later runs. */
  readonly record: (hashes: ReadonlyArray<string>, entries: ReadonlyArray<MemoEntry>) => Effect.Effect<void, DuckDbError | MaterialiseError, DuckDb>
}

let written = 0

/** The memo in `dir` as it is now: files written after this are for later runs. */
export const openMemo = (dir: string): Effect.Effect<Memo, MaterialiseError> =>
  Effect.gen(function* () {
    yield* ensureDir(dir)
    const files = (yield* listDir(dir)).filter((name) => name.endsWith(".parquet")).map((name) => join(dir, name))
    const lookup = (hashes: ReadonlyArray<string>) =>
      files.length === 0 || hashes.length === 0
        ? Effect.succeed(new Map<string, Array<MemoEntry>>())
        : Effect.gen(function* () {
            const db = yield* DuckDb
            const rows = yield* db.use(`memo lookup in ${dir}`, async (c) =>
              (
                await c.runAndReadAll(
                  `SELECT h, entry FROM read_parquet(${sqlStringList(files)}) WHERE h IN (SELECT unnest(string_split($1, chr(10))))`,
                  [hashes.join("\n")]
                )
              ).getRowObjectsJS()
            )
            const found = new Map<string, Array<MemoEntry>>()
            for (const r of rows) {
              const h = r["h"] as string
              const list = found.get(h) ?? []
              list.push(JSON.parse(r["entry"] as string) as MemoEntry)
              found.set(h, list)
            }
            return found
          })
    const record = (hashes: ReadonlyArray<string>, entries: ReadonlyArray<MemoEntry>) =>
      Effect.gen(function* () {
        if (hashes.length === 0) return
        const lines = entries.map((e) => JSON.stringify(e)).join("\n")
        // pid and a counter: two writers never share a temp file, and two files of the same rows are harmless.
        const path = join(dir, `${sha256Hex(hashes.join("\n")).slice(0, 16)}-${process.pid}-${++written}.parquet`)
        yield* writeJsonLines(path, lines, { select: "j::VARCHAR AS entry", keys: [{ name: "h", lines: hashes.map((h) => JSON.stringify(h)).join("\n") }] })
      })
    return { lookup, record }
  })
