import { SchemaAST } from "effect"

export type RowGuard = (value: unknown) => boolean

/**
 * A compiled check for plain JSON-shaped schemas (structs of strings, numbers, booleans, literals,
 * arrays, unions, optional keys, string-keyed records). The engine checks every row a stage writes;
 * Effect's parser builds an output object per row, which cost more than the write itself (see
 * tools/bench/engine.ts). This guard only ever answers "valid" when the schema would also accept the
 * value AND encoding it would give the same JSON: it refuses unknown properties (encoding drops them)
 * and any node with checks, transformations or a shape it does not know. On "no" the engine runs the
 * full encoder, which either accepts the row or words the error, so being stricter is always safe.
 * Returns undefined when the schema has a node this guard cannot judge.
 */
export const compileRowGuard = (ast: SchemaAST.AST): RowGuard | undefined => {
  if (ast.checks !== undefined || ast.encoding !== undefined) return undefined
  switch (ast._tag) {
    case "String":
      return (u) => typeof u === "string"
    case "Number":
      // Stricter than Schema.Number (which takes NaN and ±Infinity): JSON cannot hold those anyway.
      return (u) => typeof u === "number" && Number.isFinite(u)
    case "Boolean":
      return (u) => typeof u === "boolean"
    case "Null":
      return (u) => u === null
    case "Undefined":
      return (u) => u === undefined
    case "Literal": {
      const literal = ast.literal
      return typeof literal === "bigint" ? undefined : (u) => u === literal
    }
    case "Union": {
      const members = ast.types.map(compileRowGuard)
      if (members.some((g) => g === undefined)) return undefined
      const guards = members as Array<RowGuard>
      return (u) => guards.some((g) => g(u))
    }
    case "Arrays": {
      if (ast.encodingChecks !== undefined) return undefined
      if (ast.elements.length === 0 && ast.rest.length === 1) {
        const item = compileRowGuard(ast.rest[0]!)
        if (item === undefined) return undefined
        return (u) => Array.isArray(u) && u.every(item)
      }
      if (ast.rest.length === 0 && ast.elements.every((e) => !SchemaAST.isOptional(e))) {
        const items = ast.elements.map(compileRowGuard)
        if (items.some((g) => g === undefined)) return undefined
        const guards = items as Array<RowGuard>
        return (u) => Array.isArray(u) && u.length === guards.length && guards.every((g, i) => g(u[i]))
      }
      return undefined
    }
    case "Objects":
      return objectGuard(ast)
    default:
      return undefined
  }
}

const objectGuard = (ast: SchemaAST.Objects): RowGuard | undefined => {
  if (ast.encodingChecks !== undefined) return undefined
  const props: Array<{ readonly name: string; readonly optional: boolean; readonly guard: RowGuard }> = []
  for (const ps of ast.propertySignatures) {
    if (typeof ps.name !== "string") return undefined
    const guard = compileRowGuard(ps.type)
    if (guard === undefined) return undefined
    props.push({ name: ps.name, optional: SchemaAST.isOptional(ps.type), guard })
  }
  let rest: RowGuard | undefined
  if (ast.indexSignatures.length > 1) return undefined
  if (ast.indexSignatures.length === 1) {
    const index = ast.indexSignatures[0]!
    if (index.parameter._tag !== "String" || index.parameter.checks !== undefined) return undefined
    rest = compileRowGuard(index.type)
    if (rest === undefined) return undefined
  }
  const declared = new Set(props.map((p) => p.name))
  return (u) => {
    if (typeof u !== "object" || u === null || Array.isArray(u)) return false
    const o = u as Record<string, unknown>
    for (const p of props) {
      if (!Object.hasOwn(o, p.name)) {
        if (!p.optional) return false
      } else if (!p.guard(o[p.name])) return false
    }
    for (const key in o) {
      if (declared.has(key)) continue
      // An unknown key: encoding would drop it (so the JSON would differ), unless a record allows it.
      if (rest === undefined || !Object.hasOwn(o, key) || !rest(o[key])) return false
    }
    return true
  }
}
