import type { ScanResult } from '../../model/index.js'

/**
 * One CSV field, RFC 4180 quoted, and defused against spreadsheet formula injection: a value
 * starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading apostrophe (OWASP).
 */
export function csvField(v: unknown): string {
  let s = v === undefined || v === null ? '' : Array.isArray(v) ? v.join(' ') : String(v)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** Findings as CSV: one row per finding, for spreadsheets and evidence bundles. */
export function renderCsv(result: ScanResult): string {
  const header = ['status', 'severity', 'check_id', 'title', 'resource_id', 'resource_kind', 'environment', 'holds_phi', 'file', 'line', 'message', 'csf', 'hipaa', 'ferpa', 'aws_config', 'cdk_nag', 'prowler', 'suppressed_reason', 'remediation']
  const byId = new Map(result.inventory.resources.map((r) => [r.id, r]))
  const rows = [header.join(',')]
  for (const f of result.findings) {
    const r = byId.get(f.resourceId)
    rows.push(
      [
        f.suppressed ? 'suppressed' : f.status,
        f.severity,
        f.checkId,
        f.title,
        f.resourceId,
        r?.kind,
        r?.environment,
        r?.holdsPhi,
        f.location.file,
        f.location.line,
        f.message,
        f.controls.csf,
        f.controls.hipaa,
        f.controls.ferpa,
        f.references.awsConfig,
        f.references.cdkNag,
        f.references.prowler,
        f.suppressed?.reason,
        f.remediation,
      ]
        .map(csvField)
        .join(','),
    )
  }
  return rows.join('\r\n') + '\r\n'
}
