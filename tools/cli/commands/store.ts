import type { Command } from "effect/cli"
import { diffCommand } from "./diff.ts"
import { gcCommand } from "./gc.ts"
import { queryCommand } from "./query.ts"
import { reportCommand } from "./report.ts"
import { rollbackCommand } from "./rollback.ts"
import { validateCommand } from "./validate.ts"
import { versionsCommand } from "./versions.ts"

/** The dataset store's commands (libs/store): versions, query, diff, validate, report, gc, rollback. */
export const storeCommands: ReadonlyArray<Command.Command<any, any, any, any, any>> = [versionsCommand, queryCommand, diffCommand, validateCommand, reportCommand, gcCommand, rollbackCommand]
