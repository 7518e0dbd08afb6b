import type { DuckDBConnection } from "@duckdb/node-api"

/**
 * The group-count test split: groups (values of the split column, e.g. seed families) are taken into
 * `test` in md5 order of their value until the test split holds at least `minGroups` groups and at least
 * `fraction` of the basis config's rows, but never more than `maxGroupShare` of all groups (train keeps
 * the rest). The outcome is one cutoff: a row is in test when md5(<split column>) <= cutoff, so every
 * config is split alike and any tool can reproduce the split from the manifest. A hash threshold per
 * group (the other rule) gives a fraction of groups, which for a few hundred families of uneven size can
 * be three families: no evaluation.
 */
export interface TestSplitRule {
  readonly fraction: number
  readonly minGroups: number
  /** Share of all groups the test split may take at most (so a dataset of few groups keeps most for training). */
  readonly maxGroupShare: number
}

export interface TestSplitChoice {
  /** md5 hex of the last group taken; undefined when test takes none. */
  readonly cutoff: string | undefined
  readonly groups: number
  readonly rows: number
  readonly totalGroups: number
  readonly totalRows: number
  /** Fewer groups or rows than the rule asks: the dataset has too few groups to give more. */
  readonly short: boolean
}

/** Groups of an md5-ordered list, as (md5, rows): the first `k` groups whose running totals meet the rule. */
export const chooseTestGroups = (ordered: ReadonlyArray<{ readonly md5: string; readonly rows: number }>, rule: TestSplitRule): TestSplitChoice => {
  const totalGroups = ordered.length
  const totalRows = ordered.reduce((a, g) => a + g.rows, 0)
  const need = Math.ceil(rule.fraction * totalRows)
  const cap = Math.floor(totalGroups * rule.maxGroupShare)
  let rows = 0
  let k = 0
  while (k < cap && (k < rule.minGroups || rows < need)) rows += ordered[k++]!.rows
  return {
    cutoff: k === 0 ? undefined : ordered[k - 1]!.md5,
    groups: k,
    rows,
    totalGroups,
    totalRows,
    short: k < rule.minGroups || rows < need
  }
}

/**
 * The choice over the rows of `source` (a subquery with a `__split_key` column). One (md5, rows) pair per
 * group comes back from DuckDB: meant for splits by family (hundreds to thousands of groups); a split by
 * task of millions of tasks keeps the hash-threshold rule.
 */
export const testSplitOf = async (c: DuckDBConnection, source: string, rule: TestSplitRule): Promise<TestSplitChoice> => {
  const rows = (
    await c.runAndReadAll(
      `SELECT md5(__split_key) AS h, count(*)::BIGINT AS n FROM ${source} WHERE __split_key IS NOT NULL GROUP BY __split_key ORDER BY h`
    )
  ).getRowObjectsJS()
  return chooseTestGroups(rows.map((r) => ({ md5: String(r["h"]), rows: Number(r["n"]) })), rule)
}

/** The SQL predicate of a chosen split: true for test rows. */
export const cutoffPredicate = (keyExpr: string, cutoff: string | undefined): string =>
  cutoff === undefined ? "false" : `(md5(${keyExpr}) <= '${cutoff.replace(/[^0-9a-f]/g, "")}')`
