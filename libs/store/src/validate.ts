import { readFile, readdir } from "node:fs/promises"
import { join, relative } from "node:path"
import { Effect } from "effect"
import { parse } from "yaml"
import { DuckDb, errorMessage, fileDigest, sqlString } from "#io"
import { ValidationFailed } from "./errors.ts"
import { exists, io } from "./fsutil.ts"
import { resolveVersion, versionDir } from "./layout.ts"
import { allFiles, readManifest, type Manifest } from "./manifest.ts"
import { listVersions } from "./versions.ts"

export interface ValidationProblem {
  /** The file at fault (a shard, manifest.json or README.md). */
  readonly file: string
  readonly problem: string
}

export interface ValidationReport {
  readonly dataset: string
  readonly version: string
  readonly files: number
  readonly rows: number
  readonly problems: ReadonlyArray<ValidationProblem>
  /** When there are problems: the command that repairs them (a build writing a fresh copy, or a rollback). */
  readonly advice?: string
}

/**
 * What to do about a version that failed validation. For LATEST: run the build that made it again (with
 * the same content, a publish onto a LATEST that fails verification writes a fresh verified version and
 * moves LATEST to it), or roll back to the newest other complete version. Another version is history
 * that nothing reads through LATEST.
 */
const repairAdvice = (dataDir: string, name: string, version: string, manifest: Manifest) =>
  Effect.gen(function* () {
    const { latest, versions } = yield* listVersions(dataDir, name)
    if (version !== latest) {
      return `${version} is not LATEST (${latest} is), so builds and the unsuffixed query views do not read it; restore it from a backup if you need it, or leave it to \`autodidact gc ${name}\``
    }
    const config = manifest.config as { size?: unknown } | null
    const size = typeof config?.size === "number" ? ` --size ${config.size}` : ""
    const out = dataDir === "data" ? "" : ` --out ${dataDir}`
    const other = [...versions].reverse().find((v) => v.version !== version && v.state === "complete")
    return (
      `To repair, run \`autodidact build ${manifest.pipeline} --seed ${manifest.seed}${size}${out}\` again (the build that made it, with the same seed file): ` +
      `a build whose content equals a LATEST that fails verification writes it afresh as a new, verified version and moves LATEST there` +
      (other === undefined ? "" : `; or go back to ${other.version} with \`autodidact rollback ${name} ${other.version}\` (it is validated first)`) +
      `. ${version} itself is left as it is`
    )
  })

const listTree = async (root: string): Promise<Array<string>> => {
  const out: Array<string> = []
  for (const e of await readdir(root, { withFileTypes: true })) {
    const p = join(root, e.name)
    if (e.isDirectory()) out.push(...(await listTree(p)))
    else out.push(p)
  }
  return out
}

/**
 * Checks a version against its manifest: every shard present with its size, sha256, row count and
 * column schema; no Parquet file the manifest does not list; the card's YAML naming every shard of a
 * split that has rows.
 * Collects all problems rather than stopping at the first.
 */
export const validateVersion = (dataDir: string, name: string, version?: string) =>
  Effect.gen(function* () {
    const v = yield* resolveVersion(dataDir, name, version)
    const dir = versionDir(dataDir, name, v)
    const manifest = yield* readManifest(dataDir, name, v)
    const db = yield* DuckDb
    const problems: Array<ValidationProblem> = []
    const files = allFiles(manifest)
    let rows = 0
    for (const f of files) {
      const path = join(dir, f.path)
      if (!(yield* exists(path))) {
        problems.push({ file: path, problem: "missing (listed in manifest.json)" })
        continue
      }
      const digest = yield* io(path, () => fileDigest(path))
      if (digest.bytes !== f.bytes) problems.push({ file: path, problem: `size ${digest.bytes} bytes, manifest says ${f.bytes}` })
      if (digest.sha256 !== f.sha256) problems.push({ file: path, problem: `sha256 ${digest.sha256.slice(0, 16)}… does not match the manifest's ${f.sha256.slice(0, 16)}…: the file was changed or damaged` })
      const read = yield* db
        .use(`validate ${path}`, async (c) => {
          const n = Number((await c.runAndReadAll(`SELECT count(*) AS n FROM read_parquet(${sqlString(path)})`)).getRowObjectsJS()[0]!["n"])
          const cols = (await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlString(path)})`))
            .getRowObjectsJS()
            .map((r) => ({ name: String(r["column_name"]), type: String(r["column_type"]) }))
          return { n, cols }
        })
        .pipe(Effect.result)
      if (read._tag === "Failure") {
        problems.push({ file: path, problem: `DuckDB cannot read it: ${errorMessage(read.failure)}` })
        continue
      }
      rows += read.success.n
      if (read.success.n !== f.rows) problems.push({ file: path, problem: `${read.success.n} rows, manifest says ${f.rows}` })
      const want = manifest.configs[f.config]!.columns.map((c) => `${c.name} ${c.type}`).join(", ")
      const got = read.success.cols.map((c) => `${c.name} ${c.type}`).join(", ")
      if (want !== got) problems.push({ file: path, problem: `schema (${got}) differs from the manifest's (${want})` })
    }
    for (const [config, c] of Object.entries(manifest.configs)) {
      const sum = Object.values(c.splits).reduce((n, s) => n + s.rows, 0)
      const fileSum = Object.values(c.splits).reduce((n, s) => n + s.files.reduce((m, f) => m + f.rows, 0), 0)
      if (sum !== c.rows || fileSum !== c.rows) problems.push({ file: join(dir, "manifest.json"), problem: `config "${config}" says ${c.rows} rows but its splits/files add up to ${sum}/${fileSum}` })
    }
    const listed = new Set(files.map((f) => join(dir, f.path)))
    const onDisk = yield* io(dir, () => listTree(dir))
    for (const p of onDisk) if (p.endsWith(".parquet") && !listed.has(p)) problems.push({ file: p, problem: "a Parquet file manifest.json does not list" })
    const cardPath = join(dir, "README.md")
    const card = yield* Effect.promise(() => readFile(cardPath, "utf8").catch(() => undefined))
    if (card === undefined) problems.push({ file: cardPath, problem: "missing dataset card" })
    else {
      const m = /^---\n([\s\S]*?)\n---\n/.exec(card)
      let header: { configs?: Array<{ config_name: string; data_files: Array<{ split: string; path: Array<string> | string }> }> } | undefined
      try {
        header = m ? parse(m[1]!) : undefined
      } catch {
        header = undefined
      }
      if (header === undefined) problems.push({ file: cardPath, problem: "no parseable YAML header" })
      else {
        const inCard = new Set((header.configs ?? []).flatMap((c) => c.data_files.flatMap((d) => (Array.isArray(d.path) ? d.path : [d.path]))))
        // A split with no rows is left out of the card on purpose (see cardHeader).
        const listedSplit = (f: (typeof files)[number]) => (manifest.configs[f.config]?.splits[f.split]?.rows ?? 0) > 0
        for (const f of files) if (listedSplit(f) && !inCard.has(f.path)) problems.push({ file: cardPath, problem: `YAML header does not list ${f.path}` })
      }
    }
    const advice = problems.length === 0 ? undefined : yield* repairAdvice(dataDir, name, v, manifest)
    return { dataset: name, version: v, files: files.length, rows, problems, ...(advice === undefined ? {} : { advice }) } satisfies ValidationReport
  })

/**
 * Fails (naming the first bad file) when the report has problems. `listed`: the caller has shown the
 * problems already (validate's output), so the message gives their count and the repair, not the list again.
 */
export const requireValid = (report: ValidationReport, dataDir: string, options: { readonly listed?: boolean } = {}) =>
  report.problems.length === 0
    ? Effect.succeed(report)
    : Effect.fail(
        new ValidationFailed({
          dataset: report.dataset,
          version: report.version,
          file: report.problems[0]!.file,
          problems: report.problems.length,
          message:
            `dataset "${report.dataset}" ${report.version} failed validation (${report.problems.length} problem${report.problems.length === 1 ? "" : "s"}): ` +
            (options.listed === true ? "listed above" : report.problems.map((p) => `${relative(dataDir, p.file) || p.file}: ${p.problem}`).join("; ")) +
            `. ${report.advice ?? "Restore the version from a backup, or build it again (a fresh version is written beside it)"}`
        })
      )
