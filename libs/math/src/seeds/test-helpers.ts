import { DuckDBInstance } from "@duckdb/node-api"
import { Effect, Stream } from "effect"
import { mkdtemp } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { sqlString } from "#io"

export const fixture = (name: string): string => join(import.meta.dirname, "fixtures", name)

export const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), "autodidact-seeds-"))

export const collect = <A, E>(stream: Stream.Stream<A, E>): Promise<ReadonlyArray<A>> =>
  Effect.runPromise(Stream.runCollect(stream))

export const failureOf = <A, E>(stream: Stream.Stream<A, E>): Promise<E> =>
  Effect.runPromise(Effect.flip(Stream.runCollect(stream)))

/** Writes `select` (a DuckDB query) to a Parquet file, so tests need no committed binary fixture. */
export const writeParquet = async (path: string, select: string): Promise<void> => {
  const instance = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false" })
  const connection = await instance.connect()
  try {
    await connection.run(`COPY (${select}) TO ${sqlString(path)} (FORMAT parquet)`)
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}
