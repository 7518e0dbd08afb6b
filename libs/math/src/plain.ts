/**
 * Training text without GSM8K's calculator annotations. `<<expr=result>>` is how GSM8K marks a step's
 * arithmetic for its calculator; a model trained on it learns to emit the markup, which no chat model
 * is asked for, so the published training text drops it ("42 + 35 = <<42+35=77>>77 cups" becomes
 * "42 + 35 = 77 cups") and the annotated text stays in a column of its own for `autodidact verify`.
 */
import * as R from "./rational.ts"
import { findAnnotations } from "./parse.ts"

/** `12`, `$1,200`, `0.5`: the number a step writes after its annotation, read loosely. */
const NEXT_NUMBER = /^(\s+)\\?\$?(-?[\d,]*\.?\d+)/

const sameNumber = (a: string, b: string): boolean => {
  const x = R.parseRational(a.replace(/,/g, "").trim())
  const y = R.parseRational(b.replace(/\\?\$|,/g, "").trim())
  return x.ok && y.ok && R.equals(x.value, y.value)
}

/**
 * The text with every `<<…>>` annotation removed. Where the step writes the result right after the
 * annotation (GSM8K's form, also with `$` or a space between) the annotation simply goes; where it does
 * not ("= <<3*4=12>> pens"), the annotation's result takes its place so the sentence still states the
 * value. Text without annotations comes back unchanged.
 */
export const stripAnnotations = (text: string): string => {
  if (!text.includes("<<")) return text
  const out: Array<string> = []
  let at = 0
  for (const a of findAnnotations(text)) {
    out.push(text.slice(at, a.span.start))
    at = a.span.end
    if (a.written !== undefined || a.result === undefined) continue
    const next = NEXT_NUMBER.exec(text.slice(at))
    if (next !== null && sameNumber(next[2]!, a.result)) {
      // "= <<3*4=12>> 12": the space after the annotation would double the one before it.
      if (/\s$/.test(out[out.length - 1] ?? "")) at += next[1]!.length
      continue
    }
    out.push(a.result.trim())
  }
  out.push(text.slice(at))
  return out.join("")
}
