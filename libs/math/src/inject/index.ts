/** Error injection for math solutions: programmatic RISE preference pairs and LEMMA correction traces. */
export { RISE_ERROR_TYPES, injectError, diffSpan, firstDifferingStep } from "./rise.ts"
export type { RiseErrorType, RiseInjection, NoInjection, InjectOptions, TextEditRecord } from "./rise.ts"
export { risePairs, stripBoxed } from "./rise-rows.ts"
export type { RiseFullPair, RiseStepPair } from "./rise-rows.ts"
export { LEMMA_ERROR_TYPES, PROGRAMMATIC_LEMMA_TYPES, LEMMA_ERROR_LEADS, injectLemmaError } from "./lemma.ts"
export type { LemmaErrorType, LemmaInjection } from "./lemma.ts"
export { TRANSITION_PHRASES, RESTART_PHRASES, CONTINUE_PHRASES, lemmaTrace, buildLemmaTrace } from "./lemma-trace.ts"
export type { LemmaStrategy, LemmaTrace, LemmaTraceOptions } from "./lemma-trace.ts"
