/**
 * NAME and GEO detection: person names (lexicon + cues) and geographic units smaller than a state,
 * plus a span-level evaluator for labelled corpora.
 */
export { detectNames, isPersonField } from './names.js'
export { detectGeo, isStateOrCountry } from './geo.js'
export { US_STATES, STREET_SUFFIXES } from './geo-data.js'
export { evaluateSpans, presidioMapping, presidioSamples, mergeAdjacent } from './eval.js'
export type { EvalError, EvalOptions, EvalResult, EvalSample, GoldMapping, GoldSpan, TypeScore } from './eval.js'
