import { vi } from "vitest"
import { runCli } from "../tools/cli/main.ts"

/** Runs the CLI in this process (faster than a child for many calls), capturing what it prints. */
export const cliInProcess = async (...args: Array<string>) => {
  let stdout = ""
  let stderr = ""
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true))
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true))
  const log = vi.spyOn(console, "log").mockImplementation((...a: Array<unknown>) => void (stdout += a.join(" ") + "\n"))
  const error = vi.spyOn(console, "error").mockImplementation((...a: Array<unknown>) => void (stderr += a.join(" ") + "\n"))
  try {
    const code = await runCli(args)
    return { code, stdout, stderr }
  } finally {
    out.mockRestore()
    err.mockRestore()
    log.mockRestore()
    error.mockRestore()
  }
}
