import { randomBytes } from "node:crypto"
import { join } from "node:path"
import { Effect } from "effect"
import { acquireLock, commitFile, DuckDb, listDir, removePath, sqlIdent, sqlString } from "#io"
import type { StoreError } from "./errors.ts"
import { catalogPath, datasetDir, DEFAULT_LOCK_TIMEOUT_MS, knownDatasets } from "./layout.ts"
import { listVersions } from "./versions.ts"
import { createViewSql, datasetViews } from "./views.ts"

/**
 * Rebuilds `<dataDir>/catalog.duckdb` from what is on disk: a schema per dataset holding the views
 * `<config>` (LATEST), `<config>_<version>` and `<config>_all`, plus a table `main.versions`. Only
 * complete versions are in it (every listed file there with its size): a damaged one is left out.
 *
 * Paths inside the views are written as `<dataDir>/datasets/...` exactly as dataDir was given: with the
 * default relative "data" the catalog works from the repository root (the folder `autodidact` runs in)
 * and survives moving or cloning the repository; with an absolute dataDir it works from anywhere.
 *
 * The new catalog is built in a temp file and renamed over the old one, so a reader never sees it half
 * made, and a DuckDB client holding the old file open does not block a publish. A lock serialises
 * rebuilds by publishers of different datasets.
 */
export const refreshCatalog = (dataDir: string, lockTimeoutMs = DEFAULT_LOCK_TIMEOUT_MS): Effect.Effect<string, StoreError, DuckDb> =>
  Effect.scoped(
    Effect.gen(function* () {
      const db = yield* DuckDb
      const target = catalogPath(dataDir)
      yield* acquireLock(join(dataDir, ".catalog.lock"), { purpose: "catalog refresh", timeoutMs: lockTimeoutMs })
      // Under the lock, any temp catalog is a leftover of a refresh that was killed.
      for (const entry of yield* listDir(dataDir)) {
        if (entry.startsWith(".catalog-") && entry.includes(".duckdb")) yield* removePath(join(dataDir, entry))
      }
      const statements: Array<string> = [
        "CREATE TABLE main.versions (dataset VARCHAR, version VARCHAR, latest BOOLEAN, created_at VARCHAR, parent VARCHAR, content_hash VARCHAR, config VARCHAR, rows BIGINT)"
      ]
      for (const name of yield* knownDatasets(dataDir)) {
        // A damaged version (a listed file missing or of the wrong size) would fail the whole rebuild.
        const { latest, versions: all } = yield* listVersions(dataDir, name)
        const versions = all.filter((v) => v.state === "complete")
        statements.push(`CREATE SCHEMA ${sqlIdent(name)}`)
        for (const view of datasetViews(datasetDir(dataDir, name), versions.map((v) => v.manifest), latest)) {
          statements.push(createViewSql(view, name))
        }
        for (const v of versions) {
          for (const [config, rows] of Object.entries(v.rows)) {
            statements.push(
              `INSERT INTO main.versions VALUES (${[name, v.version].map(sqlString).join(", ")}, ${v.latest}, ${sqlString(v.created_at)}, ` +
                `${v.parent === null ? "NULL" : sqlString(v.parent)}, ${sqlString(v.content_hash)}, ${sqlString(config)}, ${rows})`
            )
          }
        }
      }
      const tmp = join(dataDir, `.catalog-${process.pid}-${randomBytes(4).toString("hex")}.duckdb`)
      const alias = `catalog_${randomBytes(4).toString("hex")}`
      yield* db
        .use(`write ${target}`, async (c) => {
          await c.run(`ATTACH ${sqlString(tmp)} AS ${alias}`)
          try {
            await c.run(`USE ${alias}`)
            await c.run("BEGIN")
            for (const s of statements) await c.run(s)
            await c.run("COMMIT")
            await c.run("USE memory")
          } finally {
            await c.run(`DETACH ${alias}`).catch(() => undefined)
          }
        })
        .pipe(Effect.tapError(() => removePath(tmp)))
      // A WAL left by a writer of the old file would be replayed onto the new one: it has to go first.
      yield* removePath(`${target}.wal`)
      yield* removePath(`${tmp}.wal`)
      yield* commitFile(tmp, target)
      return target
    })
  )
