import { existsSync } from "node:fs"
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { chromium } from "playwright-core"
import { beforeAll, describe, expect, it } from "vitest"
import { autodidact } from "./helpers.ts"

/**
 * `autodidact report` in a real browser: Debian's chromium driven by playwright-core (.ci/run installs
 * chromium; CHROMIUM overrides the path). The page must render offline with no console error and no
 * request beyond the file itself, and every chart that has data must draw bars a person can see.
 */
const CHROMIUM = process.env["CHROMIUM"] ?? "/usr/bin/chromium"
// The probe's flags: without the background-networking ones chromium keeps dialling out on a closed network.
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

let dataDir = ""
let reportFile = ""

beforeAll(async () => {
  dataDir = join(await mkdtemp(join(tmpdir(), "autodidact-report-")), "data")
  // Two versions, so the page has a history and a diff against the parent.
  for (const size of ["300", "360"]) {
    const build = await autodidact(["build", "math", "--size", size, "--out", dataDir])
    expect(build.code, build.stderr).toBe(0)
  }
  reportFile = join(dataDir, "..", "report.html")
  const r = await autodidact(["report", "math", "--data-dir", dataDir, "--out", reportFile])
  expect(r.code, r.stderr).toBe(0)
  expect(r.stdout).toContain(`wrote ${reportFile}`)
}, 240_000)

describe("autodidact report", () => {
  it("writes one self-contained page: no script, no link or source outside it", async () => {
    const html = await readFile(reportFile, "utf8")
    expect(html.startsWith("<!doctype html>")).toBe(true)
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i)
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i)
    expect(html).toContain("math v0002")
    expect(html).toContain("Changes against the parent (v0001 → v0002)")
  })

  it("renders in headless chromium with its charts drawn and no console error", async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`no chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium; .ci/run does) or set CHROMIUM to its path`)
    }
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
      const problems: Array<string> = []
      const requests: Array<string> = []
      page.on("console", (m) => void (m.type() === "error" || m.type() === "warning" ? problems.push(`${m.type()}: ${m.text()}`) : undefined))
      page.on("pageerror", (e) => void problems.push(`page error: ${e.message}`))
      page.on("request", (r) => void requests.push(r.url()))
      const url = pathToFileURL(reportFile).href
      await page.goto(url, { waitUntil: "load" })
      expect(await page.title()).toBe("math v0002: Autodidact report")

      // Each chart: its id and how many bars have a visible size on the page.
      const charts = await page.$$eval("figure.chart", (figures) =>
        figures.map((f) => ({
          id: f.getAttribute("data-chart"),
          drawn: [...f.querySelectorAll("rect.bar")].filter((r) => {
            const box = r.getBoundingClientRect()
            return box.width > 0 && box.height > 0
          }).length
        }))
      )
      const drawn = Object.fromEntries(charts.map((c) => [c.id, c.drawn]))
      // 5 configs × 2 splits × 2 versions, every segment non-empty (the test split holds rows in both).
      expect(drawn["rows-history"]).toBeGreaterThanOrEqual(10)
      expect(drawn["verification"]).toBeGreaterThanOrEqual(1)
      expect(drawn["error-types"]).toBeGreaterThanOrEqual(4)
      expect(drawn["strategies"]).toBe(2)
      expect(drawn["diff"]).toBeGreaterThanOrEqual(1)
      for (const c of charts) expect(c.drawn, `chart ${c.id}`).toBeGreaterThan(0)

      // What an offline build has none of is said in words, not drawn as an empty chart.
      const empty = await page.$$eval("[data-empty]", (els) => els.map((e) => e.getAttribute("data-empty")))
      expect(empty).toEqual(expect.arrayContaining(["judge-scores", "tokens"]))

      // A sample of every config, chat turns shown as turns.
      const samples = await page.$$eval("[data-sample]", (els) => els.map((e) => e.getAttribute("data-sample")))
      for (const config of ["sft", "preference", "step_preference", "correction", "rl"]) expect(samples).toContain(`${config}-0`)
      expect(await page.locator(".turn .role").first().textContent()).toBe("user")

      expect(problems).toEqual([])
      expect(requests).toEqual([url])
    } finally {
      await browser.close()
    }
  }, 60_000)

  // Last: it damages the parent version the other tests read.
  it("still writes the report when the parent version is damaged, saying there is no diff against it", async () => {
    const shards = join(dataDir, "datasets", "math", "v0001", "sft")
    const [first] = (await readdir(shards)).filter((f) => f.endsWith(".parquet"))
    await rm(join(shards, first!))
    const out = join(dataDir, "..", "report-damaged.html")
    const r = await autodidact(["report", "math", "--data-dir", dataDir, "--out", out])
    expect(r.code, r.stderr).toBe(0)
    const html = await readFile(out, "utf8")
    expect(html).toContain("no diff against the parent v0001")
    expect(html).toContain('<p class="empty" data-empty="diff">no diff against the parent v0001: see the notes below</p>')
  })
})
