import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { codeFingerprint } from "./code-fingerprint.ts"

const tree = (files: Record<string, string>): string => {
  const root = mkdtempSync(join(tmpdir(), "fingerprint-"))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}

describe("codeFingerprint", () => {
  const base = { "libs/math/src/rise.ts": "export const a = 1\n", "pipelines/math/pipeline.ts": "export {}\n", "package-lock.json": "{}\n" }

  it("is the same for the same sources, whatever the tests and docs say", () => {
    const a = codeFingerprint(tree(base))
    const b = codeFingerprint(tree({ ...base, "libs/math/src/rise.test.ts": "test\n", "libs/math/README.md": "docs\n" }))
    expect(a).toMatch(/^[0-9a-f]{64}$/)
    expect(b).toBe(a)
  })

  it("changes when a stage's source, a pipeline or the lockfile changes", () => {
    const a = codeFingerprint(tree(base))
    expect(codeFingerprint(tree({ ...base, "libs/math/src/rise.ts": "export const a = 2\n" }))).not.toBe(a)
    expect(codeFingerprint(tree({ ...base, "pipelines/math/pipeline.ts": "export const x = 0\n" }))).not.toBe(a)
    expect(codeFingerprint(tree({ ...base, "package-lock.json": '{"v":2}\n' }))).not.toBe(a)
  })
})
