/**
 * ROUGE-L F1 as Google's `rouge_score` package computes it with `RougeScorer(["rougeL"], use_stemmer=False)`,
 * the scorer Self-Instruct (and Alpaca) use for their novelty filter.
 *
 * Matched against rouge_score's source (google-research/rouge: tokenize.py, rouge_scorer.py, scoring.py):
 *
 * - tokenize: `text.lower()`, then `re.sub(r"[^a-z0-9]+", " ")`, then `re.split(r"\s+")`, then only tokens
 *   matching `^[a-z0-9]+$` are kept (this drops the empty strings the split leaves at either end). Anything
 *   outside ASCII a-z0-9 is a separator, so accented and other non-Latin letters vanish ("café" -> "caf"),
 *   except where Unicode lowercasing yields ASCII: the Kelvin sign K lowercases to "k", and "İ" to "i" plus a
 *   combining dot. Python's `str.lower` and JavaScript's `toLowerCase` both apply Unicode's locale-independent
 *   full lowercase mapping, so they agree on these.
 * - `_score_lcs(target_tokens, prediction_tokens)`: (0, 0, 0) when either token list is empty; otherwise
 *   lcs = LCS length of the two token lists (`_lcs_table`, a full DP table there; one row here),
 *   precision = lcs / len(prediction), recall = lcs / len(target).
 * - `scoring.fmeasure(p, r)`: 2 * p * r / (p + r) when p + r > 0, else 0.0.
 *
 * The float operations are the same as Python's, in the same order, so scores are the same doubles, not just
 * close. The F-measure is symmetric in target and prediction (the product and the sum commute exactly in
 * IEEE arithmetic), so the novelty filter's verdicts do not depend on which side is which.
 */

/**
 * rouge_score's default tokenizer without stemming. Replacing each run of non-[a-z0-9] by a space, splitting on
 * white space and keeping the non-empty [a-z0-9]+ pieces leaves exactly the maximal [a-z0-9] runs of the
 * lowercased text, which is what this matches.
 */
export const rougeTokenize = (text: string): Array<string> => text.toLowerCase().match(/[a-z0-9]+/g) ?? []

export interface RougeScore {
  readonly precision: number
  readonly recall: number
  readonly fmeasure: number
}

/** rouge_score's `scoring.fmeasure`. */
export const rougeFmeasure = (precision: number, recall: number): number =>
  precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0

/**
 * ROUGE-L F1 from an LCS length and the two token counts, by rouge_score's float operations:
 * p = lcs / predictionLength, r = lcs / targetLength, F = 2pr / (p + r); 0 when either list is empty.
 */
export const rougeLFromLcs = (lcs: number, targetLength: number, predictionLength: number): number => {
  if (targetLength === 0 || predictionLength === 0) return 0
  return rougeFmeasure(lcs / predictionLength, lcs / targetLength)
}

let scratch = new Int32Array(64)

/**
 * Length of the longest common subsequence of two sequences (elements equal when the same Map key): each
 * element becomes an id, then `lcsLengthIds`.
 */
export const lcsLength = <T>(a: ArrayLike<T>, b: ArrayLike<T>): number => {
  const ids = new Map<T, number>()
  const intern = (s: ArrayLike<T>) =>
    Int32Array.from({ length: s.length }, (_, i) => {
      const x = s[i] as T
      let id = ids.get(x)
      if (id === undefined) ids.set(x, (id = ids.size))
      return id
    })
  return lcsLengthIds(intern(a), intern(b))
}

/**
 * Length of the longest common subsequence of two id sequences, by the textbook dynamic programme over one row
 * (O(m·n) time, O(min(m, n)) memory): the shorter sequence indexes the row. Monomorphic, for the novelty
 * filter's inner loop.
 */
export const lcsLengthIds = (a: Int32Array, b: Int32Array): number => {
  let long = a
  let short = b
  if (a.length < b.length) {
    long = b
    short = a
  }
  const n = short.length
  if (n === 0) return 0
  if (scratch.length < n + 1) scratch = new Int32Array(Math.max(n + 1, scratch.length * 2))
  const row = scratch
  row.fill(0, 0, n + 1)
  for (let i = 0; i < long.length; i++) {
    const x = long[i]!
    let diagonal = 0
    let left = 0 // row[j - 1] of the current row
    for (let j = 1; j <= n; j++) {
      const above = row[j]!
      const value = short[j - 1] === x ? diagonal + 1 : left > above ? left : above
      row[j] = value
      left = value
      diagonal = above
    }
  }
  return row[n]!
}

/** ROUGE-L precision, recall and F1 of two token lists, as rouge_score's `_score_lcs(target, prediction)`. */
export const rougeLTokens = <T>(target: ArrayLike<T>, prediction: ArrayLike<T>): RougeScore => {
  if (target.length === 0 || prediction.length === 0) return { precision: 0, recall: 0, fmeasure: 0 }
  const lcs = lcsLength(target, prediction)
  const precision = lcs / prediction.length
  const recall = lcs / target.length
  return { precision, recall, fmeasure: rougeFmeasure(precision, recall) }
}

/** ROUGE-L of two texts, as `RougeScorer(["rougeL"], use_stemmer=False).score(target, prediction)["rougeL"]`. */
export const rougeL = (target: string, prediction: string): RougeScore =>
  rougeLTokens(rougeTokenize(target), rougeTokenize(prediction))
