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
      { config_name: "sft", default: true, data_files: [{ split: "train", path: ["sft/train-00000-of-00001.parquet"] }] },
      {
        config_name: "rl",
        data_files: [
          { split: "train", path: ["rl/train-00000-of-00001.parquet"] },
          { split: "test", path: ["rl/test-00000-of-00001.parquet"] }
        ]
      }
    ])
  })

  it("marks the chosen config default (so load_dataset(dir) needs no config name) and carries license, language, task categories and size", () => {
    const manifest = {
      configs: {
        sft: { rows: 12, splits: { train: split(12, "sft/train-00000-of-00001.parquet") } },
        rl: { rows: 2_500, splits: { train: split(2_500, "rl/train-00000-of-00001.parquet") } }
      }
    } as unknown as Manifest
    const header = parse(
      cardHeader(manifest, "t", { defaultConfig: "rl", license: { id: "cc-by-4.0", text: "" }, language: ["en"], taskCategories: ["text-generation", "question-answering"] })
    ) as Record<string, unknown> & { configs: Array<Record<string, unknown>> }
    expect(header["license"]).toBe("cc-by-4.0")
    expect(header["language"]).toEqual(["en"])
    expect(header["task_categories"]).toEqual(["text-generation", "question-answering"])
    expect(header["size_categories"]).toEqual(["1K<n<10K"])
    expect(header.configs.map((c) => [c["config_name"], c["default"]])).toEqual([["sft", undefined], ["rl", true]])
    // A default that is not a config falls back to the first, so `datasets` always finds one.
    const fallback = parse(cardHeader(manifest, "t", { defaultConfig: "nope" })) as { configs: Array<Record<string, unknown>> }
    expect(fallback.configs.map((c) => c["default"])).toEqual([true, undefined])
  })
})
