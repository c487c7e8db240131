// A deliberately simple stand-in for dist/phi/index.js (`node bench/phi.mjs --detector stub`), so the
// harness can be run and checked before the real detectors land. Its figures mean nothing about
// PhiWall; they only show that every section of the benchmark computes and prints.
import fs from 'node:fs'

const luhn = (s) => { let sum = 0; for (let i = 0; i < s.length; i++) { let d = s.charCodeAt(s.length - 1 - i) - 48; if (i % 2) { d *= 2; if (d > 9) d -= 9 } sum += d } return sum % 10 === 0 }
const RULES = [
  ['SSN', /\b(?!000|666|9\d\d)\d{3}[- ](?!00)\d{2}[- ](?!0000)\d{4}\b/g],
  ['EMAIL', /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g],
  ['URL', /\bhttps?:\/\/[^\s"'<>]+/g],
  ['IP', /\b(?:\d{1,3}\.){3}\d{1,3}\b/g],
  ['PHONE', /(?:\+1[ -])?\(?\b\d{3}\)?[ .-]?\d{3}[.-]\d{4}\b/g],
  ['DATE', /\b(?:\d{1,2}\/\d{1,2}\/\d{2,4}|\d{4}-\d{2}-\d{2}|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}(?:, \d{4})?)\b/g],
  ['MRN', /(?<=MRN:? )\d{6,8}\b/g],
  ['HEALTH_PLAN', /\b[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y\d]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y\d]\d-?[AC-HJKMNP-RT-Y]{2}\d{2}\b/g],
  ['LICENSE', /\b[12]\d{9}\b/g, (m) => luhn('80840' + m)],
]
/** Regexes for a few structured identifiers. */
export function detectStructured(text) {
  const hits = []
  for (const [type, re, ok] of RULES) {
    for (const m of text.matchAll(re)) if (!ok || ok(m[0])) hits.push({ type, start: m.index, end: m.index + m[0].length, confidence: 0.8, detector: `stub-${type.toLowerCase()}` })
  }
  return hits
}
/** Names after a title or a "Patient:" cue. */
export function detectNames(text) {
  const hits = []
  for (const m of text.matchAll(/(?:\b(?:Dr|Mr|Ms|Mrs)\. |Patient(?: Name)?: |Name: )([A-Z][a-z]+(?: [A-Z][a-z]+)?)/g)) {
    const start = m.index + m[0].length - m[1].length
    hits.push({ type: 'NAME', start, end: start + m[1].length, confidence: 0.7, detector: 'stub-name' })
  }
  return hits
}
/** ZIP codes after a state abbreviation. */
export function detectGeo(text) {
  const hits = []
  for (const m of text.matchAll(/\b[A-Z]{2} (\d{5}(?:-\d{4})?)\b/g)) { const start = m.index + 3; hits.push({ type: 'GEO', start, end: start + m[1].length, confidence: 0.6, detector: 'stub-zip' }) }
  return hits
}
export function detectAll(text, ctx) { return [...detectStructured(text, ctx), ...detectNames(text, ctx), ...detectGeo(text, ctx)].sort((a, b) => a.start - b.start) }

const HEALTH = /\b[A-TV-Z]\d{2}\.\d{1,4}[A-Z]?\b|\bdiagnos|\bICD-10\b|"resourceType"|^MSH\|/m
/** File scan with the JSON contract's shape: whole-text detection, line/column, a health-cue rule. */
export async function scanPhiFiles(paths, { detect = detectAll } = {}) {
  const files = [], findings = []
  for (const file of paths) {
    const text = fs.readFileSync(file, 'utf8'), hits = detect(text, {})
    const starts = [0]
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
    let li = 0
    for (const h of [...hits].sort((a, b) => a.start - b.start)) {
      while (li + 1 < starts.length && starts[li + 1] <= h.start) li++
      findings.push({ type: h.type, file, line: li + 1, column: h.start - starts[li] + 1, length: h.end - h.start, confidence: h.confidence, masked: `[${h.type}]` })
    }
    files.push({ file, status: 'ok', containsPhi: hits.some((h) => h.type !== 'IP') && HEALTH.test(text) })
  }
  return { files, findings }
}
