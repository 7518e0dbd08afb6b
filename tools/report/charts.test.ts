import { describe, expect, it } from "vitest"
import { barChart, escapeHtml, stackedColumns } from "./charts.ts"

const widths = (svg: string): Array<number> => [...svg.matchAll(/<rect class="bar"[^>]* width="([\d.]+)"/g)].map((m) => Number(m[1]))
const heights = (svg: string): Array<number> => [...svg.matchAll(/<rect class="bar"[^>]* height="([\d.]+)"/g)].map((m) => Number(m[1]))

describe("report charts", () => {
  it("escapes text that could open markup or end an attribute", () => {
    expect(escapeHtml(`<script>"a" & 'b'</script>`)).toBe("&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;")
  })

  it("scales bars to the largest value, or to the given maximum", () => {
    const svg = barChart([
      { label: "a", value: 50 },
      { label: "b", value: 100 },
      { label: "none", value: 0 }
    ])
    expect(widths(svg)).toEqual([210, 420, 0])
    expect(svg).toContain(">100<")
    expect(widths(barChart([{ label: "pass rate", value: 50, text: "50.0% of 10" }], { max: 100 }))).toEqual([210])
  })

  it("cuts a long label on the page and keeps it whole in the tooltip", () => {
    const label = "variants: variant:conditions_unsatisfiable"
    const svg = barChart([{ label, value: 3 }])
    expect(svg).toContain(`<title>${label}: 3</title>`)
    expect(svg).toContain(">variants: variant:conditions_unsa…<")
  })

  it("stacks series in a column and writes each column's total", () => {
    const svg = stackedColumns(
      [
        { name: "sft", columns: ["v0001", "v0002"], values: [[90, 180], [10, 20]] },
        { name: "rl", columns: ["v0001", "v0002"], values: [[45, 0], [5, 0]] }
      ],
      ["train", "test"]
    )
    // The tallest column (200 rows) is the full 200 px; a zero segment draws nothing.
    expect(heights(svg)).toEqual([90, 10, 180, 20, 45, 5])
    for (const total of [">100<", ">200<", ">50<", ">0<"]) expect(svg).toContain(total)
    expect(svg).toContain("<title>sft v0002 test: 20</title>")
  })
})
