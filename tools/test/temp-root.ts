import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

/**
 * Vitest global setup: every test file, and every process a test starts, makes its temp folders under
 * one root (TMPDIR is inherited by the workers, forked after this runs), removed when the run ends, so
 * a test run leaves nothing in the OS temp directory, even when a test fails before its own clean-up.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "autodidact-tests-"))
  const previous = process.env["TMPDIR"]
  process.env["TMPDIR"] = root
  return () => {
    if (previous === undefined) delete process.env["TMPDIR"]
    else process.env["TMPDIR"] = previous
    rmSync(root, { recursive: true, force: true })
  }
}
