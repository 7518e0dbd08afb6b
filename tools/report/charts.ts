/**
 * Charts for the HTML report as inline SVG strings: no script, no external style or font, so the page
 * renders the same in a browser with no network and a screenshot of it is the whole story.
 */

/** Text for HTML and SVG: the five characters that could open markup or end an attribute. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!)

export interface Bar {
  readonly label: string
  readonly value: number
  /** What the bar's end says instead of the value (e.g. "97.5% of 1,200"). */
  readonly text?: string
}

export interface Segment {
  readonly name: string
  readonly values: ReadonlyArray<number>
}

/** Colour per series, chosen for contrast on white and to stay apart when printed in grey. */
const PALETTE = ["#3b6ea5", "#e07b39", "#5a9e4b", "#b8474d", "#7d5ba6", "#8c6d4f", "#d17fb6", "#6f6f6f", "#b5a534", "#3fa6b5"]
export const colourOf = (i: number): string => PALETTE[i % PALETTE.length]!

export const formatCount = (n: number): string => (Number.isInteger(n) ? n.toLocaleString("en-US") : n.toLocaleString("en-US", { maximumFractionDigits: 2 }))

const LABEL_WIDTH = 240
const BAR_AREA = 420
const ROW = 22

/**
 * Horizontal bars, one per label, scaled to the largest value (or `max`, e.g. 100 for percentages).
 * Labels longer than the column are cut with an ellipsis; the full label is the bar's tooltip.
 */
export const barChart = (bars: ReadonlyArray<Bar>, options: { readonly max?: number } = {}): string => {
  const max = Math.max(options.max ?? 0, ...bars.map((b) => b.value), 1)
  const height = bars.length * ROW + 8
  const width = LABEL_WIDTH + BAR_AREA + 140
  const rows = bars.map((b, i) => {
    const y = 4 + i * ROW
    const w = b.value <= 0 ? 0 : Math.max(1, (b.value / max) * BAR_AREA)
    const label = b.label.length > 34 ? `${b.label.slice(0, 33)}…` : b.label
    const end = b.text ?? formatCount(b.value)
    return (
      `<g><title>${escapeHtml(`${b.label}: ${end}`)}</title>` +
      `<text x="${LABEL_WIDTH - 8}" y="${y + 15}" text-anchor="end">${escapeHtml(label)}</text>` +
      `<rect class="bar" x="${LABEL_WIDTH}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW - 6}" fill="${colourOf(0)}"/>` +
      `<text x="${LABEL_WIDTH + w + 6}" y="${y + 15}">${escapeHtml(end)}</text></g>`
    )
  })
  return svg(width, height, rows.join(""))
}

/** Columns side by side under one label (e.g. one config's versions). */
export interface ColumnGroup {
  readonly name: string
  /** Column labels (e.g. versions), left to right. */
  readonly columns: ReadonlyArray<string>
  /** Per series (same order as `series`), one value per column. */
  readonly values: ReadonlyArray<ReadonlyArray<number>>
}

/**
 * Vertical stacked columns in groups: one group per label (a config), one column per entry of the group (a
 * version), one coloured segment per series (a split), with a legend. Totals are written above columns.
 */
export const stackedColumns = (groups: ReadonlyArray<ColumnGroup>, series: ReadonlyArray<string>): string => {
  const totals = groups.map((g) => g.columns.map((_, i) => g.values.reduce((a, v) => a + (v[i] ?? 0), 0)))
  const max = Math.max(...totals.flat(), 1)
  const plotHeight = 200
  const column = 34
  const inner = 6
  const gap = 30
  const top = 24
  const parts: Array<string> = []
  let x = 16
  groups.forEach((g, gi) => {
    // A group is as wide as its label needs (about 7 px a character at 12 px bold), its columns centred.
    const columnsWidth = g.columns.length * (column + inner) - inner
    const width = Math.max(columnsWidth, g.name.length * 7.5)
    const start = x
    x += (width - columnsWidth) / 2
    g.columns.forEach((label, i) => {
      let y = top + plotHeight
      series.forEach((name, k) => {
        const v = g.values[k]?.[i] ?? 0
        if (v <= 0) return
        const h = Math.max(1, (v / max) * plotHeight)
        y -= h
        parts.push(
          `<rect class="bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${column}" height="${h.toFixed(1)}" fill="${colourOf(k)}"><title>${escapeHtml(`${g.name} ${label} ${name}: ${formatCount(v)}`)}</title></rect>`
        )
      })
      parts.push(`<text x="${x + column / 2}" y="${(y - 5).toFixed(1)}" text-anchor="middle" font-size="10">${escapeHtml(formatCount(totals[gi]![i]!))}</text>`)
      parts.push(`<text x="${x + column / 2}" y="${top + plotHeight + 14}" text-anchor="middle" font-size="10">${escapeHtml(label)}</text>`)
      x += column + inner
    })
    parts.push(`<text x="${(start + width / 2).toFixed(1)}" y="${top + plotHeight + 32}" text-anchor="middle" font-weight="600">${escapeHtml(g.name)}</text>`)
    x = start + width + gap
  })
  series.forEach((name, k) => {
    const y = top + k * 18
    parts.push(`<rect x="${x + 8}" y="${y}" width="12" height="12" fill="${colourOf(k)}"/><text x="${x + 26}" y="${y + 11}">${escapeHtml(name)}</text>`)
  })
  return svg(Math.max(x + 120, 420), top + plotHeight + 44, parts.join(""))
}

const svg = (width: number, height: number, body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" font-family="system-ui, sans-serif" font-size="12" fill="#222">${body}</svg>`
