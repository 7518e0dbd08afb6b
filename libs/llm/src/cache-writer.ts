/**
 * The response cache's writer, on a worker thread of its own: each group commit is an fsync (SQLite WAL,
 * synchronous=FULL), and an fsync on the main thread stops every request and row for its whole duration
 * (about a tenth of the model stage's time in profiles). Here it blocks only this thread.
 *
 * Protocol: workerData is `{ path }`; each message is `{ id, rows }` (rows as `WriterRow` tuples), answered
 * with `{ id }` once the rows are committed and fsynced, or `{ id, error }`; `{ close: true }` closes the
 * database and ends the thread. The main thread sends the next group only after the previous one is
 * answered, so groups commit in order, one at a time.
 */
import { DatabaseSync } from "node:sqlite"
import { parentPort, workerData } from "node:worker_threads"

/** key, raw, choice, finish_reason, max_tokens, prompt_tokens, completion_tokens, choice_tokens */
export type WriterRow = readonly [string, string, number, string, number | null, number, number, number | null]

/** How both connections to the cache file open it: WAL, every commit fsynced, waiting on each other's locks. */
export const PRAGMAS = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;"

export const INSERT_SQL =
  "INSERT OR REPLACE INTO responses (key, raw, choice, finish_reason, max_tokens, prompt_tokens, completion_tokens, choice_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"

/** Commits `rows` as one transaction (one fsync); on failure nothing of them is kept. */
export const commitRows = (db: DatabaseSync, insert: ReturnType<DatabaseSync["prepare"]>, rows: ReadonlyArray<WriterRow>): void => {
  db.exec("BEGIN")
  try {
    for (const r of rows) insert.run(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7])
    db.exec("COMMIT")
  } catch (error) {
    try {
      db.exec("ROLLBACK")
    } catch {
      // the transaction may already have ended
    }
    throw error
  }
}

if (parentPort !== null && (workerData as { cacheWriter?: unknown } | null)?.cacheWriter === true) {
  const port = parentPort
  const { path } = workerData as { path: string }
  const db = new DatabaseSync(path)
  db.exec(PRAGMAS)
  const insert = db.prepare(INSERT_SQL)
  port.on("message", (message: { id: number; rows: ReadonlyArray<WriterRow> } | { close: true }) => {
    if ("close" in message) {
      db.close()
      port.close()
      return
    }
    try {
      commitRows(db, insert, message.rows)
      port.postMessage({ id: message.id })
    } catch (error) {
      port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) })
    }
  })
}
