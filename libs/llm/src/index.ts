export * from "./chat.ts"
export * from "./errors.ts"
export * from "./provider.ts"
export * from "./wire.ts"
