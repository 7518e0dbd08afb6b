import { type BadSeedRow, NotASeedFile, SeedHeaderError, WHOLE_ROW } from "./errors.ts"

export type SeedFormat = "gsm8k" | "self-instruct"

/** The columns (fields) a row of each seed format needs; a file may hold more. */
export const SEED_COLUMNS: Readonly<Record<SeedFormat, ReadonlyArray<string>>> = {
  gsm8k: ["question", "answer"],
  "self-instruct": ["id", "name", "instruction", "instances", "is_classification"]
}

export const FORMAT_NAMES: Readonly<Record<SeedFormat, string>> = { gsm8k: "GSM8K", "self-instruct": "Self-Instruct" }

/**
 * Checks a tabular file's column names (CSV header, Parquet schema) against the seed formats it may
 * hold: fine when every column of one of them is there, else one error naming the columns found and
 * those expected, so a wrong file fails once instead of once per row with "field ... is missing".
 */
export const checkSeedColumns = (file: string, found: ReadonlyArray<string>, formats: ReadonlyArray<SeedFormat>): SeedHeaderError | undefined => {
  if (formats.length === 0) return undefined
  const have = new Set(found)
  if (formats.some((format) => SEED_COLUMNS[format].every((column) => have.has(column)))) return undefined
  return new SeedHeaderError({
    file,
    found: [...found],
    expected: formats.map((format) => ({
      format: FORMAT_NAMES[format],
      columns: [...SEED_COLUMNS[format]],
      missing: SEED_COLUMNS[format].filter((column) => !have.has(column))
    }))
  })
}

/** After this many rows in a row, none of them usable, a file is not taken for a seed file. */
export const MAX_LEADING_BAD_ROWS = 1000

/**
 * Counts bad rows until the first good one: `bad` answers true once `MAX_LEADING_BAD_ROWS` rows
 * have been bad with no good row before them, so garbage (a binary file, the wrong file) stops early
 * instead of piling up rejects. A good row anywhere before that disarms it for the rest of the file.
 */
export const leadingBadRows = (limit: number = MAX_LEADING_BAD_ROWS) => {
  let bad = 0
  let seenGood = false
  const reasons = new Map<string, number>()
  return {
    good: (): void => {
      seenGood = true
      reasons.clear()
    },
    /** Records a bad row (its reason code); true when the file should be given up on. */
    bad: (reason: string): boolean => {
      if (seenGood) return false
      bad += 1
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1)
      return bad >= limit
    },
    /** The reasons seen so far, most frequent first. */
    reasons: (): ReadonlyArray<readonly [string, number]> => [...reasons].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  }
}

/** A bad row as NotASeedFile quotes it: where and what, without the per-row advice. */
export const firstBadRow = (error: BadSeedRow): string =>
  `line ${error.line}${error.field === WHOLE_ROW ? "" : ` field "${error.field}"`}: ${error.reason}`

/**
 * The "give up on garbage" rule for one read of a seed file, shared by `readSeeds` and the build's `seeds`
 * stage: `bad` records a bad row under a reason (its field by default) and gives back the NotASeedFile to
 * fail with once `limit` rows have been bad with no good row before them, quoting the first bad row and the
 * reasons; `good` disarms it for the rest of the file.
 */
export const seedFileGuard = (file: string, limit: number = MAX_LEADING_BAD_ROWS) => {
  const leading = leadingBadRows(limit)
  let first = ""
  return {
    good: (): void => leading.good(),
    bad: (error: BadSeedRow, reason: string = error.field): NotASeedFile | undefined => {
      if (first === "") first = firstBadRow(error)
      if (!leading.bad(reason)) return undefined
      return new NotASeedFile({ file, rows: limit, reasons: leading.reasons().map(([r, rows]) => ({ reason: r, rows })), first })
    }
  }
}
