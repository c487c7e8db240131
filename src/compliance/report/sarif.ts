import { createHash } from 'node:crypto'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Finding, ScanResult, Severity } from '../../model/index.js'

/** GitHub code scanning's `security-severity` for each severity (CVSS-like scale). */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' }
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' }

const pascal = (id: string): string =>
  id
    .split(/[/-]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('')

function artifact(file: string): { uri: string; uriBaseId?: string } {
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href }
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' }
}

/** A fingerprint that survives line moves: check, resource and what the finding is about. */
export function findingFingerprint(f: Finding): string {
  return createHash('sha256').update(`${f.checkId}\u0000${f.resourceId}\u0000${f.message.replace(/\d+ (routes?|permissions?|environment variables)/g, '')}`).digest('hex')
}

/**
 * SARIF 2.1.0 log that GitHub code scanning accepts: one rule per check with `security-severity`
 * and the controls as tags, one result per failing (or manual, as `review`) finding with its file
 * and line, suppressions as SARIF suppressions, and file diagnostics as tool notifications.
 */
export function renderSarif(result: ScanResult, cwd = process.cwd()): string {
  const checks = result.checks
  const ruleIndex = new Map(checks.map((c, i) => [c.id, i]))
  const rules = checks.map((c) => ({
    id: c.id,
    name: pascal(c.id),
    shortDescription: { text: c.title },
    fullDescription: { text: c.rationale },
    help: {
      text: `${c.remediation.text}${c.remediation.cloudformation ? `\nCloudFormation: ${c.remediation.cloudformation}` : ''}${c.remediation.terraform ? `\nTerraform: ${c.remediation.terraform}` : ''}${c.remediation.kubernetes ? `\nKubernetes: ${c.remediation.kubernetes}` : ''}${c.remediation.dockerfile ? `\nDockerfile: ${c.remediation.dockerfile}` : ''}${c.remediation.compose ? `\nCompose: ${c.remediation.compose}` : ''}`,
      markdown: [
        `**${c.title}**`,
        '',
        c.rationale,
        '',
        `**Remediation.** ${c.remediation.text}`,
        ...(c.remediation.cloudformation ? ['', '```yaml', c.remediation.cloudformation, '```'] : []),
        ...(c.remediation.terraform ? ['', '```hcl', c.remediation.terraform, '```'] : []),
        ...(c.remediation.kubernetes ? ['', '```yaml', c.remediation.kubernetes, '```'] : []),
        ...(c.remediation.dockerfile ? ['', '```dockerfile', c.remediation.dockerfile, '```'] : []),
        ...(c.remediation.compose ? ['', '```yaml', c.remediation.compose, '```'] : []),
        '',
        `NIST CSF: ${c.controls.csf.join(', ') || '—'} · HIPAA: ${c.controls.hipaa.join(', ') || '—'} · FERPA: ${c.controls.ferpa.join(', ') || '—'}`,
        ...(peerIds(c.references).length ? ['', `Also known as: ${peerIds(c.references).join(', ')}`] : []),
      ].join('\n'),
    },
    helpUri: `https://github.com/phiwall/phiwall/blob/main/docs/checks.md#${c.id.replace(/[^a-z0-9]+/g, '-')}`,
    defaultConfiguration: { level: LEVEL[c.severity] },
    properties: {
      tags: ['security', 'hipaa', ...c.controls.csf.map((x) => `csf/${x}`), ...c.controls.hipaa.map((x) => `hipaa/${x}`)],
      'security-severity': SECURITY_SEVERITY[c.severity],
      precision: 'high',
      'problem.severity': LEVEL[c.severity] === 'note' ? 'recommendation' : LEVEL[c.severity],
    },
  }))
  const results = result.findings
    .filter((f) => f.status === 'fail' || f.status === 'manual')
    .map((f) => {
      const res: Record<string, unknown> = {
        ruleId: f.checkId,
        ruleIndex: ruleIndex.get(f.checkId) ?? -1,
        kind: f.status === 'manual' ? 'review' : 'fail',
        level: f.status === 'manual' ? 'note' : LEVEL[f.severity],
        message: { text: f.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: artifact(f.location.file),
              ...(f.location.line !== undefined ? { region: { startLine: f.location.line } } : {}),
            },
            logicalLocations: [{ name: f.resourceId, kind: 'resource' }],
          },
        ],
        partialFingerprints: { 'phiwallFindingHash/v1': findingFingerprint(f) },
        properties: { resourceId: f.resourceId, controls: f.controls, severity: f.severity },
      }
      if (f.suppressed) res['suppressions'] = [{ kind: 'inSource', status: 'accepted', justification: `${f.suppressed.reason}${f.suppressed.owner ? ` (owner ${f.suppressed.owner})` : ''}${f.suppressed.expires ? ` until ${f.suppressed.expires}` : ''}` }]
      if ((ruleIndex.get(f.checkId) ?? -1) < 0) delete res['ruleIndex']
      return res
    })
  const notifications = result.files.flatMap((file) =>
    file.diagnostics.map((d) => ({
      level: d.level === 'error' ? 'error' : 'warning',
      message: { text: d.message },
      descriptor: { id: d.code },
      locations: [{ physicalLocation: { artifactLocation: artifact(d.file), ...(d.line !== undefined ? { region: { startLine: d.line } } : {}) } }],
    })),
  )
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'PhiWall',
            version: result.tool.version,
            semanticVersion: result.tool.version,
            informationUri: 'https://github.com/phiwall/phiwall',
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd.endsWith(path.sep) ? cwd : cwd + path.sep).href } },
        invocations: [{ executionSuccessful: true, startTimeUtc: result.startedAt, toolExecutionNotifications: notifications }],
        results,
        automationDetails: { id: `phiwall/scan/${result.startedAt}` },
      },
    ],
  }
  return JSON.stringify(log, null, 2) + '\n'
}

/** Every peer rule and benchmark item a check corresponds to. */
function peerIds(r: { awsConfig: string[]; cdkNag: string[]; prowler: string[]; pss?: string[]; cis?: string[] }): string[] {
  return [...r.awsConfig, ...r.cdkNag, ...r.prowler, ...(r.pss ?? []).map((x) => `Pod Security Standards ${x}`), ...(r.cis ?? [])]
}
