/**
 * Candidate errors that only LEMMA injects (RISE's kinds are in candidates.ts): a calculation slip in a
 * stated result, a skipped step, a wrong unit conversion factor, a miscount, and a question number worked in
 * where it does not belong. Same contract as candidates.ts: every concrete edit the step allows. Each plan
 * also says which variant of its type it is (`how`) and the numbers an explanation names (`facts`), so the
 * trace can explain the error in several wordings (lemma-explain.ts).
 *
 * Labels are kept honest: `unit_conversion` is only offered for a factor between two units that the
 * question or solution names (60 for minutes and hours, 1,000 for grams and kilograms ...); the 100 of a
 * percentage is not a unit conversion, and slipping it (/100 → /1000) is a tenfold error that the
 * absurdity check rejects anyway, so no generator offers it.
 */
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import { literals, operators, parentOf } from "../arithmetic.ts"
import { digitSlips, numberTokens } from "./format.ts"
import { deleteSpan } from "./expr-edit.ts"
import type { ArithOp } from "./expr-edit.ts"
import { sitesOf } from "./model.ts"
import type { AnnotationSite, SolutionModel } from "./model.ts"
import type { Plan } from "./propagate.ts"
import { earlierResults, FLIP, inList, plan, show, shown, VERB } from "./candidates.ts"

/** Numbers and phrases an explanation of one planned error names (all as the reader sees them). */
export type LemmaFacts = Readonly<Record<string, string>>

/** A planned LEMMA error: the edit, the variant of its type, and what an explanation names. */
export interface LemmaPlan extends Plan {
  readonly how: string
  readonly facts: LemmaFacts
}

const lemmaPlan = (p: Plan, how: string, facts: LemmaFacts): LemmaPlan => ({ ...p, how, facts })

/** The expression stays, its result is a one-digit slip; later steps go on from the wrong result. */
export const calculationSlip = (model: SolutionModel, step: number): LemmaPlan[] =>
  sitesOf(model, step).flatMap((site) =>
    digitSlips(site.resultText).map((v): LemmaPlan => {
      const to = show(v, site.resultText)
      return {
        step,
        ops: new Map(),
        forced: new Map([[site.index, v]]),
        detail: `${site.resultText} → ${to}`,
        explain: `${shown(site)} is ${site.resultText}, not ${to}.`,
        how: "slip",
        facts: {}
      }
    })
  )

/**
 * The step is skipped: it turned an earlier result P into V, and later steps use P where they needed V.
 * Only steps with one annotation whose expression uses an earlier result qualify.
 */
export const missingStep = (model: SolutionModel, step: number): LemmaPlan[] => {
  const sites = sitesOf(model, step)
  const site = sites[0]
  if (sites.length !== 1 || !site) return []
  const before = earlierResults(model, step)
  const used = [...literals(site.expr.ast)].reverse().find((l) => before.some((b) => R.equals(b.value, l.value)))
  if (!used || R.equals(used.value, site.stated)) return []
  const laterUse = model.sites.some((s) => s.step > step && literals(s.expr.ast).some((l) => R.equals(l.value, site.stated)))
  if (!laterUse) return []
  const p = show(used.value, used.text ?? "")
  const v = site.resultText
  return [
    {
      step,
      ops: new Map(),
      removeStep: { step, site: site.index, replacement: used.value },
      detail: `skip step ${step} (${shown(site)} = ${v})`,
      explain: `I never worked out ${shown(site)} = ${v}, so I kept using ${p} where I needed ${v}.`,
      how: "skip",
      facts: { skipped: shown(site), skippedResult: v, stale: p }
    }
  ]
}

/** A conversion between two named units: its factor, the factors a hurried solver confuses it with, the fact. */
interface UnitFactor {
  readonly factor: number
  readonly confusions: readonly number[]
  /** Both units must be named in the question or the solution for the factor to be this conversion. */
  readonly units: readonly [RegExp, RegExp]
  readonly fact: string
}

const UNIT_FACTORS: readonly UnitFactor[] = [
  { factor: 60, confusions: [100], units: [/\bminutes?\b/i, /\bhours?\b/i], fact: "an hour has 60 minutes" },
  { factor: 60, confusions: [100], units: [/\bseconds?\b/i, /\bminutes?\b/i], fact: "a minute has 60 seconds" },
  { factor: 3600, confusions: [60, 100], units: [/\bseconds?\b/i, /\bhours?\b/i], fact: "an hour has 3,600 seconds" },
  { factor: 24, confusions: [12], units: [/\bhours?\b/i, /\bdays?\b/i], fact: "a day has 24 hours" },
  { factor: 7, confusions: [5], units: [/\bdays?\b/i, /\bweeks?\b/i], fact: "a week has 7 days" },
  { factor: 12, confusions: [10], units: [/\bmonths?\b/i, /\byears?\b/i], fact: "a year has 12 months" },
  { factor: 52, confusions: [48], units: [/\bweeks?\b/i, /\byears?\b/i], fact: "a year has 52 weeks" },
  { factor: 365, confusions: [360], units: [/\bdays?\b/i, /\byears?\b/i], fact: "a year has 365 days" },
  { factor: 12, confusions: [10], units: [/\binch(?:es)?\b/i, /\b(?:foot|feet)\b/i], fact: "a foot has 12 inches" },
  { factor: 3, confusions: [12], units: [/\b(?:foot|feet)\b/i, /\byards?\b/i], fact: "a yard has 3 feet" },
  { factor: 16, confusions: [12], units: [/\bounces?\b/i, /\bpounds?\b/i], fact: "a pound has 16 ounces" },
  { factor: 4, confusions: [8], units: [/\bquarts?\b/i, /\bgallons?\b/i], fact: "a gallon has 4 quarts" },
  { factor: 1000, confusions: [100], units: [/\bgrams?\b/i, /\bkilograms?\b/i], fact: "a kilogram is 1,000 grams" },
  { factor: 1000, confusions: [100], units: [/\bmeters?\b/i, /\bkilometers?\b/i], fact: "a kilometer is 1,000 meters" },
  { factor: 1000, confusions: [100], units: [/\bmilliliters?\b/i, /\bliters?\b/i], fact: "a liter is 1,000 milliliters" },
  { factor: 100, confusions: [10, 1000], units: [/\bcents?\b/i, /\bdollars?\b|\$/i], fact: "a dollar is 100 cents" },
  { factor: 100, confusions: [10, 1000], units: [/\bcentimeters?\b/i, /\bmeters?\b/i], fact: "a meter is 100 centimeters" }
]

/** The question states `entry` as a fact of the units: "12 inches in a foot", "1,000 grams in 1 kilogram". */
const statesConversion = (question: string, entry: UnitFactor): boolean =>
  [...question.matchAll(/(\d{1,3}(?:,\d{3})+|\d+)\s+([a-z]+)\s+in\s+(?:a|an|one|1|each)\s+([a-z]+)/gi)].some(
    (m) => Number((m[1] ?? "").replace(/,/g, "")) === entry.factor && entry.units.some((re) => re.test(m[2] ?? "")) && entry.units.some((re) => re.test(m[3] ?? ""))
  )

/**
 * A step that multiplies or divides by a unit factor uses a confused factor or converts the wrong way. The
 * factor must be a constant the solution brings in (not a number of the question or an earlier result) and
 * both units of the conversion must be named in the question or the solution.
 */
export const unitConversion = (model: SolutionModel, step: number): LemmaPlan[] => {
  const text = `${model.question}\n${model.text}`
  return sitesOf(model, step).flatMap((site) =>
    literals(site.expr.ast).flatMap((lit, i) => {
      if (earlierResults(model, step).some((e) => R.equals(e.value, lit.value))) return []
      const parent = parentOf(site.expr.ast, lit.path)
      if (!parent || (parent.node.op !== "*" && parent.node.op !== "/")) return []
      const entry = UNIT_FACTORS.find((u) => R.equals(lit.value, R.fromBigInt(BigInt(u.factor))) && u.units.every((re) => re.test(text)))
      if (!entry) return []
      // A number of the question is a quantity ("24 muffins on each tray"), unless the question states it as
      // the conversion itself ("there are 12 inches in a foot").
      if (inList(model.questionValues, lit.value) && !statesConversion(model.question, entry)) return []
      const t = lit.text ?? String(entry.factor)
      const wrongFactor = entry.confusions.map((w) =>
        lemmaPlan(
          plan(step, site.index, [{ kind: "literal", index: i, value: R.fromBigInt(BigInt(w)) }], `factor ${t} → ${w}`, `I converted with ${w} where the conversion factor is ${t}.`),
          "factor",
          { factor: t, wrongFactor: String(w), fact: entry.fact }
        )
      )
      if (parent.side !== "right") return wrongFactor
      const j = operators(site.expr.ast).findIndex((o) => o.node === parent.node)
      const op = parent.node.op
      const flipped = FLIP[op]
      return [
        ...wrongFactor,
        lemmaPlan(
          plan(step, site.index, [{ kind: "operator", index: j, op: flipped }], `${op} ${t} → ${flipped} ${t}`, `I converted the wrong way: I ${VERB[flipped]} by ${t} where I should have ${VERB[op]} by ${t}.`),
          "direction",
          { factor: t, fact: entry.fact, did: VERB[flipped], should: VERB[op] }
        )
      ]
    })
  )
}

/** Words for a group that goes with the person named before it: "Ethan and his 3 friends" are 4 people. */
const GROUP = /\b(?:and|with) (?:his|her|their) (\d+) (friends|siblings|brothers|sisters|cousins|children|kids|classmates|teammates|coworkers|colleagues|neighbors|guests)\b/gi

/** "and his 3 friends": the group's size as written, and the total with the person it belongs to. */
export const groupsOf = (question: string): Array<{ n: Rational; text: string; noun: string }> =>
  [...question.matchAll(GROUP)].map((m) => ({ n: R.fromBigInt(BigInt(m[1] ?? "0")), text: m[1] ?? "", noun: m[2] ?? "" }))

/**
 * The number of items a step tallies when its expression adds up three or more numbers of the question and
 * nothing else ("6 + 4 + 7" hours on three days), else 0.
 */
const tallySize = (model: SolutionModel, site: AnnotationSite): number => {
  const lits = literals(site.expr.ast)
  const ops = operators(site.expr.ast)
  const isTally = lits.length >= 3 && ops.every((o) => o.node.op === "+") && lits.every((l) => inList(model.questionDigitValues, l.value))
  return isTally ? lits.length : 0
}

/**
 * A miscount: a step's "+ 1" or "− 1" goes the other way or is forgotten in a longer chain; a group
 * "X and her 3 friends" is counted as 3 where the step uses the 4 people; or one item of a tally of the
 * question's items ("6 + 4 + 7" hours on three days) is left out.
 */
export const countingSlip = (model: SolutionModel, step: number): LemmaPlan[] => {
  const groups = groupsOf(model.question)
  return sitesOf(model, step).flatMap((site) => {
    const tally = tallySize(model, site)
    return literals(site.expr.ast).flatMap((lit, i): LemmaPlan[] => {
      const out: LemmaPlan[] = []
      const t = lit.text ?? R.toString(lit.value)
      for (const g of groups) {
        if (!R.equals(lit.value, R.add(g.n, R.ONE)) || inList(model.questionDigitValues, lit.value)) continue
        out.push(
          lemmaPlan(
            plan(step, site.index, [{ kind: "literal", index: i, value: g.n }], `${t} → ${g.text} (group without its owner)`, `I counted only the ${g.text} ${g.noun} and left out the person they are with, so I used ${g.text} instead of ${t}.`),
            "group",
            { group: g.text, noun: g.noun, total: t }
          )
        )
      }
      const parent = parentOf(site.expr.ast, lit.path)
      if (tally && deleteSpan(site.expr.ast, i)) {
        out.push(
          lemmaPlan(
            plan(step, site.index, [{ kind: "delete", index: i }], `tally without ${t}`, `I left the ${t} out when adding up the items, so the total is short.`),
            "tally",
            { missed: t, items: String(tally) }
          )
        )
      }
      if (!R.equals(lit.value, R.ONE) || !parent || parent.side !== "right" || (parent.node.op !== "+" && parent.node.op !== "-")) return out
      const op = parent.node.op
      const j = operators(site.expr.ast).findIndex((o) => o.node === parent.node)
      out.push(
        lemmaPlan(
          plan(step, site.index, [{ kind: "operator", index: j, op: FLIP[op] }], `${op} 1 → ${FLIP[op]} 1`, `I ${VERB[FLIP[op]]} 1 where I should have ${VERB[op]} 1, so the count is off.`),
          "flip",
          { did: VERB[FLIP[op]], should: VERB[op] }
        )
      )
      if (operators(site.expr.ast).length >= 2 && deleteSpan(site.expr.ast, i)) {
        out.push(
          lemmaPlan(
            plan(step, site.index, [{ kind: "delete", index: i }], `drop ${op} 1`, `I forgot to ${op === "+" ? "add" : "subtract"} the 1, so the count is off by one.`),
            "drop",
            { forgot: op === "+" ? "add" : "subtract" }
          )
        )
      }
      return out
    })
  })
}

/** Question numbers that no step uses: the distractors an irrelevant-information error works in. */
export const unusedQuestionNumbers = (model: SolutionModel): Rational[] => {
  const used: Rational[] = []
  for (const s of model.sites) for (const l of literals(s.expr.ast)) used.push(l.value)
  for (const st of model.parsed.steps) for (const t of numberTokens(st.text)) used.push(t.value)
  // Parts of a written fraction ("1/3 of them") are used through it even when no literal shows them; a group
  // size ("her 3 friends") is used through the group's total.
  const fractionParts = [...model.question.matchAll(/(\d+)\s*\/\s*(\d+)/g)].flatMap((m) => [m[1] ?? "", m[2] ?? ""])
  const groupSizes = groupsOf(model.question).map((g) => g.n)
  return model.questionDigitValues.filter(
    (q) => !inList(used, q) && R.compare(q, R.ONE) > 0 && !fractionParts.includes(R.toString(q)) && !inList(groupSizes, q)
  )
}

/**
 * A number the question states but no step uses is worked into a step: added to a sum, taken off a
 * difference, or multiplied into a product (the operation of the expression's top level).
 */
export const irrelevantInformation = (model: SolutionModel, step: number): LemmaPlan[] => {
  const unused = unusedQuestionNumbers(model)
  if (unused.length === 0) return []
  return sitesOf(model, step).flatMap((site: AnnotationSite) => {
    const top = site.expr.ast.kind === "bin" ? site.expr.ast.op : "+"
    if (top !== "+" && top !== "-" && top !== "*") return []
    const op: ArithOp = top
    return unused.map((u) => {
      const t = show(u)
      return lemmaPlan(
        plan(step, site.index, [{ kind: "append", op, value: u }], `${op} ${t}`, `I worked ${t} from the question into this step, but that number has nothing to do with it.`),
        op === "*" ? "multiply" : op === "-" ? "subtract" : "add",
        { extra: t }
      )
    })
  })
}
