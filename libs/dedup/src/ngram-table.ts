import { ngramHashes, normaliseWords } from "./hashing.ts"

/*
 * The benchmark n-gram set as one open-addressing hash table in SharedArrayBuffers: 53-bit n-gram hash → the
 * first benchmark row holding it. Built once on the main thread; worker threads then look texts up in the very
 * same memory (nothing copied per worker), with `matchBatch`, which the main thread also uses, so both give the
 * same answers. No imports beyond hashing.ts, so a worker loads little.
 */

/** The table's memory, as passed to a worker: `rows[i]` is the benchmark row + 1 of slot i, 0 when empty. */
export interface NgramTableBuffers {
  readonly keys: SharedArrayBuffer
  readonly rows: SharedArrayBuffer
}

export class NgramTable {
  private keys: Float64Array
  private rows: Int32Array
  private mask: number
  /** Distinct n-grams held. */
  size = 0

  constructor(buffers?: NgramTableBuffers) {
    const b = buffers ?? { keys: new SharedArrayBuffer(8 * 1024), rows: new SharedArrayBuffer(4 * 1024) }
    this.keys = new Float64Array(b.keys)
    this.rows = new Int32Array(b.rows)
    this.mask = this.rows.length - 1
    if (buffers !== undefined) for (let i = 0; i < this.rows.length; i++) if (this.rows[i] !== 0) this.size++
  }

  get buffers(): NgramTableBuffers {
    return { keys: this.keys.buffer as SharedArrayBuffer, rows: this.rows.buffer as SharedArrayBuffer }
  }

  /** Holds `key` for `row` unless it is held already (the first row to add an n-gram keeps it). */
  addIfAbsent(key: number, row: number): void {
    // At most half full: a lookup that misses (most of them) probes about 2.5 slots.
    if ((this.size + 1) * 2 > this.rows.length) this.grow()
    let i = (key % 4294967296) & this.mask
    while (this.rows[i] !== 0) {
      if (this.keys[i] === key) return
      i = (i + 1) & this.mask
    }
    this.keys[i] = key
    this.rows[i] = row + 1
    this.size++
  }

  /** The benchmark row holding `key`, or -1. */
  get(key: number): number {
    const keys = this.keys
    const rows = this.rows
    let i = (key % 4294967296) & this.mask
    while (rows[i] !== 0) {
      if (keys[i] === key) return rows[i]! - 1
      i = (i + 1) & this.mask
    }
    return -1
  }

  private grow(): void {
    const keys = this.keys
    const rows = this.rows
    this.keys = new Float64Array(new SharedArrayBuffer(keys.length * 2 * 8))
    this.rows = new Int32Array(new SharedArrayBuffer(rows.length * 2 * 4))
    this.mask = this.rows.length - 1
    this.size = 0
    for (let i = 0; i < rows.length; i++) if (rows[i] !== 0) this.addIfAbsent(keys[i]!, rows[i]! - 1)
  }
}

/**
 * For each text, the benchmark row of its first (leftmost) n-gram the table holds, and that n-gram's word
 * position; row -1 when it shares none (or has fewer than n words). Two flat arrays, so a batch's answer
 * crosses between threads as two transferable buffers.
 */
export interface MatchBatch {
  readonly rows: Int32Array
  readonly positions: Int32Array
}

export const matchBatch = (texts: ReadonlyArray<string>, table: NgramTable, n: number): MatchBatch => {
  const rows = new Int32Array(texts.length).fill(-1)
  const positions = new Int32Array(texts.length)
  for (let t = 0; t < texts.length; t++) {
    const hashes = ngramHashes(normaliseWords(texts[t]!), n)
    for (let i = 0; i < hashes.length; i++) {
      const row = table.get(hashes[i]!)
      if (row >= 0) {
        rows[t] = row
        positions[t] = i
        break
      }
    }
  }
  return { rows, positions }
}
