import { createHash } from "node:crypto"
import { createReadStream } from "node:fs"
import { stat } from "node:fs/promises"

/** sha256 (hex) and size of a file, read as a stream so big shards never sit in memory whole. */
export const fileDigest = async (path: string): Promise<{ sha256: string; bytes: number }> => {
  const hash = createHash("sha256")
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer)
  return { sha256: hash.digest("hex"), bytes: (await stat(path)).size }
}
