/**
 * Grammar that new numbers and new words can break: the article before a number goes by how the
 * number is spoken ("an 8-hour shift", "an 11% discount", "a 12-pack"), and a count of 1 takes the
 * singular ("1 hour", not "1 hours"), and money shows its cents ("$3.10"). Applied to a variant's text after its numbers and words changed.
 */

/**
 * Whether the number written as `digits` (separators allowed, decimals ignored) is spoken starting with
 * a vowel sound: eight, eleven, eighteen, eighty(-), eight hundred, and the same for thousands, millions.
 */
export const numberTakesAn = (digits: string): boolean => {
  const whole = digits.replace(/,/g, "").split(".")[0] ?? ""
  const n = whole.replace(/^0+(?=\d)/, "")
  if (n === "") return false
  // The leading group of three digits is what is spoken first ("18,500" → "eighteen thousand").
  const lead = n.slice(0, ((n.length - 1) % 3) + 1)
  if (lead.length === 1) return lead === "8"
  if (lead.length === 2) return lead === "11" || lead === "18" || lead.startsWith("8")
  return lead.startsWith("8")
}

/** A word from our lists that is spoken with a vowel first ("an apple", "an orange"). */
export const wordTakesAn = (word: string): boolean => {
  const w = word.toLowerCase()
  if (/^(?:hour|honest|heir)/.test(w)) return true
  if (/^(?:uni|use|usu|uti|eu|one|once)/.test(w)) return false
  return /^[aeiou]/.test(w)
}

const withCase = (like: string, word: string): string => (/^[A-Z]/.test(like) ? word[0]!.toUpperCase() + word.slice(1) : word)

/** "a"/"an" before a number (optionally `$`) made to agree with how the number is spoken. */
export const fixNumberArticles = (text: string): string =>
  text.replace(/(?<![\p{L}\d])([Aa]n?)(\s+)(\$?)(\d[\d,]*(?:\.\d+)?)/gu, (all, article: string, space: string, dollar: string, digits: string, at: number) => {
    // A capital "A" inside a sentence is a label ("Plan A 8 ..."), not an article.
    if (article[0] === "A" && !/(?:^|[.!?:\n]["')]?\s*)$/.test(text.slice(Math.max(0, at - 3), at))) return all
    // Money is spoken with the number first ("an $8 fee" is "an eight-dollar fee").
    const want = numberTakesAn(digits) ? "an" : "a"
    return article.toLowerCase() === want ? all : `${withCase(article, want)}${space}${dollar}${digits}`
  })

/** Plural → singular for the counted nouns a variant's numbers precede. */
const IRREGULAR: Readonly<Record<string, string>> = {
  people: "person",
  children: "child",
  feet: "foot",
  men: "man",
  women: "woman",
  teeth: "tooth",
  mice: "mouse",
  geese: "goose",
  loaves: "loaf",
  shelves: "shelf",
  knives: "knife",
  leaves: "leaf",
  halves: "half",
  wolves: "wolf",
  scarves: "scarf",
  series: "series",
  sheep: "sheep",
  fish: "fish",
  deer: "deer"
}

/** Plurals that are counted nouns when a number precedes them; "times", "percent" and the like are not. */
const COUNTED = new Set([
  "seconds", "minutes", "hours", "days", "weeks", "months", "years", "nights", "mornings", "evenings", "afternoons",
  "dollars", "cents", "miles", "kilometers", "meters", "centimeters", "millimeters", "inches", "yards", "pounds",
  "kilograms", "grams", "ounces", "liters", "milliliters", "gallons", "cups", "tons", "laps", "trips", "pages",
  "books", "boxes", "bags", "cans", "jars", "bottles", "cartons", "crates", "baskets", "trays", "batches", "packs",
  "packets", "rolls", "sheets", "tickets", "coupons", "friends", "students", "workers", "guests", "members",
  "adults", "kids", "teams", "groups", "tables", "chairs", "rooms", "floors", "rows", "seats", "shelves", "cars",
  "buses", "trucks", "bikes", "coats", "slices", "pieces", "items", "shirts", "dresses", "classes", "lessons",
  "payments", "installments", "coins", "bills", "cookies", "muffins", "cupcakes", "brownies", "apples", "oranges",
  "pears", "peaches", "plums", "mangoes", "pencils", "pens", "markers", "crayons", "erasers", "marbles", "stickers",
  "stamps", "tulips", "daffodils", "sandwiches", "pizzas", "pies", "eggs", "hens", "plants", "trees", "jars",
  "episodes", "games", "matches", "songs", "questions", "problems", "loads", "visits", "rides", "shifts", "sessions",
  "desks", "beds", "cards", "candles", "bowls", "plates", "glasses", "notebooks", "toys", "balls", "dolls", "pets",
  "dogs", "cats", "birds", "chickens", "cows", "goats", "horses", "plots", "bags", "jackets", "hats", "socks", "shoes",
  "pairs", "tickets", "passengers", "players", "runners", "visitors", "customers", "children", "girls", "boys",
  "teachers", "classrooms", "houses", "windows", "doors", "walls", "bricks", "tiles", "boards", "planks", "nails",
  "screws", "buckets", "pots", "pans", "bars", "lamps", "bulbs", "flowers", "roses", "seeds", "bouquets", "boxes",
  "parcels", "packages", "letters", "stamps", "postcards", "seashells", "crayons", "highlighters", "bagels", "scones",
  "donuts", "croissants", "tarts", "quiches", "nectarines", "apricots", "carrots", "potatoes", "tomatoes", "cucumbers",
  "onions", "zucchinis", "sweaters", "hoodies", "blouses", "daffodils", "hyacinths", "crocuses", "stops", "stations",
  "servings", "portions", "scoops", "sacks", "stalls", "weekends", "quarters", "semesters", "terms", "units", "spots"
])

/** The singular of a counted plural, or undefined when the word is not one this module knows. */
export const singularOf = (plural: string): string | undefined => {
  const w = plural.toLowerCase()
  const irregular = IRREGULAR[w]
  if (irregular !== undefined) return withCase(plural, irregular)
  if (!COUNTED.has(w)) return undefined
  let s: string
  if (/(?:ches|shes|xes|sses|zzes)$/.test(w)) s = w.slice(0, -2)
  else if (/[^aeiou]ies$/.test(w)) s = `${w.slice(0, -3)}y`
  else if (/oes$/.test(w) && w !== "shoes") s = w.slice(0, -2)
  else s = w.slice(0, -1)
  return withCase(plural, s)
}

/**
 * "1 hours" → "1 hour": a plain count of exactly 1 before a counted plural. Money ("$1 bills" is a kind
 * of bill), decimals and fractions ("1.5 hours", "3/1") are left alone.
 */
export const fixSingularAfterOne = (text: string): string =>
  text.replace(/(?<![\d.,/$]|\d\s)\b1(\s+)([A-Za-z]+)\b(?![-'])(?:(\s+)(are|were|have)\b)?/g, (all, space: string, word: string, gap?: string, verb?: string) => {
    const s = singularOf(word)
    if (s === undefined || s.toLowerCase() === word.toLowerCase()) return all
    // "1 desks are empty" → "1 desk is empty": the verb of the count agrees too.
    const agreed = verb === undefined ? "" : `${gap}${{ are: "is", were: "was", have: "has" }[verb]}`
    return `1${space}${s}${agreed}`
  })

/**
 * Money with one decimal gets its cents ("$3.1" → "$3.10", "$<<…>>1,118.6" → "$<<…>>1,118.60"): a step's
 * new result can have one decimal where the seed's was whole.
 */
export const fixMoneyCents = (text: string): string => text.replace(/(\$\s?(?:<<[^<>]*>>)?\d[\d,]*\.\d)(?!\d|\.\d)/g, (money: string) => `${money}0`)

/** Both fixes, for a question or a solution after its numbers changed. */
export const fixNumberGrammar = (text: string): string => fixMoneyCents(fixSingularAfterOne(fixNumberArticles(text)))
