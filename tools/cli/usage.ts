import { Console, Layer, Option } from "effect"
import type { CliError } from "effect/cli"
import * as CliOutput from "effect/cli/CliOutput"
import type { HelpDoc, FlagDoc } from "effect/cli/HelpDoc"

/**
 * How the command line shows parse errors: one line on stderr naming the flag or argument and what
 * it takes, then a pointer to `--help`; nothing on stdout, so `--json` output is never mixed with help.
 * `--help` and `--version` still print on stdout.
 */
export const usagePresenter: Layer.Layer<never> = CliOutput.layerPresenter({
  present: (event) =>
    event._tag === "InvalidInvocation" ? Console.error(`error: ${describeUsageErrors(event.errors, event.helpDoc, event.commandPath)}`) : CliOutput.defaultPresenter.present(event)
})

/** One line for a failed parse: the first error (the one to fix first), then where the help is. */
export const describeUsageErrors = (
  errors: ReadonlyArray<CliError.CliError>,
  help: HelpDoc,
  commandPath: ReadonlyArray<string>
): string => {
  const command = commandPath.join(" ")
  const first = errors[0]
  const what = first === undefined ? "invalid command line" : describeUsageError(first, help, command)
  return `${what} (see ${command} --help)`
}

const describeUsageError = (error: CliError.CliError, help: HelpDoc, command: string): string => {
  switch (error._tag) {
    case "InvalidValue": {
      const name = error.kind === "flag" ? `--${error.option}` : `<${error.option}>`
      const takes = takesFor(error.kind === "flag" ? findFlag(help, error.option) : help.args?.find((a) => a.name === error.option), error.expected)
      return error.value === "" ? `${name} needs a value: ${takes}` : `${name} takes ${takes}, got ${JSON.stringify(error.value)}`
    }
    case "UnrecognizedOption":
      return `unknown flag ${error.option} for ${command}${error.suggestions.length > 0 ? `; did you mean ${error.suggestions.join(" or ")}?` : ""}`
    case "MissingOption": {
      const flag = findFlag(help, error.option)
      return `${command} needs --${error.option}${flag === undefined ? "" : `: ${takesFor(flag, "")}`}`
    }
    case "MissingArgument":
      return `${command} needs <${error.argument}>`
    case "UnexpectedArgument":
      return `unexpected argument${error.arguments.length === 1 ? "" : "s"} ${error.arguments.map((a) => JSON.stringify(a)).join(", ")}`
    case "UnknownSubcommand": {
      const known = (help.subcommands ?? []).flatMap((g) => g.commands.map((c) => c.name))
      const suggest = error.suggestions.length > 0 ? `; did you mean ${error.suggestions.join(" or ")}?` : ""
      return `unknown command ${JSON.stringify(error.subcommand)}${suggest}${known.length > 0 ? `${suggest === "" ? ";" : ""} commands: ${known.join(", ")}` : ""}`
    }
    default:
      return oneLine(error.message)
  }
}

const findFlag = (help: HelpDoc, name: string): FlagDoc | undefined =>
  [...help.flags, ...(help.inheritedFlags ?? []), ...(help.globalFlags ?? [])].find((f) => f.name === name || f.aliases.includes(name))

/** What a flag or argument takes, in words: from its type in the help, else from the parser's own words. */
const takesFor = (doc: { readonly type: string; readonly description: Option.Option<string> } | undefined, expected: string): string => {
  const choices = choicesOf(doc, expected)
  if (choices.length > 0) return `one of ${choices.join(", ")}`
  switch (doc?.type) {
    case "integer":
      return "a whole number"
    case "number":
      return "a number"
    case "boolean":
      return "true or false"
    case "string":
      return "a value"
    case undefined:
      return oneLine(expected) || "a value"
    default:
      return `a ${doc?.type}`
  }
}

const choicesOf = (doc: { readonly type: string; readonly description: Option.Option<string> } | undefined, expected: string): ReadonlyArray<string> => {
  if (doc !== undefined && doc.type !== "choice") return []
  const listed = /\(choices: ([^)]*)\)/.exec(Option.getOrElse(doc?.description ?? Option.none(), () => ""))
  if (listed) return listed[1]!.split(",").map((c) => c.trim())
  return [...expected.matchAll(/"([^"]*)"/g)].map((m) => m[1]!)
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, " ").trim()
