import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import { Effect, Exit, Option } from "effect"
import { hashValue } from "#core"
import { acquireLock, commitFile, DuckDb, ensureDir, fileDigest, listDir, removePath, sqlString, tookOverMessage, writeFileAtomic } from "#io"
import { Progress, reportPhase, type PhaseUpdate, type RunSummary } from "#dag"
import { renderCard, type CardInput } from "./card.ts"
import { refreshCatalog } from "./catalog.ts"
import { PublishInputError, ValidationFailed, type StoreError } from "./errors.ts"
import { exists, io, syncTree } from "./fsutil.ts"
import {
  CONFIG_NAME,
  DATASET_NAME,
  datasetDir,
  DEFAULT_LOCK_TIMEOUT_MS,
  latestPath,
  lockPath,
  readLatest,
  versionDir,
  versionName,
  versionNumber
} from "./layout.ts"
import { checkSizes, leftoverKind } from "./versions.ts"
import { allFiles, contentHash, readManifest, stageEntries, type ConfigEntry, type Manifest, type ManifestContent, type ShardFile } from "./manifest.ts"
import { EIGHT_SHARDS_FROM_ROWS, keyedSource, SPLITS, writeConfigShards, type ConfigSpec, type Report, type WrittenConfig } from "./shards.ts"
import { testSplitOf } from "./test-split.ts"

export interface PublishRequest {
  /** Datasets live in <dataDir>/datasets/<name>/, the catalog at <dataDir>/catalog.duckdb. */
  readonly dataDir: string
  readonly name: string
  readonly pipeline: string
  readonly configs: ReadonlyArray<ConfigSpec>
  /** Seeds the deterministic shuffle. */
  readonly seed: number
  /** Share of tasks in the test split (default 0.05), chosen by md5 of the `splitBy` column. */
  readonly testFraction?: number
  /**
   * The column that decides the split (default "task_id"): rows with equal values share a split. A
   * pipeline whose tasks come in families of near-duplicates (variants of one seed) splits by family,
   * so that no family is in both train and test.
   */
  readonly splitBy?: string
  /**
   * The group-count test split (test-split.ts) instead of the hash threshold: groups taken in md5 order until
   * test holds at least `minGroups` groups and `testFraction` of the rows of config `basis`, at most
   * `maxGroupShare` of all groups (default 0.2). One cutoff splits every config alike.
   */
  readonly testSplit?: { readonly basis: string; readonly minGroups: number; readonly maxGroupShare?: number }
  /** Shard counts that divide common world sizes (shards.ts shardCount); default false. */
  readonly divisibleShards?: boolean
  /** Rows per shard (default DEFAULT_SHARD_ROWS). */
  readonly shardRows?: number
  /** Rows per Parquet row group (default DEFAULT_ROW_GROUP_ROWS; rounded up to a multiple of 2048). */
  readonly rowGroupRows?: number
  /** The resolved pipeline config: stored in the manifest with its hash. */
  readonly config: unknown
  /** Seed files; the manifest records each with its sha256. */
  readonly seedFiles: ReadonlyArray<string>
  /** Benchmark files the data was decontaminated against; the manifest records each with its sha256. */
  readonly benchmarkFiles?: ReadonlyArray<string>
  readonly runSummary: RunSummary
  readonly card: CardInput
  /** How long to wait for another live publisher of the same dataset (default 60000). */
  readonly lockTimeoutMs?: number
  /** Package version and git commit of the code that made the data (the caller finds them; libs read no env). */
  readonly codeVersion?: { readonly package: string; readonly git?: string }
  /** Defaults to now. */
  readonly createdAt?: string
  /** Points where tests stop or kill a publisher; not for production use. */
  readonly hooks?: {
    readonly beforeRename?: (stagingDir: string) => Effect.Effect<void>
    readonly beforeLatest?: (versionDir: string) => Effect.Effect<void>
  }
}

export interface PublishResult {
  readonly status: "published" | "unchanged"
  readonly version: string
  readonly dir: string
  readonly manifest: Manifest
  readonly message: string
  /** Things done on the way that a person should hear about (stale lock taken over, leftovers cleaned, catalog not updated). */
  readonly notes: ReadonlyArray<string>
}

/**
 * 20,480 rows per shard (two row groups): a 1M-row SFT set makes 50 shards (47 train, 3 test) of a few MB
 * to a few tens of MB, so dozens of data-parallel ranks can each stream shards of their own
 * (`datasets.distributed.split_dataset_by_node` assigns whole shards when the count divides evenly),
 * while each file stays big enough that opening it costs little next to reading it.
 */
export const DEFAULT_SHARD_ROWS = 20_480
/**
 * 10,240 rows per row group (~10 MB of SFT text): the unit a streaming reader holds at once. Smaller
 * groups cost write speed (DuckDB wrote 2,048-row groups at about half the speed) and cannot go below
 * DuckDB's 2,048-row vector; larger ones make a worker hold more memory and resume less finely.
 */
export const DEFAULT_ROW_GROUP_ROWS = 10_240
export const DEFAULT_TEST_FRACTION = 0.05
/** The group-count test split takes at most a fifth of the groups, so a dataset of few families keeps most for training. */
export const DEFAULT_MAX_TEST_GROUP_SHARE = 0.2
const VECTOR = 2048

const inputError = (dataset: string, message: string, extra: { config?: string; file?: string } = {}) =>
  new PublishInputError({ dataset, message, ...extra })

const checkRequest = (req: PublishRequest) =>
  Effect.gen(function* () {
    const ds = req.name
    if (!DATASET_NAME.test(ds)) return yield* inputError(ds, `dataset name "${ds}" must be letters, digits, ".", "_" or "-" (and not start with a dot)`)
    if (req.configs.length === 0) return yield* inputError(ds, "nothing to publish: the request has no configs")
    const fraction = req.testFraction ?? DEFAULT_TEST_FRACTION
    if (!(fraction >= 0 && fraction < 1)) return yield* inputError(ds, `testFraction must be in [0, 1) (got ${fraction})`)
    for (const [field, v] of [["shardRows", req.shardRows], ["rowGroupRows", req.rowGroupRows]] as const) {
      if (v !== undefined && !(Number.isInteger(v) && v >= 1)) return yield* inputError(ds, `${field} must be a whole number ≥ 1 (got ${v})`)
    }
    if (req.testSplit !== undefined) {
      const { basis, minGroups, maxGroupShare } = req.testSplit
      if (!req.configs.some((c) => c.name === basis)) return yield* inputError(ds, `testSplit.basis "${basis}" is not one of the configs (${req.configs.map((c) => c.name).join(", ")})`)
      if (!(Number.isInteger(minGroups) && minGroups >= 0)) return yield* inputError(ds, `testSplit.minGroups must be a whole number ≥ 0 (got ${minGroups})`)
      if (maxGroupShare !== undefined && !(maxGroupShare >= 0 && maxGroupShare < 1)) return yield* inputError(ds, `testSplit.maxGroupShare must be in [0, 1) (got ${maxGroupShare})`)
    }
    const seen = new Set<string>()
    for (const c of req.configs) {
      if (!CONFIG_NAME.test(c.name)) return yield* inputError(ds, `config name "${c.name}" must be lower-case letters, digits and "_"`, { config: c.name })
      if (seen.has(c.name)) return yield* inputError(ds, `config "${c.name}" is listed twice`, { config: c.name })
      seen.add(c.name)
      const names = c.columns.map((col) => col.name)
      for (const required of ["id", "task_id", req.splitBy ?? "task_id"]) {
        if (!names.includes(required)) {
          const split = (req.splitBy ?? "task_id") === "task_id" ? "" : ` and the split column "${req.splitBy}"`
          return yield* inputError(ds, `config "${c.name}" has no "${required}" column; every config needs "id" and "task_id"${split}`, { config: c.name })
        }
      }
      const dup = names.find((n, i) => names.indexOf(n) !== i)
      if (dup !== undefined) return yield* inputError(ds, `config "${c.name}" declares column "${dup}" twice`, { config: c.name })
      for (const f of c.files) {
        if (!(yield* exists(f))) return yield* inputError(ds, `part file ${f} of config "${c.name}" does not exist; was the run's folder removed? Rebuild it`, { config: c.name, file: f })
      }
    }
    for (const f of req.seedFiles) {
      if (!(yield* exists(f))) return yield* inputError(ds, `seed file ${f} does not exist`, { file: f })
    }
  })

/**
 * Removes what an interrupted publish or gc left (staging and trash folders, a LATEST temp file) in one
 * pass over the dataset folder, and gives the number the new version takes: one above every version
 * folder there and LATEST, so no number is ever reused. Version folders are never removed: one newer
 * than LATEST is a version a rollback stepped back from (or one a publish killed before moving LATEST
 * finished), and one without manifest.json is left for a person to look at (named in the notes).
 */
const cleanLeftovers = (dataDir: string, name: string, latest: string | undefined) =>
  Effect.gen(function* () {
    const dir = datasetDir(dataDir, name)
    const limit = latest === undefined ? 0 : versionNumber(latest)
    if (limit === undefined) {
      return yield* new PublishInputError({
        dataset: name,
        file: latestPath(dataDir, name),
        message: `${latestPath(dataDir, name)} holds "${latest}", which is not a version name (vNNNN); write the current version's name into it (or use \`autodidact rollback ${name} <version>\`), or delete it if no version was published`
      })
    }
    const notes: Array<string> = []
    let highest = limit
    for (const entry of yield* listDir(dir)) {
      const path = join(dir, entry)
      if (leftoverKind(entry) !== undefined) {
        yield* removePath(path)
        if (entry.startsWith(".staging-")) notes.push(`removed ${path}, left by a publish that stopped before finishing`)
      } else if (versionNumber(entry) !== undefined) {
        highest = Math.max(highest, versionNumber(entry)!)
        if (!(yield* exists(join(path, "manifest.json")))) {
          notes.push(`${path} has no manifest.json, so it is not a version; it was left in place (look at it and remove it by hand)`)
        }
      }
    }
    return { notes, version: versionName(highest + 1) }
  })

/**
 * Whether LATEST's files are what its manifest says: each listed file there with its size and sha256.
 * Run only when a publish has the same content as LATEST, to decide between "unchanged" and writing a
 * fresh copy; reading LATEST once costs less than the publish that got this far.
 */
const latestProblems = (dir: string, manifest: Manifest) =>
  Effect.gen(function* () {
    const problems = [...(yield* checkSizes(dir, manifest))]
    if (problems.length > 0) return problems
    for (const f of allFiles(manifest)) {
      const path = join(dir, f.path)
      const digest = yield* io(path, () => fileDigest(path))
      if (digest.sha256 !== f.sha256) problems.push(`${f.path} does not match its sha256 in manifest.json`)
    }
    return problems
  })

/**
 * Checks what was written: each shard's rows as read back (decoding its id column, not just the footer)
 * against the rows it should hold, and the column names and types of the shards against the config.
 * The read-back and sha256 of each shard were done right after it was written (writeConfigShards).
 */
const verifyConfig = (dataset: string, version: string, staging: string, spec: ConfigSpec, written: WrittenConfig, splitBy: string, report: Report) =>
  Effect.gen(function* () {
    const db = yield* DuckDb
    const files = Object.values(written.splits).flatMap((s) => s.files)
    report({ phase: "verifying shards", done: 0, total: files.length })
    const described = yield* db.all(`DESCRIBE SELECT * FROM read_parquet(${sqlString(join(staging, files[0]!.path))})`)
    const columns = described.map((r) => ({ name: String(r["column_name"]), type: String(r["column_type"]) }))
    const expected = spec.columns.map((c) => c.name)
    if (columns.map((c) => c.name).join("\u0000") !== expected.join("\u0000")) {
      return yield* new ValidationFailed({
        dataset,
        version,
        file: join(staging, files[0]!.path),
        problems: 1,
        message: `staged shard has columns ${columns.map((c) => c.name).join(", ")} but config "${spec.name}" declares ${expected.join(", ")}`
      })
    }
    const splits: Record<string, { rows: number; files: Array<ShardFile> }> = {}
    let checked = 0
    for (const split of SPLITS) {
      const s = written.splits[split]!
      const out: Array<ShardFile> = []
      for (const f of s.files) {
        const path = join(staging, f.path)
        const back = written.readBack.get(f.path)
        const got = back?.rows ?? 0
        if (back === undefined || got !== f.rows) {
          return yield* new ValidationFailed({
            dataset,
            version,
            file: path,
            problems: 1,
            message: `staged shard ${path} reads back ${got} rows, expected ${f.rows}; nothing was published (the disk may be full or failing)`
          })
        }
        out.push({ path: f.path, rows: f.rows, bytes: back.bytes, sha256: back.sha256 })
        checked += 1
      }
      splits[split] = { rows: s.rows, files: out }
    }
    report({ phase: "verifying shards", done: checked, total: files.length })
    const entry: ConfigEntry = {
      description: spec.description,
      rows: written.rows,
      columns: spec.columns.map((c, i) => ({ name: c.name, type: columns[i]!.type, description: c.description })),
      splits,
      groups: { column: splitBy, ...written.groups }
    }
    return entry
  })

const splitByOf = (req: PublishRequest) => req.splitBy ?? "task_id"

/** The group-count test split's choice, read from the basis config's part files (undefined without `testSplit`). */
const chooseTestSplit = (req: PublishRequest) =>
  Effect.gen(function* () {
    if (req.testSplit === undefined) return undefined
    const rule = { basis: req.testSplit.basis, fraction: req.testFraction ?? DEFAULT_TEST_FRACTION, minGroups: req.testSplit.minGroups, maxGroupShare: req.testSplit.maxGroupShare ?? DEFAULT_MAX_TEST_GROUP_SHARE }
    const basis = req.configs.find((c) => c.name === rule.basis)!
    const db = yield* DuckDb
    const choice = yield* db.use(`test split of ${req.name}`, async (c) => testSplitOf(c, await keyedSource(c, basis, splitByOf(req)), rule))
    return { rule, choice }
  })

const sampleRow = (path: string) =>
  Effect.gen(function* () {
    const db = yield* DuckDb
    return yield* db.use(`sample ${path}`, async (c) => (await c.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(path)}) LIMIT 1`)).getRowObjectsJson()[0])
  })

/**
 * Publishes a pipeline's output as a new immutable version (DESIGN.md, "Published dataset"):
 * staged, verified, renamed into place, then LATEST moved; identical content makes no new version.
 * Where a Progress is provided, the publish shows there as the task `publish <name>`, phase by phase
 * (`<config>: staging rows` n/N, `shuffling`, `checking rows`, `shards written` k/K, `verifying shards`
 * k/K, then `checksums`, `syncing`, `catalog`), ending `published vNNNN`, `unchanged vNNNN`, `failed` or
 * `stopped` (interrupted).
 */
export const publish = (req: PublishRequest): Effect.Effect<PublishResult, StoreError, DuckDb> =>
  Effect.gen(function* () {
    const progress = yield* Effect.serviceOption(Progress)
    const task = `publish ${req.name}`
    const report = (update: PhaseUpdate) => {
      if (Option.isSome(progress)) reportPhase(progress.value, task, update)
    }
    return yield* publishReporting(req, report).pipe(
      Effect.onExit((exit) =>
        Effect.sync(() =>
          report({ phase: exit._tag === "Success" ? `${exit.value.status} ${exit.value.version}` : Exit.hasInterrupts(exit) ? "stopped" : "failed", final: true })
        )
      )
    )
  })

const publishReporting = (req: PublishRequest, report: Report): Effect.Effect<PublishResult, StoreError, DuckDb> =>
  Effect.scoped(
    Effect.gen(function* () {
      yield* checkRequest(req)
      const dsDir = datasetDir(req.dataDir, req.name)
      yield* ensureDir(dsDir)
      const held = yield* acquireLock(lockPath(req.dataDir, req.name), {
        purpose: `publishing dataset "${req.name}"`,
        timeoutMs: req.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS
      })
      const notes: Array<string> = []
      const took = tookOverMessage(held)
      if (took !== undefined) notes.push(took)
      const latest = yield* readLatest(req.dataDir, req.name)
      const cleaned = yield* cleanLeftovers(req.dataDir, req.name, latest)
      notes.push(...cleaned.notes)
      const version = cleaned.version

      const testSplit = yield* chooseTestSplit(req)
      if (testSplit?.choice.short) {
        const c = testSplit.choice
        notes.push(
          `the test split holds ${c.groups} ${splitByOf(req)} group${c.groups === 1 ? "" : "s"} (${c.rows} of ${c.totalRows} ${testSplit.rule.basis} rows), ` +
            `fewer than the ${testSplit.rule.minGroups} groups and ${(testSplit.rule.fraction * 100).toFixed(0)}% asked: ` +
            `there are only ${c.totalGroups} groups and test takes at most ${(testSplit.rule.maxGroupShare * 100).toFixed(0)}% of them; bring more seeds for a usable evaluation split`
        )
      }
      const layout = {
        seed: req.seed,
        testFraction: req.testFraction ?? DEFAULT_TEST_FRACTION,
        splitBy: req.splitBy ?? "task_id",
        shardRows: req.shardRows ?? DEFAULT_SHARD_ROWS,
        rowGroupRows: Math.ceil((req.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS) / VECTOR) * VECTOR,
        divisibleShards: req.divisibleShards ?? false,
        ...(testSplit === undefined ? {} : { testCutoff: { cutoff: testSplit.choice.cutoff } })
      }
      const staging = join(dsDir, `.staging-${version}-${process.pid}`)
      yield* ensureDir(staging)
      const configs: Record<string, ConfigEntry> = {}
      for (const spec of req.configs) {
        // Phases are named by config, so a publish of several shows which one it is in.
        const reportConfig: Report = (u) => report({ ...u, phase: `${spec.name}: ${u.phase}` })
        const written = yield* writeConfigShards(req.name, staging, spec, layout, reportConfig)
        configs[spec.name] = yield* verifyConfig(req.name, version, staging, spec, written, layout.splitBy, reportConfig)
      }
      // The shards' checksums were taken as each was written; these are the inputs' (seed and benchmark files).
      const inputs = [...req.seedFiles, ...(req.benchmarkFiles ?? [])]
      const digests: Array<{ path: string; sha256: string; bytes: number }> = []
      for (const path of inputs) {
        report({ phase: "checksums", done: digests.length, total: inputs.length })
        digests.push({ path, ...(yield* io(path, () => fileDigest(path))) })
      }
      if (inputs.length > 0) report({ phase: "checksums", done: digests.length, total: inputs.length })
      const seedFiles = digests.slice(0, req.seedFiles.length)
      const benchmarkFiles = digests.slice(req.seedFiles.length)

      const content: ManifestContent = {
        manifest_version: 1,
        dataset: req.name,
        pipeline: req.pipeline,
        config: req.config ?? null,
        config_hash: hashValue(req.config ?? null),
        seed: req.seed,
        seed_files: seedFiles,
        ...(benchmarkFiles.length === 0 ? {} : { benchmark_files: benchmarkFiles }),
        layout: {
          test_fraction: layout.testFraction,
          split_rule:
            testSplit === undefined
              ? `test when int(md5(${layout.splitBy})[0:8], 16) < test_fraction * 2^32, else train`
              : testSplit.choice.cutoff === undefined
                ? `every row in train (no ${layout.splitBy} group could be spared for test)`
                : `test when md5(${layout.splitBy}) <= "${testSplit.choice.cutoff}" (hex strings compared), else train: ` +
                  `${layout.splitBy} groups taken in md5 order until test holds at least ${testSplit.rule.minGroups} groups and test_fraction of the ${testSplit.rule.basis} rows, ` +
                  `at most ${testSplit.rule.maxGroupShare * 100}% of the groups`,
          shuffle_rule: `rows ordered by int(md5("<seed>:<id>")[0:16], 16), then id, within each split, and cut into shards in that order`,
          shard_rows: layout.shardRows,
          row_group_rows: layout.rowGroupRows,
          compression: "zstd",
          ...(layout.divisibleShards
            ? { shard_rule: `at least rows / shard_rows shards, rounded up to a multiple of 8 for a split of ${EIGHT_SHARDS_FROM_ROWS}+ rows and of 4 for one of 4+ rows; rows spread evenly` }
            : {}),
          ...(testSplit === undefined
            ? {}
            : {
                test_split: {
                  basis: testSplit.rule.basis,
                  min_groups: testSplit.rule.minGroups,
                  max_group_share: testSplit.rule.maxGroupShare,
                  cutoff: testSplit.choice.cutoff ?? null,
                  groups: testSplit.choice.groups,
                  rows: testSplit.choice.rows,
                  total_groups: testSplit.choice.totalGroups,
                  total_rows: testSplit.choice.totalRows
                }
              })
        },
        configs
      }
      const hash = contentHash(content)
      // Set when LATEST fails verification: the same content is then written afresh rather than "unchanged".
      let repairs: string | undefined
      if (latest !== undefined) {
        const read = yield* readManifest(req.dataDir, req.name, latest).pipe(Effect.result)
        const previous = read._tag === "Success" ? read.success : undefined
        if (previous === undefined) repairs = `LATEST ${latest} failed verification (${read._tag === "Failure" ? read.failure.message : ""})`
        else if (previous.content_hash === hash) {
          report({ phase: `checking ${latest}` })
          const problems = yield* latestProblems(versionDir(req.dataDir, req.name, latest), previous)
          if (problems.length > 0) repairs = `LATEST ${latest} failed verification (${problems.slice(0, 3).join("; ")}${problems.length > 3 ? "; ..." : ""})`
        }
        if (previous !== undefined && previous.content_hash === hash && repairs === undefined) {
          yield* removePath(staging)
          report({ phase: "catalog" })
          // Rebuilt here too, so publishing again mends a catalog an earlier publish could not update.
          yield* refreshCatalog(req.dataDir, req.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS).pipe(Effect.ignore)
          return {
            status: "unchanged" as const,
            version: latest,
            dir: versionDir(req.dataDir, req.name, latest),
            manifest: previous,
            message: `dataset "${req.name}" unchanged: the content is identical to ${latest} (content hash ${hash.slice(0, 12)}), so no new version was made`,
            notes
          }
        }
      }
      const s = req.runSummary
      const { manifest_version, dataset, ...described } = content
      const manifest: Manifest = {
        manifest_version,
        dataset,
        version,
        parent: latest ?? null,
        created_at: req.createdAt ?? new Date().toISOString(),
        content_hash: hash,
        code_version: req.codeVersion ?? null,
        ...described,
        run: {
          run_id: s.run_id,
          status: s.status,
          started_at: s.started_at,
          finished_at: s.finished_at,
          duration_ms: s.duration_ms,
          totals: s.totals,
          stages: stageEntries(s),
          // The services' figures (a model's requests, tokens and cost per stage), for the report.
          ...(s.reports === undefined ? {} : { reports: s.reports })
        }
      }
      const samples: Record<string, unknown> = {}
      for (const [name, c] of Object.entries(configs)) {
        const first = [...(c.splits["train"]?.files ?? []), ...(c.splits["test"]?.files ?? [])].find((f) => f.rows > 0)
        if (first !== undefined) samples[name] = yield* sampleRow(join(staging, first.path))
      }
      yield* io(staging, async () => {
        await writeFile(join(staging, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n")
        await writeFile(join(staging, "README.md"), renderCard(manifest, req.card, samples))
      })
      const shards = allFiles(manifest).map((f) => join(staging, f.path))
      report({ phase: "syncing" })
      yield* syncTree(staging, [join(staging, "manifest.json"), join(staging, "README.md")], shards)
      if (req.hooks?.beforeRename) yield* req.hooks.beforeRename(staging)
      const dir = versionDir(req.dataDir, req.name, version)
      yield* commitFile(staging, dir)
      if (req.hooks?.beforeLatest) yield* req.hooks.beforeLatest(dir)
      yield* writeFileAtomic(latestPath(req.dataDir, req.name), version + "\n")
      report({ phase: "catalog" })
      yield* refreshCatalog(req.dataDir, req.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS).pipe(
        Effect.catch((e) =>
          Effect.sync(() => {
            notes.push(`the catalog was not updated (${e.message}); the version is published all the same: run \`autodidact rollback ${req.name} ${version}\` (or publish again) to refresh it`)
          })
        )
      )
      const rows = Object.entries(configs)
        .map(([n, c]) => `${n} ${c.rows}`)
        .join(", ")
      return {
        status: "published" as const,
        version,
        dir,
        manifest,
        message:
          `published dataset "${req.name}" ${version}${latest ? ` (previous ${latest})` : ""}: ${rows} rows in ${dir}` +
          (repairs === undefined ? "" : `\n${repairs}, so its content was written afresh as ${version}, verified, and LATEST moved to it; ${latest} is left as it is`),
        notes
      }
    })
  )
