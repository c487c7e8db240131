import { describe, expect, it } from 'vitest'
import type { Detector } from '../types.js'
import { evaluateSpans, mergeAdjacent, presidioMapping, presidioSamples } from './index.js'
import type { EvalSample } from './index.js'

const samples: EvalSample[] = presidioSamples([
  {
    full_text: 'Anna Berg lives at Puruntie 82 28245, Oulu, Finland',
    spans: [
      { entity_type: 'PERSON', start_position: 0, end_position: 9 },
      { entity_type: 'STREET_ADDRESS', start_position: 19, end_position: 30 },
      { entity_type: 'STREET_ADDRESS', start_position: 31, end_position: 36 },
      { entity_type: 'GPE', start_position: 38, end_position: 42 },
      { entity_type: 'GPE', start_position: 44, end_position: 51 },
    ],
  },
  { full_text: 'Acme Corp hired Bo.', spans: [{ entity_type: 'ORGANIZATION', start_position: 0, end_position: 9 }, { entity_type: 'PERSON', start_position: 16, end_position: 18 }] },
])

/** A fixed detector: NAME on `Anna Berg` and on the organisation, GEO on the street and on the country. */
const fixed: Detector = (text) =>
  text.startsWith('Anna')
    ? [
        { type: 'NAME', start: 0, end: 9, confidence: 1, detector: 't' },
        { type: 'GEO', start: 19, end: 30, confidence: 1, detector: 't' },
        { type: 'GEO', start: 44, end: 51, confidence: 1, detector: 't' },
      ]
    : [{ type: 'NAME', start: 0, end: 4, confidence: 1, detector: 't' }]

describe('evaluateSpans', () => {
  it('maps presidio types, merges adjacent gold pieces and ignores countries', () => {
    const r = evaluateSpans(samples, fixed, presidioMapping, { types: ['NAME', 'GEO'] })
    // GEO gold: street, ZIP and Oulu merged into one span (spaces and commas between); Finland is ignored.
    expect(r.perType.GEO).toMatchObject({ gold: 1, goldFound: 1, predicted: 1, predictedCorrect: 1, precision: 1, recall: 1 })
    // NAME gold: Anna Berg and Bo; the NAME on the organisation is a false positive.
    expect(r.perType.NAME).toMatchObject({ gold: 2, goldFound: 1, predicted: 2, predictedCorrect: 1, precision: 0.5, recall: 0.5 })
    expect(r.perType.NAME?.f2).toBeCloseTo(0.5)
    expect(r.overall).toMatchObject({ gold: 3, goldFound: 2, predicted: 3, predictedCorrect: 2 })
    expect(r.errors.filter((e) => e.kind === 'fp')).toEqual([{ sample: 1, kind: 'fp', type: 'NAME', start: 0, end: 4 }])
  })

  it('applies an IoU threshold when asked', () => {
    const partial: Detector = () => [{ type: 'NAME', start: 0, end: 4, confidence: 1, detector: 't' }]
    const one = [samples[0] as EvalSample]
    expect(evaluateSpans(one, partial, presidioMapping, { types: ['NAME'] }).perType.NAME?.recall).toBe(1)
    expect(evaluateSpans(one, partial, presidioMapping, { types: ['NAME'], minIou: 0.5 }).perType.NAME?.recall).toBe(0)
  })

  it('merges only same-type pieces separated by spaces and commas', () => {
    expect(mergeAdjacent('a b. c', [{ type: 'GEO', start: 0, end: 1 }, { type: 'GEO', start: 2, end: 3 }, { type: 'GEO', start: 5, end: 6 }])).toEqual([
      { type: 'GEO', start: 0, end: 3 },
      { type: 'GEO', start: 5, end: 6 },
    ])
  })

  it('maps bare years and ages up to 89 to ignore', () => {
    const text = 'In 1977 she was 91, he 40'
    expect(presidioMapping({ type: 'DATE_TIME', start: 3, end: 7 }, text)).toBe('ignore')
    expect(presidioMapping({ type: 'AGE', start: 16, end: 18 }, text)).toBe('AGE_OVER_89')
    expect(presidioMapping({ type: 'AGE', start: 23, end: 25 }, text)).toBe('ignore')
    expect(presidioMapping({ type: 'NRP', start: 0, end: 2 }, text)).toBeUndefined()
  })
})
