import { Effect } from "effect"
import { exists } from "./fsutil.ts"
import { pinPath, publishedVersions } from "./layout.ts"
import { readManifest, type Manifest } from "./manifest.ts"

export interface VersionInfo {
  readonly version: string
  readonly latest: boolean
  /** A `vNNNN.lock` file pins it: gc keeps it. */
  readonly locked: boolean
  readonly created_at: string
  readonly parent: string | null
  readonly content_hash: string
  readonly rows: Readonly<Record<string, number>>
  readonly manifest: Manifest
}

/** The published versions of a dataset with their manifests, oldest first. */
export const listVersions = (dataDir: string, name: string) =>
  Effect.gen(function* () {
    const { latest, versions } = yield* publishedVersions(dataDir, name)
    const out: Array<VersionInfo> = []
    for (const version of versions) {
      const manifest = yield* readManifest(dataDir, name, version)
      out.push({
        version,
        latest: version === latest,
        locked: yield* exists(pinPath(dataDir, name, version)),
        created_at: manifest.created_at,
        parent: manifest.parent,
        content_hash: manifest.content_hash,
        rows: Object.fromEntries(Object.entries(manifest.configs).map(([c, e]) => [c, e.rows])),
        manifest
      })
    }
    return { latest, versions: out as ReadonlyArray<VersionInfo> }
  })
