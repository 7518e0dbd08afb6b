export * from "./decision.ts"
export * from "./normalise.ts"
export * from "./exact.ts"
