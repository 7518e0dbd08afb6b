import { execFileSync, spawn } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest"
import { publish } from "#store"
import { cliInProcess } from "./cli-in-process.ts"
import { request, run, sftConfig, sftRow, prefColumns, prefRow, tempDir, writeParts } from "./store-fixture.ts"

const cli = cliInProcess

afterEach(() => vi.restoreAllMocks())

/** v0001: sft rows 0..99 and preference rows 0..39; v0002: sft rows 0..109. */
let dataDir: string
let ds: string
beforeAll(async () => {
  dataDir = await tempDir("query")
  ds = join(dataDir, "datasets/math")
  const sft1 = await run(writeParts(join(dataDir, "p/sft1"), Array.from({ length: 100 }, (_, i) => sftRow(i))))
  const sft2 = await run(writeParts(join(dataDir, "p/sft2"), Array.from({ length: 110 }, (_, i) => sftRow(i))))
  const pref = await run(writeParts(join(dataDir, "p/pref"), Array.from({ length: 40 }, (_, i) => prefRow(i))))
  const preference = { name: "preference", description: "pairs", columns: prefColumns, files: pref }
  await run(publish(request(dataDir, [sftConfig(sft1), preference])))
  await run(publish(request(dataDir, [sftConfig(sft2)])))
})

/** Every file under the data folder (but the engine parts) with its sha256, to show nothing was written. */
const snapshot = (): Record<string, string> => {
  const files: Record<string, string> = {}
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else files[p] = createHash("sha256").update(readFileSync(p)).digest("hex")
    }
  }
  walk(join(dataDir, "datasets"))
  files["catalog"] = createHash("sha256").update(readFileSync(join(dataDir, "catalog.duckdb"))).digest("hex")
  return files
}

describe("query is read-only (issue #9 item 6)", () => {
  const shard = () => join(ds, "v0002/sft/train-00000-of-00001.parquet")
  const refused: ReadonlyArray<[string, () => string, RegExp]> = [
    ["COPY TO a shard", () => `COPY (SELECT 1 AS x) TO '${shard()}' (FORMAT parquet)`, /statement 1 \(COPY\) was refused/],
    ["COPY TO LATEST", () => `COPY (SELECT 'v0009') TO '${join(ds, "LATEST")}' (FORMAT csv, HEADER false)`, /statement 1 \(COPY\) was refused/],
    ["ATTACH the catalog + DROP SCHEMA", () => `ATTACH '${join(dataDir, "catalog.duckdb")}' AS cat; DROP SCHEMA cat.math CASCADE`, /statement 1 \(ATTACH\) was refused/],
    ["CREATE TABLE AS", () => "CREATE TABLE t AS SELECT * FROM sft", /statement 1 \(CREATE\) was refused/],
    ["a SELECT then a COPY to a new file", () => `SELECT 1; COPY sft TO '${join(dataDir, "out.parquet")}'`, /statement 2 \(COPY\) was refused/],
    ["EXPORT DATABASE", () => `EXPORT DATABASE '${join(dataDir, "export")}'`, /statement 1 \(EXPORT\) was refused/],
    ["INSTALL", () => "INSTALL httpfs", /statement 1 \(INSTALL or LOAD\) was refused/],
    ["LOAD", () => "LOAD json", /statement 1 \(INSTALL or LOAD\) was refused/],
    ["SET enable_external_access", () => "SET enable_external_access = true", /statement 1 \(SET\) was refused/],
    ["EXPLAIN ANALYZE COPY over a shard (it runs what it explains)", () => `EXPLAIN ANALYZE COPY (SELECT 1 AS a) TO '${shard()}' (FORMAT parquet, USE_TMP_FILE false)`, /statement 1 \(EXPLAIN COPY\) was refused/],
    ["EXPLAIN (ANALYZE) COPY to a new file", () => `EXPLAIN (ANALYZE) COPY (SELECT 1 AS a) TO '${join(dataDir, "out.parquet")}'`, /statement 1 \(EXPLAIN\) was refused: it reads or writes a file it may not/],
    ["reading /etc/passwd", () => "SELECT * FROM read_csv('/etc/passwd')", /statement 1 \(SELECT\) was refused: .*"\/etc\/passwd"/],
    ["reading a file of the data folder that is not a shard", () => `SELECT * FROM read_text('${join(ds, "LATEST")}')`, /statement 1 \(SELECT\) was refused: .*LATEST/]
  ]
  for (const [what, sql, message] of refused) {
    it(`refuses ${what}, naming the statement, and writes nothing`, async () => {
      const before = snapshot()
      const r = await cli("query", "math", sql(), "--data-dir", dataDir)
      expect(r.code).toBe(1)
      expect(r.stderr).toContain("query is read-only")
      expect(r.stderr).toMatch(message)
      expect(snapshot()).toEqual(before)
      expect(readFileSync(join(ds, "LATEST"), "utf8")).toBe("v0002\n")
      expect(existsSync(join(dataDir, "out.parquet"))).toBe(false)
      expect(existsSync(join(dataDir, "export"))).toBe(false)
    })
  }

  it("--read lets the SQL read another file or folder, and only that", async () => {
    const extra = await tempDir("query-read")
    writeFileSync(join(extra, "labels.csv"), "id,label\nsft-000001,good\n")
    const sql = `SELECT s.id, l.label FROM sft s JOIN read_csv('${join(extra, "labels.csv")}') l USING (id)`
    const refused = await cli("query", "math", sql, "--data-dir", dataDir, "--format", "csv")
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain("--read PATH lets a query read another file or folder")
    for (const path of [join(extra, "labels.csv"), extra]) {
      const r = await cli("query", "math", sql, "--read", path, "--data-dir", dataDir, "--format", "csv")
      expect(r.stdout).toBe("id,label\nsft-000001,good\n")
    }
    const other = await cli("query", "math", "SELECT * FROM read_csv('/etc/passwd')", "--read", extra, "--data-dir", dataDir)
    expect(other.code).toBe(1)
    // --read opens the folder to DuckDB for writes as well: the statement gate is what keeps them out.
    const write = await cli("query", "math", `EXPLAIN ANALYZE COPY (SELECT 1 AS a) TO '${join(extra, "written.csv")}'`, "--read", extra, "--data-dir", dataDir)
    expect(write.code).toBe(1)
    expect(write.stderr).toContain("query is read-only")
    expect(existsSync(join(extra, "written.csv"))).toBe(false)
  })

  it("a query that fails part-way through its result exits 1 with DuckDB's error (rows already printed stay printed)", async () => {
    const sql = "SELECT CASE WHEN range < 300000 THEN range ELSE error('boom') END AS v FROM range(1000000)"
    const r = await cli("query", "math", sql, "--data-dir", dataDir, "--format", "csv")
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("Invalid Input Error: boom")
    expect(r.stderr).toContain("the output is incomplete")
    const table = await cli("query", "math", sql, "--data-dir", dataDir)
    expect(table.code).toBe(1)
  })

  it("still runs SELECT over the views and _all views, DESCRIBE, SUMMARIZE, SHOW TABLES and EXPLAIN", async () => {
    const all = await cli("query", "math", "SELECT version, count(*) AS n FROM sft_all GROUP BY ALL ORDER BY ALL", "--data-dir", dataDir, "--json")
    expect(JSON.parse(all.stdout)).toEqual([
      { version: "v0001", n: 100 },
      { version: "v0002", n: 110 }
    ])
    const describe = await cli("query", "math", "DESCRIBE sft", "--data-dir", dataDir, "--json")
    expect(describe.code).toBe(0)
    expect(JSON.parse(describe.stdout).map((c: { column_name: string }) => c.column_name)).toEqual(["split", "id", "task_id", "messages", "source"])
    const summarize = await cli("query", "math", "SUMMARIZE SELECT id FROM preference_v0001", "--data-dir", dataDir, "--json")
    expect(summarize.code).toBe(0)
    expect(JSON.parse(summarize.stdout)[0].count).toBe(40)
    const show = await cli("query", "math", "SHOW TABLES", "--data-dir", dataDir, "--format", "csv")
    expect(show.code).toBe(0)
    expect(show.stdout).toContain("sft_all")
    const explain = await cli("query", "math", "EXPLAIN SELECT count(*) FROM sft", "--data-dir", dataDir, "--format", "csv")
    expect(explain.code).toBe(0)
  })
})

describe("query warns about a version whose shards changed after publishing (issue #9 item 8)", () => {
  it("names the shard and says to run autodidact validate; other versions do not warn", async () => {
    const dir = await tempDir("query-warn")
    const sft = await run(writeParts(join(dir, "p/sft"), Array.from({ length: 30 }, (_, i) => sftRow(i))))
    const sft2 = await run(writeParts(join(dir, "p/sft2"), Array.from({ length: 31 }, (_, i) => sftRow(i))))
    await run(publish(request(dir, [sftConfig(sft)])))
    await run(publish(request(dir, [sftConfig(sft2)])))
    const clean = await cli("query", "math", "SELECT count(*) AS n FROM sft_all", "--data-dir", dir)
    expect(clean.code).toBe(0)
    expect(clean.stderr).toBe("")

    // Same size, one byte flipped, written after the manifest (mtime set ahead: coarse clocks must not hide it).
    const shard = join(dir, "datasets/math/v0001/sft/train-00000-of-00001.parquet")
    const bytes = readFileSync(shard)
    bytes[100] = bytes[100]! ^ 0xff
    writeFileSync(shard, bytes)
    const later = new Date(statSync(join(dir, "datasets/math/v0001/manifest.json")).mtimeMs + 10_000)
    utimesSync(shard, later, later)
    const warned = await cli("query", "math", "SELECT count(*) AS n FROM sft", "--at", "v1", "--data-dir", dir, "--format", "csv")
    expect(warned.stderr).toContain("warning: math v0001")
    expect(warned.stderr).toContain("sft/train-00000-of-00001.parquet")
    expect(warned.stderr).toContain("autodidact validate math --at v0001")
    const other = await cli("query", "math", "SELECT count(*) AS n FROM sft", "--data-dir", dir, "--format", "csv")
    expect(other.stdout).toBe("n\n31\n")
    expect(other.stderr).toBe("")

    // A shard whose size differs from the manifest's.
    const shard2 = join(dir, "datasets/math/v0002/sft/test-00000-of-00001.parquet")
    writeFileSync(shard2, Buffer.concat([readFileSync(shard2), Buffer.from("x")]))
    const sized = await cli("query", "math", "SELECT 1 AS one FROM sft_v0002 LIMIT 1", "--data-dir", dir, "--format", "csv")
    expect(sized.code).toBe(1)
    expect(sized.stderr).toMatch(/warning: math v0002: sft\/test-00000-of-00001.parquet has \d+ bytes, the manifest says \d+/)
    expect(sized.stderr).toContain("autodidact validate math --at v0002")
    expect(sized.stderr).toContain("warning: view sft_v0002 is left out")
    // The damaged version's views are left out; the other version's still work.
    const v1 = await cli("query", "math", "SELECT count(*) AS n FROM sft_v0001", "--data-dir", dir, "--format", "csv")
    expect(v1.stdout).toBe("n\n30\n")
  })
})

describe("query checks the sha256 of the shards it reads, once per change (review of issue #9 item 8)", () => {
  it("warns about a flipped byte whose file times were set back, and later queries only stat", async () => {
    const dir = await tempDir("query-sha")
    const sft = await run(writeParts(join(dir, "p/sft"), Array.from({ length: 30 }, (_, i) => sftRow(i))))
    await run(publish(request(dir, [sftConfig(sft)])))
    const cache = join(dir, "cache/query-verified.json")
    const first = await cli("query", "math", "SELECT count(*) AS n FROM sft", "--data-dir", dir, "--format", "csv")
    expect(first.stderr).toBe("")
    expect(existsSync(cache)).toBe(true)
    const written = statSync(cache).mtimeMs
    const again = await cli("query", "math", "SELECT count(*) AS n FROM sft", "--data-dir", dir, "--format", "csv")
    expect(again.stderr).toBe("")
    // Nothing was hashed again, so the verdicts did not change and the cache was not rewritten.
    expect(statSync(cache).mtimeMs).toBe(written)

    // Bit rot, or an edit with `touch -r`: same size, same mtime, one byte different.
    const shard = join(dir, "datasets/math/v0001/sft/train-00000-of-00001.parquet")
    const before = statSync(shard, { bigint: true })
    const times = join(dir, "times")
    writeFileSync(times, "")
    execFileSync("touch", ["-r", shard, times])
    const bytes = readFileSync(shard)
    bytes[200] = bytes[200]! ^ 0x01
    writeFileSync(shard, bytes)
    execFileSync("touch", ["-r", times, shard])
    expect(statSync(shard, { bigint: true }).mtimeNs).toBe(before.mtimeNs)
    const warned = await cli("query", "math", "SELECT count(*) AS n FROM sft", "--data-dir", dir, "--format", "csv")
    expect(warned.stderr).toContain("warning: math v0001: sft/train-00000-of-00001.parquet does not match its sha256 in manifest.json")
    expect(warned.stderr).toContain("autodidact validate math --at v0001")
    // The bad verdict is remembered too.
    const still = await cli("query", "math", "SELECT count(*) AS n FROM sft_all", "--data-dir", dir, "--format", "csv")
    expect(still.stderr).toContain("does not match its sha256")
  })
})

describe("query errors carry the advice that fits them (review of issue #9)", () => {
  it("lists the views only for an unknown table or view; names validate for a shard DuckDB cannot decode", async () => {
    const unknown = await cli("query", "math", "SELECT * FROM nope", "--data-dir", dataDir)
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain("Views you can use: ")
    const column = await cli("query", "math", "SELECT no_such_column FROM sft", "--data-dir", dataDir)
    expect(column.code).toBe(1)
    expect(column.stderr).toContain("no_such_column")
    expect(column.stderr).not.toContain("Views you can use")

    const dir = await tempDir("query-rot")
    const sft = await run(writeParts(join(dir, "p/sft"), Array.from({ length: 3000 }, (_, i) => sftRow(i))))
    await run(publish(request(dir, [sftConfig(sft)])))
    const shard = join(dir, "datasets/math/v0001/sft/train-00000-of-00001.parquet")
    const bytes = readFileSync(shard)
    for (let i = 1000; i < bytes.length - 2000; i += 7) bytes[i] = bytes[i]! ^ 0x55
    writeFileSync(shard, bytes)
    const rot = await cli("query", "math", "SELECT * FROM sft", "--data-dir", dir, "--format", "csv")
    expect(rot.code).toBe(1)
    const errorLine = rot.stderr.split("\n").find((l) => l.startsWith("error:"))!
    expect(errorLine).toMatch(/(IO|Invalid Input) Error/)
    expect(errorLine).toContain(`autodidact validate math --at v0001 --data-dir ${dir}`)
    expect(rot.stderr).not.toContain("Views you can use")
  })

  it("says LATEST's version cannot be read when its manifest.json is broken; validate names the file", async () => {
    const dir = await tempDir("query-manifest")
    const sft = await run(writeParts(join(dir, "p/sft"), Array.from({ length: 20 }, (_, i) => sftRow(i))))
    const sft2 = await run(writeParts(join(dir, "p/sft2"), Array.from({ length: 21 }, (_, i) => sftRow(i))))
    await run(publish(request(dir, [sftConfig(sft)])))
    await run(publish(request(dir, [sftConfig(sft2)])))
    const manifest = join(dir, "datasets/math/v0002/manifest.json")
    writeFileSync(manifest, "{ broken")
    const q = await cli("query", "math", "SELECT count(*) AS n FROM sft", "--data-dir", dir)
    expect(q.code).toBe(1)
    expect(q.stderr).toContain("math v0002, which LATEST names, cannot be read")
    expect(q.stderr).toContain(manifest)
    expect(q.stderr).toContain("autodidact rollback math v0001")
    const old = await cli("query", "math", "SELECT count(*) AS n FROM sft_v0001", "--data-dir", dir, "--format", "csv")
    expect(old.stdout).toBe("n\n20\n")
    for (const command of [["validate", "math"], ["rollback", "math", "v2"]]) {
      const r = await cli(...command, "--data-dir", dir)
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`${manifest} is not valid JSON`)
      expect(r.stderr).toContain("v0002")
    }
  })
})

describe("flags naming what is not there (review of issue #9)", () => {
  it("--data-dir naming a file: one line saying so, for every command that only reads", async () => {
    const file = join(dataDir, "not-a-folder")
    writeFileSync(file, "x")
    for (const command of [["versions", "math"], ["validate", "math"], ["diff", "math", "v1", "v2"], ["query", "math", "SELECT 1"]]) {
      const r = await cli(...command, "--data-dir", file)
      expect(r.code).toBe(1)
      expect(r.stderr).toBe(`error: --data-dir ${file} is not a directory\n`)
    }
    const below = await cli("versions", "math", "--data-dir", join(file, "sub"))
    expect(below.stderr).toBe(`error: --data-dir ${join(file, "sub")} is not a directory (${file} is a file)\n`)
  })

  it("--read naming nothing is a usage error naming the path", async () => {
    const typo = join(dataDir, "no-such-labels.csv")
    const r = await cli("query", "math", "SELECT 1 AS x", "--read", typo, "--data-dir", dataDir)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`--read ${typo}: no such file or folder`)
  })

  it("validate prints each problem once: on stdout, and the error line gives the count and the repair", async () => {
    const dir = await tempDir("validate-once")
    const sft = await run(writeParts(join(dir, "p/sft"), Array.from({ length: 20 }, (_, i) => sftRow(i))))
    await run(publish(request(dir, [sftConfig(sft)])))
    const shard = join(dir, "datasets/math/v0001/sft/train-00000-of-00001.parquet")
    const bytes = readFileSync(shard)
    bytes[300] = bytes[300]! ^ 0x01
    writeFileSync(shard, bytes)
    const r = await cli("validate", "math", "--data-dir", dir)
    expect(r.code).toBe(1)
    expect(r.stdout).toContain("sha256")
    expect(r.stderr).not.toContain("sha256")
    expect(r.stderr).toContain("failed validation (1 problem): listed above")
    expect(r.stderr).toContain("To repair")
  })
})

describe("--at chooses the version; --version is only the program's (issue #9 item 9)", () => {
  it("query and validate take --at; their help lists one --version", async () => {
    const q = await cli("query", "math", "SELECT count(*) AS n FROM sft", "--at", "v1", "--data-dir", dataDir, "--format", "csv")
    expect(q.stdout).toBe("n\n100\n")
    const v = await cli("validate", "math", "--at", "v1", "--data-dir", dataDir)
    expect(v.code).toBe(0)
    expect(v.stdout).toMatch(/^math v0001: /)
    for (const command of ["query", "validate"]) {
      const help = await cli(command, "--help")
      expect((help.stdout.match(/--version\b/g) ?? []).length).toBe(1)
      expect(help.stdout).toContain("--at")
    }
  })

  it("every form of -v/--version after query or validate is a usage error pointing at --at (review)", async () => {
    const forms: ReadonlyArray<[ReadonlyArray<string>, string]> = [
      [["validate", "math", "--at", "v1", "-v"], "--at vN"],
      [["validate", "math", "-v1"], "--at v1"],
      [["validate", "math", "--version=v1"], "--at v1"],
      [["query", "math", "SELECT 1", "--version"], "--at vN"]
    ]
    for (const [args, at] of forms) {
      const r = await cli(...args, "--data-dir", dataDir)
      expect(r.code).toBe(2)
      expect(r.stdout).toBe("")
      expect(r.stderr).toContain(at)
    }
  })

  it("validate -v v1 is a usage error pointing at --at, not a silent exit 0", async () => {
    for (const flag of ["-v", "--version"]) {
      const r = await cli("validate", "math", flag, "v1", "--data-dir", dataDir)
      expect(r.code).toBe(2)
      expect(r.stderr).toContain("--at v1")
    }
    const plain = await cli("--version")
    expect(plain.code).toBe(0)
  })
})

describe("large results stream (issue #9 item 10)", () => {
  const sql = "SELECT range AS i, 'row ' || range AS label FROM range(200000)"
  it("table prints the first 1,000 rows and says how many there were", async () => {
    const r = await cli("query", "math", sql, "--data-dir", dataDir)
    expect(r.code).toBe(0)
    const lines = r.stdout.trimEnd().split("\n")
    expect(lines.length).toBe(2 + 1000 + 1)
    expect(lines[2]).toMatch(/^\s*0 {2}row 0$/)
    expect(lines[1001]).toMatch(/^\s*999 {2}row 999$/)
    expect(lines.at(-1)).toBe("(first 1,000 of 200,000 rows, math v0002; --format csv or json prints them all)")
  })

  it("csv and json give every row", async () => {
    const csv = await cli("query", "math", sql, "--data-dir", dataDir, "--format", "csv")
    const lines = csv.stdout.trimEnd().split("\n")
    expect(lines.length).toBe(200_001)
    expect(lines[0]).toBe("i,label")
    expect(lines[200_000]).toBe("199999,row 199999")
    const json = await cli("query", "math", sql, "--data-dir", dataDir, "--json")
    const rows = JSON.parse(json.stdout)
    expect(rows.length).toBe(200_000)
    expect(rows[199_999]).toEqual({ i: 199999, label: "row 199999" })
  })

  it("stops quietly, exit 0, when the reader goes away after the first bytes (`| head`), in every format", async () => {
    // Wide rows: the table's 1,000 rows (about 400 KB) are far more than a pipe holds (64 KiB), so its one write is still pending.
    const wide = `SELECT range AS i, ${Array.from({ length: 40 }, (_, k) => `'row ' || range AS c${k}`).join(", ")} FROM range(200000)`
    for (const format of ["table", "csv", "json"]) {
      const child = spawn(join(process.cwd(), "node_modules", ".bin", "node"), [join(process.cwd(), "tools", "cli", "bin.ts"), "query", "math", wide, "--data-dir", dataDir, "--format", format], {
        stdio: ["ignore", "pipe", "pipe"]
      })
      let stderr = ""
      child.stderr.on("data", (d) => (stderr += d))
      child.stdout.once("data", () => child.stdout.destroy())
      const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? -1)))
      expect({ format, code, stderr }).toEqual({ format, code: 0, stderr: "" })
    }
  }, 60_000)

  it("an empty result is [] in json and a header in csv", async () => {
    const json = await cli("query", "math", "SELECT id FROM sft WHERE false", "--data-dir", dataDir, "--json")
    expect(JSON.parse(json.stdout)).toEqual([])
    const csv = await cli("query", "math", "SELECT id FROM sft WHERE false", "--data-dir", dataDir, "--format", "csv")
    expect(csv.stdout).toBe("id\n")
  })
})

describe("repeated column names stay apart (issue #9 item 11)", () => {
  const sql = "SELECT 1 AS x, 2 AS x, 3 AS x_1"
  it("table and csv show each column's own value under the name SQL gave it", async () => {
    const table = await cli("query", "math", sql, "--data-dir", dataDir)
    expect(table.stdout.trimEnd().split("\n").slice(0, 3)).toEqual(["x  x  x_1", "-  -  ---", "1  2    3"])
    const csv = await cli("query", "math", sql, "--data-dir", dataDir, "--format", "csv")
    expect(csv.stdout).toBe("x,x,x_1\n1,2,3\n")
  })

  it("json gives a repeated name the next free _N suffix", async () => {
    const json = await cli("query", "math", sql, "--data-dir", dataDir, "--json")
    expect(JSON.parse(json.stdout)).toEqual([{ x: 1, x_2: 2, x_1: 3 }])
  })
})
