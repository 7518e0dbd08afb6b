import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { DuckDBInstance } from "@duckdb/node-api"
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest"
import { lockVersion, publish } from "#store"
import { cliInProcess } from "./cli-in-process.ts"
import { fakeSummary, request, run, sftConfig, sftRow, prefColumns, prefRow, tempDir, writeParts } from "./store-fixture.ts"

const cli = cliInProcess

afterEach(() => vi.restoreAllMocks())

/**
 * v0001: sft rows 0..99, preference rows 0..39.
 * v0002: sft rows 10..109 with rows 20..24 changed (10 added, 10 removed, 5 changed, 85 unchanged);
 *        preference unchanged; a stage figure moves from 100 to 110 rows.
 * v0003: sft as v0002 plus row 200, no preference config.
 */
let dataDir: string
beforeAll(async () => {
  dataDir = await tempDir("cli")
  const sft1 = await run(writeParts(join(dataDir, "p/sft1"), Array.from({ length: 100 }, (_, i) => sftRow(i))))
  const sft2rows = Array.from({ length: 100 }, (_, k) => k + 10).map((i) => (i >= 20 && i < 25 ? sftRow(i, { answer: "changed" }) : sftRow(i)))
  const sft2 = await run(writeParts(join(dataDir, "p/sft2"), sft2rows))
  const sft3 = await run(writeParts(join(dataDir, "p/sft3"), [...sft2rows, sftRow(200)]))
  const pref = await run(writeParts(join(dataDir, "p/pref"), Array.from({ length: 40 }, (_, i) => prefRow(i))))
  const preference = { name: "preference", description: "pairs", columns: prefColumns, files: pref }
  await run(publish(request(dataDir, [sftConfig(sft1), preference], { runSummary: fakeSummary([{ name: "solve", rows_out: 100 }]) })))
  await run(publish(request(dataDir, [sftConfig(sft2), preference], { runSummary: fakeSummary([{ name: "solve", rows_out: 110, rejects: { wrong: 3 } }]) })))
  await run(publish(request(dataDir, [sftConfig(sft3)], { runSummary: fakeSummary([{ name: "solve", rows_out: 111 }]) })))
})

describe("autodidact versions", () => {
  it("lists versions newest first and marks LATEST", async () => {
    const r = await cli("versions", "math", "--data-dir", dataDir)
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split("\n")
    expect(lines[0]).toBe("math: 3 versions, LATEST v0003")
    expect(lines[1]).toMatch(/^\* v0003 .* sft 101 {2}\(LATEST\)$/)
    expect(lines[3]).toMatch(/^ {2}v0001 .* sft 100, preference 40$/)
  })

  it("--json gives the versions with rows per config", async () => {
    const r = await cli("versions", "math", "--data-dir", dataDir, "--json")
    const j = JSON.parse(r.stdout)
    expect(j.latest).toBe("v0003")
    expect(j.versions.map((v: { version: string; rows: unknown; parent: unknown }) => [v.version, v.rows, v.parent])).toEqual([
      ["v0001", { sft: 100, preference: 40 }, null],
      ["v0002", { sft: 100, preference: 40 }, "v0001"],
      ["v0003", { sft: 101 }, "v0002"]
    ])
  })

  it("an unknown dataset is a usage error (exit 2) naming what exists", async () => {
    const r = await cli("versions", "nope", "--data-dir", dataDir)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('no published dataset "nope"')
    expect(r.stderr).toContain("published datasets: math")
  })
})

describe("autodidact query", () => {
  it("aggregates by version over <config>_all (json)", async () => {
    const r = await cli("query", "math", "SELECT version, count(*) AS n FROM sft_all GROUP BY version ORDER BY version", "--data-dir", dataDir, "--format", "json")
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual([
      { version: "v0001", n: 100 },
      { version: "v0002", n: 100 },
      { version: "v0003", n: 101 }
    ])
  })

  it("--at picks what the unsuffixed views show; csv quotes nested values", async () => {
    const r = await cli("query", "math", "SELECT id, messages FROM sft WHERE id = 'sft-000001'", "--at", "v1", "--data-dir", dataDir, "--format", "csv")
    expect(r.code).toBe(0)
    expect(r.stdout.trim().split("\n")).toEqual([
      "id,messages",
      `sft-000001,"[{""role"":""user"",""content"":""What is 1 + 2? Show your steps.""},{""role"":""assistant"",""content"":""1 + 2 = 3. The answer is 3.""}]"`
    ])
  })

  it("prints an aligned table by default", async () => {
    const r = await cli("query", "math", "SELECT count(*) AS n FROM preference", "--at", "v0002", "--data-dir", dataDir)
    expect(r.stdout.trimEnd().split("\n")).toEqual([" n", "--", "40", "(1 row, math v0002)"])
  })

  it("an unknown version is a usage error; bad SQL fails naming the views", async () => {
    const v = await cli("query", "math", "SELECT 1", "--at", "v9", "--data-dir", dataDir)
    expect(v.code).toBe(2)
    expect(v.stderr).toContain('dataset "math" has no version "v9"; versions: v0001, v0002, v0003')
    const q = await cli("query", "math", "SELECT * FROM nothing_here", "--data-dir", dataDir)
    expect(q.code).toBe(1)
    expect(q.stderr).toContain("Views you can use: preference_v0001, preference_v0002, preference_all, sft, sft_v0001, sft_v0002, sft_v0003, sft_all")
  })
})

describe("autodidact diff", () => {
  it("counts rows added, removed and changed by id, and figure deltas", async () => {
    const r = await cli("diff", "math", "v1", "v2", "--data-dir", dataDir, "--json")
    expect(r.code).toBe(0)
    const d = JSON.parse(r.stdout)
    const sft = d.configs.find((c: { config: string }) => c.config === "sft")
    expect([sft.added, sft.removed, sft.changed, sft.unchanged]).toEqual([10, 10, 5, 85])
    expect(sft.examples).toEqual({
      added: ["sft-000100", "sft-000101", "sft-000102"],
      removed: ["sft-000000", "sft-000001", "sft-000002"],
      changed: ["sft-000020", "sft-000021", "sft-000022"]
    })
    const pref = d.configs.find((c: { config: string }) => c.config === "preference")
    expect([pref.added, pref.removed, pref.changed, pref.unchanged]).toEqual([0, 0, 0, 40])
    const fig = (name: string) => d.figures.find((f: { figure: string }) => f.figure === name)
    expect(fig("stage.solve.rows_out")).toEqual({ figure: "stage.solve.rows_out", a: 100, b: 110, delta: 10 })
    expect(fig("stage.solve.rejects.wrong")).toEqual({ figure: "stage.solve.rejects.wrong", a: null, b: 3, delta: 3 })
    expect(fig("rows.sft")).toEqual({ figure: "rows.sft", a: 100, b: 100, delta: 0 })
  })

  it("a config that disappears counts all its rows removed (human output)", async () => {
    const r = await cli("diff", "math", "v2", "v3", "--data-dir", dataDir)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/preference\s+40\s+0\s+0\s+40\s+0\s+0 {2}\(config dropped\)/)
    expect(r.stdout).toMatch(/sft\s+100\s+101\s+1\s+0\s+0\s+100/)
    expect(r.stdout).toContain("e.g. added: sft-000200")
  })
})

describe("autodidact validate and gc", () => {
  it("validate passes on an intact version, then fails (exit 1) naming a shard with one flipped byte", async () => {
    const ok = await cli("validate", "math", "--data-dir", dataDir)
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/^math v0003: \d+ files, 101 rows: checksums, row counts, schemas and card OK/)

    const m = JSON.parse(readFileSync(join(dataDir, "datasets/math/v0002/manifest.json"), "utf8"))
    const shard = join(dataDir, "datasets/math/v0002", m.configs.sft.splits.train.files[0].path)
    const bytes = readFileSync(shard)
    const at = Math.floor(bytes.length / 2)
    bytes[at] = bytes[at]! ^ 0xff
    writeFileSync(shard, bytes)
    const bad = await cli("validate", "math", "--at", "v0002", "--data-dir", dataDir)
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain("failed validation")
    // Each problem is printed once, on stdout; the error line counts them and gives the repair.
    expect(bad.stdout).toContain("v0002/sft/train-00000-of-00001.parquet: sha256")
    expect(bad.stderr).toContain("failed validation (1 problem): listed above")
    const json = await cli("validate", "math", "--at", "v0002", "--data-dir", dataDir, "--json")
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout).problems[0].file).toBe(shard)
  })

  it("validate notices a shard the manifest does not list", async () => {
    const extra = join(dataDir, "datasets/math/v0003/sft/train-00009-of-00009.parquet")
    writeFileSync(extra, "x")
    try {
      const r = await cli("validate", "math", "--data-dir", dataDir)
      expect(r.code).toBe(1)
      expect(r.stdout).toContain("train-00009-of-00009.parquet: a Parquet file manifest.json does not list")
    } finally {
      await import("node:fs/promises").then((fs) => fs.rm(extra))
    }
  })

  it("gc --keep 1 removes old versions but never LATEST or a locked one, and refreshes the catalog", async () => {
    await run(lockVersion(dataDir, "math", "v1", "training run 42 reads it"))
    appendFileSync(join(dataDir, "datasets/math/v0001.lock"), "")
    const r = await cli("gc", "math", "--keep", "1", "--data-dir", dataDir, "--json")
    expect(r.code).toBe(0)
    const j = JSON.parse(r.stdout)
    expect(j.removed).toEqual(["v0002"])
    expect(j.kept.map((k: { version: string }) => k.version)).toEqual(["v0001", "v0003"])
    expect(existsSync(join(dataDir, "datasets/math/v0002"))).toBe(false)
    expect(existsSync(join(dataDir, "datasets/math/v0001"))).toBe(true)
    const q = await cli("query", "math", "SELECT DISTINCT version FROM sft_all ORDER BY 1", "--data-dir", dataDir, "--json")
    expect(JSON.parse(q.stdout)).toEqual([{ version: "v0001" }, { version: "v0003" }])
    const zero = await cli("gc", "math", "--keep", "0", "--data-dir", dataDir)
    expect(zero.code).toBe(2)
  })

  it("gc of an unknown dataset is a usage error (exit 2) naming what exists, as the other commands", async () => {
    const r = await cli("gc", "nope", "--keep", "1", "--data-dir", dataDir)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('no published dataset "nope"')
  })
})

describe("autodidact rollback, and versions and gc around it (issue #9, item 7)", () => {
  let dir: string
  let parts: Array<ReadonlyArray<string>>
  const ds = () => join(dir, "datasets/math")
  beforeAll(async () => {
    dir = await tempDir("cli-rollback")
    parts = []
    for (const n of [30, 40, 50, 60]) parts.push(await run(writeParts(join(dir, `p/sft${n}`), Array.from({ length: n }, (_, i) => sftRow(i)))))
    for (const p of parts.slice(0, 3)) await run(publish(request(dir, [sftConfig(p)])))
  })

  it("moves LATEST to a validated version, says what it was and is, and refreshes the catalog", async () => {
    const r = await cli("rollback", "math", "v1", "--data-dir", dir)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('dataset "math": LATEST was v0003, is now v0001')
    expect(readFileSync(join(ds(), "LATEST"), "utf8")).toBe("v0001\n")
    const db = await DuckDBInstance.create(join(dir, "catalog.duckdb"), { access_mode: "READ_ONLY" })
    const c = await db.connect()
    expect((await c.runAndReadAll("SELECT DISTINCT version, latest FROM main.versions ORDER BY version")).getRowObjectsJS()).toEqual([
      { version: "v0001", latest: true },
      { version: "v0002", latest: false },
      { version: "v0003", latest: false }
    ])
    expect((await c.runAndReadAll("SELECT count(*)::INT AS n FROM math.sft")).getRowObjectsJS()).toEqual([{ n: 30 }])
    c.closeSync()
    db.closeSync()
    const again = await cli("rollback", "math", "1", "--data-dir", dir, "--json")
    expect(JSON.parse(again.stdout)).toMatchObject({ previous: "v0001", latest: "v0001", status: "unchanged" })
  })

  it("versions lists every version, newer than LATEST too, marking LATEST", async () => {
    const r = await cli("versions", "math", "--data-dir", dir)
    const lines = r.stdout.trim().split("\n")
    expect(lines[0]).toBe("math: 3 versions, LATEST v0001")
    expect(lines.slice(1).map((l) => l.slice(0, 7))).toEqual(["  v0003", "  v0002", "* v0001"])
  })

  it("an unknown dataset or version is a usage error (exit 2)", async () => {
    const v = await cli("rollback", "math", "v7", "--data-dir", dir)
    expect(v.code).toBe(2)
    expect(v.stderr).toContain('dataset "math" has no version "v7"; versions: v0001, v0002, v0003')
    expect((await cli("rollback", "nope", "v1", "--data-dir", dir)).code).toBe(2)
    expect((await cli("rollback", "math", "latest", "--data-dir", dir)).code).toBe(2)
  })

  it("refuses a damaged version with the reason; versions marks it and names what is not a version", async () => {
    const m = JSON.parse(readFileSync(join(ds(), "v0002/manifest.json"), "utf8"))
    const shard = join(ds(), "v0002", m.configs.sft.splits.train.files[0].path)
    writeFileSync(shard, readFileSync(shard).subarray(0, 100))
    const r = await cli("rollback", "math", "v2", "--data-dir", dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('refused to roll "math" back to v0002: it failed validation')
    expect(r.stderr).toContain(`${shard}: size 100 bytes`)
    expect(readFileSync(join(ds(), "LATEST"), "utf8")).toBe("v0001\n")

    mkdirSync(join(ds(), ".staging-v0004-1"))
    mkdirSync(join(ds(), "v0009"))
    const v = await cli("versions", "math", "--data-dir", dir)
    expect(v.stdout).toMatch(/^ {2}v0002 .*\(DAMAGED: sft\/train-00000-of-00001\.parquet has 100 bytes, manifest\.json says \d+\)$/m)
    expect(v.stdout).toContain("not a version: .staging-v0004-1: a publish's staging folder")
    expect(v.stdout).toContain("not a version: v0009: a version folder without manifest.json")
    const j = JSON.parse((await cli("versions", "math", "--data-dir", dir, "--json")).stdout)
    expect(j.versions.map((x: { version: string; state: string }) => `${x.version} ${x.state}`)).toEqual(["v0001 complete", "v0002 damaged", "v0003 complete"])
    expect(j.leftovers.map((l: { folder: string }) => l.folder)).toEqual([".staging-v0004-1", "v0009"])
  })

  it("gc keeps LATEST and the newest, never counts leftovers as versions: staging goes, a folder without manifest stays", async () => {
    const r = await cli("gc", "math", "--keep", "1", "--data-dir", dir, "--json")
    expect(r.code, r.stderr).toBe(0)
    const j = JSON.parse(r.stdout)
    expect(j.removed).toEqual(["v0002"])
    expect(j.kept).toEqual([
      { version: "v0001", why: "LATEST" },
      { version: "v0003", why: "one of the newest 1" }
    ])
    expect(j.cleaned).toEqual([".staging-v0004-1"])
    expect(j.leftovers.map((l: { folder: string }) => l.folder)).toEqual(["v0009"])
    expect(existsSync(join(ds(), "v0009"))).toBe(true)
    expect(existsSync(join(ds(), ".staging-v0004-1"))).toBe(false)
  })

  it("rolling forward again works, and the next publish numbers above every folder with the LATEST it was built on as parent", async () => {
    expect((await cli("rollback", "math", "v0003", "--data-dir", dir)).code).toBe(0)
    const next = await run(publish(request(dir, [sftConfig(parts[3]!)])))
    expect([next.version, next.manifest.parent]).toEqual(["v0010", "v0003"])
  })
})
