/**
 * The shape of a GSM-Symbolic template (Apple 2024, "GSM-Symbolic: Understanding the Limitations of
 * Mathematical Reasoning in LLMs"): a seed problem whose numbers became variables with domains and
 * conditions, and whose solution steps became expressions of those variables.
 */
import type { Rational } from "../rational.ts"
import type { Expr, Span } from "../arithmetic.ts"
import type { NumberStyle, NumberContext } from "./numbers.ts"

/** One place a variable is written in the question. */
export interface SymbolicOccurrence {
  readonly span: Span
  readonly context: NumberContext
  readonly style: NumberStyle
}

export interface SymbolicDomain {
  /** Values are multiples of `step` in [min, max]. */
  readonly step: Rational
  readonly min: Rational
  readonly max: Rational
}

export interface SymbolicVariable {
  /** "v1", "v2", … in order of first appearance in the question. */
  readonly id: string
  /** The value as written in the question ("25%" → 25, "$1,200" → 1200). */
  readonly value: Rational
  readonly occurrences: readonly SymbolicOccurrence[]
  readonly domain: SymbolicDomain
  readonly money: boolean
  /**
   * Set when the question's number coincides with an earlier step's result and a later step uses that
   * value where either could be meant: the variable then follows that result (index into `annotations`),
   * so every reading of the text stays true.
   */
  readonly derivedFrom?: number
  /**
   * Set when the text ties this number to another variable ("Ethan and his 3 friends" … "the 4 of them"):
   * its value is that variable's plus `offset`, whatever the draw gave it, so the story stays true.
   */
  readonly follows?: { readonly id: string; readonly offset: Rational }
}

/** What a fixed half of a fraction or a variable stands for. */
export type SymbolicOperand = { readonly kind: "var"; readonly id: string } | { readonly kind: "const"; readonly value: Rational }

/** What an annotation literal (or a number in the solution's words) stands for. */
export type SymbolicRef =
  /** A number that is not in the question (100 for percent, 60 minutes, 12 per dozen): kept as written. */
  | { readonly kind: "const"; readonly value: Rational }
  /** A variable times `scale` (1, or 1/100 when `0.25` stands for "25%"). */
  | { readonly kind: "var"; readonly id: string; readonly scale: Rational }
  /** A written fraction's value (`0.75` for "3/4"). */
  | { readonly kind: "fraction"; readonly num: SymbolicOperand; readonly den: SymbolicOperand }
  /** The result of an earlier annotation (index into `annotations`), times `scale`. */
  | { readonly kind: "result"; readonly index: number; readonly scale: Rational }

export interface SymbolicAnnotation {
  /** 1-based step of the solution. */
  readonly step: number
  readonly expr: string
  readonly ast: Expr
  /** One per literal of `ast`, in source order. */
  readonly bindings: readonly SymbolicRef[]
  /** The original result. */
  readonly value: Rational
  /** The result is written with `$`. */
  readonly money: boolean
  /** Span in the reference of the expression text. */
  readonly exprSpan: Span
  /** The stated result's number, and the number written after `>>` (value × scale, e.g. 100 for "25%" of 0.25). */
  readonly result?: SymbolicNumberSlot
  readonly written?: SymbolicNumberSlot
}

export interface SymbolicNumberSlot {
  readonly span: Span
  readonly style: NumberStyle
  readonly scale: Rational
}

/** A number in the solution's words (outside annotations) that follows a variable or a result. */
export interface SymbolicMention {
  readonly span: Span
  readonly ref: SymbolicRef
  readonly style: NumberStyle
  readonly step: number
  /** Part of the written expression before an annotation: printed like the annotation (no separators unless it had them). */
  readonly inExpression: boolean
}

/**
 * The story rules a variant can break while its arithmetic stays right; a draw that breaks one is rejected
 * with the rule as its reason (so a run counts `variant:<rule>`), never published.
 *   broken_story_tie   – a number tied to words ("his 3 friends" are 4 people) lost its tie;
 *   calendar_bound     – more than 24 hours in a day, 12 months in a year, 7 days in a week, …;
 *   implausible_order  – an ordering the seed implies flipped (child ≥ adult price, small ≥ large, a pack
 *                        dearer per item than singles, a parent not older than a child).
 */
export type StoryRule = "broken_story_tie" | "calendar_bound" | "implausible_order"

/**
 * Conditions a new draw must meet. Each says which rule of the generator it comes from (see conditions.ts);
 * `a`/`b` are refs evaluated under the draw; `rule` is set on the story rules.
 */
export type SymbolicCondition = (
  | { readonly kind: "integer"; readonly ref: SymbolicRef; readonly why: string }
  | { readonly kind: "sign"; readonly ref: SymbolicRef; readonly sign: -1 | 0 | 1; readonly why: string }
  | { readonly kind: "places"; readonly ref: SymbolicRef; readonly max: number; readonly why: string }
  | { readonly kind: "range"; readonly ref: SymbolicRef; readonly min?: Rational; readonly max?: Rational; readonly strictMax?: boolean; readonly why: string }
  | { readonly kind: "order"; readonly a: SymbolicRef; readonly b: SymbolicRef; readonly cmp: -1 | 1; readonly why: string }
  | { readonly kind: "coprime"; readonly a: SymbolicRef; readonly b: SymbolicRef; readonly why: string }
  | { readonly kind: "terminating"; readonly ref: SymbolicRef; readonly why: string }
  | { readonly kind: "differ"; readonly a: SymbolicRef; readonly b: SymbolicRef; readonly why: string }
  /** a / aPer compared with b / bPer: a pack's price per item against the single price. */
  | { readonly kind: "perUnitOrder"; readonly a: SymbolicRef; readonly aPer: SymbolicRef; readonly b: SymbolicRef; readonly bPer: SymbolicRef; readonly cmp: -1 | 1; readonly why: string }
  /** a − b ≥ min: a parent at least 18 years older than a child. */
  | { readonly kind: "gap"; readonly a: SymbolicRef; readonly b: SymbolicRef; readonly min: Rational; readonly why: string }
  /** min ≤ a / b ≤ max: an overtime rate 1.25 to 2 times the regular one. */
  | { readonly kind: "ratio"; readonly a: SymbolicRef; readonly b: SymbolicRef; readonly min: Rational; readonly max: Rational; readonly why: string }
  /** The value is one of `values` (a banknote: $1, $2, $5, $10, $20, $50, $100). */
  | { readonly kind: "oneOf"; readonly ref: SymbolicRef; readonly values: readonly Rational[]; readonly why: string }
  /** a = b + offset, for a tie the template could not make a variable follow. */
  | { readonly kind: "tie"; readonly a: SymbolicRef; readonly b: SymbolicRef; readonly offset: Rational; readonly why: string }
) & { readonly rule?: StoryRule }

export interface SymbolicTemplate {
  readonly question: string
  readonly reference: string
  /** The original final answer, canonical ("183"). */
  readonly answer: string
  readonly variables: readonly SymbolicVariable[]
  readonly annotations: readonly SymbolicAnnotation[]
  /** Numbers the solution uses that are not in the question (kept as they are). */
  readonly constants: readonly Rational[]
  readonly mentions: readonly SymbolicMention[]
  readonly final: { readonly span: Span; readonly ref: SymbolicRef; readonly style: NumberStyle }
  readonly conditions: readonly SymbolicCondition[]
  /** Comma convention for short numbers that grow past 999, in the question and in the solution's words. */
  readonly questionCommas: boolean
  readonly referenceCommas: boolean
}

export type TemplateFailure =
  | "seed_unverified"
  | "no_annotations"
  | "unparseable_annotation"
  | "rounded_annotation"
  | "chained_annotation"
  | "no_numbers_to_vary"
  | "final_answer_unbound"
  /** A number of the solution is a question number and an earlier result of another kind (count and money), and its words do not say which. */
  | "ambiguous_number"

export type TemplateResult =
  | { readonly ok: true; readonly template: SymbolicTemplate }
  | { readonly ok: false; readonly reason: TemplateFailure; readonly message: string }
