/** A SQL string literal: single quotes doubled, so paths with quotes cannot break out. */
export const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`

/** A quoted SQL identifier: double quotes doubled, so any column or view name is safe. */
export const sqlIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`

/** A SQL list of string literals, e.g. `[ 'a.parquet', 'b.parquet' ]` for read_parquet or allowed_paths. */
export const sqlStringList = (items: ReadonlyArray<string>): string => `[${items.map(sqlString).join(", ")}]`
