import { createHash, randomUUID } from 'node:crypto'
import type { ControlResult, Finding, PeerReferences, Resource, ScanResult } from '../../model/index.js'
import { hipaaEntry } from '../catalog/index.js'

/** OSCAL version the assessment results follow (and are validated against in tests). */
export const OSCAL_VERSION = '1.0.6'

/** Namespace of PhiWall's own OSCAL property names (`props[].ns`). */
export const PHIWALL_OSCAL_NS = 'https://phiwall.dev/ns/oscal'

/** UUID of the OSCAL HIPAA catalog (data/oscal/hipaa-catalog.json) the control ids belong to. */
export const HIPAA_CATALOG_UUID = '73404cd8-888b-45df-a747-9deb19415d51'

/** Where the OSCAL HIPAA catalog comes from (oscal-compass/oscal-content, pinned commit). */
const HIPAA_CATALOG_HREF = 'https://github.com/oscal-compass/oscal-content/tree/623e0dea843569a632a30419fd8685f1d8740eff/catalogs/hipaa-2.0.0'

/** RFC 4122 name-based UUID, version 5 (SHA-1): the same name in the same namespace gives the same UUID. */
export function uuidV5(name: string, namespace: string): string {
  const ns = namespace.replace(/-/g, '')
  if (!/^[0-9a-fA-F]{32}$/.test(ns)) throw new TypeError(`uuidV5: namespace ${namespace} is not a UUID`)
  const hash = createHash('sha1').update(Buffer.from(ns, 'hex')).update(name, 'utf8').digest()
  const b = Buffer.from(hash.subarray(0, 16))
  b[6] = (b[6]! & 0x0f) | 0x50 // version 5
  b[8] = (b[8]! & 0x3f) | 0x80 // RFC 4122 variant
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** RFC 4122 Appendix C name space for URLs. */
const NAMESPACE_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8'

/** PhiWall's UUIDv5 namespace: uuidV5(PHIWALL_OSCAL_NS, NAMESPACE_URL). */
export const PHIWALL_UUID_NAMESPACE = uuidV5(PHIWALL_OSCAL_NS, NAMESPACE_URL)

/** The OSCAL subject / inventory-item UUID of a resource: stable across scans, derived from its id. */
export function resourceUuid(resourceId: string): string {
  return uuidV5(resourceId, PHIWALL_UUID_NAMESPACE)
}

/** Options of {@link renderOscal}. */
export interface OscalOptions {
  /** The document UUID (default: random, as OSCAL wants a new one for every document instance). */
  documentUuid?: string
}

interface Prop {
  name: string
  value: string
  ns?: string
  remarks?: string
}

// OSCAL strings ("StringDatatype") have no leading/trailing space and no line breaks.
const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim()
const prop = (name: string, value: string | number): Prop[] => {
  const v = oneLine(String(value))
  return v ? [{ name, ns: PHIWALL_OSCAL_NS, value: v }] : []
}
const withProps = (props: Prop[]): { props?: Prop[] } => (props.length ? { props } : {})
/** "Also known as": one prop per peer rule name (`aws-config-rule`, `cdk-nag-rule`, `prowler-check`, `pss-control`, `cis-item`). */
const peerProps = (r: PeerReferences): Prop[] => [
  ...r.awsConfig.flatMap((id) => prop('aws-config-rule', id)),
  ...r.cdkNag.flatMap((id) => prop('cdk-nag-rule', id)),
  ...r.prowler.flatMap((id) => prop('prowler-check', id)),
  ...(r.pss ?? []).flatMap((id) => prop('pss-control', id)),
  ...(r.cis ?? []).flatMap((id) => prop('cis-item', id)),
]
const sentence = (s: string): string => (/[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`)
const loc = (l: { file: string; line?: number }): string => `${l.file}${l.line !== undefined ? `:${l.line}` : ''}`

/** A file path as a URI reference: relative paths stay relative, absolute ones become file: URIs. */
function fileHref(file: string): string {
  const p = file.replace(/\\/g, '/')
  const enc = (s: string): string => s.split('/').map(encodeURIComponent).join('/')
  if (/^[A-Za-z]:\//.test(p)) return `file:///${p.slice(0, 2)}${enc(p.slice(2))}`
  if (p.startsWith('/')) return `file://${enc(p)}`
  return enc(p)
}

/** An ISO date-time OSCAL accepts (timezone required), or undefined. */
function oscalDateTime(s: string | undefined): string | undefined {
  if (!s) return undefined
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T23:59:59Z` : s)
  if (Number.isNaN(t)) return undefined
  const iso = new Date(t).toISOString()
  return /^(19|2\d)\d\d-/.test(iso) ? iso : undefined
}

type ObsStatus = 'fail' | 'error' | 'suppressed' | 'manual' | 'pass'
const keyOf = (f: Finding): ObsStatus => (f.status === 'fail' && f.suppressed ? 'suppressed' : f.status)
const STATUS_ORDER: ObsStatus[] = ['fail', 'error', 'suppressed', 'manual', 'pass']

/** One check on one resource: every finding of the pair (a check can report several routes of one API). */
interface Group {
  checkId: string
  resourceId: string
  findings: Finding[]
  status: ObsStatus
  uuid: string
  riskUuid?: string
}

function evidenceRemarks(f: Finding): string | undefined {
  const lines = Object.entries(f.evidence ?? {}).map(([k, v]) => {
    let text: string
    try {
      text = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v))
    } catch {
      text = String(v)
    }
    return `${k}: ${text}`
  })
  return lines.length ? lines.join('\n') : undefined
}

/**
 * OSCAL 1.0.6 assessment results for a scan: one result whose reviewed controls are the OSCAL HIPAA
 * catalog controls the scan's HIPAA entries reach, one observation per check × resource, one
 * finding per judged catalog control, and one risk (deviation approved) per suppressed failure.
 * Every UUID but the document's is UUIDv5 from stable names, so two renderings of the same scan
 * differ only in timestamps and the document UUID. Resource properties are never included.
 */
export function renderOscal(result: ScanResult, options: OscalOptions = {}): string {
  const start = oscalDateTime(result.startedAt) ?? new Date(0).toISOString()
  const end = new Date(Date.parse(start) + Math.max(0, result.durationMs)).toISOString()
  const resultUuid = uuidV5(`result\u0000${result.tool.name}\u0000${result.inputs.join('\u0000')}`, PHIWALL_UUID_NAMESPACE)
  const child = (name: string): string => uuidV5(name, resultUuid)
  const partyUuid = uuidV5('party\u0000phiwall', PHIWALL_UUID_NAMESPACE)
  const toolUuid = uuidV5('component\u0000phiwall', PHIWALL_UUID_NAMESPACE)
  const platformUuid = uuidV5('assessment-platform\u0000phiwall-cli', PHIWALL_UUID_NAMESPACE)
  const apPlaceholderUuid = child('assessment-plan-placeholder')
  const catalogResourceUuid = uuidV5(`catalog\u0000${HIPAA_CATALOG_UUID}`, PHIWALL_UUID_NAMESPACE)
  const checks = new Map(result.checks.map((c) => [c.id, c]))
  const resources = new Map(result.inventory.resources.map((r) => [r.id, r]))

  // observations: one per check × resource
  const groups = new Map<string, Group>()
  for (const f of result.findings) {
    const key = `${f.checkId}\u0000${f.resourceId}`
    const g = groups.get(key) ?? groups.set(key, { checkId: f.checkId, resourceId: f.resourceId, findings: [], status: 'pass', uuid: child(`observation\u0000${key}`) }).get(key)!
    g.findings.push(f)
  }
  const sortedGroups = [...groups.values()].sort((a, b) => a.checkId.localeCompare(b.checkId) || a.resourceId.localeCompare(b.resourceId))
  for (const g of sortedGroups) {
    g.status = STATUS_ORDER.find((s) => g.findings.some((f) => keyOf(f) === s)) ?? 'pass'
    if (g.findings.some((f) => keyOf(f) === 'suppressed')) g.riskUuid = child(`risk\u0000${g.checkId}\u0000${g.resourceId}`)
  }
  const subjectOf = (resourceId: string): { uuid: string; title: string; resource?: Resource } => {
    const r = resources.get(resourceId)
    return { uuid: resourceUuid(resourceId), title: r ? `${r.type} ${r.name}` : resourceId, ...(r ? { resource: r } : {}) }
  }
  const observations = sortedGroups.map((g) => {
    const c = checks.get(g.checkId)
    const first = g.findings[0]!
    const s = subjectOf(g.resourceId)
    const controls = c?.controls ?? first.controls
    return {
      uuid: g.uuid,
      title: oneLine(`${c?.title ?? first.title}: ${s.resource?.name ?? g.resourceId}`),
      description: g.findings.map((f) => f.message).join('\n'),
      props: [
        ...prop('check-id', g.checkId),
        ...prop('result', g.status),
        ...prop('severity', first.severity),
        ...controls.csf.flatMap((id) => prop('csf-subcategory', id)),
        ...controls.hipaa.flatMap((id) => prop('hipaa-citation', id)),
        ...controls.ferpa.flatMap((id) => prop('ferpa-practice', id)),
        ...peerProps(c?.references ?? first.references),
      ],
      methods: ['TEST'],
      types: ['finding'],
      origins: [{ actors: [{ type: 'tool', 'actor-uuid': toolUuid }] }],
      subjects: [{ 'subject-uuid': s.uuid, type: 'inventory-item', title: oneLine(s.title) || g.resourceId, ...withProps(prop('resource-id', g.resourceId)) }],
      'relevant-evidence': g.findings.map((f) => {
        const remarks = evidenceRemarks(f)
        return {
          href: fileHref(f.location.file),
          description: `${loc(f.location)}: ${f.message}`,
          props: [...prop('file', f.location.file), ...(f.location.line !== undefined ? prop('line', f.location.line) : []), ...prop('result', keyOf(f))],
          ...(remarks ? { remarks } : {}),
        }
      }),
      collected: start,
      ...(g.status === 'fail' || g.status === 'error' ? { remarks: `Remediation: ${first.remediation}` } : {}),
    }
  })

  // inventory items: every resource an observation names, so each subject-uuid resolves
  const inventoryItems = [...new Set(sortedGroups.map((g) => g.resourceId))].map((id) => {
    const s = subjectOf(id)
    const r = s.resource
    return {
      uuid: s.uuid,
      description: r ? `${r.type} ${r.name}, declared at ${loc(r.location)}.` : `Resource ${id} (not in the inventory).`,
      props: [
        { name: 'asset-id', value: oneLine(id) },
        ...(r
          ? [
              ...prop('resource-kind', r.kind),
              ...prop('resource-type', r.type),
              ...prop('origin', r.origin),
              ...prop('environment', r.environment),
              ...prop('holds-phi', r.holdsPhi),
              ...(r.owner ? prop('owner', r.owner) : []),
              ...prop('location', loc(r.location)),
            ]
          : []),
      ],
    }
  })

  // risks: a suppressed failure is an accepted deviation, with who accepted it and until when
  const risks = sortedGroups
    .filter((g) => g.riskUuid)
    .map((g) => {
      const sup = g.findings.filter((f) => keyOf(f) === 'suppressed')
      const s = sup[0]!.suppressed!
      const deadline = oscalDateTime(s.expires)
      return {
        uuid: g.riskUuid!,
        title: oneLine(`Accepted: ${sup[0]!.title} (${subjectOf(g.resourceId).resource?.name ?? g.resourceId})`),
        description: sup.map((f) => f.message).join('\n'),
        statement: `Suppressed: ${sentence(s.reason)}${s.owner ? ` Owner: ${s.owner}.` : ''}${s.expires ? ` Expires: ${s.expires}.` : ''} Source: ${s.source}.`,
        props: [...prop('check-id', g.checkId), ...prop('suppression-source', s.source), ...(s.owner ? prop('suppression-owner', s.owner) : [])],
        status: 'deviation-approved',
        ...(deadline ? { deadline } : {}),
        'related-observations': [{ 'observation-uuid': g.uuid }],
      }
    })

  // reviewed controls and findings: HIPAA standards → OSCAL catalog controls
  const hipaa = result.controls.filter((c) => c.framework === 'hipaa')
  const standards: { control: ControlResult; oscal: string[] }[] = []
  for (const c of hipaa) {
    const e = hipaaEntry(c.id)
    if (e && e.id === c.id && e.type === 'standard' && e.oscalControls.length) standards.push({ control: c, oscal: e.oscalControls })
  }
  const reviewed = [...new Set(standards.flatMap((s) => s.oscal))]
  const groupsByCheck = new Map<string, Group[]>()
  for (const g of sortedGroups) (groupsByCheck.get(g.checkId) ?? groupsByCheck.set(g.checkId, []).get(g.checkId)!).push(g)
  const findings = standards
    .filter((s) => s.control.status === 'fail' || s.control.status === 'pass')
    .flatMap(({ control, oscal }) => {
      const satisfied = control.status === 'pass'
      const related = control.checks.flatMap((id) => groupsByCheck.get(id) ?? [])
      // a not-satisfied control points at what failed; a satisfied one at what passed or was accepted
      const decisive = related.filter((g) => (satisfied ? g.findings.some((f) => keyOf(f) === 'pass' || keyOf(f) === 'suppressed') : g.findings.some((f) => keyOf(f) === 'fail' || keyOf(f) === 'error')))
      const riskRefs = related.filter((g) => g.riskUuid).map((g) => ({ 'risk-uuid': g.riskUuid! }))
      const counts = control.counts
      const countText = `${counts.fail} failing, ${counts.error} errors, ${counts.suppressed} suppressed, ${counts.pass} passing`
      return oscal.map((controlId) => ({
        uuid: child(`finding\u0000${controlId}`),
        title: `HIPAA ${control.id} ${control.title}: ${controlId} ${satisfied ? 'satisfied' : 'not satisfied'} by automated checks`,
        description: `PhiWall's automated checks for 45 CFR ${control.id} (${control.title}) found ${countText}. The OSCAL catalog control ${controlId} is one of the controls of that standard; the checks judge cloud configuration only, so the control's non-technical parts still need an assessor.`,
        props: [
          ...prop('hipaa-standard', control.id),
          ...control.related.flatMap((id) => prop('csf-subcategory', id)),
          ...control.checks.flatMap((id) => prop('check-id', id)),
        ],
        origins: [{ actors: [{ type: 'tool', 'actor-uuid': toolUuid }] }],
        target: {
          type: 'objective-id',
          'target-id': controlId,
          status: { state: satisfied ? 'satisfied' : 'not-satisfied', reason: satisfied ? 'pass' : 'fail' },
        },
        ...(decisive.length ? { 'related-observations': decisive.map((g) => ({ 'observation-uuid': g.uuid })) } : {}),
        ...(riskRefs.length ? { 'related-risks': riskRefs } : {}),
      }))
    })

  const files = { ok: 0, error: 0, skipped: 0 }
  for (const f of result.files) files[f.status]++
  const statusCounts: Record<ObsStatus, number> = { fail: 0, error: 0, suppressed: 0, manual: 0, pass: 0 }
  for (const f of result.findings) statusCounts[keyOf(f)]++
  const inputs = result.inputs.length ? result.inputs.join(', ') : 'no inputs'
  const fileErrors = result.files.filter((f) => f.status === 'error').map((f) => f.file)

  const doc = {
    'assessment-results': {
      uuid: options.documentUuid ?? randomUUID(),
      metadata: {
        title: oneLine(`PhiWall assessment results: ${inputs}`),
        'last-modified': end,
        version: result.tool.version,
        'oscal-version': OSCAL_VERSION,
        props: [...prop('tool-version', result.tool.version)],
        roles: [{ id: 'prepared-by', title: 'Prepared by' }],
        parties: [{ uuid: partyUuid, type: 'organization', name: 'PhiWall', remarks: 'The open-source PhiWall scanner, which produced these results automatically.' }],
        'responsible-parties': [{ 'role-id': 'prepared-by', 'party-uuids': [partyUuid] }],
      },
      'import-ap': {
        href: `#${apPlaceholderUuid}`,
        remarks: 'PhiWall does not write an assessment plan: this points at a back-matter resource that says so. The plan is implicit in the scan: the inputs, the checks and the HIPAA catalog controls under reviewed-controls.',
      },
      results: [
        {
          uuid: resultUuid,
          title: oneLine(`PhiWall automated scan of ${inputs}`),
          description: `Automated configuration scan by PhiWall ${result.tool.version} of ${inputs}: ${result.inventory.resources.length} resources, ${result.findings.length} check results (${statusCounts.fail} failing, ${statusCounts.error} errors, ${statusCounts.suppressed} suppressed, ${statusCounts.manual} manual, ${statusCounts.pass} passing).${fileErrors.length ? ` ${fileErrors.length} input file${fileErrors.length === 1 ? '' : 's'} could not be read completely: ${fileErrors.slice(0, 20).join(', ')}${fileErrors.length > 20 ? ` and ${fileErrors.length - 20} more (see the JSON report)` : ''}.` : ''}`,
          start,
          end,
          props: [
            ...prop('tool-version', result.tool.version),
            ...result.inputs.flatMap((i) => prop('input', i)),
            ...prop('resources', result.inventory.resources.length),
            ...prop('files-read', files.ok),
            ...prop('files-with-errors', files.error),
            ...prop('files-skipped', files.skipped),
          ],
          'local-definitions': {
            ...(inventoryItems.length ? { 'inventory-items': inventoryItems } : {}),
            'assessment-assets': {
              components: [
                {
                  uuid: toolUuid,
                  type: 'software',
                  title: 'PhiWall',
                  description: 'PhiWall: HIPAA compliance and workload-security scanner for infrastructure-as-code and cloud snapshots.',
                  props: [{ name: 'version', value: oneLine(result.tool.version) || 'unknown' }],
                  status: { state: 'operational' },
                },
              ],
              'assessment-platforms': [{ uuid: platformUuid, title: 'PhiWall command-line scanner', 'uses-components': [{ 'component-uuid': toolUuid }] }],
            },
          },
          'reviewed-controls': {
            description: 'Controls of the OSCAL HIPAA catalog (NIST SP 800-66r2 HIPAA Cybersecurity Resource Guide) under the HIPAA Security Rule standards this scan reports on.',
            links: [{ href: `#${catalogResourceUuid}`, rel: 'reference', text: 'OSCAL HIPAA catalog' }],
            'control-selections': [
              reviewed.length
                ? { description: 'Every catalog control of every HIPAA standard in the scan result; those with no automated check are left to the assessor (no finding).', 'include-controls': reviewed.map((id) => ({ 'control-id': id })) }
                : { description: 'The scan result carries no HIPAA standard, so no catalog control was reviewed.' },
            ],
          },
          ...(observations.length ? { observations } : {}),
          ...(risks.length ? { risks } : {}),
          ...(findings.length ? { findings } : {}),
        },
      ],
      'back-matter': {
        resources: [
          {
            uuid: apPlaceholderUuid,
            title: 'No assessment plan',
            description: 'PhiWall runs an automated scan and writes no OSCAL assessment plan. The scope is the scan inputs listed in the result; the objectives are the HIPAA catalog controls listed in reviewed-controls.',
            props: [...prop('placeholder', 'assessment-plan')],
          },
          {
            uuid: catalogResourceUuid,
            title: 'HIPAA Cybersecurity Resource Guide (OSCAL catalog, NIST SP 800-66r2)',
            description: 'The OSCAL HIPAA catalog whose control ids (hipaa-001 … hipaa-126) the reviewed controls and findings name. PhiWall ships a copy as data/oscal/hipaa-catalog.json.',
            'document-ids': [{ identifier: HIPAA_CATALOG_UUID }],
            rlinks: [{ href: HIPAA_CATALOG_HREF }],
          },
        ],
      },
    },
  }
  return JSON.stringify(doc, null, 2) + '\n'
}
