import type { Detector, PhiHit, PhiType } from '../../types.js'

const PATTERNS: [RegExp, PhiType][] = [
  [/\b\d{3}-\d{2}-\d{4}\b/g, 'SSN'],
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, 'EMAIL'],
  [/\(\d{3}\) ?\d{3}-\d{4}/g, 'PHONE'],
  [/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, 'IP'],
  [/\b\d{4}-\d{2}-\d{2}\b/g, 'DATE'],
  [/\bMRN\d{5,}\b/g, 'MRN'],
]

/** A small stand-in for the real detectors: regexes for a few types, and whole values of `*name*` fields as NAME. */
export const fakeDetect: Detector = (text, ctx) => {
  const hits: PhiHit[] = []
  if (ctx?.field && /name/i.test(ctx.field) && !/^(?:service|host|file|table)_?name$/i.test(ctx.field) && text.trim() !== '') {
    const a = text.length - text.trimStart().length
    hits.push({ type: 'NAME', start: a, end: text.trimEnd().length, confidence: 0.85, detector: 'fake-name' })
  }
  for (const [re, type] of PATTERNS) {
    re.lastIndex = 0
    for (let m = re.exec(text); m; m = re.exec(text)) hits.push({ type, start: m.index, end: m.index + m[0].length, confidence: 0.95, detector: `fake-${type.toLowerCase()}` })
  }
  return hits
}
