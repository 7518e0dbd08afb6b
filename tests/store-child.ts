/**
 * A publisher in its own process, for the crash and race tests (tests/store-crash.test.ts):
 *   node tests/store-child.ts '<json: {dataDir, files, hook?, marker?}>'
 * With a hook it writes `marker` at that point and then hangs, so the test can SIGKILL it exactly there.
 * Otherwise it prints the publish result as JSON.
 */
import { writeFileSync } from "node:fs"
import { Effect } from "effect"
import { publish } from "#store"
import { request, run, sftConfig } from "./store-fixture.ts"

const args = JSON.parse(process.argv[2]!) as {
  dataDir: string
  files: Array<string>
  hook?: "beforeRename" | "beforeLatest"
  marker?: string
}

const hang = (point: string) => (dir: string) =>
  Effect.promise(async () => {
    writeFileSync(args.marker!, JSON.stringify({ point, dir, pid: process.pid }))
    // A pending timer keeps the process alive (a bare pending promise would let Node exit on its own).
    await new Promise(() => setInterval(() => undefined, 60_000))
  })

const result = await run(
  publish(
    request(args.dataDir, [sftConfig(args.files)], {
      shardRows: 50,
      ...(args.hook === undefined ? {} : { hooks: { [args.hook]: hang(args.hook) } })
    })
  )
)
process.stdout.write(JSON.stringify({ status: result.status, version: result.version, notes: result.notes }) + "\n")
