import { mkdtemp } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { expect } from "vitest"
import { DuckDb } from "#io"
import { autodidact } from "./helpers.ts"

/** The rows a DuckDB query over published Parquet returns. */
export const query = <A = Record<string, unknown>>(sql: string) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const db = yield* DuckDb
      return (yield* db.all(sql)) as ReadonlyArray<A>
    }).pipe(Effect.provide(DuckDb.layer()))
  )

/** Builds the default math dataset of `size` tasks into a fresh temporary folder: that folder and the published version's. */
export const buildMath = async (prefix: string, size: number): Promise<{ readonly dir: string; readonly version: string }> => {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  const r = await autodidact(["build", "math", "--out", dir, "--size", String(size), "--json"])
  expect(r.code, r.stderr).toBe(0)
  return { dir, version: JSON.parse(r.stdout).dataset.dir as string }
}
