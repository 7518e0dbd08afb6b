import { describe, expect, it } from "vitest"
import { parse } from "yaml"
import { cardHeader } from "./card.ts"
import type { Manifest } from "./manifest.ts"

const split = (rows: number, path: string) => ({ rows, files: [{ path, rows, bytes: 1, sha256: "0" }] })

describe("cardHeader", () => {
  it("leaves a split with no rows out of data_files (datasets cannot load a declared split without data)", () => {
    const manifest = {
      configs: {
        sft: { splits: { train: split(12, "sft/train-00000-of-00001.parquet"), test: split(0, "sft/test-00000-of-00001.parquet") } },
        rl: { splits: { train: split(10, "rl/train-00000-of-00001.parquet"), test: split(2, "rl/test-00000-of-00001.parquet") } }
      }
    } as unknown as Manifest
    const header = parse(cardHeader(manifest, "t")) as { configs: Array<{ config_name: string; data_files: Array<{ split: string; path: Array<string> }> }> }
    expect(header.configs).toEqual([
      { config_name: "sft", data_files: [{ split: "train", path: ["sft/train-00000-of-00001.parquet"] }] },
      {
        config_name: "rl",
        data_files: [
          { split: "train", path: ["rl/train-00000-of-00001.parquet"] },
          { split: "test", path: ["rl/test-00000-of-00001.parquet"] }
        ]
      }
    ])
  })
})
