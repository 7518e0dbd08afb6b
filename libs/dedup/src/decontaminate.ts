import { ngramHashes, normaliseWords } from "./hashing.ts"
import { matchBatch, NgramTable, type MatchBatch, type NgramTableBuffers } from "./ngram-table.ts"

/** Where a benchmark n-gram was first seen, and the n-gram itself (normalised words joined by one space). */
export interface Contamination {
  readonly file: string
  /** 1-based: the line of a JSONL file, the row number of a Parquet file. */
  readonly line: number
  readonly ngram: string
}

export const DECONTAMINATION_NGRAM = 13

/**
 * The hashed n-grams of benchmark rows, each with the first (file, line) it came from. Text is normalised as
 * everywhere in libs/dedup (`normaliseWords`); n-grams are runs of `n` consecutive words (13 by default, NeMo
 * Curator's; datatrove uses 12), hashed to 53 bits (`ngramHashes`), so a false match needs a 2^-53 collision.
 *
 * Rows shorter than n words contribute no n-gram (datatrove's and lm-eval's practice): a 7-word benchmark
 * question cannot be detected at n = 13, and lowering `n` for short benchmarks is the user's choice, because
 * short n-grams match ordinary phrases.
 *
 * Memory: one slot of an at most half-full hash table per distinct n-gram (12 bytes a slot, so 24-48 bytes an
 * n-gram), plus the file index and line of each benchmark row that contributed one: 25-50 MB for 1M n-grams (a
 * 10,000-row benchmark of 100-word rows). The table lives in SharedArrayBuffers (`ngram-table.ts`), so worker
 * threads look rows up in it without a copy (`tables`, `matchBatch`).
 */
export class BenchmarkIndex {
  readonly n: number
  private readonly table = new NgramTable()
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
    return this.table.size
  }

  /** The n-gram table's shared memory, for worker threads; add no more rows once it is shared. */
  get buffers(): NgramTableBuffers {
    return this.table.buffers
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
    for (let i = 0; i < hashes.length; i++) this.table.addIfAbsent(hashes[i]!, row)
  }

  /**
   * The first n-gram of `text` (leftmost in the text) that a benchmark row holds, with where that benchmark row
   * is; undefined when they share none (or the text is shorter than n words).
   */
  match(text: string): Contamination | undefined {
    const found = matchBatch([text], this.table, this.n)
    return found.rows[0]! < 0 ? undefined : this.contamination(text, found.rows[0]!, found.positions[0]!)
  }

  /** The benchmark row of each text's first shared n-gram, and where it is (see `matchBatch`); the same on any thread. */
  matchBatch(texts: ReadonlyArray<string>): MatchBatch {
    return matchBatch(texts, this.table, this.n)
  }

  /** What `match` says of `text`, from the row and word position `matchBatch` found for it. */
  contamination(text: string, row: number, position: number): Contamination {
    return { file: this.files[this.rowFile[row]!]!, line: this.rowLine[row]!, ngram: normaliseWords(text).slice(position, position + this.n).join(" ") }
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
