/**
 * GSM-Symbolic templating (Apple 2024), done automatically from a GSM8K-format seed: the numbers that
 * the solution's calculator annotations use and that the question states become variables; numbers an
 * annotation computes earlier become references to that step; everything else (100 for percent, 60
 * minutes, 12 per dozen) stays a constant. Conditions are inferred from the original (conditions.ts).
 */
import * as R from "../rational.ts"
import type { Rational } from "../rational.ts"
import { literals, parentOf, parseExpression } from "../arithmetic.ts"
import type { Expr, Literal, Path, Span } from "../arithmetic.ts"
import { verifySolution } from "../verify.ts"
import { commaConvention, scanNumberWords, scanProseNumbers } from "./numbers.ts"
import type { NumberStyle, NumberWord, ProseNumber } from "./numbers.ts"
import { inferConditions } from "./conditions.ts"
import type {
  SymbolicAnnotation,
  SymbolicMention,
  SymbolicOperand,
  SymbolicRef,
  SymbolicVariable,
  TemplateFailure,
  TemplateResult
} from "./types.ts"
import { domainFor } from "./domain.ts"
import { findTies } from "./ties.ts"
import { conversionClash } from "./conversions.ts"
import type { TieLink } from "./ties.ts"
import type { DomainOptions } from "./domain.ts"

export interface TemplateOptions extends DomainOptions {
  /** Keep the order of question numbers with the same unit ("6 kilometers" of a "10 kilometers" course). Default true. */
  readonly keepUnitOrder?: boolean
}

export interface SeedTask {
  readonly question: string
  /** GSM8K-format solution: steps with `<<expr=result>>`, ending in `#### N`. */
  readonly reference: string
  /** The known final answer, when there is one; checked against the reference. */
  readonly answer?: string
}

const PERCENT = { num: 1n, den: 100n } as const
const NUMBER_TEXT = /\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+/

const fail = (reason: TemplateFailure, message: string): TemplateResult => ({ ok: false, reason, message })

const plainStyle = (text: string): NumberStyle => {
  const dec = text.split(".")[1] ?? ""
  return { commas: text.includes(","), minDecimals: dec.endsWith("0") ? dec.length : 0 }
}

/** A number inside `text` at `span`, narrowed to its digits; with the scale that maps the value to it. */
const numberIn = (text: string, span: Span, value: Rational): { span: Span; style: NumberStyle; scale: Rational } | undefined => {
  const body = text.slice(span.start, span.end)
  const m = NUMBER_TEXT.exec(body)
  if (!m) return undefined
  const rest = (body.slice(0, m.index) + body.slice(m.index + m[0].length)).trim()
  const parsed = R.parseRational(m[0])
  if (!parsed.ok) return undefined
  const at = { start: span.start + m.index, end: span.start + m.index + m[0].length }
  const style = plainStyle(m[0])
  if (R.equals(parsed.value, value) && /^\$?$/.test(rest)) return { span: at, style, scale: R.ONE }
  if (rest === "%" && R.equals(parsed.value, R.mul(value, R.HUNDRED))) return { span: at, style, scale: R.HUNDRED }
  if (rest === "%" && R.equals(parsed.value, value)) return { span: at, style, scale: R.ONE }
  return undefined
}

interface Group {
  readonly key: string
  readonly value: Rational
  readonly atoms: number[]
  frozen: boolean
  used: boolean
}

/**
 * Keeps each tie the words state between two question numbers (target = source + offset) by making one
 * number follow the other, editing `variables` in place: a number the solution does not use becomes a
 * variable that only follows; of two variables the one not already tied to a step result follows. A tie
 * neither side can follow is returned, to become a condition the draw must meet.
 */
const keepTies = (
  links: ReadonlyArray<TieLink>,
  atoms: ReadonlyArray<ProseNumber>,
  variables: SymbolicVariable[],
  varOfAtom: (atomIndex: number) => string | undefined
): Array<{ a: SymbolicRef; b: SymbolicRef; offset: Rational; why: string }> => {
  const unkept: Array<{ a: SymbolicRef; b: SymbolicRef; offset: Rational; why: string }> = []
  const at = (id: string): number => variables.findIndex((v) => v.id === id)
  const follower = (atomIndex: number, leader: string, offset: Rational): SymbolicVariable => {
    const a = atoms[atomIndex]!
    return {
      id: `v${variables.length + 1}`,
      value: a.value,
      occurrences: [{ span: a.span, context: a.context, style: a.style }],
      domain: { step: R.ONE, min: a.value, max: a.value },
      money: a.money,
      follows: { id: leader, offset }
    }
  }
  for (const l of links) {
    const s = varOfAtom(l.source)
    const t = varOfAtom(l.target)
    if (s === undefined && t === undefined) continue
    if (s !== undefined && t === undefined) variables.push(follower(l.target, s, l.offset))
    else if (s === undefined && t !== undefined) variables.push(follower(l.source, t, R.neg(l.offset)))
    else if (s !== undefined && t !== undefined) {
      const [sv, tv] = [variables[at(s)]!, variables[at(t)]!]
      const free = (v: SymbolicVariable): boolean => v.derivedFrom === undefined && v.follows === undefined
      if (free(tv) && free(sv)) variables[at(t)] = { ...tv, follows: { id: s, offset: l.offset } }
      else if (free(sv) && tv.follows?.id !== s) variables[at(s)] = { ...sv, follows: { id: t, offset: R.neg(l.offset) } }
      else unkept.push({ a: { kind: "var", id: t, scale: R.ONE }, b: { kind: "var", id: s, scale: R.ONE }, offset: l.offset, why: l.why })
    }
  }
  return unkept
}

/** What a question number counts, for telling equal numbers apart: money or not, its context, the first word of its unit. */
const kindOfAtom = (a: ProseNumber): string => `${a.money ? "$" : ""}${a.context}:${(a.unit ?? "").split(/\s+/)[0]!.replace(/e?s$/, "")}`

/** A literal every operator above which is + or -: a term of the step's total, so of the same kind as its result. */
const isSumTerm = (ast: Expr, path: Path): boolean => {
  for (let k = path.length; k > 0; k--) {
    const parent = parentOf(ast, path.slice(0, k))
    if (parent === undefined) return false
    if (parent.node.op !== "+" && parent.node.op !== "-") return false
  }
  return true
}

/** Template of a seed, or why it cannot be one. Pure and deterministic. */
export const templateOf = (task: SeedTask, options: TemplateOptions = {}): TemplateResult => {
  const { question, reference } = task
  const verified = verifySolution(reference, task.answer !== undefined ? { expected: task.answer } : {})
  if (!verified.correct) return fail("seed_unverified", `the seed's reference does not verify: ${verified.reason ?? "unknown"}`)
  const parsed = verified.parsed
  const flat = parsed.steps.flatMap((s) => s.annotations.map((a) => ({ step: s.index, a })))
  if (flat.length === 0) return fail("no_annotations", "the reference has no <<expr=result>> annotations to re-execute")

  // ------------------------------------------------------------ question numbers, grouped by value
  const atoms = scanProseNumbers(question)
  const groups = new Map<string, Group>()
  atoms.forEach((atom, i) => {
    const key = R.toString(atom.value)
    const g = groups.get(key) ?? { key, value: atom.value, atoms: [], frozen: false, used: false }
    g.atoms.push(i)
    // One value, one variable: the solution cannot tell equal numbers apart, so they change together.
    // A value that some wording pins (an ordinal, "5 weekdays") or that grammar pins (1 → singular) stays.
    if (atom.fixed !== undefined || R.equals(atom.value, R.ONE) || R.isZero(atom.value)) g.frozen = true
    groups.set(key, g)
  })
  // Equal numbers of different kinds ("36 guests" and "$36", "4 people" and "4 Sundays") are a coincidence the
  // solution cannot tell apart: moved together, a variant would tie a price to a head count. They stay as they are.
  for (const g of groups.values()) {
    const kinds = new Set(g.atoms.map((i) => kindOfAtom(atoms[i]!)))
    if (kinds.size > 1) g.frozen = true
  }
  // Numbers the words tie together: frozen ones stay, and a tie to a frozen number freezes its partner.
  const prose = scanProseNumbers(reference)
  const ties = findTies(question, atoms, reference, prose)
  const groupAt = (atomIndex: number): Group => groups.get(R.toString(atoms[atomIndex]!.value))!
  for (const i of ties.freeze.keys()) groupAt(i).frozen = true
  // A question number that is also a conversion the solution uses (60 with minutes and hours) stays.
  const allLiterals = flat.flatMap(({ a }) => {
    const e = parseExpression(a.expr)
    return e.ok ? literals(e.ast).map((l) => l.value) : []
  })
  for (const g of groups.values()) {
    if (!g.frozen && conversionClash(g.value, `${question}\n${reference}`) !== undefined && allLiterals.some((l) => R.equals(l, g.value))) g.frozen = true
  }
  // A number the solution writes in words ("Kwame is baking 6 loaves" … "Six loaves need 250 * 6") follows its
  // variable in words when it counts the same thing; any other word of that value may mean it too, so the number stays.
  const solutionEnd = /^[ \t]*####/m.exec(reference)?.index ?? reference.length
  const wordMentions: Array<{ readonly word: NumberWord; readonly key: string }> = []
  for (const word of scanNumberWords(reference.slice(0, solutionEnd))) {
    const g = groups.get(R.toString(word.value))
    if (g === undefined || g.frozen) continue
    if (word.unit !== undefined && g.atoms.some((i) => atoms[i]!.unit === word.unit)) wordMentions.push({ word, key: g.key })
    else g.frozen = true
  }
  for (let changed = true; changed; ) {
    changed = false
    for (const l of ties.links) {
      const [s, t] = [groupAt(l.source), groupAt(l.target)]
      if (s.frozen !== t.frozen) {
        s.frozen = t.frozen = true
        changed = true
      }
    }
  }
  const hasPercent = atoms.some((a) => a.context === "percent")
  const groupOf = (v: Rational): Group | undefined => groups.get(R.toString(v))
  const operandOf = (atomIndex: number): SymbolicOperand => {
    const atom = atoms[atomIndex]!
    const g = groupOf(atom.value)!
    return g.frozen ? { kind: "const", value: atom.value } : { kind: "var", id: g.key }
  }
  const markUsed = (ref: SymbolicRef): void => {
    const ids = ref.kind === "var" ? [ref.id] : ref.kind === "fraction" ? [ref.num, ref.den].flatMap((o) => (o.kind === "var" ? [o.id] : [])) : []
    for (const id of ids) groups.get(id)!.used = true
  }
  /** A question variable for literal value v: the number itself, a percent as a decimal, a fraction's value. */
  const questionRef = (v: Rational): SymbolicRef | undefined => {
    const g = groupOf(v)
    if (g && !g.frozen) return { kind: "var", id: g.key, scale: R.ONE }
    if (g?.frozen) return undefined
    for (const atom of atoms) {
      if (atom.context !== "percent") continue
      const pg = groupOf(atom.value)!
      if (!pg.frozen && R.equals(R.mul(atom.value, PERCENT), v)) return { kind: "var", id: pg.key, scale: PERCENT }
    }
    for (let i = 0; i < atoms.length; i++) {
      const atom = atoms[i]!
      if (atom.context !== "numerator" || atom.partner === undefined) continue
      const den = atoms[atom.partner]!
      const q = R.div(atom.value, den.value)
      if (!q.ok || !R.equals(q.value, v)) continue
      if (groupOf(atom.value)!.frozen && groupOf(den.value)!.frozen) return undefined
      return { kind: "fraction", num: operandOf(i), den: operandOf(atom.partner) }
    }
    return undefined
  }

  // ------------------------------------------------------------ annotations and their literals
  const derived = new Map<string, number>()
  const deps: Array<Set<string>> = []
  const depsOf = (ref: SymbolicRef): Set<string> => {
    switch (ref.kind) {
      case "const":
        return new Set()
      case "var": {
        const src = derived.get(ref.id)
        return new Set([ref.id, ...(src !== undefined ? deps[src] ?? [] : [])])
      }
      case "result":
        return deps[ref.index] ?? new Set()
      case "fraction":
        return new Set([ref.num, ref.den].flatMap((o) => (o.kind === "var" ? [o.id] : [])))
    }
  }
  const annotations: SymbolicAnnotation[] = []
  const constants: Rational[] = []
  for (const [index, { step, a }] of flat.entries()) {
    if (a.intermediate.length > 0) return fail("chained_annotation", `step ${step}: chained annotation <<${a.body}>> is not supported`)
    const p = parseExpression(a.expr)
    if (!p.ok) return fail("unparseable_annotation", `step ${step}: <<${a.body}>>: ${p.error}`)
    const value = verified.checks[index]?.value
    if (value === undefined) return fail("unparseable_annotation", `step ${step}: <<${a.body}>> has no value`)
    let result: { span: Span; style: NumberStyle; scale: Rational } | undefined
    if (a.resultSpan !== undefined) {
      result = numberIn(reference, a.resultSpan, value)
      if (result === undefined) return fail("rounded_annotation", `step ${step}: <<${a.body}>> states ${a.result?.trim()}, not exactly ${R.toString(value)}; rounded steps cannot be re-executed`)
    }
    let written: { span: Span; style: NumberStyle; scale: Rational } | undefined
    if (a.written !== undefined) {
      const w = numberIn(reference, a.written.span, value)
      if (w === undefined) return fail("rounded_annotation", `step ${step}: the text after <<${a.body}>> says ${a.written.text}, not exactly ${R.toString(value)}`)
      const s = prose.find((n) => n.span.start === w.span.start)
      written = { ...w, style: s?.style ?? w.style }
    }
    const money = /\$\s*$/.test(reference.slice(Math.max(0, a.span.start - 3), a.span.start)) || (a.written !== undefined && reference[a.written.span.start - 1] === "$")

    const lits = literals(p.ast)
    const bindings: SymbolicRef[] = new Array<SymbolicRef>(lits.length)
    const byValue = new Map<string, number[]>()
    lits.forEach((lit, i) => {
      const k = R.toString(lit.value)
      byValue.set(k, [...(byValue.get(k) ?? []), i])
    })
    // 100 dividing a percent ("120 * 25 / 100") is the percent constant, even when the question has a 100 or an
    // earlier step came to 100 ("48 + 36 + 16 = 100", then "100 * 10 / 100"): bound to either, a variant would
    // divide by the new total ("117 * 10 / 117").
    const isPercentDivisor = (lit: Literal): boolean =>
      hasPercent && R.equals(lit.value, R.HUNDRED) && lit.path[lit.path.length - 1] === "right" && parentOf(p.ast, lit.path)?.node.op === "/"
    for (const all of byValue.values()) {
      const v = lits[all[0]!]!.value
      const idxs = all.filter((i) => !isPercentDivisor(lits[i]!))
      for (const i of all) if (isPercentDivisor(lits[i]!)) bindings[i] = { kind: "const", value: v }
      if (idxs.length < all.length && !constants.some((c) => R.equals(c, v))) constants.push(v)
      if (idxs.length === 0) continue
      const results = annotations.map((x, k) => ({ x, k })).filter(({ x }) => R.equals(x.value, v)).map(({ k }) => k).reverse()
      const q = questionRef(v)
      const asResult = (k: number): SymbolicRef => ({ kind: "result", index: k, scale: R.ONE })
      if (q !== undefined && results.length > 0) {
        const latest = results[0]!
        if (q.kind === "var" && R.equals(q.scale, R.ONE) && !derived.has(q.id) && idxs.length === 1 && latest === index - 1) {
          // A single copy right after the step that computed it continues the chain ("5 - 2 = 3" then
          // "12 + 3 * 3.75"); the question's equal number ("3 packages") is a coincidence and stays as it is.
          for (const i of idxs) bindings[i] = asResult(latest)
        } else if (q.kind === "var" && R.equals(q.scale, R.ONE)) {
          if (derived.has(q.id) || !(deps[latest] ?? new Set()).has(q.id)) {
            // The question's number equals an earlier result and the step could mean either: tie them.
            if (!derived.has(q.id)) derived.set(q.id, latest)
            for (const i of idxs) bindings[i] = q
          } else {
            // Tying would be circular ("3 parts … 24 / 8 = 3 … 3 * 3"): give each copy its own meaning.
            // A copy that is a term of a sum of money (or of counts) means the candidate of that kind: "36 guests"
            // and "the juice costs $36", then "135 + 36 + 72 = $243", is the juice; bound to the guests, a variant
            // with 20 guests adds $20 of juice. When the kinds differ and the words cannot tell, the seed is refused.
            const qMoney = groups.get(q.id)!.atoms.some((k) => atoms[k]!.money)
            const kindOf = (r: SymbolicRef): boolean => (r.kind === "result" ? annotations[r.index]!.money : qMoney)
            const cands = [q, ...results.map(asResult)]
            const mixed = cands.some((c) => kindOf(c) !== qMoney)
            if (mixed && idxs.length === 1) {
              const kind = isSumTerm(p.ast, lits[idxs[0]!]!.path) ? money : undefined
              const match = kind === undefined ? [] : cands.filter((c) => kindOf(c) === kind)
              if (match.length === 0 || (match.length > 1 && match.some((c) => c !== match[0] && kindOf(c) !== kindOf(match[0]!)))) {
                return fail("ambiguous_number", `step ${step}: ${R.toString(v)} in <<${a.body}>> is both a question number and an earlier step's result, of another kind`)
              }
              bindings[idxs[0]!] = match[0]!
            } else idxs.forEach((i, n) => (bindings[i] = cands[Math.min(n, cands.length - 1)]!))
          }
        } else {
          for (const i of idxs) bindings[i] = asResult(latest)
        }
      } else if (q !== undefined) {
        for (const i of idxs) bindings[i] = q
      } else if (results.length > 0) {
        // Several equal earlier results used together ("96 + 96"): take them in step order.
        const chosen = idxs.length <= results.length ? results.slice(0, idxs.length).reverse() : [results[0]!]
        idxs.forEach((i, n) => (bindings[i] = asResult(chosen[Math.min(n, chosen.length - 1)]!)))
      } else {
        for (const i of idxs) bindings[i] = { kind: "const", value: v }
        if (!constants.some((c) => R.equals(c, v))) constants.push(v)
      }
    }
    bindings.forEach(markUsed)
    deps.push(new Set(bindings.flatMap((b) => [...depsOf(b)])))
    annotations.push({
      step,
      expr: a.expr,
      ast: p.ast,
      bindings,
      value,
      money,
      exprSpan: a.exprSpan,
      ...(result ? { result } : {}),
      ...(written ? { written } : {})
    })
  }

  // ------------------------------------------------------------ variables
  const used = [...groups.values()].filter((g) => g.used && !g.frozen)
  const firstAt = (g: Group): number => atoms[g.atoms[0]!]!.span.start
  used.sort((x, y) => firstAt(x) - firstAt(y))
  const ids = new Map(used.map((g, i) => [g.key, `v${i + 1}`]))
  const rename = (id: string): string => ids.get(id) ?? id
  const remapOperand = (o: SymbolicOperand): SymbolicOperand => (o.kind === "var" ? { kind: "var", id: rename(o.id) } : o)
  const remap = (r: SymbolicRef): SymbolicRef =>
    r.kind === "var" ? { ...r, id: rename(r.id) } : r.kind === "fraction" ? { kind: "fraction", num: remapOperand(r.num), den: remapOperand(r.den) } : r
  const variables: SymbolicVariable[] = used.map((g) => {
    const own = g.atoms.map((i) => atoms[i]!)
    const src = derived.get(g.key)
    return {
      id: rename(g.key),
      value: g.value,
      occurrences: own.map((a) => ({ span: a.span, context: a.context, style: a.style })),
      domain: domainFor(g.value, own, options),
      money: own.some((a) => a.money),
      ...(src !== undefined ? { derivedFrom: src } : {})
    }
  })
  const unkeptTies = keepTies(ties.links, atoms, variables, (i) => ids.get(groupAt(i).key))
  if (variables.every((v) => v.derivedFrom !== undefined)) {
    return fail("no_numbers_to_vary", "no number that the solution's annotations use is stated in the question (or every such number is pinned by its wording)")
  }
  const finalAnnotations = annotations.map((a) => ({ ...a, bindings: a.bindings.map(remap) }))

  // ------------------------------------------------------------ numbers in the solution's words
  const hashLine = /^[ \t]*####/m.exec(reference)
  const proseEnd = hashLine ? hashLine.index : reference.length
  const handled = new Set<number>()
  const mentions: SymbolicMention[] = []
  const ownSpans = finalAnnotations.flatMap((a) => (a.written ? [a.written.span] : []))
  const isOwn = (n: ProseNumber): boolean => ownSpans.some((s) => s.start === n.span.start)
  // The written expression before an annotation ("42 + 35 = <<42+35=77>>77") follows the annotation literal by literal.
  flat.forEach(({ a }, index) => {
    const ann = finalAnnotations[index]!
    const stepSpan = parsed.steps[ann.step - 1]!.span
    const prev = finalAnnotations.slice(0, index).filter((x) => x.step === ann.step).at(-1)
    const from = prev ? (prev.written?.span.end ?? prev.exprSpan.end) : stepSpan.start
    const before = reference.slice(from, a.span.start)
    const eq = /=\s*\$?\s*$/.exec(before)
    if (!eq) return
    const run = /[\d.,\s+\-*/×()$]*$/.exec(before.slice(0, eq.index))
    const runStart = from + (run ? run.index : eq.index)
    const inRun = prose.map((n, i) => ({ n, i })).filter(({ n }) => n.span.start >= runStart && n.span.end <= from + eq.index)
    const lits = literals(ann.ast)
    if (inRun.length !== lits.length || inRun.some(({ n }, k) => !R.equals(n.value, lits[k]!.value))) return
    inRun.forEach(({ n, i }, k) => {
      handled.add(i)
      const ref = ann.bindings[k]!
      if (ref.kind !== "const") mentions.push({ span: n.span, ref, style: n.style, step: ann.step, inExpression: true })
    })
  })
  const stepOf = (at: number): number => parsed.steps.find((s) => at >= s.span.start && at < s.span.end)?.index ?? 0
  const varOfValue = (v: Rational): SymbolicRef | undefined => {
    const g = groupOf(v)
    return g && ids.has(g.key) ? { kind: "var", id: ids.get(g.key)!, scale: R.ONE } : undefined
  }
  const proseRefs = new Map<number, SymbolicRef>()
  prose.forEach((n, i) => {
    if (handled.has(i) || isOwn(n) || n.span.start >= proseEnd || n.fixed !== undefined) return
    const step = stepOf(n.span.start)
    const candidates = finalAnnotations.map((x, k) => ({ x, k })).filter(({ x }) => x.step <= step && R.equals(x.value, n.value))
    const sameStep = candidates.filter(({ x }) => x.step === step).at(-1)
    // Same-step result first, then the question's variable, then the latest earlier result.
    const ref: SymbolicRef | undefined = sameStep
      ? { kind: "result", index: sameStep.k, scale: R.ONE }
      : (varOfValue(n.value) ?? (candidates.length > 0 ? { kind: "result", index: candidates.at(-1)!.k, scale: R.ONE } : undefined))
    if (ref === undefined) return
    proseRefs.set(i, ref)
    mentions.push({ span: n.span, ref, style: n.style, step, inExpression: false })
  })
  for (const { word, key } of wordMentions) {
    const id = ids.get(key)
    if (id === undefined || groups.get(key)!.frozen) continue
    mentions.push({ span: word.span, ref: { kind: "var", id, scale: R.ONE }, style: { commas: false, minDecimals: 0, words: word.words }, step: stepOf(word.span.start), inExpression: false })
  }

  // ------------------------------------------------------------ final answer
  const fa = parsed.finalAnswer!
  const faValue = fa.answer.value
  if (faValue === undefined) return fail("final_answer_unbound", `the final answer "${fa.raw}" is not a number`)
  const faNumber = numberIn(reference, fa.span, faValue)
  const lastEqual = finalAnnotations.map((x, k) => ({ x, k })).filter(({ x }) => R.equals(x.value, faValue)).at(-1)
  const finalRef: SymbolicRef | undefined = lastEqual ? { kind: "result", index: lastEqual.k, scale: R.ONE } : varOfValue(faValue)
  if (finalRef === undefined || faNumber === undefined) {
    return fail("final_answer_unbound", `the final answer ${fa.raw} is neither an annotation's result nor a number from the question`)
  }

  const conditions = inferConditions({
    atoms,
    varOfAtom: (i) => {
      const g = groupOf(atoms[i]!.value)
      return g && ids.has(g.key) ? ids.get(g.key) : undefined
    },
    variables,
    annotations: finalAnnotations,
    prose,
    proseRefs,
    proseSteps: parsed.steps.filter((s) => s.annotations.length === 0).map((s) => s.span),
    keepUnitOrder: options.keepUnitOrder ?? true,
    question,
    reference,
    ties: unkeptTies
  })

  return {
    ok: true,
    template: {
      question,
      reference,
      answer: R.toString(faValue),
      variables,
      annotations: finalAnnotations,
      constants,
      mentions,
      final: { span: faNumber.span, ref: finalRef, style: faNumber.style },
      conditions,
      questionCommas: commaConvention(atoms),
      referenceCommas: commaConvention(prose.filter((_n, i) => !handled.has(i)))
    }
  }
}
