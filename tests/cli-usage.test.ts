import { existsSync } from "node:fs"
import { chmod, mkdir, mkdtemp, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { autodidact } from "./helpers.ts"

const temp = () => mkdtemp(join(tmpdir(), "autodidact-usage-"))

/** A usage error: exit 2, nothing on stdout, exactly one line on stderr. */
const usageError = async (args: ReadonlyArray<string>): Promise<string> => {
  const r = await autodidact(args)
  expect(r.code, r.stderr).toBe(2)
  expect(r.stdout).toBe("")
  const lines = r.stderr.trimEnd().split("\n")
  expect(lines, r.stderr).toHaveLength(1)
  return lines[0]!
}

describe("usage errors", () => {
  it("say in one line which flag takes what, on stderr, even with --json", async () => {
    expect(await usageError(["build", "--size", "abc", "--json"])).toBe('error: --size takes a whole number, got "abc" (see autodidact build --help)')
    expect(await usageError(["build", "--seed", "1.5"])).toBe('error: --seed takes a whole number, got "1.5" (see autodidact build --help)')
    expect(await usageError(["build", "--json", "--size"])).toBe("error: --size needs a value: a whole number (see autodidact build --help)")
    expect(await usageError(["build", "--on-bad-rows", "maybe"])).toBe('error: --on-bad-rows takes one of fail, skip, got "maybe" (see autodidact build --help)')
    expect(await usageError(["gc", "math", "--keep", "x", "--json"])).toBe('error: --keep takes a whole number, got "x" (see autodidact gc --help)')
  })

  it("name an unknown flag, a missing argument, an extra argument and an unknown command", async () => {
    expect(await usageError(["build", "--sizee", "3", "--json"])).toBe("error: unknown flag --sizee for autodidact build; did you mean --size? (see autodidact build --help)")
    expect(await usageError(["verify", "--json"])).toBe("error: autodidact verify needs <file> (see autodidact verify --help)")
    expect(await usageError(["build", "math", "extra"])).toBe('error: unexpected argument "extra" (see autodidact build --help)')
    const unknown = await usageError(["biuld", "--json"])
    expect(unknown).toMatch(/^error: unknown command "biuld"; did you mean build\? commands: build, refresh, verify, .* \(see autodidact --help\)$/)
  })

  it("still print help on stdout, and exit 0, when asked for it", async () => {
    const r = await autodidact(["build", "--help"])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("USAGE")
    expect(r.stdout).toContain("--size integer")
    expect(r.stderr).toBe("")
  })
})

describe("an --out (or gc's and rollback's --data-dir) that cannot be written to", () => {
  // Tests may run as root, for whom chmod 0555 stops nothing. /sys refuses new files to everyone
  // (EACCES/EPERM, or EROFS where it is mounted read-only), so it stands for a read-only folder.
  it("is refused before the run starts, naming the flag, the folder and why", async () => {
    const dir = await temp()
    const file = join(dir, "a-file")
    await writeFile(file, "not a folder\n")
    for (const [out, reason] of [
      [file, "not a directory"],
      [join(file, "sub"), `not a directory (${file} is a file)`]
    ] as const) {
      const r = await autodidact(["build", "--size", "4", "--out", out])
      expect(r.code, r.stderr).toBe(1)
      expect(r.stderr).toBe(`error: cannot write to --out ${out}: ${reason}\n`)
    }
    if (existsSync("/sys")) {
      for (const out of ["/sys", "/sys/autodidact-out"]) {
        const r = await autodidact(["build", "--size", "4", "--out", out])
        expect(r.code, r.stderr).toBe(1)
        expect(r.stderr).toBe(`error: cannot write to --out ${out}: read-only\n`)
      }
    }
    for (const args of [
      ["gc", "math", "--keep", "1"],
      ["rollback", "math", "v1"]
    ]) {
      const r = await autodidact([...args, "--data-dir", file])
      expect(r.code, r.stderr).toBe(1)
      expect(r.stderr).toBe(`error: cannot write to --data-dir ${file}: not a directory\n`)
    }
    if (process.getuid?.() !== 0) {
      const readOnly = join(dir, "read-only")
      await mkdir(readOnly)
      await chmod(readOnly, 0o555)
      const r = await autodidact(["build", "--size", "4", "--out", readOnly])
      expect(r.code, r.stderr).toBe(1)
      expect(r.stderr).toBe(`error: cannot write to --out ${readOnly}: read-only\n`)
    }
  })
})
