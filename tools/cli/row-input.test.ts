import { describe, expect, it } from "vitest"
import { progressLine } from "./row-input.ts"

describe("progressLine", () => {
  it("says nothing in the first second, then a line a second, and a last line only if it spoke", () => {
    let t = 0
    const out: Array<string> = []
    const p = progressLine("dedup x", false, { now: () => t, write: (s) => void out.push(s), tty: false })
    p.update(100, 1)
    t = 999
    p.update(200, 2)
    expect(out).toEqual([])
    t = 1000
    p.update(3000, 30)
    t = 1500
    p.update(4000, 40)
    t = 2000
    p.done(5000, 50)
    expect(out).toEqual(["dedup x: 3,000 rows, 30 removed, 3,000 rows/s\n", "dedup x: 5,000 rows, 50 removed, 2,500 rows/s\n"])
    const quick: Array<string> = []
    const q = progressLine("indexing b", false, { now: () => 0, write: (s) => void quick.push(s), tty: true })
    q.update(10)
    q.done(10)
    expect(quick).toEqual([])
  })

  it("redraws in place on a terminal and leaves out `removed` when not given", () => {
    let t = 0
    const out: Array<string> = []
    const p = progressLine("indexing b", false, { now: () => t, write: (s) => void out.push(s), tty: true })
    t = 2000
    p.update(4000)
    p.done(4000)
    expect(out).toEqual(["\r\x1b[2Kindexing b: 4,000 rows, 2,000 rows/s", "\r\x1b[2Kindexing b: 4,000 rows, 2,000 rows/s\n"])
  })
})
