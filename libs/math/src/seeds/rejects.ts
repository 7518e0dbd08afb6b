import { Effect } from "effect"
import { mkdir, open } from "node:fs/promises"
import { dirname } from "node:path"
import { SeedFileError } from "./errors.ts"

/** One line of a rejects file: where the row was, which field failed, why, and the row itself. */
export interface RejectRecord {
  readonly file: string
  readonly line: number
  readonly field: string
  readonly reason: string
  readonly row: unknown
  /** For reason "duplicate": the line of the row that was kept. */
  readonly duplicate_of?: number
}

export interface RejectsFile {
  readonly write: (record: RejectRecord) => Effect.Effect<void, SeedFileError>
}

// Parquet integers arrive as bigint, which JSON.stringify refuses.
const jsonSafe = (_key: string, value: unknown): unknown => (typeof value === "bigint" ? value.toString() : value)

/**
 * Opens (truncating) a JSONL rejects file for the life of the enclosing scope, so a rerun never
 * leaves stale rejects from an earlier run beside fresh ones.
 */
export const openRejectsFile = (path: string) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        await mkdir(dirname(path), { recursive: true })
        return await open(path, "w")
      },
      catch: (error) => new SeedFileError({ file: path, reason: `cannot open rejects file: ${String(error)}` })
    }),
    (handle) => Effect.promise(() => handle.close())
  ).pipe(
    Effect.map((handle): RejectsFile => ({
      write: (record) =>
        Effect.tryPromise({
          try: () => handle.write(`${JSON.stringify(record, jsonSafe)}\n`),
          catch: (error) => new SeedFileError({ file: path, reason: `cannot write rejects file: ${String(error)}` })
        }).pipe(Effect.asVoid)
    }))
  )
