import { ngramHashes, normaliseWords } from "./normalise.ts"

/** Where a benchmark n-gram was first seen, and the n-gram itself (normalised words joined by one space). */
export interface Contamination {
  readonly file: string
  /** 1-based: the line of a JSONL file, the row number of a Parquet file. */
  readonly line: number
  readonly ngram: string
}

export const DECONTAMINATION_NGRAM = 13

/** JS Maps hold at most 2^24 entries; n-grams are spread over this many by their hash's low bits. */
const SHARDS = 64

/**
 * The hashed n-grams of benchmark rows, each with the first (file, line) it came from. Text is normalised as
 * everywhere in libs/dedup (`normaliseWords`); n-grams are runs of `n` consecutive words (13 by default, NeMo
 * Curator's; datatrove uses 12), hashed to 53 bits (`ngramHashes`), so a false match needs a 2^-53 collision.
 *
 * Rows shorter than n words contribute no n-gram (datatrove's and lm-eval's practice): a 7-word benchmark
 * question cannot be detected at n = 13, and lowering `n` for short benchmarks is the user's choice, because
 * short n-grams match ordinary phrases.
 *
 * Memory: one Map entry per distinct n-gram (a number key and a row number, about 30-40 bytes in V8), plus the
 * file index and line of each benchmark row that contributed one: ~40 MB for 1M n-grams (a 10,000-row
 * benchmark of 100-word rows).
 */
export class BenchmarkIndex {
  readonly n: number
  private readonly shards: Array<Map<number, number>> = Array.from({ length: SHARDS }, () => new Map())
  private readonly files: Array<string> = []
  private readonly rowFile: Array<number> = []
  private readonly rowLine: Array<number> = []
  /** Benchmark rows added, and those shorter than n words (which contribute nothing). */
  rows = 0
  shortRows = 0

  constructor(n: number = DECONTAMINATION_NGRAM) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`n-gram size must be a whole number of at least 1, got ${n}`)
    this.n = n
  }

  /** Distinct n-grams held. */
  get size(): number {
    let total = 0
    for (const shard of this.shards) total += shard.size
    return total
  }

  /** Adds one benchmark row's n-grams; an n-gram already held keeps its first (file, line). */
  add(file: string, line: number, text: string): void {
    this.rows++
    const hashes = ngramHashes(normaliseWords(text), this.n)
    if (hashes.length === 0) {
      this.shortRows++
      return
    }
    let f = this.files.length > 0 && this.files[this.files.length - 1] === file ? this.files.length - 1 : this.files.indexOf(file)
    if (f < 0) f = this.files.push(file) - 1
    const row = this.rowFile.length
    this.rowFile.push(f)
    this.rowLine.push(line)
    for (let i = 0; i < hashes.length; i++) {
      const h = hashes[i]!
      const shard = this.shards[h % SHARDS]!
      if (!shard.has(h)) shard.set(h, row)
    }
  }

  /**
   * The first n-gram of `text` (leftmost in the text) that a benchmark row holds, with where that benchmark row
   * is; undefined when they share none (or the text is shorter than n words).
   */
  match(text: string): Contamination | undefined {
    const words = normaliseWords(text)
    const hashes = ngramHashes(words, this.n)
    for (let i = 0; i < hashes.length; i++) {
      const h = hashes[i]!
      const row = this.shards[h % SHARDS]!.get(h)
      if (row !== undefined) {
        return { file: this.files[this.rowFile[row]!]!, line: this.rowLine[row]!, ngram: words.slice(i, i + this.n).join(" ") }
      }
    }
    return undefined
  }
}

/** Builds the index from benchmark rows (`file`, 1-based `line`, `text`). */
export const benchmarkIndex = (rows: Iterable<{ readonly file: string; readonly line: number; readonly text: string }>, n: number = DECONTAMINATION_NGRAM): BenchmarkIndex => {
  const index = new BenchmarkIndex(n)
  for (const row of rows) index.add(row.file, row.line, row.text)
  return index
}

export type DecontaminationDecision<K> =
  | { readonly kept: true; readonly key: K; readonly index: number }
  | { readonly kept: false; readonly key: K; readonly index: number; readonly matched: Contamination }

/** Decontaminates an ordered iterable against `index`: one decision per item, in input order (lazy). */
export function* decontaminate<K>(items: Iterable<{ readonly key: K; readonly text: string }>, index: BenchmarkIndex): Generator<DecontaminationDecision<K>> {
  let i = 0
  for (const item of items) {
    const matched = index.match(item.text)
    yield matched === undefined ? { kept: true, key: item.key, index: i } : { kept: false, key: item.key, index: i, matched }
    i++
  }
}
