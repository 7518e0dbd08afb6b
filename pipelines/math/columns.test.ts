import { describe, expect, it } from "vitest"
import type { SchemaAST } from "effect"
import { columns, PUBLISH_KEYS } from "./columns.ts"
import { CorrectionRow, PreferenceRow, RlRow, SftRow, StepPreferenceRow } from "./rows.ts"

// The store converts each row's JSON to the declared columns by name, so a field added to a row Schema
// but not to columns.ts would be dropped from the shards without a word, and a column with no field
// would publish as all NULL. The two lists are kept by hand; this keeps them equal.
const rowSchemas = {
  sft: SftRow,
  rl: RlRow,
  preference: PreferenceRow,
  step_preference: StepPreferenceRow,
  correction: CorrectionRow
} as const

/** The DuckDB type family a Schema field's JSON takes. */
const family = (ast: SchemaAST.AST): string => {
  switch (ast._tag) {
    case "String":
      return "VARCHAR"
    case "Number":
      return "number"
    case "Arrays":
      return `${ast.rest[0] === undefined ? "?" : family(ast.rest[0])}[]`
    case "Objects":
      return "STRUCT"
    default:
      return ast._tag
  }
}
const columnFamily = (type: string): string =>
  type.endsWith("[]") ? `${columnFamily(type.slice(0, -2))}[]` : type.startsWith("STRUCT") ? "STRUCT" : /^(INTEGER|BIGINT|DOUBLE)$/.test(type) ? "number" : type

describe("published columns of the math dataset", () => {
  it("name every field of each config's row Schema, and nothing else", () => {
    expect(Object.keys(columns).sort()).toEqual(Object.keys(rowSchemas).sort())
    for (const [config, schema] of Object.entries(rowSchemas)) {
      expect({ config, names: columns[config]!.map((c) => c.name).sort() }).toEqual({ config, names: Object.keys(schema.fields).sort() })
    }
  })

  it("give each field a DuckDB type of the same kind as its Schema", () => {
    for (const [config, schema] of Object.entries(rowSchemas)) {
      const fields = schema.fields as Record<string, { readonly ast: SchemaAST.AST }>
      for (const column of columns[config]!) {
        expect({ config, column: column.name, type: columnFamily(column.type) }).toEqual({ config, column: column.name, type: family(fields[column.name]!.ast) })
      }
    }
  })

  it("include the key columns the store splits and shuffles by in every config", () => {
    for (const [config, list] of Object.entries(columns)) {
      for (const key of PUBLISH_KEYS) expect({ config, has: list.some((c) => c.name === key) }).toEqual({ config, has: true })
    }
  })
})
