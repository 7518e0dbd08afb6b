import { Console, Effect } from "effect"

/** Prints a result: JSON for machines (`--json`), otherwise the human text. */
export const emit = (json: boolean, value: unknown, human: () => string): Effect.Effect<void> =>
  json ? Console.log(JSON.stringify(value, null, 2)) : Console.log(human())
