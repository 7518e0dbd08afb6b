/**
 * Surface tells of a RISE preference pair: features of the rejected solution that a classifier could learn
 * instead of the reasoning error (issue #11's review of v0001, where 36% of rejected solutions carried one).
 * This is the published measure of the preference configs, written from the review's list and not from
 * how the generator makes its edits: it reads only the texts a trainer sees (question, chosen, rejected),
 * with `<<expr=result>>` calculator annotations removed, so it works on annotated and plain layouts alike.
 *
 * A tell is counted only where the rejected solution has it and the chosen one does not (a comparison the
 * chosen already states falsely, or a zero it already has, is not the edit's doing).
 */
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import { extractFinalAnswer } from "../answer.ts"
import { stripAnnotations } from "../plain.ts"
import { questionNumbers } from "./format.ts"

export const TELL_CODES = [
  /** The rejected final answer is 10× or more off the chosen's (either way). */
  "answer_magnitude",
  /**
   * The rejected final answer is not a whole number where the chosen's is. Not in the review's list but
   * of the same kind: every chosen answer of the default build is whole (integer answers, as in GSM8K),
   * so a fractional answer alone would pick out 22% of rejected texts with no false positive.
   */
  "non_integer_answer",
  /** A number written unlike the chosen writes numbers in that place: 1,000+ without (or with) grouping commas, money cents. */
  "number_format",
  /** An operand used against itself: `x / x` or `x - x`. */
  "self_operand",
  /**
   * A number written against itself in a step, `x * x`, `x + x`, `x - x` or `x / x` ("25 * 25",
   * "40 * 40 / 100"), more often than the chosen writes it: the review of a build found such a step only in
   * the rejected side of 347 pairs and only in the chosen side of 32 (a substitution of a number already
   * in the expression).
   */
  "repeated_operand",
  /** A count of things (people, eggs) that is not a whole number. */
  "fractional_count",
  /** A quantity of exactly 0, or a negative one. */
  "zero_or_negative",
  /** A comparison in the prose ("Since 51 is more than 50") that the rejected numbers make false. */
  "false_comparison",
  /**
   * An operand of a written step that is neither a number of the question, nor an earlier result, nor a
   * number the chosen also writes (a constant such as 60 or 100): a changed value comes from nowhere.
   * The second review of issue #11 found such a number in 21.9% of rejected texts and no chosen one.
   */
  "ungrounded_number",
  /**
   * A step result that no later step uses (as an operand, a stated value or the answer), more of them than
   * the chosen leaves: the edit replaced a use of it (17.0% of pairs, 99.6% of them on the rejected side).
   */
  "unused_result"
] as const
export type TellCode = (typeof TELL_CODES)[number]

export interface Tell {
  readonly code: TellCode
  /** What was found, e.g. `"1120" where the chosen groups thousands`. */
  readonly detail: string
}


const annotationBodies = (text: string): string[] => [...text.matchAll(/<<([^<>\n]*)>>/g)].map((m) => m[1] ?? "")

/** A number as written: grouped thousands, plain digits or a leading-dot decimal. */
const NUM = String.raw`\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+`
const NUMBER = /(?<![\d.,])(\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?!\d)/g
const OPERATORS = "+-*/×÷\u2212·"

type Place = "operand" | "value" | "final"

interface Token {
  readonly text: string
  readonly value: Rational
  readonly start: number
  readonly end: number
  readonly place: Place
  /** Written after a `$`. */
  readonly money: boolean
  readonly percent: boolean
}

const parse = (t: string): Rational | undefined => {
  const r = R.parseRational(t.replace(/,/g, ""))
  return r.ok ? r.value : undefined
}

/** Index of the last non-space character before `i`, skipping `$`. */
const backTo = (text: string, i: number): number => {
  let j = i - 1
  while (j >= 0 && /[\s$\\]/.test(text[j] ?? "")) j--
  return j
}

const forwardTo = (text: string, i: number): number => {
  let j = i
  while (j < text.length && /[\s%]/.test(text[j] ?? "")) j++
  return j
}

/** Lines that state the final answer ("#### 12", "The answer is: 12"). */
const finalLines = (text: string): Array<{ start: number; end: number }> =>
  [...text.matchAll(/^[^\n]*(?:####|the (?:final )?answer is)[^\n]*$/gim)].map((m) => ({ start: m.index, end: m.index + m[0].length }))

/** Every number of a plain text, with where it sits: an operand of a written expression, a stated value, or the final answer. */
const tokens = (text: string): Token[] => {
  const finals = finalLines(text)
  const out: Token[] = []
  for (const m of text.matchAll(NUMBER)) {
    const t = m[1] ?? ""
    const value = parse(t)
    if (value === undefined) continue
    const start = m.index
    const end = start + t.length
    const before = text[backTo(text, start)] ?? ""
    const after = text[forwardTo(text, end)] ?? ""
    const place: Place = finals.some((f) => f.start <= start && end <= f.end)
      ? "final"
      : OPERATORS.includes(before) || (OPERATORS.includes(after) && after !== "") || after === "="
        ? "operand"
        : "value"
    out.push({ text: t, value, start, end, place, money: /\$\s*$/.test(text.slice(Math.max(0, start - 2), start)), percent: /^\s*%/.test(text.slice(end, end + 2)) })
  }
  return out
}

const integerDigits = (t: string): number => (t.split(".")[0] ?? "").replace(/,/g, "").length

// ------------------------------------------------------------------------------------------------ checks

const answerMagnitude = (a: Rational | undefined, b: Rational | undefined): Tell[] => {
  if (!a || !b || R.isZero(a) || R.isZero(b)) return []
  const q = R.div(b, a)
  if (!q.ok) return []
  const r = R.sign(q.value) < 0 ? R.neg(q.value) : q.value
  const TEN = R.fromBigInt(10n)
  if (R.compare(r, TEN) >= 0 || R.compare(R.mul(r, TEN), R.ONE) <= 0) {
    return [{ code: "answer_magnitude", detail: `final ${R.toString(b)} against ${R.toString(a)}` }]
  }
  return []
}

const nonIntegerAnswer = (a: Rational | undefined, b: Rational | undefined): Tell[] =>
  a && b && R.isInteger(a) && !R.isInteger(b) ? [{ code: "non_integer_answer", detail: `final ${R.toString(b)} against ${R.toString(a)}` }] : []

type Grouping = "grouped" | "plain" | "mixed" | "none"

const groupingOf = (toks: readonly Token[]): Grouping => {
  const big = toks.filter((t) => integerDigits(t.text) >= 4)
  const grouped = big.some((t) => t.text.includes(","))
  const plain = big.some((t) => !t.text.includes(","))
  return grouped && plain ? "mixed" : grouped ? "grouped" : plain ? "plain" : "none"
}

/** Decimal places of money amounts that are not whole. */
const centsOf = (toks: readonly Token[]): Set<number> =>
  new Set(toks.filter((t) => t.money && t.text.includes(".")).map((t) => (t.text.split(".")[1] ?? "").length))

/**
 * Numbers must look like the chosen's in the same place. Results and prose numbers of 1,000+ follow the
 * chosen's grouping; with no such number in the chosen or the question the dataset's convention (grouped)
 * applies. Operands and the final answer follow the chosen's only where it shows one. Money with cents
 * keeps the chosen's number of places. A number the question writes is taken as written.
 */
interface FormatStyle {
  readonly asked: ReadonlySet<string>
  readonly grouping: Readonly<Record<Place, Grouping>>
  /** Decimal places of the chosen's non-whole money, when it writes one number of places only. */
  readonly cents?: number
}

const formatStyle = (question: string, chosen: readonly Token[]): FormatStyle => {
  const qTokens = tokens(question)
  const asked = new Set(qTokens.map((t) => t.text))
  const of = (place: Place): Grouping => groupingOf(chosen.filter((t) => t.place === place && !asked.has(t.text)))
  let value = of("value")
  if (value === "none") {
    const q = groupingOf(qTokens)
    value = q === "plain" ? "plain" : q === "mixed" ? "mixed" : "grouped"
  }
  const cents = centsOf(chosen.filter((t) => t.place !== "operand"))
  return { asked, grouping: { value, operand: of("operand"), final: of("final") }, ...(cents.size === 1 ? { cents: [...cents][0]! } : {}) }
}

const numberFormat = (style: FormatStyle, rejected: readonly Token[]): Tell[] => {
  const tells: Tell[] = []
  const seen = new Set<string>()
  const flag = (t: Token, why: string): void => {
    if (seen.has(t.text)) return
    seen.add(t.text)
    tells.push({ code: "number_format", detail: `"${t.text}" ${why}` })
  }
  for (const t of rejected) {
    if (style.asked.has(t.text) || integerDigits(t.text) < 4) continue
    const g = style.grouping[t.place]
    if (g === "grouped" && !t.text.includes(",")) flag(t, "is not grouped where the chosen writes 1,000+ with commas")
    if (g === "plain" && t.text.includes(",")) flag(t, "is grouped where the chosen writes 1,000+ without commas")
  }
  if (style.cents !== undefined) {
    for (const t of rejected) {
      if (!t.money || t.place === "operand" || !t.text.includes(".")) continue
      const p = (t.text.split(".")[1] ?? "").length
      if (p !== style.cents) flag(t, `has ${p} decimal place${p === 1 ? "" : "s"} where the chosen writes money with ${style.cents}`)
    }
  }
  return tells
}

/**
 * Every `a op b` with a = b in the prose and in annotations, `op` one of the characters of the class
 * `ops`; overlapping matches count ("4 - 4 - 4" has two). Yields the source, the match and the value.
 */
function* equalOperandPairs(text: string, ops: string): Generator<{ source: string; m: RegExpExecArray; a: Rational }> {
  const num = String.raw`\$?\s*(${NUM})`
  const re = new RegExp(String.raw`(?<![\d.,])${num}\s*([${ops}])\s*${num}(?![\d.,]*\d)`, "g")
  for (const source of [stripAnnotations(text), ...annotationBodies(text)]) {
    for (let m = re.exec(source); m !== null; m = re.exec(source)) {
      re.lastIndex = m.index + 1
      const a = parse(m[1] ?? "")
      const b = parse(m[3] ?? "")
      if (a && b && R.equals(a, b)) yield { source, m, a }
    }
  }
}

/** `a - a` and `a / a` in the prose and in annotations, as "a op a" strings. */
const selfOperands = (text: string): string[] => {
  const out: string[] = []
  for (const { source, m, a } of equalOperandPairs(text, String.raw`-\u2212/÷`)) {
    const op = m[2] === "/" || m[2] === "÷" ? "/" : "-"
    const before = source[backTo(source, m.index)] ?? ""
    const after = source[forwardTo(source, m.index + m[0].length)] ?? ""
    // "6 * 4 / 4" divides a product, "9 - 4 - 4" subtracts twice, "4 - 4 * 2" subtracts a product: no self-use.
    if ("*/×÷·".includes(before) && before !== "") continue
    if (op === "-" && "-\u2212".includes(before) && before !== "") continue
    if (op === "-" && "*/×÷·".includes(after) && after !== "") continue
    out.push(`${R.toString(a)} ${op} ${R.toString(a)}`)
  }
  return out
}

const selfOperand = (had: readonly string[], now: readonly string[]): Tell[] => {
  const left = [...had]
  return now
    .filter((x) => {
      const i = left.indexOf(x)
      if (i >= 0) left.splice(i, 1)
      return i < 0
    })
    .map((x) => ({ code: "self_operand" as const, detail: x }))
}

/**
 * Every `a op b` of a text with a = b, read as written (annotations and prose): "40 * 40 / 100" has
 * "40 * 40". What a reader sees, so no precedence exceptions: "9 - 4 - 4" shows "4 - 4" too. Keyed by the
 * operator alone: "25 * 25" made "26 * 26" by a related-values slip shows nothing the chosen did not.
 */
const repeatedOperands = (text: string): Array<{ op: string; text: string }> => {
  const out: Array<{ op: string; text: string }> = []
  for (const { m, a } of equalOperandPairs(text, String.raw`-+*/×÷\u2212·`)) {
    const op = m[2] === "×" || m[2] === "·" ? "*" : m[2] === "÷" ? "/" : m[2] === "\u2212" ? "-" : (m[2] ?? "")
    out.push({ op, text: `${R.toString(a)} ${op} ${R.toString(a)}` })
  }
  return out
}

/** The repeated operands of `now` beyond the number of each operator's that `had` shows. */
const moreRepeated = (had: ReadonlyArray<{ op: string }>, now: ReadonlyArray<{ op: string; text: string }>): string[] => {
  const left = had.map((x) => x.op)
  return now.flatMap((x) => {
    const i = left.indexOf(x.op)
    if (i >= 0) left.splice(i, 1)
    return i < 0 ? [x.text] : []
  })
}

/** Words after a number that make it a measure, a rate or a ratio, not a count of things. */
const MEASURES = new Set(
  (
    "second seconds sec secs minute minutes min mins hour hours hr hrs day days week weeks month months year years decade decades " +
    "mile miles km kilometer kilometers kilometre kilometres meter meters metre metres cm centimeter centimeters mm " +
    "foot feet ft inch inches yard yards liter liters litre litres l ml milliliter milliliters gallon gallons quart quarts pint pints " +
    "cup cups tablespoon tablespoons teaspoon teaspoons ounce ounces oz pound pounds lb lbs kg kilogram kilograms gram grams g ton tons tonne tonnes " +
    "dollar dollars cent cents euro euros pence percent degree degrees mph kph acre acres hectare hectares square cubic sq " +
    "times x lap laps serving servings batch batches portion portions point points mile-long kilowatt kwh watts volts " +
    "hundred hundreds thousand thousands million millions dozen dozens half halves quarter quarters third thirds fifth fifths tenth tenths"
  ).split(" ")
)
/** Words that do not name what is counted; the number's noun comes later or not at all. */
const STOP = new Set(
  (
    "of each per and or in on at to for from with by is are was were be been the a an that this these those so than then left now " +
    "which it he she they we you i his her their its our as if but minus plus over under after before into out off up down " +
    "altogether total together all there here more fewer less"
  ).split(" ")
)
const MODIFIERS = new Set("more fewer less extra additional other remaining full whole new".split(" "))

const countNoun = (text: string, end: number): string | undefined => {
  const rest = text.slice(end, end + 60)
  if (/^\s*(%|\/|:)/.test(rest)) return undefined
  const words = [...rest.matchAll(/[A-Za-z][A-Za-z'-]*/g)]
  let k = 0
  // Only words right after the number (spaces between) describe it.
  if (!/^\s+[A-Za-z]/.test(rest)) return undefined
  while (k < words.length && MODIFIERS.has((words[k]![0] ?? "").toLowerCase())) k++
  const w = (words[k]?.[0] ?? "").toLowerCase()
  if (w === "" || MEASURES.has(w) || STOP.has(w) || MEASURES.has(w.replace(/-.*$/, ""))) return undefined
  // "12.5 pages per day", "2.5 apples an hour": a rate may be fractional.
  const next = (words[k + 1]?.[0] ?? "").toLowerCase()
  if (["per", "a", "an", "each", "every"].includes(next)) return undefined
  return w
}

const fractionalCounts = (text: string, toks: readonly Token[]): Array<{ noun: string; text: string }> =>
  toks
    .filter((t) => t.place !== "operand" && !t.money && !t.percent && t.value.den !== 1n)
    .flatMap((t) => {
      const noun = countNoun(text, t.end)
      return noun ? [{ noun, text: t.text }] : []
    })

const fractionalCount = (had: ReadonlyArray<{ noun: string }>, now: ReadonlyArray<{ noun: string; text: string }>): Tell[] => {
  const nouns = new Set(had.map((c) => c.noun))
  return now.filter((c) => !nouns.has(c.noun)).map((c) => ({ code: "fractional_count" as const, detail: `${c.text} ${c.noun}` }))
}

const NEGATIVE = /(?<![\d)\w.,])[-\u2212]\s?\$?(?=\d)/g
const zerosAndNegatives = (text: string, toks: readonly Token[]): { zeros: number; negatives: number } => ({
  zeros: toks.filter((t) => R.isZero(t.value)).length,
  negatives: [...text.matchAll(NEGATIVE)].filter((m) => !/\s/.test(m[0]) || /[=(:]\s*$/.test(text.slice(0, m.index))).length
})

const zeroOrNegative = (a: { zeros: number; negatives: number }, b: { zeros: number; negatives: number }): Tell[] => {
  const tells: Tell[] = []
  if (b.zeros > a.zeros) tells.push({ code: "zero_or_negative", detail: `${b.zeros - a.zeros} more zero quantit${b.zeros - a.zeros === 1 ? "y" : "ies"}` })
  if (b.negatives > a.negatives) tells.push({ code: "zero_or_negative", detail: `${b.negatives - a.negatives} more negative number${b.negatives - a.negatives === 1 ? "" : "s"}` })
  return tells
}

type Relation = ">" | "<" | ">=" | "<=" | "="
const RELATIONS: Array<[RegExp, Relation]> = [
  [/^(?:more|greater|larger|higher|bigger|longer|taller|older|heavier|further|farther|faster)\s+than$/i, ">"],
  [/^(?:less|fewer|smaller|lower|shorter|younger|lighter|cheaper|slower)\s+than$/i, "<"],
  [/^(?:at least|no less than|not less than)$/i, ">="],
  [/^(?:at most|no more than|not more than)$/i, "<="],
  [/^(?:exceeds?|exceeded|tops)$/i, ">"],
  [/^(?:equals?|the same as|equal to)$/i, "="],
  [/^(?:>|&gt;)$/, ">"],
  [/^(?:<|&lt;)$/, "<"],
  [/^(?:>=|≥)$/, ">="],
  [/^(?:<=|≤)$/, "<="]
]
const COMPARISON = new RegExp(
  String.raw`(?<![\d.,])\$?(${NUM})%?([^.\d\n!?;]{0,40}?)\b((?:not\s+)?(?:more|greater|larger|higher|bigger|longer|taller|older|heavier|further|farther|faster|less|fewer|smaller|lower|shorter|younger|lighter|cheaper|slower)\s+than|at least|at most|no (?:more|less) than|exceed(?:s|ed)?|tops|equals?|the same as|equal to)\b([^.\d\n!?;]{0,25}?)\$?(${NUM})|\$?(${NUM})%?\s*(>=|<=|≥|≤|>|<)\s*\$?(${NUM})`,
  "gi"
)

const holds = (a: Rational, rel: Relation, b: Rational): boolean => {
  const c = R.compare(a, b)
  return rel === ">" ? c > 0 : rel === "<" ? c < 0 : rel === ">=" ? c >= 0 : rel === "<=" ? c <= 0 : c === 0
}

/** The comparisons a text states between two numbers, each with whether it holds. */
export const comparisons = (text: string): Array<{ text: string; holds: boolean }> => {
  const plain = stripAnnotations(text)
  const out: Array<{ text: string; holds: boolean }> = []
  for (const m of plain.matchAll(COMPARISON)) {
    const word = m[3] ?? m[7] ?? ""
    const negated = /^not\s+/i.test(word) && !/^not (?:more|less) than$/i.test(word)
    const phrase = word.replace(/^not\s+/i, "").replace(/\s+/g, " ")
    const rel = RELATIONS.find(([re]) => re.test(phrase))?.[1] ?? RELATIONS.find(([re]) => re.test(word.replace(/\s+/g, " ")))?.[1]
    const a = parse(m[1] ?? m[6] ?? "")
    const b = parse(m[5] ?? m[8] ?? "")
    if (!rel || !a || !b) continue
    const ok = holds(a, rel, b)
    out.push({ text: m[0], holds: negated ? !ok : ok })
  }
  return out
}

/** A step's stated result: the number right after "=". */
const isResult = (plain: string, t: Token): boolean => t.place !== "final" && plain[backTo(plain, t.start)] === "="

/**
 * The operands of a text that come from nowhere: not in `known` (the question's numbers, and for a
 * rejected text the numbers its chosen writes), not stated earlier in the text. Values as R.toString.
 */
const ungroundedOperands = (plain: string, toks: readonly Token[], known: ReadonlySet<string>): string[] => {
  const seen = new Set(known)
  const out: string[] = []
  for (const t of toks) {
    const v = R.toString(t.value)
    if (t.place === "operand" && !isResult(plain, t) && !seen.has(v)) out.push(v)
    seen.add(v)
  }
  return out
}

/** Step results (the last one excepted) whose value no later number of the text repeats. */
const unusedResults = (plain: string, toks: readonly Token[]): string[] => {
  const results = toks.map((t, i) => ({ t, i })).filter(({ t }) => isResult(plain, t))
  return results
    .slice(0, -1)
    .filter(({ t, i }) => !toks.slice(i + 1).some((u) => !isResult(plain, u) && R.equals(u.value, t.value)))
    .map(({ t }) => R.toString(t.value))
}

const valuesOf = (toks: readonly Token[]): Set<string> => new Set(toks.map((t) => R.toString(t.value)))

/** What the checks read of one solution text, computed once per text. */
interface Profile {
  readonly plain: string
  readonly tokens: readonly Token[]
  readonly final: Rational | undefined
  readonly selfOperands: readonly string[]
  readonly repeatedOperands: ReadonlyArray<{ op: string; text: string }>
  readonly fractional: ReadonlyArray<{ noun: string; text: string }>
  readonly zerosAndNegatives: { zeros: number; negatives: number }
  readonly falseComparisons: readonly string[]
}

const profile = (text: string): Profile => {
  const plain = stripAnnotations(text)
  const toks = tokens(plain)
  return {
    plain,
    tokens: toks,
    final: extractFinalAnswer(text)?.answer.value,
    selfOperands: selfOperands(text),
    repeatedOperands: repeatedOperands(text),
    fractional: fractionalCounts(plain, toks),
    zerosAndNegatives: zerosAndNegatives(plain, toks),
    falseComparisons: comparisons(plain).filter((c) => !c.holds).map((c) => c.text.trim())
  }
}

/**
 * The tell check of rejected solutions against one question and chosen solution: what the chosen shows is
 * read once (a generator checks many candidates against the same chosen).
 */
export const tellsAgainst = (question: string, chosen: string): ((rejected: string) => Tell[]) => {
  const c = profile(chosen)
  const style = formatStyle(question, c.tokens)
  const asked = new Set(questionNumbers(question).map((v) => R.toString(v)))
  const known = new Set([...asked, ...valuesOf(c.tokens)])
  const chosenUnused = unusedResults(c.plain, c.tokens).length
  return (rejected) => {
    const r = profile(rejected)
    const unused = unusedResults(r.plain, r.tokens)
    return [
      ...answerMagnitude(c.final, r.final),
      ...nonIntegerAnswer(c.final, r.final),
      ...numberFormat(style, r.tokens),
      ...selfOperand(c.selfOperands, r.selfOperands),
      ...moreRepeated(c.repeatedOperands, r.repeatedOperands).map((x) => ({ code: "repeated_operand" as const, detail: x })),
      ...fractionalCount(c.fractional, r.fractional),
      ...zeroOrNegative(c.zerosAndNegatives, r.zerosAndNegatives),
      ...(r.falseComparisons.length > c.falseComparisons.length
        ? r.falseComparisons.slice(c.falseComparisons.length).map((t) => ({ code: "false_comparison" as const, detail: t }))
        : []),
      ...[...new Set(ungroundedOperands(r.plain, r.tokens, known))].map((v) => ({ code: "ungrounded_number" as const, detail: `${v} is in neither the question nor an earlier step` })),
      ...(unused.length > chosenUnused ? [{ code: "unused_result" as const, detail: `${unused.join(", ")} never used later` }] : [])
    ]
  }
}

/**
 * The surface tells of a preference pair, in TELL_CODES order (empty when the pair is clean). Texts may
 * carry `<<expr=result>>` annotations or not, and end with `#### N` or "The answer is: N".
 */
export const detectTells = (question: string, chosen: string, rejected: string): Tell[] => tellsAgainst(question, chosen)(rejected)

/** The distinct tell codes of a pair. */
export const tellCodes = (question: string, chosen: string, rejected: string): TellCode[] => [...new Set(detectTells(question, chosen, rejected).map((t) => t.code))]

// ------------------------------------------------------------------------------------ dataset-level tells

/**
 * What a pair shows without its arithmetic being checked: whether the rejected final answer is larger or
 * smaller than the chosen's, and which side a math-blind guess takes for the wrong one. One pair's values
 * say nothing; their shares over a dataset do (issue #11: the rejected answer was the larger in 64% of
 * pairs, so "pick the larger answer" alone beat chance).
 */
export interface PairSurface {
  readonly direction: "larger" | "smaller" | "equal" | "unknown"
  /** Whether guessRejected picks the rejected side, the chosen side, or neither. */
  readonly guess: "right" | "wrong" | "undecided"
}

/** Step results (the number after "=") that are not whole: "57 / 2 = 28.5". */
const nonIntegerResults = (text: string): number => {
  const plain = stripAnnotations(text)
  return tokens(plain).filter((t) => t.place !== "final" && !R.isInteger(t.value) && plain[backTo(plain, t.start)] === "=").length
}

/**
 * Which of two solutions of one question a guess that never checks the math takes for the wrong one, by
 * three rules in turn (the review's heuristic): the side that writes a number against itself more often
 * (repeated_operand), then the side with more non-whole step results, then the side with the larger final
 * answer. Symmetric in its arguments; undefined when no rule tells them apart.
 */
export const guessRejected = (a: string, b: string): "a" | "b" | undefined => {
  const ra = repeatedOperands(a)
  const rb = repeatedOperands(b)
  const moreA = moreRepeated(rb, ra).length > 0
  const moreB = moreRepeated(ra, rb).length > 0
  if (moreA !== moreB) return moreA ? "a" : "b"
  const na = nonIntegerResults(a)
  const nb = nonIntegerResults(b)
  if (na !== nb) return na > nb ? "a" : "b"
  const fa = extractFinalAnswer(a)?.answer.value
  const fb = extractFinalAnswer(b)?.answer.value
  if (!fa || !fb || R.equals(fa, fb)) return undefined
  return R.compare(fa, fb) > 0 ? "a" : "b"
}

/**
 * The second review's math-blind guess (issue #11): the side with a number from nowhere (an operand
 * neither in the question, nor stated earlier, nor written by the other side) is the wrong one; else the
 * side that leaves more results unused; undefined when neither rule tells them apart.
 */
export const guessRejectedByGrounding = (question: string, a: string, b: string): "a" | "b" | undefined => {
  const pa = stripAnnotations(a)
  const pb = stripAnnotations(b)
  const ta = tokens(pa)
  const tb = tokens(pb)
  const asked = questionNumbers(question).map((v) => R.toString(v))
  const ga = ungroundedOperands(pa, ta, new Set([...asked, ...valuesOf(tb)])).length
  const gb = ungroundedOperands(pb, tb, new Set([...asked, ...valuesOf(ta)])).length
  if (ga !== gb) return ga > gb ? "a" : "b"
  const ua = unusedResults(pa, ta).length
  const ub = unusedResults(pb, tb).length
  if (ua !== ub) return ua > ub ? "a" : "b"
  return undefined
}

export const pairSurface = (chosen: string, rejected: string): PairSurface => {
  const fc = extractFinalAnswer(chosen)?.answer.value
  const fr = extractFinalAnswer(rejected)?.answer.value
  const c = !fc || !fr ? undefined : R.compare(fr, fc)
  const g = guessRejected(chosen, rejected)
  return {
    direction: c === undefined ? "unknown" : c > 0 ? "larger" : c < 0 ? "smaller" : "equal",
    guess: g === undefined ? "undecided" : g === "b" ? "right" : "wrong"
  }
}

/** The dataset-level figures of a set of pairs; targets: rejected larger in 40-60%, the guess right in at most 55%. */
export interface SurfaceBalance {
  readonly pairs: number
  readonly rejectedLarger: number
  readonly rejectedSmaller: number
  readonly guessRight: number
  readonly guessWrong: number
  readonly guessUndecided: number
}

export const surfaceBalance = (pairs: Iterable<{ readonly chosen: string; readonly rejected: string }>): SurfaceBalance => {
  const f = { pairs: 0, rejectedLarger: 0, rejectedSmaller: 0, guessRight: 0, guessWrong: 0, guessUndecided: 0 }
  for (const p of pairs) {
    const s = pairSurface(p.chosen, p.rejected)
    f.pairs++
    if (s.direction === "larger") f.rejectedLarger++
    if (s.direction === "smaller") f.rejectedSmaller++
    if (s.guess === "right") f.guessRight++
    else if (s.guess === "wrong") f.guessWrong++
    else f.guessUndecided++
  }
  return f
}

/** Share of pairs whose rejected answer is the larger. */
export const rejectedLargerShare = (b: SurfaceBalance): number => b.rejectedLarger / Math.max(b.pairs, 1)

/** The guess's accuracy, an undecided pair counting as a coin flip. */
export const guessAccuracy = (b: SurfaceBalance): number => (b.guessRight + b.guessUndecided / 2) / Math.max(b.pairs, 1)
