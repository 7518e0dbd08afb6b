/**
 * The words of a variant, varied as GSM-Symbolic (Apple 2024) varies names: people, objects and units
 * are drawn from our lists (names.ts, nouns.ts) and replaced the same way everywhere in the question and
 * the solution. Every change is conservative: a name keeps its pronouns (a swap to another gender is made
 * only when the text has one person and every pronoun can be rewritten unambiguously), two people stay two
 * names, an object changes only within a group of interchangeable ones, and units only when the solution
 * converts nothing, all to the other system at once. Numbers are never touched, so the solution's arithmetic is what it was.
 */
import type { Rng } from "#core"
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import { wordTakesAn } from "./grammar.ts"
import { genderOf, isSurname, NAMES, SURNAMES } from "./names.ts"
import type { NameGender } from "./names.ts"
import { IMPERIAL, METRIC, NOUN_GROUPS, UNIT_FREE_CONSTANTS, UNIT_GROUPS } from "./nouns.ts"
import { overBound } from "./bounds.ts"
import type { Noun } from "./nouns.ts"

export interface SurfaceOptions {
  /** Numbers the solution uses that are not in the question (the template's constants): a unit swap needs none but clock, calendar and percent. */
  readonly constants?: ReadonlyArray<Rational>
  /** Chance of a swap to the other gender where one is safe; default 0.5. */
  readonly genderSwap?: number
  /** Chance that a group of objects or units present in the text is swapped; default 0.75 and 0.5. */
  readonly nounSwap?: number
  readonly unitSwap?: number
  /** Chance that the days of the week named in the text all move by the same number of days; default 0.75. */
  readonly dayShift?: number
  /** Names to draw only when every other is taken (those earlier variants of the family used), so siblings differ. */
  readonly avoidNames?: ReadonlySet<string>
}

export interface SurfaceChange {
  readonly kind: "name" | "surname" | "day" | "noun" | "unit"
  readonly from: string
  readonly to: string
}

export interface Surface {
  readonly question: string
  readonly reference: string
  readonly changes: ReadonlyArray<SurfaceChange>
}

const TITLE_BEFORE = /(?:\b(?:Mr|Mrs|Ms|Mx|Dr|Miss|Prof|Professor|Coach|Captain|Grandma|Grandpa|Granny|Grandmother|Grandfather|Nana|Aunt|Auntie|Uncle|Saint|St)\.?\s+)$/

/** A name inside a place's name ("Lake Ali", "Mount Emily", "Maya Street", "Kofi Park") names the place, not a person: it stays. */
const PLACE_BEFORE = /\b(?:Lake|Mount|Mt\.?|Fort|Port|Saint|St\.|Cape|Glen|Camp|Point)\s+$/
const PLACE_AFTER = /^\s+(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Drive|Boulevard|Way|Park|Square|Bridge|Lake|River|Hill|Hills|Bay|Island|Valley|Heights|Beach|Harbor|Harbour|Forest|Trail|Stadium|Arena|Mall|Market|Tower|Station|Airport|Hospital|Library|Hall|Center|Centre|Museum|Elementary|Middle|High|Academy|College|University|School|Gardens?|Plaza|Pier|Falls)\b/
const inPlaceName = (text: string, at: number, end: number): boolean => PLACE_BEFORE.test(text.slice(Math.max(0, at - 8), at)) || PLACE_AFTER.test(text.slice(end, end + 20))
const NAME_TOKEN = /(?<![\p{L}'])(\p{Lu}\p{Ll}+)(?![\p{L}])('s|'(?!\p{L}))?/gu

/** Words for other people whose pronouns a gender swap could not tell apart from the named person's. */
const OTHER_PERSON =
  /\b(?:mother|mom|mum|father|dad|brother|sister|aunt|uncle|grandma|grandpa|grandmother|grandfather|granny|son|daughter|wife|husband|boyfriend|girlfriend|friend|teacher|coach|neighbou?r|boss|manager|cousin|nephew|niece|parent|man|woman|boy|girl|gentleman|lady|king|queen|baker|farmer|owner|customer|client|employee|worker|student|classmate|teammate|partner|chef|cook|doctor|nurse|driver|seller|buyer|clerk|cashier|tutor|landlord|landlady|mechanic|plumber|artist|author|gardener|librarian|principal|coworker|colleague|roommate|guest|host|hostess|player|waiter|waitress|actor|actress|salesman|saleswoman|businessman|businesswoman|policeman|policewoman|fireman|chairman|tailor|courier|runner|cyclist|assistant|sponsor|member|child|kid|baby|person|someone|somebody|mr|mrs|ms|dr|miss)\b/i

const TITLED_SURNAME = /\b(?:Mr|Mrs|Ms|Mx|Dr|Miss|Prof|Professor|Coach|Captain)\.?\s+(\p{Lu}\p{Ll}+)(?![\p{L}])/gu
const DAYS: ReadonlyArray<string> = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
const DAY = /\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(s?)\b/g
const WEEK_SHAPE = /\b(?:weekends?|weekdays?|workdays?|working days?|work week|school days?|school week|business days?|week ?nights?|Sabbath|church|market day)\b/i

const MALE_PRONOUN = /\b(?:he|him|his|himself)\b/i
const FEMALE_PRONOUN = /\b(?:she|her|hers|herself)\b/i

/** Words after an object "her" ("gives her a pen", "pays her back"); any other word after "her" is a possessive's noun. */
const AFTER_OBJECT = new Set([
  "a", "an", "the", "some", "each", "every", "any", "all", "back", "up", "out", "away", "off", "to", "for", "with", "in",
  "on", "at", "from", "and", "or", "but", "that", "this", "these", "those", "twice", "once", "more", "less", "how", "what",
  "if", "when", "because", "so", "as", "while", "than", "into", "about", "by", "again", "too", "also", "enough", "until",
  "before", "after", "per", "is", "was", "will", "would", "can", "could", "should"
])
/** After "her", these could start either reading ("gives her 3 apples" / "her 3 friends"): no swap. */
const AMBIGUOUS_AFTER = /^(?:[\d$]|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half|dozen|several|many|few|own|extra|first|last|next|only)\b)/i

/** A name from `pool` not taken, preferring those not to avoid. */
const drawName = (rng: Rng, pool: ReadonlyArray<string>, taken: ReadonlySet<string>, avoid: ReadonlySet<string> | undefined): string => {
  const free = pool.filter((n) => !taken.has(n))
  const fresh = avoid === undefined ? free : free.filter((n) => !avoid.has(n))
  return rng.pick(fresh.length > 0 ? fresh : free)
}

const capitalised = (like: string, word: string): string => (/^[A-Z]/.test(like) ? word[0]!.toUpperCase() + word.slice(1) : word)

/** The text with a male person's pronouns made female, or the reverse; undefined when some "her" is ambiguous. */
export const swapPronouns = (text: string, to: "female" | "male"): string | undefined => {
  let ambiguous = false
  const out = text.replace(/\b(he|him|his|himself|she|her|hers|herself)\b(?=(\s*)([^\s]*))/gi, (word: string, _w: string, _space: string, next: string, at: number) => {
    const w = word.toLowerCase()
    const ends = next === "" || /^[.,!?;:)"]/.test(next)
    if (to === "female") {
      const map: Record<string, string> = { he: "she", him: "her", his: ends ? "hers" : "her", himself: "herself" }
      return map[w] === undefined ? word : capitalised(word, map[w]!)
    }
    const map: Record<string, string> = { she: "he", hers: "his", herself: "himself" }
    if (map[w] !== undefined) return capitalised(word, map[w]!)
    if (w !== "her") return word
    // "Her" opening a sentence is a possessive ("Her profit was ...").
    if (word === "Her" && /(?:^|[.!?]\s*)$/.test(text.slice(0, at))) return "His"
    if (ends) return capitalised(word, "him")
    if (AMBIGUOUS_AFTER.test(next)) {
      ambiguous = true
      return word
    }
    const nextWord = /^[A-Za-z]+/.exec(next)?.[0]?.toLowerCase()
    if (nextWord === undefined) {
      ambiguous = true
      return word
    }
    return capitalised(word, AFTER_OBJECT.has(nextWord) ? "him" : "his")
  })
  return ambiguous ? undefined : out
}

interface Person {
  readonly name: string
  readonly gender: NameGender
}

/** The untitled first names of the text from our lists, in order of appearance, and whether anyone is named by title ("Mr. Patel", "Grandma June"). */
export const peopleIn = (text: string): { readonly people: ReadonlyArray<Person>; readonly titled: boolean } => {
  const people: Person[] = []
  let titled = /\b(?:Mr|Mrs|Ms|Mx|Dr|Miss|Prof|Professor|Coach|Captain|Grandma|Grandpa|Granny|Nana|Aunt|Auntie|Uncle)\.?\s+\p{Lu}/u.test(text)
  for (const m of text.matchAll(NAME_TOKEN)) {
    const name = m[1]!
    const gender = genderOf(name)
    if (gender === undefined || inPlaceName(text, m.index, m.index + name.length)) continue
    if (TITLE_BEFORE.test(text.slice(Math.max(0, m.index - 16), m.index))) {
      titled = true
      continue
    }
    if (!people.some((p) => p.name === name)) people.push({ name, gender })
  }
  return { people, titled }
}

const replaceNames = (text: string, map: ReadonlyMap<string, string>): string =>
  text.replace(NAME_TOKEN, (all: string, name: string, possessive: string | undefined, at: number) => {
    const to = map.get(name)
    if (to === undefined || TITLE_BEFORE.test(text.slice(Math.max(0, at - 16), at)) || inPlaceName(text, at, at + name.length)) return all
    // "Carlos'" becomes "Maya's"; "Maya's" becomes "Carlos's".
    return `${to}${possessive === undefined ? "" : "'s"}`
  })

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** Every word of the text that starts with `stem` is one of the group's `forms` (no "plumber" when swapping plums). */
const onlyForms = (text: string, stem: string, forms: ReadonlyArray<string>, hyphenBefore: boolean): boolean => {
  const re = new RegExp(`(?<![\\p{L}${hyphenBefore ? "" : "-"}])${escape(stem)}[\\p{L}-]*`, "giu")
  const lower = forms.map((f) => f.toLowerCase())
  for (const m of text.matchAll(re)) if (!lower.includes(m[0].toLowerCase())) return false
  // Part of a hyphenated compound ("muffin-tin", "T-shirt") reads differently once changed.
  if (!hyphenBefore && new RegExp(`-${escape(stem)}`, "iu").test(text)) return false
  return true
}

const presentIn = (text: string, noun: Noun, hyphenBefore: boolean): boolean =>
  new RegExp(`(?<![\\p{L}${hyphenBefore ? "" : "-"}])(?:${escape(noun.plural)}|${escape(noun.singular)})(?![\\p{L}-])`, "iu").test(text)

/** Each noun of `map` replaced by its partner (singular by singular, plural by plural), with a/an before it fixed. */
const replaceNouns = (text: string, map: ReadonlyArray<readonly [Noun, Noun]>, hyphenBefore: boolean): string => {
  const forms = new Map<string, string>()
  for (const [from, to] of map) {
    forms.set(from.plural.toLowerCase(), to.plural)
    forms.set(from.singular.toLowerCase(), to.singular)
  }
  const alternatives = [...forms.keys()].sort((a, b) => b.length - a.length).map(escape).join("|")
  const re = new RegExp(`(?<![\\p{L}${hyphenBefore ? "" : "-"}])(?:([Aa]n?)(\\s+))?(${alternatives})(?![\\p{L}-])`, "giu")
  return text.replace(re, (_all: string, article: string | undefined, space: string | undefined, word: string) => {
    const to = capitalised(word, forms.get(word.toLowerCase())!)
    if (article === undefined) return to
    return `${capitalised(article, wordTakesAn(to) ? "an" : "a")}${space}${to}`
  })
}

/**
 * The question and solution with people, objects and units drawn anew from `rng`; the same rng state
 * gives the same result. Texts where no swap is safe come back unchanged.
 */
export const varySurface = (question: string, reference: string, rng: Rng, options: SurfaceOptions = {}): Surface => {
  const changes: SurfaceChange[] = []
  let q = question
  let r = reference
  const both = (): string => `${q}\n${r}`

  // ---------------------------------------------------------------- people
  const { people, titled } = peopleIn(both())
  if (people.length > 0) {
    const capitals = new Set([...both().matchAll(NAME_TOKEN)].map((m) => m[1]!))
    const taken = new Set(capitals)
    const map = new Map<string, string>()
    let pronouns: ((s: string) => string | undefined) | undefined
    const only = people.length === 1 ? people[0]! : undefined
    if (only !== undefined && only.gender !== "neutral" && !titled && !OTHER_PERSON.test(both()) && rng.chance(options.genderSwap ?? 0.5)) {
      const to = only.gender === "female" ? "male" : "female"
      const other = to === "female" ? FEMALE_PRONOUN : MALE_PRONOUN
      const swap = (s: string) => swapPronouns(s, to)
      // No pronoun of the new gender may be there already (someone else's), and each must be rewritable.
      if (!other.test(both()) && swap(q) !== undefined && swap(r) !== undefined) {
        pronouns = swap
        const name = drawName(rng, NAMES[to], taken, options.avoidNames)
        map.set(only.name, name)
        taken.add(name)
      }
    }
    for (const p of people) {
      if (map.has(p.name)) continue
      const name = drawName(rng, NAMES[p.gender], taken, options.avoidNames)
      map.set(p.name, name)
      taken.add(name)
    }
    q = replaceNames(q, map)
    r = replaceNames(r, map)
    if (pronouns !== undefined) {
      q = pronouns(q) ?? q
      r = pronouns(r) ?? r
    }
    for (const [from, to] of map) changes.push({ kind: "name", from, to })
  }

  // ---------------------------------------------------------------- family names after a title
  const titledSurnames = [...new Set([...both().matchAll(TITLED_SURNAME)].map((m) => m[1]!).filter(isSurname))]
  if (titledSurnames.length > 0) {
    const capitals = new Set([...both().matchAll(NAME_TOKEN)].map((m) => m[1]!))
    const map = new Map<string, string>()
    for (const from of titledSurnames) {
      const to = rng.pick(SURNAMES.filter((n) => !capitals.has(n) && ![...map.values()].includes(n)))
      map.set(from, to)
    }
    const swap = (text: string) => text.replace(NAME_TOKEN, (all: string, name: string, possessive: string | undefined) => {
      const to = map.get(name)
      return to === undefined ? all : `${to}${possessive === undefined ? "" : "'s"}`
    })
    q = swap(q)
    r = swap(r)
    for (const [from, to] of map) changes.push({ kind: "surname", from, to })
  }

  // ---------------------------------------------------------------- days of the week
  // Every day moves by the same number of days, so their order and the gaps between them stay; a text
  // about weekends or working days ties its days to the week's shape and keeps them.
  const dayMatches = [...both().matchAll(DAY)]
  if (dayMatches.length > 0 && !WEEK_SHAPE.test(both()) && rng.chance(options.dayShift ?? 0.75)) {
    const k = rng.int(1, 6)
    const shift = (text: string) => text.replace(DAY, (_all: string, day: string, plural: string) => `${DAYS[(DAYS.indexOf(day) + k) % 7]!}${plural}`)
    q = shift(q)
    r = shift(r)
    changes.push({ kind: "day", from: dayMatches[0]![1]!, to: DAYS[(DAYS.indexOf(dayMatches[0]![1]!) + k) % 7]! })
  }

  // ---------------------------------------------------------------- objects
  for (const group of NOUN_GROUPS) {
    const text = both()
    const here = group.members.filter((m) => presentIn(text, m, false))
    if (here.length === 0 || group.notWith?.test(text) === true) continue
    const forms = group.members.flatMap((m) => [m.singular, m.plural])
    if (!group.members.every((m) => onlyForms(text, m.singular, forms, false))) continue
    if (!rng.chance(options.nounSwap ?? 0.75)) continue
    const free = rng.shuffle(group.members.filter((m) => !here.includes(m)))
    if (free.length < here.length) continue
    const map = here.map((m, i) => [m, free[i]!] as const)
    q = replaceNouns(q, map, false)
    r = replaceNouns(r, map, false)
    for (const [from, to] of map) changes.push({ kind: "noun", from: from.plural, to: to.plural })
  }

  // ---------------------------------------------------------------- units
  // One system for the whole text: every unit present swaps to the other system together, or none does
  // ("kilometers on a gallon" mixes them), and a swap that puts a number past its bound (a car's tank of
  // 60 gallons) is not made.
  const constants = options.constants ?? []
  const unitFree = constants.every((c) => UNIT_FREE_CONSTANTS.includes(R.toString(c)))
  const text = both()
  const present = UNIT_GROUPS.map((group) => ({ group, here: group.members.filter((m) => presentIn(text, m, true)) })).filter((x) => x.here.length > 0)
  const swappable = present.every(({ group, here }) => {
    const forms = group.members.flatMap((m) => [m.singular, m.plural])
    // Both members present means the text relates them.
    return here.length === 1 && !group.others.test(text) && group.members.every((m) => onlyForms(text, m.singular, forms, true))
  })
  if (unitFree && present.length > 0 && swappable && rng.chance(options.unitSwap ?? 0.5)) {
    const map = present.map(({ group, here }) => [here[0]!, group.members.find((m) => m !== here[0])!] as const)
    const sq = replaceNouns(q, map, true)
    const sr = replaceNouns(r, map, true)
    const mixed = (t: string): boolean => METRIC.test(t) && IMPERIAL.test(t)
    if ((!mixed(`${sq}\n${sr}`) || mixed(text)) && (overBound(sq) === undefined || overBound(q) !== undefined)) {
      q = sq
      r = sr
      for (const [from, to] of map) changes.push({ kind: "unit", from: from.plural, to: to.plural })
    }
  }

  return { question: q, reference: r, changes }
}
