import type { CheckInfo, Component, Finding, Severity } from '../model/index.js'
import type { VulnMatch, VulnSeverity } from './match.js'

/** The check id every vulnerability finding carries. */
export const VULN_CHECK_ID = 'vulns/known-vulnerability'

/**
 * The check behind vulnerability findings: one entry in the report's check list, so the
 * controls it bears on roll up like any configuration check's.
 */
export const VULN_CHECK: CheckInfo = {
  id: VULN_CHECK_ID,
  title: 'Third-party component has no known vulnerability',
  severity: 'high',
  resourceKinds: ['package'],
  rationale:
    'Libraries and OS packages with published vulnerabilities are the commonest way into an application that handles PHI: the exploit is public and the fix is known. HIPAA asks for a risk analysis and risk management (164.308(a)(1)(ii)(A)-(B)); the NIST CSF asks that asset vulnerabilities be identified (ID.RA-1), scanned for (DE.CM-8) and managed under a plan (PR.IP-12). Each finding names the package, the installed version, the advisory ids merged across sources, the CVSS score and vector, and the smallest upgrade that clears it. The severity of each finding is that of its vulnerability (CVSS v3 base score, else v4, else v2, else the advisory\'s own rating; unrated advisories count as medium).',
  remediation: {
    text: 'Upgrade the package to the fixed version shown (the smallest upgrade that clears every advisory merged into the finding), regenerate the lockfile or rebuild the image, and rescan. Where the vulnerable code cannot be reached, record that in a VEX document (OpenVEX or CycloneDX, `not_affected` with a justification) and pass it with `--vex`.',
    cli: 'npm install lodash@4.17.21   # or: pip install "django>=3.2.25"; go get golang.org/x/net@v0.23.0; apt-get install --only-upgrade openssl',
  },
  controls: {
    csf: ['ID.RA-1', 'DE.CM-8', 'PR.IP-12'],
    hipaa: ['164.308(a)(1)(ii)(A)', '164.308(a)(1)(ii)(B)'],
    ferpa: ['FERPA-VULNERABILITY-SCANNING', 'FERPA-PATCH-MANAGEMENT'],
  },
  references: { awsConfig: [], cdkNag: [], prowler: ['inspector2_active_findings_exist'] },
}

/** Finding severity of a vulnerability: unrated advisories are treated as medium. */
export function findingSeverity(s: VulnSeverity): Severity {
  return s === 'unknown' ? 'medium' : s
}

function componentLabel(c: Component): string {
  return `${c.ecosystem} package ${c.name} ${c.version}`
}

/** Resource id of a component in findings: its purl. */
export function componentResourceId(c: Component): string {
  return c.purl
}

/**
 * Vulnerability findings: one `fail` per vulnerability per component (suppressed when a VEX
 * statement says `not_affected` or `fixed`), and one `pass` per scanned component source with
 * nothing found, so the controls show the scan happened.
 */
export function vulnerabilityFindings(components: Component[], matches: VulnMatch[]): Finding[] {
  const out: Finding[] = []
  const controls = VULN_CHECK.controls
  const references = VULN_CHECK.references
  for (const m of matches) {
    const c = m.component
    const loc = c.locations[0] ?? { file: '' }
    const rating = m.severity === 'unknown' ? 'severity not rated' : `${m.severity}${m.cvss ? ` ${m.cvss.score.toFixed(1)}` : ''}`
    const fixText = m.fix ? `; upgrade to ${m.fix}` : m.fixedVersions.length ? `; fixed in ${m.fixedVersions.join(', ')}` : '; no fixed version published'
    const vex = m.vex
    const suppressing = vex && (vex.status === 'not_affected' || vex.status === 'fixed')
    out.push({
      checkId: VULN_CHECK_ID,
      title: VULN_CHECK.title,
      resourceId: componentResourceId(c),
      status: 'fail',
      severity: findingSeverity(m.severity),
      message: `${componentLabel(c)} has ${m.id} (${rating})${m.summary ? `: ${oneLine(m.summary)}` : ''}${fixText}.`,
      evidence: {
        package: c.name,
        ecosystem: c.ecosystem,
        ...(c.release ? { release: c.release } : {}),
        version: c.version,
        ...(c.sourceName || c.sourceVersion ? { sourcePackage: c.sourceName ?? c.name, sourceVersion: c.sourceVersion ?? c.version } : {}),
        purl: c.purl,
        vulnerability: m.id,
        ids: m.ids,
        records: m.records,
        ...(m.summary ? { summary: oneLine(m.summary) } : {}),
        severity: m.severity,
        severitySource: m.severitySource,
        ...(m.cvss ? { cvss: m.cvss } : {}),
        fixedVersions: m.fixedVersions,
        ...(m.fix ? { fix: m.fix } : {}),
        ...(m.kev ? { kev: true } : {}),
        ...(m.epss !== undefined ? { epss: m.epss } : {}),
        ...(c.direct !== undefined ? { direct: c.direct } : {}),
        ...(c.scope ? { scope: c.scope } : {}),
        ...(c.paths?.length ? { paths: c.paths.map((p) => p.join(' > ')) } : {}),
        locations: c.locations.map((l) => `${l.file}${l.line ? `:${l.line}` : ''}${l.layer ? ` (layer ${l.layer})` : ''}`),
        references: m.references,
        ...(vex ? { vex: { status: vex.status, ...(vex.justification ? { justification: vex.justification } : {}), ...(vex.detail ? { detail: vex.detail } : {}), source: vex.source.file } } : {}),
      },
      location: { file: loc.file, ...(loc.line ? { line: loc.line } : {}) },
      remediation: m.fix ? `Upgrade ${c.name} from ${c.version} to ${m.fix} or later.` : m.fixedVersions.length ? `Upgrade ${c.name} to a fixed version (${m.fixedVersions.join(', ')}).` : `No fixed version of ${c.name} is published; remove or replace it, or record why it is not exploitable in a VEX statement.`,
      controls,
      references,
      ...(suppressing
        ? {
            suppressed: {
              reason: `VEX ${vex.status}${vex.justification ? ` (${vex.justification})` : ''}${vex.detail ? `: ${oneLine(vex.detail)}` : ''}`,
              source: `vex ${vex.source.format} ${vex.source.file}`,
            },
          }
        : {}),
    })
  }
  // a pass per source file whose components have no known vulnerability
  const failing = new Set(matches.map((m) => m.component.locations[0]?.file))
  const bySource = new Map<string, number>()
  for (const c of components) {
    for (const l of c.locations) {
      const file = sourceFile(l.file)
      bySource.set(file, (bySource.get(file) ?? 0) + 1)
    }
  }
  const failingSources = new Set([...failing].filter((f): f is string => !!f).map(sourceFile))
  for (const [file, count] of [...bySource].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (failingSources.has(file)) continue
    out.push({
      checkId: VULN_CHECK_ID,
      title: VULN_CHECK.title,
      resourceId: `file:${file}`,
      status: 'pass',
      severity: VULN_CHECK.severity,
      message: `No known vulnerability in the ${count} component${count === 1 ? '' : 's'} of ${file}.`,
      evidence: { components: count },
      location: { file },
      remediation: VULN_CHECK.remediation.text,
      controls,
      references,
    })
  }
  return out
}

/** The lockfile or archive a location belongs to: for `image.tar!/var/lib/dpkg/status`, the whole image. */
function sourceFile(file: string): string {
  const i = file.indexOf('!/')
  return i === -1 ? file : file.slice(0, i)
}

function oneLine(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim()
  return t.length > 200 ? `${t.slice(0, 197)}…` : t
}
