import { sqlString } from "#io"

/**
 * The structure argument of DuckDB's `from_json`: an object from column name to DuckDB type name.
 * DuckDB parses each leaf as a type, so nested types ("STRUCT(role VARCHAR, content VARCHAR)[]") pass as they are.
 */
export const jsonStructure = (columns: ReadonlyArray<{ readonly name: string; readonly type: string }>): string =>
  JSON.stringify(Object.fromEntries(columns.map((c) => [c.name, c.type])))

/**
 * The test-split rule, written so any tool can reproduce it: a row is in `test` when the first 8 hex
 * digits of md5(task_id), read as an unsigned 32-bit number, fall below fraction × 2^32. md5 is used
 * because it is stable across DuckDB versions and languages; DuckDB's own hash() is not.
 */
export const testSplitPredicate = (taskIdExpr: string, testFraction: number): string =>
  `(('0x' || left(md5(${taskIdExpr}), 8))::UBIGINT < ${Math.round(testFraction * 2 ** 32)})`

/**
 * The shuffle key: the first 16 hex digits of md5("<seed>:<id>") as an unsigned 64-bit number, so the
 * order depends on the seed and the row, never on input order or threads (ties, practically impossible,
 * fall back to the id).
 */
export const shuffleKey = (seed: number, idExpr: string): string => `('0x' || left(md5(${sqlString(`${seed}:`)} || ${idExpr}), 16))::UBIGINT`
