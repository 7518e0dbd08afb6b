/**
 * Another valid order of a solution's steps, for LEMMA's Fresh & Restart: a restart that works the problem
 * in a different order instead of copying the attempt's correct lines back in the same order.
 *
 * Two steps can trade places when neither uses the other's result. A step uses an earlier step's result
 * when a number it writes (in its calculation or its prose) equals a result that step stated. Some steps
 * only make sense right after their neighbour and move with it as one block:
 *   - a step that opens by pointing back ("So", "That", "Then", "After that", "Together" ...) stays right after
 *     the step before it;
 *   - a step without a calculation ("The wall is 360 cm tall.", "Since $51 is over $50, ...") stays right
 *     before the step after it, which it sets up.
 * The last step, which the final answer reads, stays last. Every order returned verifies with verifySolution.
 */
import type { Rng } from "#core"
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import { literals, parseExpression } from "../arithmetic.ts"
import { parseSolution } from "../parse.ts"
import type { ParsedStep } from "../parse.ts"
import { verifySolution } from "../verify.ts"
import { numberTokens, readNumber } from "./format.ts"

const POINTS_BACK =
  /^(?:so|that|this|these|those|then|thus|therefore|hence|after|afterwards|now|together|altogether|in total|in all|overall|finally|also|the rest|it|its|which|again|combined|plus|including|adding|subtracting|next|lastly|with that|with this)\b/i

const has = (list: readonly Rational[], v: Rational): boolean => list.some((x) => R.equals(x, v))

/** Results a step states: its annotations' results, or for a step without one, the numbers it writes. */
const resultsOf = (step: ParsedStep): Rational[] =>
  step.annotations.length > 0
    ? step.annotations.flatMap((a) => {
        const v = a.result === undefined ? undefined : readNumber(a.result)
        return v === undefined ? [] : [v]
      })
    : numberTokens(step.text).map((t) => t.value)

/** Numbers a step reads: its annotations' operands and the prose numbers that are not its own results. */
const usesOf = (step: ParsedStep): Rational[] => {
  const own = step.annotations.length > 0 ? resultsOf(step) : []
  const operands = step.annotations.flatMap((a) => {
    const p = parseExpression(a.expr)
    return p.ok ? literals(p.ast).map((l) => l.value) : []
  })
  // Annotation bodies are operands and results already; the rest of the text is prose.
  let prose = step.text
  for (const a of [...step.annotations].reverse()) {
    const s = a.span.start - step.span.start
    const e = a.span.end - step.span.start
    prose = prose.slice(0, s) + " ".repeat(e - s) + prose.slice(e)
  }
  return [...operands, ...numberTokens(prose).map((t) => t.value).filter((v) => !has(own, v))]
}

/** Blocks of step indices (0-based) that move together, in the solution's order. */
const blocksOf = (steps: readonly ParsedStep[]): number[][] => {
  const blocks: number[][] = []
  let glueNext = false
  steps.forEach((s, i) => {
    const last = blocks[blocks.length - 1]
    if (last && (glueNext || POINTS_BACK.test(s.text.trim()))) last.push(i)
    else blocks.push([i])
    glueNext = s.annotations.length === 0
  })
  return blocks
}

/**
 * Up to `limit` orders of the steps (0-based indices), other than the original, in which every step comes
 * after the steps whose results it uses; the last block stays last.
 */
export const stepOrders = (steps: readonly ParsedStep[], limit = 24): number[][] => {
  const blocks = blocksOf(steps)
  if (blocks.length < 3) return []
  const results = steps.map(resultsOf)
  const uses = steps.map(usesOf)
  // Block b depends on block a (a before b in the original) when a step of b uses a result of a step of a.
  const deps = blocks.map((b, bi) =>
    blocks.flatMap((a, ai) => (ai < bi && b.some((j) => a.some((i) => uses[j]!.some((v) => has(results[i]!, v)))) ? [ai] : []))
  )
  const free = blocks.length - 1
  const out: number[][] = []
  const order: number[] = []
  const placed = new Set<number>()
  const walk = (): void => {
    if (out.length > limit) return
    if (order.length === free) {
      if (order.some((b, i) => b !== i)) out.push([...order, free].flatMap((b) => blocks[b]!))
      return
    }
    for (let b = 0; b < free; b++) {
      if (placed.has(b) || !deps[b]!.every((d) => placed.has(d))) continue
      placed.add(b)
      order.push(b)
      walk()
      order.pop()
      placed.delete(b)
    }
  }
  // The last block must come after all it uses, which holds in any order of the blocks before it.
  walk()
  return out.slice(0, limit)
}

/** The solution with its steps in `order`, ending with its own final-answer line. */
export const withOrder = (solution: string, order: readonly number[]): string => {
  const parsed = parseSolution(solution)
  const lines = parsed.text.split("\n")
  const finalLine = lines.filter((l) => /^\s*####/.test(l)).at(-1) ?? ""
  return [...order.map((i) => parsed.steps[i]!.text), finalLine].join("\n")
}

/**
 * One differently ordered solution that verifies, ends on `expected` and passes `keep`, drawn with the Rng
 * (orders are tried in random order and verified one at a time); undefined when there is none.
 */
export const reorderedSolution = (solution: string, expected: string, rng: Rng, keep: (text: string) => boolean = () => true): string | undefined => {
  const parsed = parseSolution(solution)
  if (parsed.layout !== "lines") return undefined
  for (const order of rng.shuffle(stepOrders(parsed.steps))) {
    const text = withOrder(solution, order)
    if (keep(text) && verifySolution(text, { expected }).correct) return text
  }
  return undefined
}
