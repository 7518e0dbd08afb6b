/**
 * Numbers the words of a problem tie together. "Ethan and his 3 friends … split it among the 4 of them":
 * the 4 is the 3 friends plus Ethan, so a redraw that changes one must change the other. "6 liters per 100
 * kilometers … 5.4 hundreds of kilometers": the 100 is what "hundreds" means, so it cannot change at all.
 * GSM-Symbolic (Apple 2024) writes such ties into its hand-made templates; here they are read from the
 * text, and templateOf either keeps the tie (one number follows the other) or freezes the number.
 */
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import type { ProseNumber } from "./numbers.ts"

/** target = source + offset (indices into the question's scanned numbers). */
export interface TieLink {
  readonly source: number
  readonly target: number
  readonly offset: Rational
  readonly why: string
}

export interface Ties {
  /** Question numbers that must keep their value, with why. */
  readonly freeze: ReadonlyMap<number, string>
  readonly links: readonly TieLink[]
}

/** The people (or animals) someone comes with: "Ethan and his 3 friends" are 3 + 1. */
const COMPANION_BEFORE = /(?:\b(?:and|with|plus)\s+(?:his|her|their|its|my|our|your)\s+|\b[A-Z][a-z]+\s+and\s+)$/
const COMPANION_AFTER =
  /^\s+(?:(?:best|close|old|new|older|younger|little|big)\s+)?(?:friends?|brothers?|sisters?|cousins?|classmates?|teammates?|children|kids?|sons?|daughters?|siblings?|co-?workers?|colleagues?|neighbou?rs?|roommates?|grandchildren|grandkids?|nephews?|nieces?|guests?|students?|pals?|buddies)\b/
/** How the text names the whole group later: "the 4 of them", "4 people", "among the 4". */
const GROUP_AFTER = /^\s*(?:of (?:them|us|you)|people|persons|friends|in (?:all|total|the group)|diners|guests|members|kids|children|ways)\b/i
const GROUP_BEFORE = /\b(?:among|between|by|for|all)\s+(?:the\s+|all\s+|these\s+)?$/i

/** Words that fix a number's size: "hundreds of kilometers" is in units of 100 kilometers. */
const COLLECTIVES: ReadonlyArray<readonly [RegExp, bigint, string]> = [
  [/\bhundreds\s+of\s+([a-z]+)/gi, 100n, "hundreds"],
  [/\bthousands\s+of\s+([a-z]+)/gi, 1000n, "thousands"],
  [/\bdozens\s+of\s+([a-z]+)/gi, 12n, "dozens"],
  [/\bpairs\s+of\s+([a-z]+)/gi, 2n, "pairs"],
  [/\bscores\s+of\s+([a-z]+)/gi, 20n, "scores"]
]

/** The values banknotes come in: "She pays with a $20 bill" may become a $50 bill, not a $35 one. */
export const BANKNOTES: readonly bigint[] = [1n, 2n, 5n, 10n, 20n, 50n, 100n]

/** Is this question number the value of a banknote ("a $20 bill", "two $10 notes")? */
export const isBanknote = (question: string, atom: ProseNumber): boolean =>
  atom.money && /^\s*(?:bill|note|banknote)s?\b/i.test(question.slice(atom.span.end, atom.span.end + 12))

/** "7 days (a week)", "a week of 7 days", "12 months, a year": a number restated as a calendar word. */
const RESTATED: ReadonlyArray<readonly [bigint, string, RegExp, RegExp]> = [
  [7n, "day", /^\s*days?\s*[(,—-]?\s*(?:or|that is|i\.e\.)?\s*(?:a|one|1) (?:full )?week\b/i, /\b(?:a|one) (?:full )?week\s*(?:\(|,|of|—|-)\s*$/i],
  [12n, "month", /^\s*months?\s*[(,—-]?\s*(?:or|that is|i\.e\.)?\s*(?:a|one|1) (?:full )?year\b/i, /\b(?:a|one) (?:full )?year\s*(?:\(|,|of|—|-)\s*$/i],
  [24n, "hour", /^\s*hours?\s*[(,—-]?\s*(?:or|that is|i\.e\.)?\s*(?:a|one|1) (?:full |whole )?day\b/i, /\b(?:a|one) (?:full |whole )?day\s*(?:\(|,|of|—|-)\s*$/i],
  [60n, "minute", /^\s*minutes?\s*[(,—-]?\s*(?:or|that is|i\.e\.)?\s*(?:an|one|1) (?:full )?hour\b/i, /\b(?:an|one) (?:full )?hour\s*(?:\(|,|of|—|-)\s*$/i]
]

const singular = (w: string): string => (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w).toLowerCase()

/** Does `text` compute `n + 1` itself ("3 + 1 = <<3+1=4>>4")? Then the group size is a step, not a tie. */
const computesNext = (reference: string, n: Rational): boolean => {
  const t = R.toString(n).replace(".", "\\.")
  return new RegExp(`<<[^>]*(?:(?<![\\d.])${t}\\s*\\+\\s*1(?![\\d.])|(?<![\\d.])1\\s*\\+\\s*${t}(?![\\d.]))`).test(reference)
}

/** Numbers of `text` (any of `numbers`) equal to `v`. */
const mentions = (numbers: ReadonlyArray<ProseNumber>, v: Rational): boolean => numbers.some((n) => R.equals(n.value, v))

/**
 * The ties the words of `question` (and of `reference`, the solution) state between the question's
 * numbers (`atoms`, scanned from the question) and the solution's (`referenceNumbers`).
 */
export const findTies = (question: string, atoms: ReadonlyArray<ProseNumber>, reference: string, referenceNumbers: ReadonlyArray<ProseNumber>): Ties => {
  const freeze = new Map<number, string>()
  const links: TieLink[] = []

  atoms.forEach((atom, i) => {
    if (!R.isInteger(atom.value) || atom.context !== "plain" || atom.money) return
    const before = question.slice(Math.max(0, atom.span.start - 30), atom.span.start)
    const after = question.slice(atom.span.end, atom.span.end + 40)
    if (!COMPANION_BEFORE.test(before) || !COMPANION_AFTER.test(after)) return
    const group = R.add(atom.value, R.ONE)
    const why = `"${question.slice(atom.span.start, atom.span.end)}${/^\s+\S+/.exec(after)?.[0] ?? ""}" and one more make a group of ${R.toString(group)}`
    const target = atoms.findIndex((b, j) => {
      if (j === i || !R.equals(b.value, group)) return false
      return GROUP_AFTER.test(question.slice(b.span.end, b.span.end + 20)) || GROUP_BEFORE.test(question.slice(Math.max(0, b.span.start - 20), b.span.start))
    })
    if (target >= 0) links.push({ source: i, target, offset: R.ONE, why })
    // The solution uses the group size without computing it ("70 / 4"): the friends cannot change alone.
    else if (!mentions(atoms, group) && mentions(referenceNumbers, group) && !computesNext(reference, atom.value)) freeze.set(i, why)
  })

  const text = `${question}\n${reference}`
  for (const [re, size, word] of COLLECTIVES) {
    for (const m of text.matchAll(re)) {
      const unit = singular(m[1]!)
      atoms.forEach((atom, i) => {
        if (atom.unit !== undefined && singular(atom.unit.split(" ")[0]!) === unit && R.equals(atom.value, R.fromBigInt(size))) {
          freeze.set(i, `${R.toString(atom.value)} ${atom.unit} is what "${word} of ${m[1]!}" counts in`)
        }
      })
    }
  }

  atoms.forEach((atom, i) => {
    const after = question.slice(atom.span.end, atom.span.end + 40)
    const before = question.slice(Math.max(0, atom.span.start - 25), atom.span.start)
    for (const [value, unit, afterRe, beforeRe] of RESTATED) {
      if (!R.equals(atom.value, R.fromBigInt(value))) continue
      if (afterRe.test(after) || (beforeRe.test(before) && new RegExp(`^\\s*${unit}s?\\b`, "i").test(after))) freeze.set(i, `${value} ${unit}s restate a calendar word`)
    }
  })
  return { freeze, links }
}
