import { createHash } from "node:crypto"
import { existsSync, readFileSync, readdirSync } from "node:fs"
import { mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { DuckDBInstance } from "@duckdb/node-api"
import { tableFromIPC, Vector } from "apache-arrow"
import { Effect } from "effect"
import * as pw from "parquet-wasm"
import { beforeAll, describe, expect, it } from "vitest"
import { parse } from "yaml"
import { allFiles, listVersions, publish, PublishInputError, requireValid, rollback, validateVersion, type ConfigSpec, type PublishResult } from "#store"
import { prefColumns, prefRow, request, run, sftColumns, sftRow, tempDir, writeParts } from "./store-fixture.ts"

/** 400 SFT rows over 100 tasks (4 rows a task) and 120 preference rows. */
const makeInputs = async (dir: string) => {
  const sft = await run(writeParts(join(dir, "sft"), Array.from({ length: 400 }, (_, i) => sftRow(i, { task: Math.floor(i / 4) })), 150))
  const pref = await run(writeParts(join(dir, "pref"), Array.from({ length: 120 }, (_, i) => prefRow(i)), 50))
  const seed = join(dir, "seed.jsonl")
  await import("node:fs/promises").then((fs) => fs.writeFile(seed, '{"question":"1+1","answer":"2"}\n'))
  const configs: ReadonlyArray<ConfigSpec> = [
    { name: "sft", description: "Chat-format solutions", columns: sftColumns, files: sft },
    { name: "preference", description: "Chosen and rejected solutions", columns: prefColumns, files: pref }
  ]
  return { configs, seed }
}

const shardBytes = (dir: string) => {
  const out: Record<string, string> = {}
  for (const config of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
    for (const f of readdirSync(join(dir, config.name))) out[`${config.name}/${f}`] = createHash("sha256").update(readFileSync(join(dir, config.name, f))).digest("hex")
  }
  return out
}

const duckRows = async (file: string) => {
  const db = await DuckDBInstance.create(":memory:")
  const c = await db.connect()
  const rows = (await c.runAndReadAll(`SELECT * FROM read_parquet('${file}')`)).getRowObjectsJson()
  c.closeSync()
  db.closeSync()
  return rows
}

/** Arrow values (from parquet-wasm) as plain JSON, the shape DuckDB's getRowObjectsJson gives. */
const plain = (v: unknown): unknown => {
  if (v instanceof Vector) return v.toArray().map(plain)
  if (typeof v === "bigint") return String(v)
  if (v !== null && typeof v === "object" && "toJSON" in v) return plain((v as { toJSON: () => unknown }).toJSON())
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
  return v
}

describe("publish", () => {
  let dataDir: string
  let result: PublishResult
  let inputs: Awaited<ReturnType<typeof makeInputs>>

  beforeAll(async () => {
    dataDir = await tempDir("publish")
    inputs = await makeInputs(dataDir)
    result = await run(
      publish(request(dataDir, inputs.configs, { shardRows: 64, seedFiles: [inputs.seed], testFraction: 0.2, codeVersion: { package: "0.1.0", git: "abc123" } }))
    )
  })

  it("writes v0001 with manifest, card and shards named <config>/<split>-NNNNN-of-NNNNN.parquet", () => {
    expect(result.status).toBe("published")
    expect(result.version).toBe("v0001")
    expect(readFileSync(join(dataDir, "datasets/math/LATEST"), "utf8")).toBe("v0001\n")
    const m = result.manifest
    expect(m.parent).toBeNull()
    expect(m.code_version).toEqual({ package: "0.1.0", git: "abc123" })
    expect(m.seed_files).toEqual([{ path: inputs.seed, bytes: 32, sha256: createHash("sha256").update('{"question":"1+1","answer":"2"}\n').digest("hex") }])
    expect(m.configs["sft"]!.rows).toBe(400)
    expect(m.configs["preference"]!.rows).toBe(120)
    const sft = m.configs["sft"]!
    expect(sft.splits["train"]!.rows + sft.splits["test"]!.rows).toBe(400)
    const train = sft.splits["train"]!
    const n = Math.ceil(train.rows / 64)
    expect(train.files.map((f) => f.path)).toEqual(Array.from({ length: n }, (_, i) => `sft/train-${String(i).padStart(5, "0")}-of-${String(n).padStart(5, "0")}.parquet`))
    expect(train.files.slice(0, -1).every((f) => f.rows === 64)).toBe(true)
    expect(sft.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
      "id VARCHAR",
      "task_id VARCHAR",
      'messages STRUCT("role" VARCHAR, "content" VARCHAR)[]',
      "source VARCHAR"
    ])
    for (const f of allFiles(m)) {
      const bytes = readFileSync(join(result.dir, f.path))
      expect(bytes.length).toBe(f.bytes)
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(f.sha256)
    }
    expect(JSON.parse(readFileSync(join(result.dir, "manifest.json"), "utf8"))).toEqual(m)
  })

  it("splits by task: the test split is exactly the tasks with md5(task_id)[0:8] below fraction × 2^32, none in both", async () => {
    const expectedTest = new Set(
      Array.from({ length: 100 }, (_, t) => `task-${String(t).padStart(6, "0")}`).filter(
        (t) => parseInt(createHash("md5").update(t).digest("hex").slice(0, 8), 16) < Math.round(0.2 * 2 ** 32)
      )
    )
    const tasks = (split: string) =>
      new Set(result.manifest.configs["sft"]!.splits[split]!.files.flatMap((f) => readRowsWasm(join(result.dir, f.path)).map((r) => r["task_id"] as string)))
    const test = tasks("test")
    const train = tasks("train")
    expect(test).toEqual(expectedTest)
    expect([...test].filter((t) => train.has(t))).toEqual([])
    expect(test.size + train.size).toBe(100)
  })

  it("shuffles rows by seed: neither input order nor the same order under another seed", async () => {
    const ids = result.manifest.configs["sft"]!.splits["train"]!.files.flatMap((f) => readRowsWasm(join(result.dir, f.path)).map((r) => r["id"] as string))
    expect(ids).not.toEqual([...ids].sort())
    const key = (id: string) => BigInt("0x" + createHash("md5").update(`7:${id}`).digest("hex").slice(0, 16))
    const sorted = [...ids].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    expect(ids).toEqual(sorted)
  })

  it("every shard read by parquet-wasm (a second Parquet implementation) gives the rows DuckDB gives", async () => {
    for (const f of allFiles(result.manifest)) {
      const path = join(result.dir, f.path)
      const wasm = readRowsWasm(path)
      expect(wasm.length).toBe(f.rows)
      expect(wasm).toEqual(await duckRows(path))
    }
  })

  it("the card's YAML header parses and lists every shard per config and split", () => {
    const card = readFileSync(join(result.dir, "README.md"), "utf8")
    const header = parse(/^---\n([\s\S]*?)\n---\n/.exec(card)![1]!) as { configs: Array<{ config_name: string; data_files: Array<{ split: string; path: Array<string> }> }> }
    const listed = header.configs.flatMap((c) => c.data_files.flatMap((d) => d.path.map((p) => `${c.config_name}|${d.split}|${p}`))).sort()
    expect(listed).toEqual(allFiles(result.manifest).map((f) => `${f.config}|${f.split}|${f.path}`).sort())
    expect(header.configs.map((c) => c.config_name)).toEqual(["sft", "preference"])
    expect(card).toContain("| `sft` | ")
    expect(card).toContain("Strategies: symbolic variation")
    expect(card).toContain('"role": "user"')
    expect(card).toContain("abc123")
  })

  it("keeps the catalog current: views per config, per version and _all, with relative-or-absolute paths as given", async () => {
    const db = await DuckDBInstance.create(join(dataDir, "catalog.duckdb"), { access_mode: "READ_ONLY" })
    const c = await db.connect()
    const q = async (sql: string) => (await c.runAndReadAll(sql)).getRowObjectsJS()
    expect(await q("SELECT split, count(*)::INT AS n FROM math.sft GROUP BY split ORDER BY split")).toEqual([
      { split: "test", n: result.manifest.configs["sft"]!.splits["test"]!.rows },
      { split: "train", n: result.manifest.configs["sft"]!.splits["train"]!.rows }
    ])
    expect(await q("SELECT version, count(*)::INT AS n FROM math.preference_all GROUP BY version")).toEqual([{ version: "v0001", n: 120 }])
    expect(await q("SELECT count(*)::INT AS n FROM math.sft_v0001")).toEqual([{ n: 400 }])
    expect(await q("SELECT version, config, rows::INT AS rows, latest FROM main.versions ORDER BY config")).toEqual([
      { version: "v0001", config: "preference", rows: 120, latest: true },
      { version: "v0001", config: "sft", rows: 400, latest: true }
    ])
    c.closeSync()
    db.closeSync()
  })

  it("publishing the same content again makes no version and says so", async () => {
    const again = await run(publish(request(dataDir, inputs.configs, { shardRows: 64, seedFiles: [inputs.seed], testFraction: 0.2, createdAt: "2027-01-01T00:00:00Z" })))
    expect(again.status).toBe("unchanged")
    expect(again.version).toBe("v0001")
    expect(again.message).toMatch(/unchanged: the content is identical to v0001/)
    expect(readdirSync(join(dataDir, "datasets/math")).sort()).toEqual(["LATEST", "v0001"])
  })

  it("is byte-identical when republished into a fresh folder, whatever DuckDB's thread count", async () => {
    const other = await tempDir("publish-again")
    const again = await run(publish(request(other, inputs.configs, { shardRows: 64, seedFiles: [inputs.seed], testFraction: 0.2 })), 1)
    expect(shardBytes(again.dir)).toEqual(shardBytes(result.dir))
    const { created_at: _a, code_version: _b, ...x } = again.manifest
    const { created_at: _c, code_version: _d, ...y } = result.manifest
    expect(x).toEqual(y)
  })

  it("gives the same shards when the keys come from the parts' key columns, or from some parts' and the JSON of others", async () => {
    const other = await tempDir("publish-keyed")
    const sftRows = Array.from({ length: 400 }, (_, i) => sftRow(i, { task: Math.floor(i / 4) }))
    const keyed = await run(writeParts(join(other, "sft"), sftRows, 150, ["id", "task_id"]))
    const mixed = [
      ...(await run(writeParts(join(other, "pref-a"), Array.from({ length: 120 }, (_, i) => prefRow(i)).slice(0, 60), 50, ["task_id", "id", "prompt"]))),
      ...(await run(writeParts(join(other, "pref-b"), Array.from({ length: 120 }, (_, i) => prefRow(i)).slice(60), 50)))
    ]
    const configs = [
      { ...inputs.configs[0]!, files: keyed },
      { ...inputs.configs[1]!, files: mixed }
    ]
    const again = await run(publish(request(other, configs, { shardRows: 64, seedFiles: [inputs.seed], testFraction: 0.2 })))
    expect(shardBytes(again.dir)).toEqual(shardBytes(result.dir))
    expect(again.manifest.content_hash).toBe(result.manifest.content_hash)
  })
})

const readRowsWasm = (path: string): Array<Record<string, unknown>> => {
  const table = tableFromIPC(pw.readParquet(new Uint8Array(readFileSync(path))).intoIPCStream())
  return table.toArray().map((row) => plain(row) as Record<string, unknown>)
}

describe("publish rejects bad input with the config and what to do", () => {
  const one = async (rows: ReadonlyArray<unknown>, columns = sftColumns) => {
    const dir = await tempDir("bad")
    const files = await run(writeParts(join(dir, "parts"), rows, 100))
    return run(publish(request(dir, [{ name: "sft", description: "", columns, files }])).pipe(Effect.flip))
  }

  it("duplicate ids", async () => {
    const e = await one([sftRow(1), sftRow(2), sftRow(1)])
    expect(e).toBeInstanceOf(PublishInputError)
    expect(e.message).toBe('1 duplicate ids in the part files of config "sft" (e.g. sft-000001); ids must be unique within a config (deduplicate before publishing)')
  })

  it("rows without task_id", async () => {
    const e = await one([sftRow(1), { ...sftRow(2), task_id: undefined }])
    expect(e.message).toContain('1 rows in the part files of config "sft" have no "task_id" (e.g. ids sft-000002)')
  })

  it("rows without a value in the split column, whether read from key columns or the JSON", async () => {
    const dir = await tempDir("bad")
    const rows = [0, 1, 2, 3].map((i) => ({ ...sftRow(i), family_id: i === 2 ? null : "fam-1" }))
    const columns = [...sftColumns, { name: "family_id", type: "VARCHAR", description: "family" }]
    for (const keys of [[], ["id", "task_id", "family_id"]]) {
      const files = await run(writeParts(join(dir, `parts-${keys.length}`), rows, 100, keys))
      const e = await run(publish(request(dir, [{ name: "sft", description: "", columns, files }], { splitBy: "family_id" })).pipe(Effect.flip))
      expect(e.message).toBe('1 rows in the part files of config "sft" have no "family_id" (e.g. ids sft-000002); the train/test split is drawn by it')
    }
  })

  it("a config without an id column", async () => {
    const e = await one([sftRow(1)], sftColumns.filter((c) => c.name !== "id"))
    expect(e.message).toBe('config "sft" has no "id" column; every config needs "id" and "task_id"')
  })

  it("a LATEST that holds no version name", async () => {
    const dir = await tempDir("bad")
    const files = await run(writeParts(join(dir, "parts"), [sftRow(1)], 100))
    await mkdir(join(dir, "datasets", "math"), { recursive: true })
    await writeFile(join(dir, "datasets", "math", "LATEST"), "latest-please\n")
    const e = await run(publish(request(dir, [{ name: "sft", description: "", columns: sftColumns, files }])).pipe(Effect.flip))
    expect(e).toBeInstanceOf(PublishInputError)
    expect(e.message).toBe(
      `${join(dir, "datasets", "math", "LATEST")} holds "latest-please", which is not a version name (vNNNN); write the current version's name into it (or use \`autodidact rollback math <version>\`), or delete it if no version was published`
    )
  })

  it("a part file that is gone", async () => {
    const dir = await tempDir("bad")
    const e = await run(publish(request(dir, [{ name: "sft", description: "", columns: sftColumns, files: [join(dir, "nope.parquet")] }])).pipe(Effect.flip))
    expect(e).toBeInstanceOf(PublishInputError)
    expect((e as PublishInputError).file).toBe(join(dir, "nope.parquet"))
  })
})

describe("publishing never deletes a complete version, and repairs a damaged LATEST (issue #9, items 7 and 8)", () => {
  /** A dataset with v0001 (rows 0..99) and v0002 (rows 0..119) published, and parts for a third content. */
  const twoVersions = async () => {
    const dataDir = await tempDir("rollback")
    const parts = async (dir: string, n: number) => run(writeParts(join(dataDir, dir), Array.from({ length: n }, (_, i) => sftRow(i)), 50))
    const [a, b, c] = [await parts("a", 100), await parts("b", 120), await parts("c", 140)]
    const spec = (files: ReadonlyArray<string>) => [{ name: "sft", description: "SFT rows", columns: sftColumns, files }]
    await run(publish(request(dataDir, spec(a), { shardRows: 40 })))
    await run(publish(request(dataDir, spec(b), { shardRows: 40 })))
    return { dataDir, a, b, c, spec, ds: join(dataDir, "datasets", "math") }
  }

  it("LATEST set back by hand, then a publish: the newer version stays, the new one takes the next free number with the LATEST it was built on as parent", async () => {
    const { dataDir, c, spec, ds } = await twoVersions()
    await writeFile(join(ds, "LATEST"), "v0001\n")
    const next = await run(publish(request(dataDir, spec(c), { shardRows: 40 })))
    expect(next.status).toBe("published")
    expect(next.version).toBe("v0003")
    expect(next.manifest.parent).toBe("v0001")
    expect(next.notes.join("\n")).not.toContain("removed")
    expect(readFileSync(join(ds, "LATEST"), "utf8")).toBe("v0003\n")
    expect((await run(validateVersion(dataDir, "math", "v0002"))).problems).toEqual([])
    const listed = await run(listVersions(dataDir, "math"))
    expect(listed.versions.map((v) => [v.version, v.state, v.latest])).toEqual([
      ["v0001", "complete", false],
      ["v0002", "complete", false],
      ["v0003", "complete", true]
    ])
  })

  it("after a rollback, publishing LATEST's own content is unchanged, and another content never reuses a number", async () => {
    const { dataDir, a, b, spec, ds } = await twoVersions()
    const back = await run(rollback(dataDir, "math", "v1"))
    expect([back.previous, back.latest]).toEqual(["v0002", "v0001"])
    expect((await run(publish(request(dataDir, spec(a), { shardRows: 40 })))).status).toBe("unchanged")
    const again = await run(publish(request(dataDir, spec(b), { shardRows: 40 })))
    expect([again.version, again.manifest.parent]).toEqual(["v0003", "v0001"])
    expect(readdirSync(ds).filter((n) => /^v\d+$/.test(n))).toEqual(["v0001", "v0002", "v0003"])
  })

  it("only leftovers are cleaned: staging folders go, a version folder without manifest.json is left in place and named in the notes", async () => {
    const { dataDir, c, spec, ds } = await twoVersions()
    await mkdir(join(ds, ".staging-v0003-999999", "sft"), { recursive: true })
    await mkdir(join(ds, "v0007"))
    const next = await run(publish(request(dataDir, spec(c), { shardRows: 40 })))
    expect(next.version).toBe("v0008")
    expect(existsSync(join(ds, ".staging-v0003-999999"))).toBe(false)
    expect(existsSync(join(ds, "v0007"))).toBe(true)
    expect(next.notes.join("\n")).toContain(`${join(ds, "v0007")} has no manifest.json`)
    const listed = await run(listVersions(dataDir, "math"))
    expect(listed.versions.map((v) => v.version)).toEqual(["v0001", "v0002", "v0008"])
    expect(listed.leftovers.map((l) => l.folder)).toEqual(["v0007"])
  })

  for (const damage of ["truncate", "flip a byte"] as const) {
    it(`a shard of LATEST damaged (${damage}): publishing the same content writes a fresh verified version; the damaged one stays and validates as damaged`, async () => {
      const { dataDir, b, spec, ds } = await twoVersions()
      const m = JSON.parse(readFileSync(join(ds, "v0002", "manifest.json"), "utf8")) as { configs: { sft: { splits: { train: { files: Array<{ path: string }> } } } } }
      const shard = join(ds, "v0002", m.configs.sft.splits.train.files[0]!.path)
      const bytes = readFileSync(shard)
      if (damage === "truncate") await writeFile(shard, bytes.subarray(0, bytes.length - 100))
      else {
        const at = Math.floor(bytes.length / 2)
        bytes[at] = bytes[at]! ^ 0xff
        await writeFile(shard, bytes)
      }
      const report = await run(validateVersion(dataDir, "math"))
      expect(report.problems.length).toBeGreaterThan(0)
      const advice = (await run(requireValid(report, dataDir).pipe(Effect.flip))).message
      expect(advice).toContain("autodidact build math --seed 7")
      expect(advice).toContain("autodidact rollback math v0001")

      const next = await run(publish(request(dataDir, spec(b), { shardRows: 40 })))
      expect(next.status).toBe("published")
      expect(next.version).toBe("v0003")
      expect(next.manifest.parent).toBe("v0002")
      expect(next.message).toContain("v0002 failed verification")
      expect(readFileSync(join(ds, "LATEST"), "utf8")).toBe("v0003\n")
      expect((await run(validateVersion(dataDir, "math"))).problems).toEqual([])
      expect((await run(validateVersion(dataDir, "math", "v0002"))).problems[0]!.file).toBe(shard)
      const listed = await run(listVersions(dataDir, "math"))
      expect(listed.versions.find((v) => v.version === "v0002")!.state).toBe(damage === "truncate" ? "damaged" : "complete")
      // and once repaired, the same content is unchanged again
      expect((await run(publish(request(dataDir, spec(b), { shardRows: 40 })))).status).toBe("unchanged")
    })
  }
})
