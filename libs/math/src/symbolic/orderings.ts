/**
 * Orderings a problem's words imply between two of its numbers of the same kind: a child ticket costs less
 * than an adult one, a small coffee less than a large, a box of 6 less per croissant than 6 single ones,
 * a mother is older than her daughter. A redraw that flips one reads wrong even when every step is exact,
 * so the seed's order becomes a condition. The lexicon below is the whole of what is recognised: a pair of
 * words not in it implies nothing.
 */
import * as R from "../rational.ts"
import type { ProseNumber } from "./numbers.ts"

interface Scale {
  readonly name: string
  /** Words of the scale with their rank; equal ranks are not ordered against each other. */
  readonly ranks: ReadonlyArray<readonly [RegExp, number]>
  /** Only prices: "2 adults and 3 children" are counts that imply no order. */
  readonly moneyOnly: boolean
}

/** The pair lexicon: scales of words whose quantities a reader expects in this order. */
export const SCALES: readonly Scale[] = [
  {
    name: "size",
    ranks: [
      [/^(?:small|smaller|mini|little)$/, 0],
      [/^(?:medium|mid-size|midsize)$/, 1],
      [/^(?:large|larger|big|bigger)$/, 2],
      [/^(?:extra-large|jumbo|family-size|giant)$/, 3]
    ],
    moneyOnly: false
  },
  {
    name: "ticket age",
    ranks: [
      [/^(?:child|children|child's|children's|kid|kids|kids'|junior|juniors|student|students|senior|seniors|youth)$/, 0],
      [/^(?:adult|adults|adult's|adults')$/, 1]
    ],
    moneyOnly: true
  },
  {
    name: "travel class",
    ranks: [
      [/^(?:economy|coach)$/, 0],
      [/^(?:premium)$/, 1],
      [/^(?:business)$/, 2],
      [/^(?:first-class)$/, 3]
    ],
    moneyOnly: true
  },
  { name: "length", ranks: [[/^(?:short|shorter)$/, 0], [/^(?:long|longer)$/, 1]], moneyOnly: false },
  { name: "duration", ranks: [[/^(?:half-day|half-hour|half-time|part-time)$/, 0], [/^(?:full-day|full-hour|full-time)$/, 1]], moneyOnly: false },
  { name: "trip", ranks: [[/^(?:one-way)$/, 0], [/^(?:round-trip|return)$/, 1]], moneyOnly: true },
  // "$3 for the 1st hour and $2.50 for each hour after that": a first period's fee against each later one.
  { name: "tier", ranks: [[/^(?:additional|extra|after|subsequent)$/, 0], [/^(?:first|1st|initial)$/, 1]], moneyOnly: true },
  {
    name: "price",
    ranks: [
      [/^(?:sale|discounted|reduced|clearance|member|members')$/, 0],
      [/^(?:regular|original|full|list|normal|usual|non-member|nonmember)$/, 1]
    ],
    moneyOnly: true
  }
]

export type ImpliedOrdering =
  /** The two numbers keep their order. */
  | { readonly kind: "pair"; readonly a: number; readonly b: number; readonly why: string }
  /** pack / count keeps its order against single (per item: a box of 6 for $12 against $2.40 each). */
  | { readonly kind: "perUnit"; readonly pack: number; readonly count: number; readonly single: number; readonly why: string }
  /** parent − child keeps at least its gap (capped at 18 years) and its sign. */
  | { readonly kind: "age"; readonly parent: number; readonly child: number; readonly why: string }
  /** a / b stays within [min, max]: an overtime rate against the regular one. */
  | { readonly kind: "ratio"; readonly a: number; readonly b: number; readonly min: number; readonly max: number; readonly why: string }

const BOUNDARY = /[,;]|\b(?:and|or|but|while|whereas|then)\b/gi
const sentenceBounds = (text: string, at: number): { start: number; end: number } => {
  const start = Math.max(text.lastIndexOf(". ", at), text.lastIndexOf("? ", at), text.lastIndexOf("! ", at), text.lastIndexOf("\n", at)) + 1
  const ends = [text.indexOf(". ", at), text.indexOf("? ", at), text.indexOf("\n", at)].filter((i) => i >= 0)
  return { start, end: ends.length > 0 ? Math.min(...ends) : text.length }
}

/**
 * The words that qualify a number: those before it back to the previous number or clause boundary in its
 * sentence ("and large coffees for $3.60"), else, for a price, those after it up to the next boundary
 * ("$25 for a long walk").
 */
const qualifierWords = (text: string, atoms: ReadonlyArray<ProseNumber>, i: number, after: boolean): string[] => {
  const atom = atoms[i]!
  const { start, end } = sentenceBounds(text, atom.span.start)
  // An ordinal or other fixed number ("the 1st hour") is a word here, not the start of another quantity.
  const bounding = atoms.filter((a) => a.fixed === undefined)
  const prevEnd = Math.max(start, ...bounding.filter((a) => a.span.end <= atom.span.start).map((a) => a.span.end))
  const words = (s: string): string[] => s.toLowerCase().match(/[a-z][a-z'-]*|\d+(?:st|nd|rd|th)\b/g) ?? []
  if (!after) {
    const before = text.slice(prevEnd, atom.span.start)
    const cuts = [...before.matchAll(BOUNDARY)]
    const last = cuts.at(-1)
    return words(last ? before.slice(last.index + last[0].length) : before)
  }
  const nextStart = Math.min(end, ...bounding.filter((a) => a.span.start >= atom.span.end).map((a) => a.span.start))
  const rest = text.slice(atom.span.end, nextStart)
  const cut = rest.search(BOUNDARY)
  return words(cut >= 0 ? rest.slice(0, cut) : rest)
}

/** "first class" is one word of the lexicon. */
const joinCompounds = (words: string[]): string[] => {
  const out: string[] = []
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!
    if (w === "first" && words[k + 1] === "class") {
      out.push("first-class")
      k++
    } else out.push(w)
  }
  return out
}

const rankIn = (scale: Scale, words: string[]): number | undefined => {
  for (let k = words.length - 1; k >= 0; k--) {
    const hit = scale.ranks.find(([re]) => re.test(words[k]!))
    if (hit) return hit[1]
  }
  return undefined
}

/** The scale rank of atom i, looking before it, then (prices only) after it. */
const rankOf = (text: string, atoms: ReadonlyArray<ProseNumber>, i: number, scale: Scale): number | undefined => {
  const before = rankIn(scale, joinCompounds(qualifierWords(text, atoms, i, false)))
  if (before !== undefined || !atoms[i]!.money) return before
  return rankIn(scale, joinCompounds(qualifierWords(text, atoms, i, true)).reverse())
}

const SINGLE_AFTER = /^\s*(?:each|apiece|a piece|per (?:item|piece|unit|visit|ride|ticket|class|lesson|session|game|entry|bottle|can|roll)|a (?:visit|ride|ticket|class|lesson|session|game|bottle|can)|for (?:one|a single)\b)/i
const PACK_PATTERNS: readonly RegExp[] = [
  // "boxes of 6 for $12", "packs of 8 for $3.20", "bags of 5 apples for $4"
  /\b(?:packs?|boxes|box|bags?|cartons?|bundles?|sets?|cases?|packets?|sleeves?|rolls?|trays?|crates?|books?|strips?)\s+of\s+(?<count>\d+)(?:\s+[a-z]+)?\s+(?:for|at|costs?|sells? for|is)\s+\$(?<price>\d[\d,]*(?:\.\d+)?)/dgi,
  // "$45 for a 10-visit pass", "$18 for a 6-pack"
  /\$(?<price>\d[\d,]*(?:\.\d+)?)\s+(?:for|per)\s+(?:a|an|one|each)\s+(?<count>\d+)-(?:[a-z]+)(?:\s+(?:pass|pack|card|bundle|book|booklet|ticket|package|membership|punch card|set))?/dgi,
  // "a 10-visit pass costs $45", "a 6-pack for $18"
  /\b(?:a|an|one|each)\s+(?<count>\d+)-(?:[a-z]+)(?:\s+(?:pass|pack|card|bundle|book|booklet|ticket|package|set))?\s+(?:for|at|costs?|is)\s+\$(?<price>\d[\d,]*(?:\.\d+)?)/dgi,
  // "3 for $5"
  /\b(?<count>\d+)\s+for\s+\$(?<price>\d[\d,]*(?:\.\d+)?)/dgi
]

const AGE_AFTER = /^\s*(?:-|\s)?years?(?:-|\s)old\b/i
const PARENT = /^(?:mother|father|mom|mum|dad|parent|grandmother|grandfather|grandma|grandpa|granny|aunt|uncle|mother's|father's)$/
const CHILD = /^(?:son|daughter|child|kid|baby|nephew|niece|grandson|granddaughter|grandchild|son's|daughter's)$/

/** Every ordering the lexicon finds among the question's numbers (`atoms`, scanned from `question`). */
export const impliedOrderings = (question: string, atoms: ReadonlyArray<ProseNumber>): ImpliedOrdering[] => {
  const out: ImpliedOrdering[] = []
  const seen = new Set<string>()
  const push = (o: ImpliedOrdering, key: string): void => {
    if (!seen.has(key)) {
      seen.add(key)
      out.push(o)
    }
  }

  for (const scale of SCALES) {
    const ranked = atoms
      .map((a, i) => ({ a, i, rank: a.context === "plain" && (a.money || !scale.moneyOnly) ? rankOf(question, atoms, i, scale) : undefined }))
      .filter((x): x is { a: ProseNumber; i: number; rank: number } => x.rank !== undefined)
    ranked.forEach((x, p) => {
      ranked.forEach((y, q) => {
        if (q <= p || x.rank === y.rank || x.a.money !== y.a.money) return
        // Counts need the same unit: "a small box holds 12 crayons, a large box holds 30 crayons".
        if (!x.a.money && (x.a.unit === undefined || x.a.unit !== y.a.unit)) return
        push({ kind: "pair", a: x.i, b: y.i, why: `${scale.name}: ${x.a.text} and ${y.a.text} keep their order` }, `${x.i}/${y.i}`)
      })
    })
  }

  // A pack's price per item against the single price.
  const singles = atoms.map((a, i) => ({ a, i })).filter(({ a }) => a.money && SINGLE_AFTER.test(question.slice(a.span.end, a.span.end + 30)))
  for (const re of PACK_PATTERNS) {
    for (const m of question.matchAll(re)) {
      const at = m.indices?.groups
      const priceAt = at?.["price"]?.[0]
      const countAt = at?.["count"]?.[0]
      const pack = atoms.findIndex((a) => a.span.start === priceAt)
      const count = atoms.findIndex((a) => a.span.start === countAt)
      if (priceAt === undefined || countAt === undefined || pack < 0 || count < 0 || R.compare(atoms[count]!.value, R.ONE) <= 0) continue
      const single = singles.filter(({ i }) => i !== pack).sort((x, y) => Math.abs(x.a.span.start - priceAt) - Math.abs(y.a.span.start - priceAt))[0]
      if (single === undefined) continue
      push(
        { kind: "perUnit", pack, count, single: single.i, why: `$${atoms[pack]!.text} for ${atoms[count]!.text} keeps its price per item against $${single.a.text} each` },
        `unit ${pack}/${count}/${single.i}`
      )
    }
  }

  // Ages: a parent stays older than a child.
  const ages = atoms.map((a, i) => ({ a, i })).filter(({ a }) => !a.money && AGE_AFTER.test(question.slice(a.span.end, a.span.end + 20)))
  const roleOf = (i: number): "parent" | "child" | undefined => {
    const words = qualifierWords(question, atoms, i, false)
    for (let k = words.length - 1; k >= 0; k--) {
      if (PARENT.test(words[k]!)) return "parent"
      if (CHILD.test(words[k]!)) return "child"
    }
    return undefined
  }
  const roles = ages.map(({ a, i }) => ({ a, i, role: roleOf(i) }))
  for (const c of roles.filter((r) => r.role === "child")) {
    // The parent is named as such, or is the person whose child this is ("Maria is 38 … her daughter is 12").
    const parent = roles.find((r) => r.role === "parent") ?? roles.find((r) => r.role === undefined && r.i < c.i)
    if (parent !== undefined) push({ kind: "age", parent: parent.i, child: c.i, why: `a parent (${parent.a.text}) stays older than a child (${c.a.text})` }, `age ${parent.i}/${c.i}`)
  }
  // Overtime pays 1.25 to 2 times the regular hourly rate (or the seed's own ratio, when outside that).
  const hourly = atoms.map((a, i) => ({ a, i })).filter(({ a }) => a.money && a.context === "plain" && /^\s*(?:an|a|per|each|every)\s+hour\b/i.test(question.slice(a.span.end, a.span.end + 20)))
  const isOvertime = (i: number): boolean => {
    const words = [...qualifierWords(question, atoms, i, false), ...qualifierWords(question, atoms, i, true)]
    return words.some((w) => /^(?:overtime|over-time)$/.test(w))
  }
  const overtime = hourly.filter(({ i }) => isOvertime(i))
  const regular = hourly.filter(({ i }) => !isOvertime(i))
  if (overtime.length === 1 && regular.length === 1) {
    const [o, r] = [overtime[0]!, regular[0]!]
    const seedRatio = R.toNumber(o.a.value) / R.toNumber(r.a.value)
    push({ kind: "ratio", a: o.i, b: r.i, min: Math.min(1.25, seedRatio), max: Math.max(2, seedRatio), why: `overtime ($${o.a.text}) pays 1.25 to 2 times the regular rate ($${r.a.text})` }, `ratio ${o.i}/${r.i}`)
  }
  return out
}
