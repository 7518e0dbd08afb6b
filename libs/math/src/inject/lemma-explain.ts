/**
 * How a LEMMA correction names its error: several wordings per error type, each naming what went wrong with
 * the step's own numbers, drawn with the record's Rng. A template returns undefined when the facts it needs
 * are missing (a variant of the type it does not describe), and only the templates that apply are drawn from.
 *
 * Facts every explanation has: `right` (the step as it should be, e.g. "42 + 35"), `rightResult`, `wrong`,
 * `wrongResult` (the step as the attempt wrote it). Type-specific facts come from the planned edit: `from` /
 * `to` (a number used in place of another) with `fromOrigin` / `toOrigin`, `opFrom` / `opTo`, and what the
 * generators in lemma-candidates.ts record (`fact`, `factor`, `extra`, `skipped` ...).
 */
import type { Rng } from "#core"
import type { LemmaErrorType } from "./lemma.ts"

export type ExplainFacts = Readonly<Record<string, string | undefined>>

type Template = (f: ExplainFacts) => string | undefined

const INFINITIVE: Readonly<Record<string, string>> = { "+": "add", "-": "subtract", "*": "multiply", "/": "divide" }
const PAST: Record<string, string> = { "+": "added", "-": "subtracted", "*": "multiplied", "/": "divided" }

/** A template that needs `keys`: undefined unless every one is present. */
const needs =
  <K extends string>(keys: readonly K[], render: (f: Record<K, string>) => string): Template =>
  (f) => {
    const got = {} as Record<K, string>
    for (const k of keys) {
      const v = f[k]
      if (v === undefined || v === "") return undefined
      got[k] = v
    }
    return render(got)
  }

/** Wordings per error type. Every type the injector realises has at least three for each of its variants. */
export const EXPLANATIONS: Readonly<Partial<Record<LemmaErrorType, readonly Template[]>>> = {
  calculation: [
    needs(["right", "rightResult", "wrongResult"], (f) => `${f.right} is ${f.rightResult}, not ${f.wrongResult}.`),
    needs(["right", "rightResult", "wrongResult"], (f) => `That is an arithmetic slip: ${f.right} comes to ${f.rightResult}, but I wrote ${f.wrongResult}.`),
    needs(["right", "rightResult", "wrongResult"], (f) => `Working out ${f.right} again gives ${f.rightResult}; the ${f.wrongResult} I wrote down is a miscalculation.`),
    needs(["right", "rightResult", "wrongResult"], (f) => `I got the arithmetic wrong: ${f.wrongResult} cannot be ${f.right}, which is ${f.rightResult}.`)
  ],
  operator: [
    needs(["opFrom", "opTo", "right", "wrong"], (f) => `I used the wrong operation: I ${PAST[f.opTo] ?? f.opTo} where I should have ${PAST[f.opFrom] ?? f.opFrom}, so it is ${f.right}, not ${f.wrong}.`),
    needs(["opFrom", "right", "rightResult", "wrong"], (f) => `The quantities in this step have to be ${PAST[f.opFrom] ?? f.opFrom}: the step is ${f.right} = ${f.rightResult}, and ${f.wrong} answers a different question.`),
    needs(["opFrom", "opTo", "right", "rightResult"], (f) => `Wrong operation. Here I need to ${INFINITIVE[f.opFrom] ?? f.opFrom}, not ${INFINITIVE[f.opTo] ?? f.opTo}: ${f.right} = ${f.rightResult}.`),
    needs(["opFrom", "opTo", "wrong", "right"], (f) => `I wrote ${f.wrong}, but the problem calls for ${f.right}; I chose to ${INFINITIVE[f.opTo] ?? f.opTo} instead of ${INFINITIVE[f.opFrom] ?? f.opFrom}.`)
  ],
  referencing_context_value: [
    needs(["from", "to", "right"], (f) => `I took the wrong number from the question: this step needs ${f.from}, not ${f.to}, so it is ${f.right}.`),
    needs(["from", "to", "right", "rightResult"], (f) => `The question gives ${f.from} for this, and I used its ${f.to} instead. The step should be ${f.right} = ${f.rightResult}.`),
    needs(["from", "to"], (f) => `I mixed up the numbers of the question: ${f.to} belongs to something else, and the number this step needs is ${f.from}.`),
    needs(["from", "to", "wrong", "right"], (f) => `${f.wrong} uses ${f.to} where the question says ${f.from}; it should read ${f.right}.`)
  ],
  referencing_previous_step_value: [
    needs(["from", "fromOrigin", "to", "toOrigin"], (f) => `I used the wrong earlier result: ${f.to} (${f.toOrigin}) instead of ${f.from} (${f.fromOrigin}).`),
    needs(["from", "fromOrigin", "to", "right"], (f) => `This step has to build on ${f.from}, ${f.fromOrigin}, but I carried over ${f.to}. It should be ${f.right}.`),
    needs(["from", "to", "toOrigin", "right", "rightResult"], (f) => `I picked up ${f.to}, which is ${f.toOrigin}, where I needed ${f.from}: ${f.right} = ${f.rightResult}.`),
    needs(["from", "fromOrigin", "to"], (f) => `${f.to} is not the number to use here; the step needs ${f.from}, which is ${f.fromOrigin}.`)
  ],
  unit_conversion: [
    needs(["fact", "factor", "wrongFactor"], (f) => `That is a unit conversion mistake: ${f.fact}, so the factor is ${f.factor}, not ${f.wrongFactor}.`),
    needs(["fact", "wrongFactor", "right", "rightResult"], (f) => `I converted with ${f.wrongFactor}, but ${f.fact}. The step is ${f.right} = ${f.rightResult}.`),
    needs(["fact", "factor", "wrongFactor"], (f) => `The conversion factor is wrong: I used ${f.wrongFactor} where it should be ${f.factor}, because ${f.fact}.`),
    needs(["fact", "factor", "did", "should"], (f) => `I converted the wrong way: ${f.fact}, so I should have ${f.should} by ${f.factor}, not ${f.did} by it.`),
    needs(["fact", "did", "right", "rightResult", "wrong"], (f) => `Since ${f.fact}, the conversion is ${f.right} = ${f.rightResult}; ${f.wrong} goes in the wrong direction.`),
    needs(["factor", "did", "should", "right"], (f) => `Wrong direction for the units: I ${f.did} by ${f.factor} when I had to have ${f.should} by it, as in ${f.right}.`)
  ],
  missing_step: [
    needs(["skipped", "skippedResult", "stale"], (f) => `I left out a step: I never worked out ${f.skipped} = ${f.skippedResult}, so I kept using ${f.stale} where I needed ${f.skippedResult}.`),
    needs(["skipped", "skippedResult", "stale"], (f) => `I skipped a step. Before this I had to find ${f.skipped} = ${f.skippedResult}, and this step should use ${f.skippedResult}, not ${f.stale}.`),
    needs(["skipped", "skippedResult", "stale"], (f) => `${f.stale} is the value from before a step I forgot (${f.skipped} = ${f.skippedResult}); the work has to go on from ${f.skippedResult}.`),
    needs(["skipped", "skippedResult", "stale", "right"], (f) => `I jumped ahead with ${f.stale}. The step I missed is ${f.skipped} = ${f.skippedResult}, and then this one is ${f.right}.`)
  ],
  counting: [
    needs(["group", "noun", "total"], (f) => `I miscounted the group: the ${f.group} ${f.noun} plus the person they are with make ${f.total}, not ${f.group}.`),
    needs(["group", "noun", "total", "right"], (f) => `That count forgets one person: besides the ${f.group} ${f.noun} there is the one who brought them, so it is ${f.total} and the step is ${f.right}.`),
    needs(["group", "total"], (f) => `I counted ${f.group} people, but the group is ${f.group} plus one, which is ${f.total}.`),
    needs(["did", "should", "right"], (f) => `The count is off: I ${f.did} 1 where I should have ${f.should} 1, so it is ${f.right}.`),
    needs(["should", "right", "rightResult"], (f) => `I miscounted by one. The step needs to ${f.should === "added" ? "add" : "take away"} 1: ${f.right} = ${f.rightResult}.`),
    needs(["did", "should", "wrongResult", "rightResult"], (f) => `Counting mistake: having ${f.did} 1 instead of ${f.should} it, I got ${f.wrongResult} where the count is ${f.rightResult}.`),
    needs(["forgot", "right"], (f) => `I forgot to ${f.forgot} the 1, so the count is off by one; it should be ${f.right}.`),
    needs(["forgot", "right", "rightResult", "wrongResult"], (f) => `The count is one off: without the 1 I got ${f.wrongResult}, while ${f.right} = ${f.rightResult}.`),
    needs(["forgot", "right", "rightResult"], (f) => `I dropped the 1 I had to ${f.forgot}; counted properly, ${f.right} = ${f.rightResult}.`),
    needs(["missed", "items", "right", "rightResult"], (f) => `I miscounted the items: there are ${f.items} of them, ${f.right}, and I left out the ${f.missed}. The total is ${f.rightResult}.`),
    needs(["missed", "wrong", "right"], (f) => `Counting mistake: ${f.wrong} skips the ${f.missed}; all the items together are ${f.right}.`),
    needs(["missed", "wrongResult", "rightResult"], (f) => `I lost one item in the count. Without the ${f.missed} I got ${f.wrongResult}, but everything adds up to ${f.rightResult}.`)
  ],
  adding_irrelevant_information: [
    needs(["extra"], (f) => `I worked ${f.extra} from the question into this step, but that number has nothing to do with it.`),
    needs(["extra", "right", "rightResult"], (f) => `The ${f.extra} in the question is not part of this calculation; the step is just ${f.right} = ${f.rightResult}.`),
    needs(["extra", "right"], (f) => `${f.extra} is extra information that this step does not need. Without it the step reads ${f.right}.`),
    needs(["extra", "wrong", "right"], (f) => `I let an unrelated number in: ${f.wrong} brings in ${f.extra}, which the question mentions only in passing. It should be ${f.right}.`)
  ]
}

/** The applicable wordings of an error type for these facts (empty when none applies). */
export const explanationsFor = (type: LemmaErrorType, facts: ExplainFacts): string[] =>
  (EXPLANATIONS[type] ?? []).flatMap((t) => {
    const s = t(facts)
    return s === undefined ? [] : [s]
  })

/** One wording drawn with the Rng, or `fallback` when no template applies. */
export const explainError = (type: LemmaErrorType, facts: ExplainFacts, rng: Rng, fallback: string): string => {
  const options = explanationsFor(type, facts)
  return options.length > 0 ? rng.pick(options) : fallback
}
