/**
 * Objects and units a variant may swap for others of their kind (our lists). A group holds nouns that
 * fit the same stories: anything said of muffins (baked in trays, sold in boxes of 6) is as true of
 * cookies. Groups whose members differ in what a story can say of them (eggs come in dozens, beads go on
 * bracelets) are left out on purpose: a wrong swap is worse than none. So are words with a second
 * meaning a story may use ("orange" is also a colour, a "pen" also holds goats): such words are not members.
 * A group whose members fit a story only in some senses or containers (canned tomatoes but no canned
 * cucumbers; a "pencil case" is not an "eraser case") names the words that keep it unswapped.
 */

export interface Noun {
  readonly singular: string
  readonly plural: string
}

export interface NounGroup {
  readonly name: string
  readonly members: ReadonlyArray<Noun>
  /** Words in the text that leave this group as it is: a container or a compound only some members fit. */
  readonly notWith?: RegExp
}

/** Kept, tinned, jarred or dried: not every fruit or vegetable comes that way. */
const PRESERVED = /\b(?:cans?|tins?|jars?|canned|tinned|jarred|pickled|dried|frozen|bottled)\b/i

const n = (singular: string, plural = `${singular}s`): Noun => ({ singular, plural })

export const NOUN_GROUPS: ReadonlyArray<NounGroup> = [
  { name: "baked goods", members: [n("muffin"), n("cupcake"), n("cookie"), n("brownie"), n("croissant"), n("bagel"), n("scone"), n("donut")] },
  { name: "fruit", members: [n("apple"), n("pear"), n("peach", "peaches"), n("plum"), n("mango", "mangoes"), n("nectarine"), n("apricot")], notWith: PRESERVED },
  {
    name: "stationery",
    members: [n("pencil"), n("marker"), n("crayon"), n("eraser"), n("highlighter")],
    notWith: /\b(?:pencil|marker|crayon|eraser|highlighter)s? (?:case|sharpener|holder|pot|tin|box)e?s?\b/i
  },
  { name: "collectibles", members: [n("marble"), n("sticker"), n("stamp"), n("seashell"), n("postcard")], notWith: /\bsticker price|\bstamp duty|\bmarble (?:floor|counter|statue|top|slab)/i },
  { name: "bulb flowers", members: [n("tulip"), n("daffodil"), n("hyacinth"), n("crocus", "crocuses")] },
  { name: "vegetables", members: [n("carrot"), n("potato", "potatoes"), n("tomato", "tomatoes"), n("cucumber"), n("onion"), n("zucchini", "zucchinis")], notWith: PRESERVED },
  { name: "savoury bakes", members: [n("pizza"), n("pie"), n("quiche", "quiches"), n("tart")], notWith: /\bpie charts?\b/i },
  { name: "clothes", members: [n("shirt"), n("sweater"), n("hoodie"), n("blouse")] }
]

/**
 * Units that may be swapped for one another when nothing converts between them: a speed in miles per
 * hour is as good in kilometers per hour, but not when the solution divides by 1,000 or 5,280.
 * `others` are words of the same dimension whose presence forbids the swap (a text in kilometers and
 * meters relates the two).
 */
export interface UnitGroup {
  readonly name: string
  readonly members: ReadonlyArray<Noun>
  readonly others: RegExp
}

export const UNIT_GROUPS: ReadonlyArray<UnitGroup> = [
  {
    name: "long distance",
    members: [n("mile"), n("kilometer")],
    others: /\b(?:km|mi|mph|kph|km\/h|meters?|metres?|kilometres?|centimeters?|millimeters?|feet|foot|yards?|inch(?:es)?|cm|mm|ft|yd)\b/i
  },
  {
    name: "weight",
    members: [n("pound"), n("kilogram")],
    others: /\b(?:kg|lbs?|grams?|ounces?|oz|tons?|tonnes?|milligrams?|£|pence|stones?)\b|£/i
  },
  {
    name: "volume",
    members: [n("liter"), n("gallon")],
    others: /\b(?:l|ml|milliliters?|millilitres?|litres?|quarts?|pints?|cups?|ounces?|oz|cubic)\b/i
  }
]

/** Words of the metric and the imperial system: a variant's text uses one system, unless its seed used both. */
export const METRIC = /\b(?:kilomet(?:er|re)s?|met(?:er|re)s?|centimet(?:er|re)s?|millimet(?:er|re)s?|km|cm|mm|kph|kilograms?|grams?|milligrams?|kg|lit(?:er|re)s?|millilit(?:er|re)s?|ml|tonnes?)\b/i
export const IMPERIAL = /\b(?:miles?|mph|feet|foot|ft|inch(?:es)?|yards?|yd|pounds?|lbs?|ounces?|oz|gallons?|quarts?|pints?)\b/i

/**
 * Numbers a solution may use without tying a unit to another: percent, clock and calendar. Any other
 * constant in the solution (1,000 m in a km, 5,280 ft in a mile, 2.2 lb in a kg) forbids unit swaps.
 */
export const UNIT_FREE_CONSTANTS: ReadonlyArray<string> = ["2", "7", "12", "24", "52", "60", "100", "365", "3600"]
