/** Hand-written GSM8K-format seeds for the symbolic generator's tests, one per feature. */
import * as R from "../rational.ts"
import { literals } from "../arithmetic.ts"
import type { SymbolicRef, SymbolicTemplate } from "./types.ts"

export interface TestSeed {
  readonly name: string
  readonly question: string
  readonly reference: string
}

export const TEST_SEEDS: readonly TestSeed[] = [
  {
    name: "money",
    question: "Maya sells cups of lemonade for $3 each. On Saturday she sold 42 cups and on Sunday she sold 35 cups. She spent $48 on lemons and sugar. How much profit did she make over the two days?",
    reference: "Over the two days she sold 42 + 35 = <<42+35=77>>77 cups.\nShe took in 77 * 3 = $<<77*3=231>>231.\nHer profit was 231 - 48 = $<<231-48=183>>183.\n#### 183"
  },
  {
    name: "percent",
    question: "A jacket costs $120. The store is offering 25% off, and Priya has a coupon that takes another $15 off the sale price. How much does Priya pay for the jacket?",
    reference: "The discount is 120 * 25 / 100 = $<<120*25/100=30>>30.\nThe sale price is 120 - 30 = $<<120-30=90>>90.\nWith the coupon she pays 90 - 15 = $<<90-15=75>>75.\n#### 75"
  },
  {
    name: "fraction of",
    question: "A bakery bakes 8 trays of muffins with 24 muffins on each tray. It sells 3/4 of the muffins in the morning. How many muffins are left for the afternoon?",
    reference: "The bakery bakes 8 * 24 = <<8*24=192>>192 muffins.\nIn the morning it sells 192 * 3 / 4 = <<192*3/4=144>>144 muffins.\nThat leaves 192 - 144 = <<192-144=48>>48 muffins for the afternoon.\n#### 48"
  },
  {
    name: "rate with minutes",
    question: "A train travels at 48 miles per hour for 45 minutes. How many miles does it travel?",
    reference: "45 minutes is 45 / 60 = <<45/60=0.75>>0.75 hours.\nThe train travels 48 * 0.75 = <<48*0.75=36>>36 miles.\n#### 36"
  },
  {
    name: "decimals",
    question: "Grace buys 3 notebooks at $2.75 each and 2 pens at $1.40 each. She pays with a $20 bill. How much change does she get?",
    reference: "The notebooks cost 3 * 2.75 = $<<3*2.75=8.25>>8.25.\nThe pens cost 2 * 1.40 = $<<2*1.4=2.8>>2.8.\nShe spends 8.25 + 2.80 = $<<8.25+2.8=11.05>>11.05.\nHer change is 20 - 11.05 = $<<20-11.05=8.95>>8.95.\n#### 8.95"
  },
  {
    name: "chain",
    question: "Zoe had $240. She spent 1/3 of it on a concert ticket and then 1/4 of what was left on dinner. How much money does she have now?",
    reference: "The ticket cost 240 / 3 = $<<240/3=80>>80.\nShe had 240 - 80 = $<<240-80=160>>160 left.\nDinner cost 160 / 4 = $<<160/4=40>>40.\nShe now has 160 - 40 = $<<160-40=120>>120.\n#### 120"
  },
  {
    name: "dozen",
    question: "Sam buys 3 dozen eggs at $0.25 per egg. How much does he pay?",
    reference: "3 dozen is 3 * 12 = <<3*12=36>>36 eggs.\nThey cost 36 * 0.25 = $<<36*0.25=9>>9.\n#### 9"
  },
  {
    name: "percent as decimal",
    question: "A shirt costs $40 and is 15% off. How much does Ava pay?",
    reference: "The discount is 40 * 0.15 = $<<40*0.15=6>>6.\nAva pays 40 - 6 = $<<40-6=34>>34.\n#### 34"
  },
  {
    name: "thousands",
    question: "A water tank holds 2,400 liters when full. Right now it is 3/8 full. A pump adds water at 75 liters per minute. How many minutes will it take to fill the tank?",
    reference: "The tank now holds 2400 * 3 / 8 = <<2400*3/8=900>>900 liters.\nIt needs 2400 - 900 = <<2400-900=1500>>1,500 more liters.\nFilling it takes 1500 / 75 = <<1500/75=20>>20 minutes.\n#### 20"
  }
]

const refName = (r: SymbolicRef): string => {
  switch (r.kind) {
    case "const":
      return R.toString(r.value)
    case "var":
      return R.equals(r.scale, R.ONE) ? r.id : `${r.id}%`
    case "result":
      return `r${r.index + 1}`
    case "fraction":
      return `(${r.num.kind === "var" ? r.num.id : R.toString(r.num.value)}/${r.den.kind === "var" ? r.den.id : R.toString(r.den.value)})`
  }
}

/** A template written out: variables with their original values, constants, and each step as an expression of them. */
export const summarise = (t: SymbolicTemplate) => ({
  variables: Object.fromEntries(t.variables.map((v) => [v.id, R.toString(v.value) + (v.derivedFrom !== undefined ? ` = r${v.derivedFrom + 1}` : "")])),
  constants: t.constants.map(R.toString),
  steps: t.annotations.map((a) => {
    let text = a.expr.trim()
    const lits = literals(a.ast)
    const offset = a.expr.length - a.expr.trimStart().length
    for (let i = lits.length - 1; i >= 0; i--) {
      const span = lits[i]!.span!
      text = text.slice(0, span.start - offset) + refName(a.bindings[i]!) + text.slice(span.end - offset)
    }
    return text
  }),
  final: refName(t.final.ref)
})
