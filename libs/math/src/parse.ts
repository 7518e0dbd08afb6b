/**
 * Splits a GSM8K-style solution (openai/grade-school-math) into steps and finds its calculator annotations.
 * A step is a non-empty line; when the text uses RISE-style `Step N:` markers at line starts, a step is
 * everything from one marker to the next instead. The `#### N` line is not a step: it is the final answer.
 *
 * Every annotation `<<expr=result>>` is recorded with spans into the full text, together with the number
 * written right after it (`$<<9*2=18>>18`, `<<9*2=18>>$18`, `<<0.5*100=50>>50%`, `<<..>>130,000`): the
 * verifier checks both, and error injection edits them in place through the spans.
 */
import * as R from "./rational.ts"
import type { Rational } from "./rational.ts"
import { trimSpan, type Span } from "./arithmetic.ts"
import { scanFinalAnswers, SPACED_NUMBER_SRC, statedNumber, unspaced } from "./answer.ts"
import type { ExtractedAnswer } from "./answer.ts"
import type { Step } from "#core"

export interface WrittenNumber {
  /** As written, without a leading `$` ("130,000", "18.00", "50%"). */
  readonly text: string
  /** The number's value; a trailing % is not applied ("50%" → 50, with percent = true). */
  readonly value: Rational
  readonly percent: boolean
  readonly span: Span
}

export interface Annotation {
  /** Whole `<<…>>` including the brackets. */
  readonly span: Span
  /** Text between the brackets. */
  readonly body: string
  /** Left of the first "=" (the whole body when there is no "="). */
  readonly expr: string
  readonly exprSpan: Span
  /** Right of the last "="; undefined when the annotation has no "=". */
  readonly result?: string
  readonly resultSpan?: Span
  /** Middle parts of a chained annotation `<<a=b=c>>` (rare in GSM8K; each must equal the value too). */
  readonly intermediate: readonly string[]
  /** The number written immediately after `>>`, if any. */
  readonly written?: WrittenNumber
}

export interface ParsedStep {
  /** 1-based position among the solution's steps. */
  readonly index: number
  readonly text: string
  /** Span of `text` in the full solution. */
  readonly span: Span
  readonly annotations: readonly Annotation[]
}

export interface ParsedSolution {
  readonly text: string
  readonly steps: readonly ParsedStep[]
  /** Text before the first `Step 1:` marker (e.g. "Let's think step by step."); not a step. */
  readonly preamble?: string
  readonly layout: "lines" | "step-markers"
  readonly finalAnswer?: ExtractedAnswer
  /** Every final-answer phrase in the text, in order (`extractFinalAnswers`): the verifier checks they agree. */
  readonly finalAnswers: readonly ExtractedAnswer[]
}

const ANNOTATION = /<<([^<>]*)>>/g
/** A number right after `>>`: optional `$` (or `\$`), thousands groups, decimals, a fraction, a percent. */
const WRITTEN = /(\\?\$)?(-?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|-?\.\d+)(?:\/(\d+)(?![\d.]))?(%)?/y
/** The same with thousands grouped by spaces ("$400 000", "17 500"); read only when it is the stated result. */
const WRITTEN_SPACED = new RegExp(String.raw`(\\?\$)?(-?${SPACED_NUMBER_SRC})(%)?`, "y")
const STEP_MARKER = /^[ \t]*(?:#+[ \t]*)?\**Step[ \t]+\d+[ \t]*\**[ \t]*[:.]\**/gim
const HASH_LINE = /^[ \t]*####.*$/gm

const readWritten = (text: string, at: number, stated?: string): WrittenNumber | undefined => {
  // "<<200000*2=400000>>$400 000" writes the result with space-grouped thousands, but "<<3*4=12>>12 500-gram
  // bags" writes 12 then another number: the spaced reading is taken only when it is the stated result.
  WRITTEN_SPACED.lastIndex = at
  const spaced = stated !== undefined ? WRITTEN_SPACED.exec(text) : null
  if (spaced) {
    const value = R.parseRational(unspaced(spaced[2] ?? ""))
    const result = statedNumber(stated!)
    if (value.ok && result !== undefined && R.equals(value.value, result)) {
      const start = at + (spaced[1]?.length ?? 0)
      const end = at + spaced[0].length
      return { text: text.slice(start, end), value: value.value, percent: spaced[3] !== undefined, span: { start, end } }
    }
  }
  WRITTEN.lastIndex = at
  const m = WRITTEN.exec(text)
  if (!m) return undefined
  const numText = m[2] ?? ""
  const parsed = R.parseRational(numText)
  if (!parsed.ok) return undefined
  let value = parsed.value
  if (m[3] !== undefined) {
    const q = R.div(value, R.fromBigInt(BigInt(m[3])))
    if (!q.ok) return undefined
    value = q.value
  }
  const start = at + (m[1]?.length ?? 0)
  const end = at + m[0].length
  return { text: text.slice(start, end), value, percent: m[4] !== undefined, span: { start, end } }
}

/** Annotations inside `text[from, to)`, with spans into `text`. */
export const findAnnotations = (text: string, from = 0, to = text.length): Annotation[] => {
  const out: Annotation[] = []
  const re = new RegExp(ANNOTATION.source, "g")
  re.lastIndex = from
  for (let m = re.exec(text); m !== null && m.index + m[0].length <= to; m = re.exec(text)) {
    const body = m[1] ?? ""
    const bodyStart = m.index + 2
    const parts = body.split("=")
    const first = parts[0] ?? ""
    const exprSpan = { start: bodyStart, end: bodyStart + first.length }
    const end = m.index + m[0].length
    const written = readWritten(text, end, parts.length > 1 ? parts[parts.length - 1] : undefined)
    const base = { span: { start: m.index, end }, body, expr: first, exprSpan, ...(written ? { written } : {}) }
    if (parts.length === 1) {
      out.push({ ...base, intermediate: [] })
    } else {
      const last = parts[parts.length - 1] ?? ""
      const resultSpan = { start: bodyStart + body.length - last.length, end: bodyStart + body.length }
      out.push({ ...base, result: last, resultSpan, intermediate: parts.slice(1, -1) })
    }
  }
  return out
}

/** Ranges of `text` with the `####` lines cut out (they carry the final answer, not a step). */
const withoutHashLines = (text: string, start: number, end: number): Span[] => {
  const pieces: Span[] = []
  let at = start
  const re = new RegExp(HASH_LINE.source, "gm")
  re.lastIndex = start
  for (let m = re.exec(text); m !== null && m.index < end; m = re.exec(text)) {
    pieces.push({ start: at, end: m.index })
    at = Math.min(end, m.index + m[0].length)
    if (m[0].length === 0) re.lastIndex++
  }
  pieces.push({ start: at, end })
  return pieces
}

/** Splits a solution into steps with their annotations, and finds the final answer. */
export const parseSolution = (input: string): ParsedSolution => {
  const text = input.replace(/\r\n?/g, "\n")
  const markers = [...text.matchAll(new RegExp(STEP_MARKER.source, "gim"))]
  const raw: Span[] = []
  let preamble: string | undefined
  if (markers.length > 0) {
    const first = markers[0]!
    const pre = text.slice(0, first.index).trim()
    if (pre !== "") preamble = pre
    markers.forEach((m, i) => {
      const start = m.index + m[0].length
      const end = markers[i + 1]?.index ?? text.length
      // Inside a marked step the text may run over several lines; only `####` lines are cut out.
      const pieces = withoutHashLines(text, start, end).map((p) => trimSpan(text, p)).filter((p) => p.end > p.start)
      const firstPiece = pieces[0]
      const lastPiece = pieces[pieces.length - 1]
      if (firstPiece && lastPiece) raw.push({ start: firstPiece.start, end: lastPiece.end })
    })
  } else {
    let at = 0
    for (const line of text.split("\n")) {
      const span = trimSpan(text, { start: at, end: at + line.length })
      at += line.length + 1
      if (span.end === span.start || /^####/.test(text.slice(span.start, span.end))) continue
      raw.push(span)
    }
  }
  const steps = raw.map((span, i) => ({
    index: i + 1,
    text: text.slice(span.start, span.end),
    span,
    annotations: findAnnotations(text, span.start, span.end)
  }))
  const answers = scanFinalAnswers(text)
  return {
    text,
    steps,
    layout: markers.length > 0 ? "step-markers" : "lines",
    ...(preamble !== undefined ? { preamble } : {}),
    ...(answers.final ? { finalAnswer: answers.final } : {}),
    finalAnswers: answers.all
  }
}

/**
 * Core `Step` records for a parsed solution, before verification: `expr` and `claimed` come from the
 * step's last annotation (the one that yields the step's result); `claimed` is the number written after
 * it, else the annotation's stated result. `value`/`ok` are filled by the verifier.
 */
export const toCoreSteps = (parsed: ParsedSolution): Step[] =>
  parsed.steps.map((s) => {
    const last = s.annotations[s.annotations.length - 1]
    const claimed = last?.written?.text ?? last?.result?.trim()
    return {
      index: s.index,
      text: s.text,
      ...(last ? { expr: last.expr.trim() } : {}),
      ...(claimed !== undefined ? { claimed } : {})
    }
  })
