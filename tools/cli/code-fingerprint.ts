import { createHash } from "node:crypto"
import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))

/** Source files under `dir`, tests left out, as paths relative to `root`. */
const sources = (root: string, dir: string): Array<string> => {
  let entries
  try {
    entries = readdirSync(join(root, dir), { withFileTypes: true })
  } catch {
    return []
  }
  return entries.flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return e.name === "node_modules" || e.name.startsWith(".") ? [] : sources(root, path)
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [path] : []
  })
}

const seen = new Map<string, string>()

/**
 * sha256 of the code that computes stages: every source file of libs/ and pipelines/ (not tests), package.json
 * (its imports map) and the lockfile (a dependency's version can change output too). The engine puts it in every stage key and memo
 * identity, so after an upgrade or a local edit a stage is recomputed instead of serving what older code
 * made; the model's response cache is keyed by requests, not code, so a model is not asked again.
 */
export const codeFingerprint = (root: string = ROOT): string => {
  const known = seen.get(root)
  if (known !== undefined) return known
  const hash = createHash("sha256")
  const files = [...sources(root, "libs"), ...sources(root, "pipelines"), "package.json", "package-lock.json"].map((f) => relative(root, join(root, f))).sort()
  for (const file of files) {
    let content: Buffer
    try {
      content = readFileSync(join(root, file))
    } catch {
      continue
    }
    hash.update(file).update("\0").update(content).update("\0")
  }
  const digest = hash.digest("hex")
  seen.set(root, digest)
  return digest
}
