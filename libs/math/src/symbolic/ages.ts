/**
 * Ages of family members, whether the question states them ("the mother is 35 years old") or a step
 * computes them ("The daughter is 7 + 6 = 13 years old"). A parent stays a generation older than a child
 * however each age is reached: a redraw of the gaps between siblings can otherwise leave a mother 9 years
 * older than her daughter even when every stated gap is in its band.
 */

/** Generation of a family word: a grandparent is one above a parent, a grandchild one below a child. */
const GENERATIONS: ReadonlyArray<readonly [RegExp, number]> = [
  [/^(?:grandmother|grandfather|grandma|grandpa|granny|grandparent|nana)$/i, 2],
  [/^(?:mother|father|mom|mum|dad|parent)$/i, 1],
  [/^(?:son|daughter|child|kid|baby)$/i, 0],
  [/^(?:grandson|granddaughter|grandchild)$/i, -1]
]

/**
 * The generation of whoever's age follows in `before` (the text of the age's clause up to its number):
 * "the mother is", "Their son is 35 - 28 =", "her daughter's age is". Undefined when no family word is
 * the subject, or when it is another's relative ("the mother of the bride").
 */
export const generationBefore = (before: string): number | undefined => {
  const clause = before.split(/[,;.]|\band\b|\bwhile\b|\bbut\b/).at(-1) ?? before
  const m = /\b([\p{L}]+)(?:'s\s+age)?\s+(?:is|was|turns|turned)\b/u.exec(clause)
  if (!m) return undefined
  return GENERATIONS.find(([re]) => re.test(m[1]!))?.[1]
}

/** Least years between generations apart by `n` (a parent and a child: 18). */
export const GENERATION_GAP = 18
