import { spawn } from "node:child_process"
import { join } from "node:path"

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `autodidact ...args` as a real process (the repository's Node 24), from the repository root. */
export const autodidact = (
  args: ReadonlyArray<string>,
  options: { readonly cwd?: string; readonly env?: Readonly<Record<string, string>> } = {}
): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const cwd = options.cwd ?? process.cwd()
    const child = spawn(join(process.cwd(), "node_modules", ".bin", "node"), [join(process.cwd(), "tools", "cli", "bin.ts"), ...args], {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      ...(options.env === undefined ? {} : { env: { ...process.env, ...options.env } })
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d) => (stdout += d))
    child.stderr.on("data", (d) => (stderr += d))
    child.on("error", reject)
    child.on("exit", (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })

/**
 * Runs `autodidact ...args` and sends `signal` once its progress (stderr, plain lines since it is not
 * a terminal) says `stage` started: the kill point comes from what the child prints, never a timer.
 */
export const interruptAt = (args: ReadonlyArray<string>, stage: string, signal: NodeJS.Signals): Promise<CliResult & { readonly sent: boolean }> =>
  new Promise((resolve, reject) => {
    const child = spawn(join(process.cwd(), "node_modules", ".bin", "node"), [join(process.cwd(), "tools", "cli", "bin.ts"), ...args], { stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    let sent = false
    const started = new RegExp(`^${stage} +started$`, "m")
    child.stdout.on("data", (d) => (stdout += d))
    child.stderr.on("data", (d) => {
      stderr += d
      if (!sent && started.test(stderr)) {
        sent = true
        child.kill(signal)
      }
    })
    child.on("error", reject)
    child.on("exit", (code) => resolve({ code: code ?? -1, stdout, stderr, sent }))
  })
