export * from "./canonical-json.ts"
export * from "./hash.ts"
export * from "./random.ts"
export * from "./records.ts"
