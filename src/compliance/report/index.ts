import type { ScanResult } from '../../model/index.js'
import { renderCsv } from './csv.js'
import { renderHtml } from './html.js'
import { jsonReportChunks, renderJson } from './json.js'
import { renderOscal } from './oscal.js'
import { renderSarif } from './sarif.js'
import { renderTerminal } from './terminal.js'

export { buildJsonReport, renderJson, jsonReportChunks, REPORT_SCHEMA_VERSION } from './json.js'
export type { JsonReport } from './json.js'
export { renderSarif, findingFingerprint } from './sarif.js'
export { renderCsv, csvField } from './csv.js'
export { renderTerminal } from './terminal.js'
export type { TerminalOptions } from './terminal.js'
export { renderHtml, escapeHtml } from './html.js'
export { renderOscal, uuidV5, resourceUuid, OSCAL_VERSION, PHIWALL_OSCAL_NS, PHIWALL_UUID_NAMESPACE, HIPAA_CATALOG_UUID } from './oscal.js'
export type { OscalOptions } from './oscal.js'

/** Report formats and their renderers: a map, picked by `--format`. */
const RENDERERS = {
  json: { extension: 'json', render: renderJson },
  sarif: { extension: 'sarif', render: (r: ScanResult) => renderSarif(r) },
  csv: { extension: 'csv', render: renderCsv },
  text: { extension: 'txt', render: (r: ScanResult) => renderTerminal(r, { color: false, allControls: true, maxFindings: 1000 }) },
  html: { extension: 'html', render: renderHtml },
  oscal: { extension: 'oscal.json', render: (r: ScanResult) => renderOscal(r) },
} as const

/** A report format name. */
export type ReportFormat = keyof typeof RENDERERS

/** Every report format. */
export const REPORT_FORMATS = Object.keys(RENDERERS) as ReportFormat[]

/** Render a scan result in a format; also gives the file extension for `--out`. */
export function renderReport(result: ScanResult, format: ReportFormat): { text: string; extension: string } {
  const r = RENDERERS[format]
  return { text: r.render(result), extension: r.extension }
}

/**
 * Render a scan result as text chunks, for writing to a file or stdout as they come: the JSON
 * report streams (a large scan's report is never one string), other formats are one chunk.
 */
export function renderReportChunks(result: ScanResult, format: ReportFormat): { chunks: Iterable<string>; extension: string } {
  const r = RENDERERS[format]
  return { chunks: format === 'json' ? jsonReportChunks(result) : [r.render(result)], extension: r.extension }
}
