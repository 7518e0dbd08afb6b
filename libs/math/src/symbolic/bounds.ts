/**
 * Calendar and clock bounds: a day has 24 hours, a week 7 days, a year 12 months. A redraw that keeps
 * every step exact can still have someone work 28 hours a day or use a yearly membership for 14 months;
 * these bounds come from the words next to a number (in the question) or next to a step's result (in the
 * solution) and become conditions the draw must meet.
 */
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"

export interface Bound {
  readonly max: Rational
  readonly why: string
}

type Unit = "second" | "minute" | "hour" | "day" | "week" | "month" | "year"

/** How many of the first unit fit in the second: the bound on "N <unit> a <period>". */
const PER: Readonly<Record<string, number>> = {
  "second/minute": 60,
  "minute/hour": 60,
  "hour/day": 24,
  "hour/week": 168,
  "day/week": 7,
  "day/month": 31,
  "day/year": 366,
  "week/year": 52,
  "month/year": 12
}

/** Most hours a person plausibly works in a day or a week (a machine may run 24 a day). */
const WORK: Readonly<Record<string, number>> = { "hour/day": 16, "hour/week": 80 }

const UNIT = "(seconds?|minutes?|hours?|days?|weeks?|months?|years?)"
const PERIOD = "(second|minute|hour|day|week|month|year)"
const singular = (w: string): Unit => w.toLowerCase().replace(/s$/, "") as Unit

/** "6 days a week", "16 hours per day", "3 months each year", "45 minutes every hour". */
const RATE_AFTER = new RegExp(`^\\s*${UNIT}\\s+(?:a|an|per|each|every|in\\s+(?:a|an|one|each))\\s+${PERIOD}\\b`, "i")
/** "an 8-hour day", "a 5-day week", "a 10-hour shift". */
const HYPHEN_AFTER = /^-(second|minute|hour|day|week|month)\s+(?:work\s*)?(day|week|shift|workday|working day|year)\b/i
/** A person's work: the stricter bound applies. */
const WORK_BEFORE = /\b(?:works?|worked|working|shifts?|studies|studied|practices|practised|practiced|volunteers?)\b[^.]*$/i

const bound = (n: number, why: string): Bound => ({ max: R.fromBigInt(BigInt(n)), why })

const VEHICLE = /\b(?:car|cars|truck|van|SUV|fuel|gas station|petrol|diesel|road trip|drives?)\b/i

const DRIVE_OR_WORK = /\b(?:drives?|drove|driving|works?|worked|working|deliver(?:s|ies|ing)?|shifts?)\b/i

/** Fastest plausible speed of a mover, by mode, in miles and kilometers per hour; the first mode named nearest the number wins. */
const SPEEDS: ReadonlyArray<readonly [RegExp, number, number, string]> = [
  [/\b(?:plane|jet|airplane|aircraft|flies|flight)\b/i, 600, 950, "a plane"],
  [/\b(?:train|railway|rail)\b/i, 125, 200, "a train"],
  [/\b(?:car|cars|bus|buses|truck|van|drives?|drove|driving|motorway|highway|taxi|motorcycle|coach)\b/i, 75, 120, "a road vehicle"],
  [/\b(?:ferry|boat|ship|yacht)\b/i, 40, 65, "a boat"],
  [/\b(?:cycles?|cycling|cyclist|bikes?|biking|bicycle|rides?)\b/i, 25, 40, "a bicycle"],
  [/\b(?:runs?|running|runner|jogs?|jogging|jogger|sprints?)\b/i, 12, 20, "a runner"],
  [/\b(?:walks?|walking|walker|hikes?|hiking|hiker|strolls?)\b/i, 5, 8, "a walker"]
]

/** "at 90 kilometers per hour", "62 mph": a speed stays within what its mover can do (a train at 300 mph cannot). */
const speedBound = (before: string, after: string, question: string): Bound | undefined => {
  const unit = /^\s*(mph|miles?\s+(?:per|an|a)\s+hour|km\/h|kph|km\s+per\s+hour|kilomet(?:er|re)s?\s+(?:per|an|a)\s+hour)\b/i.exec(after)
  if (!unit) return undefined
  const miles = /^m/i.test(unit[1]!)
  const clause = before.split(/[,;]|\band\b|\bwhile\b|\bbut\b/).at(-1) ?? before
  for (const text of [clause, before, question]) {
    const hit = SPEEDS.find(([re]) => re.test(text))
    if (hit) return bound(miles ? hit[1] : hit[2], `${miles ? "mph" : "km/h"} of ${hit[3]}`)
  }
  return bound(miles ? 75 : 120, `${miles ? "mph" : "km/h"} of a road vehicle`)
}

/**
 * The band a multiplier of a rate keeps: "on weekends she earns 1.25 times her weekday rate" stays a raise
 * (more than 1, at most 3), so a redraw cannot pay 0.75 times the weekday rate on weekends.
 */
export const rateMultiplierBand = (after: string): { readonly min: Rational; readonly max: Rational; readonly why: string } | undefined => {
  if (!/^\s*times\s+(?:(?:her|his|their|the|its|a|an)\s+)?(?:weekday|regular|normal|usual|standard|base|daytime|weekly|hourly|ordinary)\s+(?:\w+\s+)?(?:rate|pay|wage|price|fare|fee)\b/i.test(after)) return undefined
  return { min: { num: 11n, den: 10n }, max: R.fromBigInt(3n), why: "a premium rate stays 1.1 to 3 times the base rate" }
}

/**
 * The bound the words around a question number put on it, if any. `before` is the text of its sentence
 * up to the number, `after` the text after it, `question` the whole question (for "yearly … 14 months").
 */
export const questionBound = (before: string, after: string, question: string): Bound | undefined => {
  const rate = RATE_AFTER.exec(after)
  if (rate) {
    const key = `${singular(rate[1]!)}/${rate[2]!.toLowerCase()}`
    const max = PER[key]
    if (max !== undefined) {
      const work = WORK[key]
      if (work !== undefined && WORK_BEFORE.test(before)) return bound(work, `${key.replace("/", "s a ")} of work`)
      return bound(max, `${key.replace("/", "s a ")}`)
    }
  }
  const hyphen = HYPHEN_AFTER.exec(after)
  if (hyphen) {
    const unit = singular(hyphen[1]!)
    const period = hyphen[2]!.toLowerCase()
    if (unit === "hour" && /shift|work/.test(period)) return bound(16, "hours in a work shift")
    const max = PER[`${unit}/${period === "workday" || period === "working day" ? "day" : period}`]
    if (max !== undefined) return bound(max, `${unit}s in a ${period}`)
  }
  const speed = speedBound(before, after, question)
  if (speed !== undefined) return speed
  // A sales or hotel tax is a few percent: "a tax of 15%" redrawn to 30% reads wrong.
  if (/^\s*(?:%|percent\b)/.test(after) && (/\btax(?:es)?\b[^,;]*$/i.test(before) || /^\s*(?:%|percent)\s+(?:\w+\s+)?tax\b/i.test(after))) {
    return bound(15, "percent of tax")
  }
  // "drives for 4 hours on the first day": a day of driving (or of work) has at most 12 hours of it.
  if (/^\s*hours?\s+(?:on|in|of)\s+(?:(?:the\s+|each\s+|that\s+|a\s+|one\s+)?(?:\w+\s+)?day\b|the\s+(?:first|second|third|fourth|fifth|last|next)\b)/i.test(after) && DRIVE_OR_WORK.test(before)) {
    return bound(12, "hours of driving or work in a day")
  }
  // A car's fuel tank holds some 40 to 80 liters, 10 to 25 gallons: past that (a redraw, or liters become gallons) it is no car's.
  const tank = /^[\s-]*(lit(?:er|re)s?|gallons?)\b/i.exec(after)
  if (tank && (/\btanks?\b/i.test(before) || /^[\s-]*\w+\s+(?:(?:fuel|gas|petrol)\s+)?tank\b/i.test(after)) && VEHICLE.test(question)) {
    return /^g/i.test(tank[1]!) ? bound(25, "gallons in a car's fuel tank") : bound(80, "liters in a car's fuel tank")
  }
  // A plan or pass for a period covers at most that period: "a yearly membership … for 12 months".
  const span = /^\s*(months?|weeks?|days?)\b/i.exec(after)
  if (span) {
    const unit = singular(span[1]!)
    if (unit === "month" && /\b(?:yearly|annual|year-long|one-year|1-year)\b/i.test(question)) return bound(12, "months of a yearly plan")
    if (unit === "week" && /\b(?:yearly|annual|year-long|one-year|1-year)\b/i.test(question)) return bound(52, "weeks of a yearly plan")
    if (unit === "day" && /\b(?:weekly|week-long|one-week|1-week)\b/i.test(question)) return bound(7, "days of a weekly plan")
    if (unit === "day" && /\b(?:monthly|month-long|one-month|1-month)\b/i.test(question) && !/\b(?:yearly|annual)\b/i.test(question)) return bound(31, "days of a monthly plan")
  }
  return undefined
}

/** The per-period words of a solution step: "Each day he spends …", "… hours a week". */
const PERIOD_WORDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(?:each|every|a|per|one|in a|in one|the (?:first|second|third|fourth|fifth|last|same|next))\s+day\b|\bdaily\b/i, "day"],
  [/\b(?:each|every|a|per|one|in a|in one)\s+week\b|\bweekly\b/i, "week"],
  [/\b(?:each|every|a|per|one|in a|in one)\s+month\b|\bmonthly\b/i, "month"],
  [/\b(?:each|every|a|per|one|in a|in one)\s+year\b|\byearly\b|\bannually\b/i, "year"],
  [/\b(?:each|every|an|per|one|in an|in one)\s+hour\b|\bhourly\b/i, "hour"]
]

/**
 * The bound on a step's result from the words of its line: `after` is the text right after the written
 * result ("hours on deliveries."), `line` the whole step. "Each day he spends 10.5 hours" keeps the result
 * within 24. A rate right after the result ("40 hours a week") decides; otherwise the line must name one
 * period only, other than the result's own unit. `question` tells a day of driving ("The third day takes 5
 * hours" of a road trip) from a machine's.
 */
export const resultBound = (after: string, line: string, question = ""): Bound | undefined => {
  const rate = RATE_AFTER.exec(after)
  if (rate) {
    const key = `${singular(rate[1]!)}/${rate[2]!.toLowerCase()}`
    const max = PER[key]
    return max !== undefined ? bound(max, key.replace("/", "s a ")) : undefined
  }
  const unit = /^\s*(seconds?|minutes?|hours?|days?|weeks?|months?)\b/i.exec(after)
  if (!unit) return undefined
  const u = singular(unit[1]!)
  const periods = PERIOD_WORDS.filter(([re, period]) => period !== u && re.test(line)).map(([, period]) => period)
  if (periods.length !== 1) return undefined
  const key = `${u}/${periods[0]!}`
  // Hours a day of driving or deliveries are a person's: at most 12 of them ("13-hour delivery days" read wrong).
  if (key === "hour/day" && (DRIVE_OR_WORK.test(line) || DRIVE_OR_WORK.test(question))) return bound(12, "hours of driving or work in a day")
  const max = PER[key]
  return max !== undefined ? bound(max, `${u}s in a ${periods[0]!}`) : undefined
}

/**
 * The first number of `text` past the bound its words set ("a tank holds 60 gallons" of a car), as its
 * reason; undefined when none is. For words changed after the draw (a unit swap), whose bounds the draw
 * could not see.
 */
export const overBound = (text: string): string | undefined => {
  for (const m of text.matchAll(/(?<![\d.,])\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|(?<![\d.,])\d+(?:\.\d+)?/g)) {
    const start = m.index
    const sentenceStart = Math.max(text.lastIndexOf(". ", start), text.lastIndexOf("? ", start), text.lastIndexOf("! ", start), text.lastIndexOf("\n", start)) + 1
    const b = questionBound(text.slice(sentenceStart, start), text.slice(start + m[0].length, start + m[0].length + 40), text)
    const v = R.parseRational(m[0])
    if (b !== undefined && v.ok && R.compare(v.value, b.max) > 0) return `${m[0]} is past ${R.toString(b.max)} ${b.why}`
  }
  return undefined
}

/** Generations of the family words a gap between ages names: a grandparent is one above a parent. */
const GENERATION: ReadonlyArray<readonly [RegExp, number]> = [
  [/^(?:grandmother|grandfather|grandma|grandpa|granny|grandparent|nana)(?:'s)?$/i, 2],
  [/^(?:mother|father|mom|mum|dad|parent)(?:'s)?$/i, 1],
  [/^(?:son|daughter|child|kid|baby)(?:'s)?$/i, 0]
]
const generationOf = (words: ReadonlyArray<string>): number | undefined => {
  for (let k = words.length - 1; k >= 0; k--) {
    const hit = GENERATION.find(([re]) => re.test(words[k]!))
    if (hit) return hit[1]
  }
  return undefined
}

/** Least and most years between a parent and a child, per generation. */
const PARENT_GAP = { min: 18, max: 45 }

/**
 * The band on "N years older than" between a parent and a child ("Her mother is 27 years older than
 * Amira", "their son is 28 years younger than his mother", a grandmother older than the mother): a
 * redraw of 9 would make a parent of nine. `before` is the number's sentence up to it; the other side is
 * read after "than". A name or pronoun there is the younger generation of a parent word.
 */
export const ageGapBand = (before: string, after: string): { readonly min: Rational; readonly max: Rational; readonly why: string } | undefined => {
  const m = /^\s*years?\s+(older|younger)\s+than\s+((?:[\p{L}']+\s*){1,3})/u.exec(after)
  if (!m) return undefined
  const clause = before.split(/,|;|\band\b|\bwhile\b|\bbut\b/).at(-1) ?? before
  const words = (t: string): string[] => t.match(/[\p{L}']+/gu) ?? []
  const subject = generationOf(words(clause))
  const objectWords = words(m[2]!)
  const named = /^(?:\p{Lu}|he\b|she\b|him\b|her\b|them\b|they\b)/u.test(m[2]!) && generationOf(objectWords) === undefined
  const object = generationOf(objectWords) ?? (named ? 0 : undefined)
  if (object === undefined) return undefined
  const older = m[1]!.toLowerCase() === "older"
  // A name as the subject ("Amira is 28 years younger than her mother") is the younger generation too.
  const subj = subject ?? (older ? undefined : 0)
  if (subj === undefined) return undefined
  const generations = older ? subj - object : object - subj
  if (generations < 1) return undefined
  return {
    min: R.fromBigInt(BigInt(PARENT_GAP.min * generations)),
    max: R.fromBigInt(BigInt(PARENT_GAP.max * generations)),
    why: `${generations === 1 ? "a parent and a child" : "a grandparent and a grandchild"} are ${PARENT_GAP.min * generations} to ${PARENT_GAP.max * generations} years apart`
  }
}
