import { createHash } from "node:crypto"
import { Effect } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { DuckDb, sqlIdent, sqlString } from "#io"
import { truncateStrings } from "./card.ts"
import { normaliseVersion, versionName } from "./layout.ts"
import { contentHash, type ManifestContent } from "./manifest.ts"
import { shardName } from "./shards.ts"
import { jsonStructure, shuffleKey, testSplitPredicate } from "./sql.ts"

describe("names", () => {
  it("shards follow the Hugging Face <split>-NNNNN-of-NNNNN pattern", () => {
    expect(shardName("train", 1, 4)).toBe("train-00001-of-00004.parquet")
    expect(shardName("test", 0, 1)).toBe("test-00000-of-00001.parquet")
  })

  it("versions are vNNNN; users may type v3, 3 or v0003", () => {
    expect(versionName(12)).toBe("v0012")
    expect(["v3", "3", "v0003", " v03 "].map(normaliseVersion)).toEqual(["v0003", "v0003", "v0003", "v0003"])
    expect(normaliseVersion("latest")).toBeUndefined()
  })

  it("quotes identifiers and builds from_json structures from DuckDB types", () => {
    expect(sqlIdent('a"b')).toBe('"a""b"')
    expect(jsonStructure([{ name: "id", type: "VARCHAR" }, { name: "messages", type: "STRUCT(role VARCHAR, content VARCHAR)[]" }])).toBe(
      '{"id":"VARCHAR","messages":"STRUCT(role VARCHAR, content VARCHAR)[]"}'
    )
  })

  it("cuts long strings anywhere in a sample row", () => {
    expect(truncateStrings({ a: "x".repeat(10), b: [{ c: "y".repeat(3) }], n: 5 }, 4)).toEqual({ a: "xxxx… (+6 chars)", b: [{ c: "yyy" }], n: 5 })
  })
})

describe("split and shuffle rules in SQL match their documented definitions", () => {
  it("test split: int(md5(task_id)[0:8], 16) < fraction × 2^32; shuffle key: int(md5('<seed>:<id>')[0:16], 16)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 30 }), fc.double({ min: 0, max: 0.99, noNaN: true }), fc.nat(1000), async (ids, fraction, seed) => {
        const values = ids.map((s) => `(${sqlString(s)})`).join(", ")
        const rows = await Effect.runPromise(
          Effect.gen(function* () {
            const db = yield* DuckDb
            return yield* db.all(`SELECT v, ${testSplitPredicate("v", fraction)} AS test, ${shuffleKey(seed, "v")}::VARCHAR AS key FROM (VALUES ${values}) t(v)`)
          }).pipe(Effect.provide(DuckDb.layer()), Effect.scoped)
        )
        for (const r of rows) {
          const v = r["v"] as string
          const md5 = (s: string) => createHash("md5").update(s, "utf8").digest("hex")
          expect(r["test"]).toBe(parseInt(md5(v).slice(0, 8), 16) < Math.round(fraction * 2 ** 32))
          expect(r["key"]).toBe(BigInt("0x" + md5(`${seed}:${v}`).slice(0, 16)).toString())
        }
      }),
      { numRuns: 25 }
    )
  })
})

describe("contentHash", () => {
  const content: ManifestContent = {
    manifest_version: 1,
    dataset: "math",
    pipeline: "math",
    config: { a: 1 },
    config_hash: "c",
    seed: 1,
    seed_files: [],
    layout: { test_fraction: 0.05, split_rule: "", shuffle_rule: "", shard_rows: 10, row_group_rows: 2048, compression: "zstd" },
    configs: {
      sft: { description: "d", rows: 1, columns: [{ name: "id", type: "VARCHAR", description: "x" }], splits: { train: { rows: 1, files: [{ path: "sft/train-00000-of-00001.parquet", rows: 1, bytes: 5, sha256: "aa" }] } } }
    }
  }

  it("changes with a shard's checksum or the config, not with descriptions", () => {
    const h = contentHash(content)
    const reworded = { ...content, configs: { sft: { ...content.configs["sft"]!, description: "other", columns: [{ name: "id", type: "VARCHAR", description: "y" }] } } }
    expect(contentHash(reworded)).toBe(h)
    const otherShard = { ...content, configs: { sft: { ...content.configs["sft"]!, splits: { train: { rows: 1, files: [{ path: "sft/train-00000-of-00001.parquet", rows: 1, bytes: 5, sha256: "ab" }] } } } } }
    expect(contentHash(otherShard)).not.toBe(h)
    expect(contentHash({ ...content, config_hash: "d" })).not.toBe(h)
  })
})
