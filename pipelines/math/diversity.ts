import { Effect, Stream } from "effect"
import { readParts } from "#dag"
import type { DuckDb, DuckDbError } from "#io"
import type { VerifiedTask } from "./rows.ts"
import { familyOf } from "./rows.ts"

/**
 * Diversity figures of a set of tasks, for the card: how many seed families have variants (templates),
 * how many distinct 4-grams the questions and solutions hold once numbers are masked, and how many
 * tasks differ from a sibling of their family only in numbers. A template that only redraws numbers
 * shows up as few distinct masked n-grams and many number-only siblings (the collapse GSM-Symbolic-style
 * variation is prone to).
 */
export interface DiversityFigures {
  readonly tasks: number
  readonly families: number
  /** Families with at least one variant besides the seed. */
  readonly templates: number
  /** Distinct masked 4-grams in an evenly spread sample of (up to) 1,000 tasks. */
  readonly questionFourGramsPer1000: number
  readonly solutionFourGramsPer1000: number
  readonly sampled: number
  /** Share of tasks whose masked question equals another task's of the same family. */
  readonly numbersOnlyShare: number
  readonly answerMedian: number
  readonly nonIntegerShare: number
}

export interface DiversityTask {
  readonly question: string
  readonly reference: string
  readonly answer: string
  readonly family: string
}

const NUMBER = /\$?\d[\d,]*(?:\.\d+)?|\$?\.\d+/g

/** The text lowercased, with every number (with its `$` and separators) replaced by `#`. */
export const maskNumbers = (text: string): string => text.toLowerCase().replace(NUMBER, "#")

/** Word and punctuation tokens of a masked text; a calculator annotation counts as one token. */
export const tokens = (masked: string): Array<string> => masked.match(/<<[^<>]*>>|[\p{L}']+|[^\s\p{L}]/gu) ?? []

export const fourGrams = (text: string): Array<string> => {
  const t = tokens(maskNumbers(text))
  const out: Array<string> = []
  for (let i = 0; i + 4 <= t.length; i++) out.push(t.slice(i, i + 4).join(" "))
  return out
}

/**
 * Accumulates the figures one task at a time: it keeps n-gram sets of the sample and masked questions
 * of the current family, not the rows. Tasks of one family arrive together (as the tasks stage writes
 * them); `total` is the number of tasks that will be added, for an even sample.
 */
export const diversityCounter = (total: number, sampleSize = 1000) => {
  let index = 0
  let families = 0
  let templates = 0
  let numbersOnly = 0
  let nonInteger = 0
  let family: string | undefined
  let familyQuestions = new Map<string, number>()
  const qGrams = new Set<string>()
  const sGrams = new Set<string>()
  let sampled = 0
  const answers: Array<number> = []
  const closeFamily = () => {
    if (family === undefined) return
    let size = 0
    for (const n of familyQuestions.values()) {
      size += n
      if (n > 1) numbersOnly += n
    }
    if (size > 1) templates += 1
  }
  const step = Math.max(total, 1) / Math.min(sampleSize, Math.max(total, 1))
  return {
    add: (task: DiversityTask): void => {
      if (task.family !== family) {
        closeFamily()
        family = task.family
        families += 1
        familyQuestions = new Map()
      }
      const masked = maskNumbers(task.question)
      familyQuestions.set(masked, (familyQuestions.get(masked) ?? 0) + 1)
      // Row i is in the sample when it is the first row at or after a multiple of `step`.
      if (Math.floor(index / step) !== Math.floor((index - 1) / step) || index === 0) {
        if (sampled < sampleSize) {
          sampled += 1
          for (const g of fourGrams(task.question)) qGrams.add(g)
          for (const g of fourGrams(task.reference)) sGrams.add(g)
        }
      }
      const a = Number(task.answer)
      if (Number.isFinite(a)) {
        answers.push(a)
        if (!Number.isInteger(a)) nonInteger += 1
      }
      index += 1
    },
    figures: (): DiversityFigures => {
      closeFamily()
      family = undefined
      const sorted = [...answers].sort((x, y) => x - y)
      const mid = sorted.length / 2
      const median = sorted.length === 0 ? 0 : sorted.length % 2 === 1 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2
      return {
        tasks: index,
        families,
        templates,
        questionFourGramsPer1000: qGrams.size,
        solutionFourGramsPer1000: sGrams.size,
        sampled,
        numbersOnlyShare: index === 0 ? 0 : numbersOnly / index,
        answerMedian: median,
        nonIntegerShare: answers.length === 0 ? 0 : nonInteger / answers.length
      }
    }
  }
}

/** The figures of the tasks stage's parts, streamed in row order. */
export const diversityOf = (files: ReadonlyArray<string>, rows: number): Effect.Effect<DiversityFigures, DuckDbError, DuckDb> =>
  Effect.gen(function* () {
    const counter = diversityCounter(rows)
    yield* Stream.runForEach(readParts(files), (row) =>
      Effect.sync(() => {
        const task = row as VerifiedTask
        counter.add({ question: task.question, reference: task.reference ?? "", answer: task.answer ?? "", family: familyOf(task) })
      })
    )
    return counter.figures()
  })

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`

/** The figures as a markdown section of the card. */
export const diversityMarkdown = (f: DiversityFigures): string =>
  [
    "### Diversity",
    "",
    "Numbers masked (every number written as #); 4-grams of word and punctuation tokens, over an evenly spread sample of the tasks.",
    "",
    "| figure | value |",
    "|---|---:|",
    `| tasks | ${f.tasks} |`,
    `| seed families | ${f.families} |`,
    `| distinct templates (families with variants) | ${f.templates} |`,
    `| distinct question 4-grams per ${f.sampled} tasks | ${f.questionFourGramsPer1000} |`,
    `| distinct solution 4-grams per ${f.sampled} tasks | ${f.solutionFourGramsPer1000} |`,
    `| tasks whose question differs from a sibling's only in numbers | ${pct(f.numbersOnlyShare)} |`,
    `| median answer | ${f.answerMedian} |`,
    `| non-integer answers | ${pct(f.nonIntegerShare)} |`,
    ""
  ].join("\n")
