import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises"
import { join, resolve } from "node:path"
import { fileDigest } from "#io"

/** Where the verdicts of earlier checks are kept: `<dataDir>/cache/query-verified.json`. */
export const verifiedCachePath = (dataDir: string) => join(dataDir, "cache", "query-verified.json")

interface CacheFile {
  readonly format: 1
  /** Absolute shard path → the key it was checked under and whether its sha256 matched. */
  readonly entries: Record<string, { readonly key: string; readonly ok: boolean }>
}

export interface ShardToCheck {
  /** The shard on disk. */
  readonly path: string
  readonly bytes: number
  readonly sha256: string
}

/** What is wrong with a shard, or undefined when it is there with manifest.json's size and sha256. */
export type ShardVerdict = string | undefined

const HASHING_AT_ONCE = 4

/**
 * Checks shards against manifest.json's size and sha256, hashing each only when it is new to the cache
 * or changed since: a verdict is kept under (size, mtime, ctime, inode, device, expected sha256), read
 * with nanosecond times. ctime moves whenever the file is written or its times are set (`touch -r`), and
 * cannot be set back by a user, so a shard changed in place is hashed again. A missing cache or one that
 * cannot be written (a read-only data folder) only costs the hashing again next time. `keep` are the
 * paths whose entries stay in the cache besides those checked (the dataset's other shards); entries of
 * this dataset's files that are gone are dropped.
 */
export const verifyShards = async (
  dataDir: string,
  datasetPath: string,
  shards: ReadonlyArray<ShardToCheck>,
  keep: ReadonlyArray<string>
): Promise<ReadonlyArray<ShardVerdict>> => {
  const cachePath = verifiedCachePath(dataDir)
  const cache: CacheFile = await readFile(cachePath, "utf8").then(
    (t) => {
      const parsed = JSON.parse(t) as Partial<CacheFile>
      return parsed.format === 1 && typeof parsed.entries === "object" && parsed.entries !== null ? (parsed as CacheFile) : { format: 1, entries: {} }
    },
    () => ({ format: 1, entries: {} })
  )
  const entries = { ...cache.entries }
  let changed = false
  const verdicts: Array<ShardVerdict> = new Array(shards.length).fill(undefined)
  const toHash: Array<{ index: number; abs: string; key: string }> = []
  for (const [index, s] of shards.entries()) {
    const abs = resolve(s.path)
    const st = await stat(abs, { bigint: true }).catch(() => undefined)
    if (st === undefined) {
      verdicts[index] = "is missing"
      continue
    }
    if (Number(st.size) !== s.bytes) {
      verdicts[index] = `has ${st.size} bytes, the manifest says ${s.bytes}`
      continue
    }
    const key = [st.size, st.mtimeNs, st.ctimeNs, st.ino, st.dev, s.sha256].join(":")
    const known = entries[abs]
    if (known?.key === key) verdicts[index] = known.ok ? undefined : "does not match its sha256 in manifest.json (changed or damaged since it was published)"
    else toHash.push({ index, abs, key })
  }
  // Hashing streams each file (1 MB at a time); a few at once keep the disk busy.
  let next = 0
  const worker = async () => {
    while (next < toHash.length) {
      const job = toHash[next++]!
      const digest = await fileDigest(job.abs).catch(() => undefined)
      const ok = digest !== undefined && digest.sha256 === shards[job.index]!.sha256
      verdicts[job.index] = digest === undefined ? "cannot be read" : ok ? undefined : "does not match its sha256 in manifest.json (changed or damaged since it was published)"
      if (digest !== undefined) {
        entries[job.abs] = { key: job.key, ok }
        changed = true
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(HASHING_AT_ONCE, toHash.length) }, worker))
  const root = resolve(datasetPath)
  const current = new Set([...keep, ...shards.map((s) => s.path)].map((p) => resolve(p)))
  for (const p of Object.keys(entries)) {
    if (p.startsWith(root + "/") && !current.has(p)) {
      delete entries[p]
      changed = true
    }
  }
  if (changed) {
    const temp = `${cachePath}.${process.pid}.${Date.now()}.tmp`
    await mkdir(join(dataDir, "cache"), { recursive: true })
      .then(() => writeFile(temp, JSON.stringify({ format: 1, entries } satisfies CacheFile)))
      .then(() => rename(temp, cachePath))
      .catch(() => undefined)
  }
  return verdicts
}
