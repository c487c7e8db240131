import { createHash } from 'node:crypto'
import { fingerprintKeyConfigured } from '../model/index.js'
import type { PhiFinding, PhiScanResult } from './formats/index.js'
import { PHI_TYPES, type PhiType } from './types.js'

/** What each identifier type is, in the words of 45 CFR 164.514(b)(2)(i). */
export const PHI_TYPE_TITLES: Record<PhiType, string> = {
  NAME: 'Names (patients, relatives, providers)',
  GEO: 'Geographic subdivisions smaller than a state',
  DATE: 'Dates (except year) related to an individual',
  AGE_OVER_89: 'Ages over 89',
  PHONE: 'Telephone numbers',
  FAX: 'Fax numbers',
  EMAIL: 'Email addresses',
  SSN: 'Social Security numbers',
  MRN: 'Medical record numbers',
  HEALTH_PLAN: 'Health plan beneficiary numbers',
  ACCOUNT: 'Account numbers',
  LICENSE: 'Certificate / license numbers',
  VEHICLE: 'Vehicle identifiers and serial numbers, including license plates',
  DEVICE: 'Device identifiers and serial numbers',
  URL: 'Web URLs',
  IP: 'IP addresses',
  BIOMETRIC: 'Biometric identifiers',
  PHOTO: 'Full-face photographs',
  OTHER_ID: 'Other unique identifying numbers or codes',
}

/** Counts per identifier type, and per file, of a PHI scan. */
export function phiSummary(result: PhiScanResult): { byType: Partial<Record<PhiType, number>>; byFile: { file: string; containsPhi: boolean; findings: number; types: PhiType[] }[] } {
  const byType: Partial<Record<PhiType, number>> = {}
  const perFile = new Map<string, { n: number; types: Set<PhiType> }>()
  for (const f of result.findings) {
    byType[f.type] = (byType[f.type] ?? 0) + 1
    const e = perFile.get(f.file) ?? perFile.set(f.file, { n: 0, types: new Set() }).get(f.file)!
    e.n++
    e.types.add(f.type)
  }
  const byFile = result.files.map((f) => {
    const e = perFile.get(f.file)
    return { file: f.file, containsPhi: f.containsPhi, findings: e?.n ?? 0, types: PHI_TYPES.filter((t) => e?.types.has(t)) }
  })
  return { byType, byFile }
}

/** The terminal summary: per identifier type and per file, never a value. */
export function renderPhiTerminal(result: PhiScanResult): string {
  const { byType, byFile } = phiSummary(result)
  const scanned = result.files.filter((f) => f.status === 'scanned').length
  const skipped = result.files.filter((f) => f.status === 'skipped')
  const errors = result.files.filter((f) => f.status === 'error')
  const phiFiles = result.files.filter((f) => f.containsPhi).length
  const out: string[] = []
  out.push(`PhiWall PHI scan — ${scanned} file${scanned === 1 ? '' : 's'} scanned, ${skipped.length} skipped, ${errors.length} with errors`)
  out.push(`Files containing PHI (identifiers together with health information): ${phiFiles}`)
  out.push('')
  out.push(`Identifiers found: ${result.findings.length}`)
  const w = Math.max(...PHI_TYPES.map((t) => t.length))
  for (const t of PHI_TYPES) if (byType[t]) out.push(`  ${t.padEnd(w)}  ${String(byType[t]).padStart(7)}  ${PHI_TYPE_TITLES[t]}`)
  const withHits = byFile.filter((f) => f.findings > 0 || f.containsPhi)
  if (withHits.length) {
    out.push('')
    out.push('Per file:')
    for (const f of withHits.slice(0, 50)) out.push(`  ${f.containsPhi ? 'PHI   ' : 'no PHI'}  ${String(f.findings).padStart(6)}  ${f.file}  (${f.types.join(', ')})`)
    if (withHits.length > 50) out.push(`  … and ${withHits.length - 50} more files (see --format json)`)
  }
  const notes = [...skipped, ...errors]
  if (notes.length) {
    out.push('')
    out.push('Not scanned:')
    for (const f of notes.slice(0, 20)) out.push(`  ${f.status.padEnd(7)}  ${f.file}${f.reason ? `: ${f.reason}` : ''}`)
    if (notes.length > 20) out.push(`  … and ${notes.length - 20} more`)
  }
  return `${out.join('\n')}\n`
}

/** The JSON contract of `phiwall phi scan --format json`: `{ files, findings }`, values masked. */
export function renderPhiJson(result: PhiScanResult): string {
  return `${JSON.stringify({ files: result.files, findings: result.findings })}\n`
}

function artifact(file: string): { uri: string; uriBaseId: string } {
  // archive entries (`a.zip!/x/y`) point at the archive, with the inner path in the message
  const outer = file.split('!/')[0]!
  return { uri: outer.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' }
}

/**
 * SARIF 2.1.0: one rule per identifier type, one result per identifier with its file, line and
 * column and the masked form; a `phiwall/file-contains-phi` result per file that holds PHI.
 */
export function renderPhiSarif(result: PhiScanResult, toolVersion: string): string {
  const types = PHI_TYPES.filter((t) => result.findings.some((f) => f.type === t))
  const rules = [
    ...types.map((t) => ({
      id: `phi/${t}`,
      name: `Phi${t.toLowerCase().replace(/(^|_)(\w)/g, (_m, _u, c: string) => c.toUpperCase())}`,
      shortDescription: { text: `HIPAA identifier: ${PHI_TYPE_TITLES[t]}` },
      fullDescription: { text: `${PHI_TYPE_TITLES[t]} is one of the 18 identifiers of the HIPAA Safe Harbor method (45 CFR 164.514(b)(2)(i)). Remove, tokenise or protect it as PHI.` },
      defaultConfiguration: { level: 'warning' },
      properties: { tags: ['security', 'hipaa', 'phi', 'hipaa/164.514(b)(2)'], 'security-severity': '7.0' },
    })),
    {
      id: 'phi/file-contains-phi',
      name: 'FileContainsPhi',
      shortDescription: { text: 'File holds protected health information' },
      fullDescription: { text: 'The file holds individually identifiable health information: identifiers together with health information. It must be stored, transmitted and accessed as PHI (45 CFR 164.312).' },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security', 'hipaa', 'phi', 'hipaa/164.312(a)(1)', 'hipaa/164.312(e)(1)'], 'security-severity': '8.0' },
    },
  ]
  const index = new Map(rules.map((r, i) => [r.id, i]))
  // the same across runs: by the value's keyed fingerprint when PHIWALL_FINGERPRINT_KEY holds one key
  // for every run (then a finding keeps its alert when lines move), else by its place in the file
  // (the per-process random key would make every run's fingerprints new alerts)
  const byValue = fingerprintKeyConfigured()
  const fingerprint = (f: PhiFinding): string =>
    createHash('sha256')
      .update(byValue ? `${f.type}\u0000${f.file}\u0000${f.masked}` : `${f.type}\u0000${f.file}\u0000${f.line}:${f.column}:${f.length}`)
      .digest('hex')
  const results = [
    ...result.findings.map((f) => ({
      ruleId: `phi/${f.type}`,
      ruleIndex: index.get(`phi/${f.type}`)!,
      level: 'warning',
      message: { text: `${PHI_TYPE_TITLES[f.type]}: ${f.masked}${f.field ? ` in ${f.field}` : ''}${f.file.includes('!/') ? ` (${f.file})` : ''}.` },
      locations: [{ physicalLocation: { artifactLocation: artifact(f.file), region: { startLine: f.line, startColumn: f.column, ...(f.length ? { endColumn: f.column + f.length } : {}) } } }],
      partialFingerprints: { 'phiwallPhiHash/v1': fingerprint(f) },
      properties: { confidence: f.confidence },
    })),
    ...result.files
      .filter((f) => f.containsPhi)
      .map((f) => ({
        ruleId: 'phi/file-contains-phi',
        ruleIndex: index.get('phi/file-contains-phi')!,
        level: 'error',
        message: { text: `${f.file} holds identifiers together with health information.` },
        locations: [{ physicalLocation: { artifactLocation: artifact(f.file) } }],
      })),
  ]
  return `${JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'PhiWall', version: toolVersion, informationUri: 'https://github.com/phiwall/phiwall', rules } }, results, originalUriBaseIds: { '%SRCROOT%': { uri: './' } } }],
  })}\n`
}

function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

const STYLE = 'body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1b1b}table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}th{background:#f3f3f3}.num{text-align:right}.phi{color:#a00;font-weight:600}.mono{font-family:ui-monospace,monospace}'
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64')

/** A self-contained HTML page: summary per type, per file, every identifier masked. No scripts. */
export function renderPhiHtml(result: PhiScanResult, meta: { toolVersion: string; generatedAt: string }): string {
  const { byType, byFile } = phiSummary(result)
  const rowsType = PHI_TYPES.filter((t) => byType[t])
    .map((t) => `<tr><td class="mono">${t}</td><td>${escapeHtml(PHI_TYPE_TITLES[t])}</td><td class="num">${byType[t]}</td></tr>`)
    .join('')
  const rowsFile = byFile
    .map((f) => {
      const st = result.files.find((x) => x.file === f.file)!
      return `<tr><td class="mono">${escapeHtml(f.file)}</td><td>${escapeHtml(st.status)}${st.reason ? `: ${escapeHtml(st.reason)}` : ''}</td><td>${f.containsPhi ? '<span class="phi">PHI</span>' : 'no'}</td><td class="num">${f.findings}</td><td>${escapeHtml(f.types.join(', '))}</td></tr>`
    })
    .join('')
  const rowsHits = result.findings
    .slice(0, 5000)
    .map((f) => `<tr><td class="mono">${f.type}</td><td class="mono">${escapeHtml(f.file)}:${f.line}:${f.column}</td><td class="mono">${escapeHtml(f.field ?? '')}</td><td class="mono">${escapeHtml(f.masked)}</td><td class="num">${f.confidence.toFixed(2)}</td></tr>`)
    .join('')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${STYLE_HASH}'">
<title>PhiWall PHI scan</title><style>${STYLE}</style></head>
<body><main>
<h1>PHI scan</h1>
<p>PhiWall ${escapeHtml(meta.toolVersion)}, ${escapeHtml(meta.generatedAt)}. ${result.files.length} files; ${result.files.filter((f) => f.containsPhi).length} contain PHI (identifiers together with health information); ${result.findings.length} identifiers. Values are never shown: each is masked (length and a salted fingerprint).</p>
<h2>By identifier type</h2>
<table><thead><tr><th scope="col">Type</th><th scope="col">HIPAA identifier</th><th scope="col" class="num">Found</th></tr></thead><tbody>${rowsType}</tbody></table>
<h2>By file</h2>
<table><thead><tr><th scope="col">File</th><th scope="col">Status</th><th scope="col">PHI</th><th scope="col" class="num">Identifiers</th><th scope="col">Types</th></tr></thead><tbody>${rowsFile}</tbody></table>
<h2>Identifiers${result.findings.length > 5000 ? ' (first 5,000; the JSON report has all)' : ''}</h2>
<table><thead><tr><th scope="col">Type</th><th scope="col">Location</th><th scope="col">Field</th><th scope="col">Masked</th><th scope="col" class="num">Confidence</th></tr></thead><tbody>${rowsHits}</tbody></table>
</main></body></html>
`
}
