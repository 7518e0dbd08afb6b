import { describe, expect, it } from "vitest"
import { chooseTestGroups } from "./test-split.ts"

/** Groups already in md5 order, as the SQL gives them: md5 "g01", "g02", ... with the given row counts. */
const groups = (...rows: Array<number>) => rows.map((n, i) => ({ md5: `g${String(i + 1).padStart(2, "0")}`, rows: n }))
const rule = { fraction: 0.05, minGroups: 10, maxGroupShare: 0.2 }

describe("chooseTestGroups", () => {
  it("takes groups in md5 order until test holds 10 groups, when 10 groups already make 5% of the rows", () => {
    // 107 families of 47 rows: 10 families are 470 of 5029 rows (9.3%).
    const choice = chooseTestGroups(groups(...Array<number>(107).fill(47)), rule)
    expect(choice).toEqual({ cutoff: "g10", groups: 10, rows: 470, totalGroups: 107, totalRows: 5029, short: false })
  })

  it("takes more than 10 groups when 10 are under 5% of the rows", () => {
    // 300 families of 10 rows: 5% of 3000 rows is 150 rows, 15 families.
    const choice = chooseTestGroups(groups(...Array<number>(300).fill(10)), rule)
    expect(choice).toMatchObject({ cutoff: "g15", groups: 15, rows: 150, short: false })
  })

  it("counts rows, not groups, for the 5%: a few large groups in front fill it sooner", () => {
    const choice = chooseTestGroups(groups(400, 400, ...Array<number>(98).fill(10)), { ...rule, minGroups: 1 })
    // 5% of 1780 rows is 89: the first group alone holds 400.
    expect(choice).toMatchObject({ cutoff: "g01", groups: 1, rows: 400, short: false })
  })

  it("gives a dataset of few families at most a fifth of them, and says it is short", () => {
    // 30 families: at most 6 in test, fewer than the 10 asked.
    const choice = chooseTestGroups(groups(...Array<number>(30).fill(20)), rule)
    expect(choice).toEqual({ cutoff: "g06", groups: 6, rows: 120, totalGroups: 30, totalRows: 600, short: true })
  })

  it("puts nothing in test when a fifth of the groups is less than one group", () => {
    expect(chooseTestGroups(groups(50, 50, 50, 50), rule)).toEqual({ cutoff: undefined, groups: 0, rows: 0, totalGroups: 4, totalRows: 200, short: true })
    expect(chooseTestGroups([], rule)).toEqual({ cutoff: undefined, groups: 0, rows: 0, totalGroups: 0, totalRows: 0, short: true })
  })

  it("asks for nothing when neither groups nor rows are asked for", () => {
    expect(chooseTestGroups(groups(5, 5, 5, 5, 5, 5, 5, 5, 5, 5), { fraction: 0, minGroups: 0, maxGroupShare: 0.2 })).toMatchObject({ cutoff: undefined, groups: 0, short: false })
  })
})
