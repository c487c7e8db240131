import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import AjvModule from 'ajv'
import addFormatsModule from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import type { ScanResult } from '../../model/index.js'
import { scan } from '../../scan/index.js'
import { HIPAA } from '../catalog/index.js'
import { renderReport } from './index.js'
import { HIPAA_CATALOG_UUID, PHIWALL_OSCAL_NS, PHIWALL_UUID_NAMESPACE, renderOscal, resourceUuid, uuidV5 } from './oscal.js'
import { NOW, scanFixture, testdata } from './testdata/fixture.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../../..')

// ajv and ajv-formats are CommonJS modules that also set `exports.default`; NodeNext types the
// default import as the module object, so the class and the plugin are reached through `.default`.
const Ajv = AjvModule.default
const addFormats = addFormatsModule.default
const ajv = new Ajv({ allErrors: true, strict: false })
addFormats(ajv)
const validateSchema = ajv.compile(JSON.parse(readFileSync(path.join(root, 'schemas/oscal-assessment-results-1.0.6.json'), 'utf8')) as object)

/** Validates against the OSCAL 1.0.6 assessment-results schema; throws with every ajv error. */
function assertValid(doc: unknown): void {
  if (!validateSchema(doc)) throw new Error(`OSCAL schema validation failed:\n${JSON.stringify(validateSchema.errors, null, 2)}`)
}

interface Prop {
  name: string
  value: string
  ns?: string
}
interface Obs {
  uuid: string
  props: Prop[]
  subjects: { 'subject-uuid': string; type: string }[]
  'relevant-evidence': { href?: string; description: string; props?: Prop[] }[]
  methods: string[]
  types: string[]
}
interface OscalFinding {
  uuid: string
  props?: Prop[]
  target: { type: string; 'target-id': string; status: { state: string } }
  'related-observations'?: { 'observation-uuid': string }[]
  'related-risks'?: { 'risk-uuid': string }[]
}
interface Risk {
  uuid: string
  status: string
  deadline?: string
  statement: string
  'related-observations': { 'observation-uuid': string }[]
}
interface Doc {
  'assessment-results': {
    uuid: string
    metadata: { 'oscal-version': string; 'last-modified': string }
    'import-ap': { href: string }
    results: {
      uuid: string
      start: string
      end: string
      'local-definitions': { 'inventory-items'?: { uuid: string; props: Prop[] }[]; 'assessment-assets': { components: { uuid: string }[] } }
      'reviewed-controls': { 'control-selections': { 'include-controls'?: { 'control-id': string }[] }[] }
      observations?: Obs[]
      findings?: OscalFinding[]
      risks?: Risk[]
    }[]
    'back-matter': { resources: { uuid: string }[] }
  }
}

function catalogControlIds(): Set<string> {
  const cat = JSON.parse(readFileSync(path.join(root, 'data/oscal/hipaa-catalog.json'), 'utf8')) as { catalog: { uuid: string; groups: unknown[] } }
  const ids = new Set<string>()
  const walk = (node: { groups?: unknown[]; controls?: { id: string; controls?: unknown[] }[] }): void => {
    for (const c of node.controls ?? []) {
      ids.add(c.id)
      walk(c as never)
    }
    for (const g of node.groups ?? []) walk(g as never)
  }
  walk(cat.catalog as never)
  return ids
}

/** Every prop with a name OSCAL does not define carries PhiWall's namespace. */
function assertNamespaces(value: unknown): void {
  const oscalNames = new Set(['asset-id', 'version', 'marking'])
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit)
    if (!v || typeof v !== 'object') return
    for (const [k, x] of Object.entries(v)) {
      if (k === 'props') for (const p of x as Prop[]) if (!oscalNames.has(p.name)) expect(p.ns, `prop ${p.name} has the PhiWall namespace`).toBe(PHIWALL_OSCAL_NS)
      visit(x)
    }
  }
  visit(value)
}

describe('uuidV5', () => {
  it('matches the RFC 4122 / Python uuid5 reference values', () => {
    // uuid.uuid5(uuid.NAMESPACE_DNS, 'www.example.com') and uuid.uuid5(uuid.NAMESPACE_URL, 'https://phiwall.dev/ns/oscal')
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2')
    expect(PHIWALL_UUID_NAMESPACE).toBe('990ec74b-c451-55da-84ca-86ac351fb898')
  })

  it('sets version 5 and the RFC 4122 variant, and differs by name', () => {
    const a = resourceUuid('aws:s3:bucket:template.yaml#A')
    const b = resourceUuid('aws:s3:bucket:template.yaml#B')
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(a).not.toBe(b)
    expect(resourceUuid('aws:s3:bucket:template.yaml#A')).toBe(a)
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow(/namespace/)
  })
})

describe('renderOscal', () => {
  it('names the catalog the shipped data file holds', () => {
    const cat = JSON.parse(readFileSync(path.join(root, 'data/oscal/hipaa-catalog.json'), 'utf8')) as { catalog: { uuid: string } }
    expect(HIPAA_CATALOG_UUID).toBe(cat.catalog.uuid)
  })

  it('uses a validator that rejects a broken document', async () => {
    const doc = JSON.parse(renderOscal(await scanFixture('clinic-intake'))) as Doc
    const ar = doc['assessment-results']
    expect(() => assertValid({ ...doc, 'assessment-results': { ...ar, metadata: { ...ar.metadata, 'last-modified': 'yesterday' } } })).toThrow(/last-modified/)
    const res = ar.results[0]!
    const badObs = (res.observations ?? []).map((o, i) => (i === 0 ? { ...o, methods: [] } : o))
    expect(() => assertValid({ ...doc, 'assessment-results': { ...ar, results: [{ ...res, observations: badObs }] } })).toThrow(/methods/)
  })

  it('validates against the OSCAL 1.0.6 schema for a scan with failures, suppressions and input errors', async () => {
    const result = await scanFixture('clinic-intake')
    expect(result.findings.some((f) => f.suppressed)).toBe(true)
    expect(result.files.some((f) => f.status === 'error')).toBe(true)
    const doc = JSON.parse(renderOscal(result)) as Doc
    assertValid(doc)
    assertNamespaces(doc)
    expect(doc['assessment-results'].metadata['oscal-version']).toBe('1.0.6')
  })

  it("gives each observation its check's peer names (also known as)", async () => {
    const result = await scanFixture('clinic-intake')
    const doc = JSON.parse(renderOscal(result)) as { 'assessment-results': { results: { observations: { props: { name: string; value: string }[] }[] }[] } }
    const observations = doc['assessment-results'].results[0]!.observations
    const checks = new Map(result.checks.map((c) => [c.id, c]))
    let named = 0
    for (const o of observations) {
      const check = checks.get(o.props.find((p) => p.name === 'check-id')!.value)!
      const values = (name: string): string[] => o.props.filter((p) => p.name === name).map((p) => p.value)
      expect(values('aws-config-rule')).toEqual(check.references.awsConfig)
      expect(values('cdk-nag-rule')).toEqual(check.references.cdkNag)
      expect(values('prowler-check')).toEqual(check.references.prowler)
      if (check.references.prowler.length) named++
    }
    expect(named).toBeGreaterThan(0)
  })

  it('validates for a scan with zero findings, and for one with no resources at all', async () => {
    const none = await scanFixture('no-findings')
    expect(none.findings).toEqual([])
    const doc = JSON.parse(renderOscal(none)) as Doc
    assertValid(doc)
    const res = doc['assessment-results'].results[0]!
    expect(res.observations).toBeUndefined()
    expect(res.findings).toBeUndefined()
    expect(res['reviewed-controls']['control-selections'][0]!['include-controls']!.length).toBe(126)

    const broken = await scanFixture(path.join('clinic-intake', 'broken.yaml'))
    expect(broken.inventory.resources).toEqual([])
    assertValid(JSON.parse(renderOscal(broken)))

    // a result without any HIPAA control still makes a valid document
    assertValid(JSON.parse(renderOscal({ ...none, controls: none.controls.filter((c) => c.framework !== 'hipaa') })))
  })

  it('validates for hostile names and a real serverless pattern with every check', async () => {
    assertValid(JSON.parse(renderOscal(await scanFixture('hostile'))))
    const corpus = '/work/shared/corpus/serverless-patterns/apigw-lambda-dynamodb'
    const real = await scan([corpus, path.join(testdata, 'clinic-intake')], { now: NOW })
    expect(real.findings.length).toBeGreaterThan(0)
    assertValid(JSON.parse(renderOscal(real)))
  })

  it('reviews every catalog control the HIPAA standards reach, and judges the ones checks cover', async () => {
    const result = await scanFixture('clinic-intake')
    const doc = JSON.parse(renderOscal(result)) as Doc
    const res = doc['assessment-results'].results[0]!
    const catalog = catalogControlIds()
    const reviewed = res['reviewed-controls']['control-selections'].flatMap((s) => (s['include-controls'] ?? []).map((c) => c['control-id']))
    const expected = [...new Set(HIPAA.flatMap((h) => h.oscalControls))]
    expect(reviewed).toEqual(expected)
    expect(reviewed.length).toBe(catalog.size)
    for (const id of reviewed) expect(catalog.has(id), `${id} is a catalog control`).toBe(true)

    const findings = res.findings ?? []
    for (const f of findings) {
      expect(f.target.type).toBe('objective-id')
      expect(catalog.has(f.target['target-id'])).toBe(true)
    }
    const byTarget = new Map(findings.map((f) => [f.target['target-id'], f]))
    // 164.312(a)(1) Access control fails (a route with no authorizer): its catalog controls are not satisfied
    const access = HIPAA.find((h) => h.id === '164.312(a)(1)')!
    const accessResult = result.controls.find((c) => c.framework === 'hipaa' && c.id === '164.312(a)(1)')!
    expect(accessResult.status).toBe('fail')
    for (const id of access.oscalControls) expect(byTarget.get(id)?.target.status.state).toBe('not-satisfied')
    // one finding per catalog control of each judged standard, and none for manual standards
    const judged = result.controls.filter((c) => c.framework === 'hipaa' && (c.status === 'fail' || c.status === 'pass'))
    const judgedControls = HIPAA.filter((h) => h.type === 'standard' && judged.some((c) => c.id === h.id)).flatMap((h) => h.oscalControls)
    expect(findings.map((f) => f.target['target-id']).sort()).toEqual([...judgedControls].sort())
    const manualStd = HIPAA.find((h) => h.id === '164.308(a)(1)')!
    expect(result.controls.find((c) => c.framework === 'hipaa' && c.id === manualStd.id)!.status).toBe('manual')
    for (const id of manualStd.oscalControls) expect(byTarget.has(id)).toBe(false)

    // every reference resolves inside the document
    const obs = new Map((res.observations ?? []).map((o) => [o.uuid, o]))
    const items = new Set((res['local-definitions']['inventory-items'] ?? []).map((i) => i.uuid))
    const risks = new Set((res.risks ?? []).map((r) => r.uuid))
    for (const f of findings) {
      for (const r of f['related-observations'] ?? []) expect(obs.has(r['observation-uuid'])).toBe(true)
      for (const r of f['related-risks'] ?? []) expect(risks.has(r['risk-uuid'])).toBe(true)
    }
    for (const o of obs.values()) for (const s of o.subjects) expect(items.has(s['subject-uuid'])).toBe(true)
    const backMatter = new Set(doc['assessment-results']['back-matter'].resources.map((r) => `#${r.uuid}`))
    expect(backMatter.has(doc['assessment-results']['import-ap'].href)).toBe(true)
  })

  it('writes one observation per check and resource, naming the resource by its UUIDv5 and the file:line', async () => {
    const result = await scanFixture('clinic-intake')
    const res = (JSON.parse(renderOscal(result)) as Doc)['assessment-results'].results[0]!
    const pairs = new Set(result.findings.map((f) => `${f.checkId} ${f.resourceId}`))
    const obs = res.observations ?? []
    expect(obs.length).toBe(pairs.size)
    const table = result.findings.find((f) => f.checkId === 'aws/dynamodb-table-pitr' && f.status === 'fail')!
    const o = obs.find((x) => x.subjects[0]!['subject-uuid'] === resourceUuid(table.resourceId) && x.props.some((p) => p.name === 'check-id' && p.value === table.checkId))!
    expect(o.methods).toEqual(['TEST'])
    expect(o.types).toEqual(['finding'])
    expect(o.props).toEqual(
      expect.arrayContaining([
        { name: 'check-id', ns: PHIWALL_OSCAL_NS, value: 'aws/dynamodb-table-pitr' },
        { name: 'result', ns: PHIWALL_OSCAL_NS, value: 'fail' },
        ...table.controls.csf.map((id) => ({ name: 'csf-subcategory', ns: PHIWALL_OSCAL_NS, value: id })),
        ...table.controls.hipaa.map((id) => ({ name: 'hipaa-citation', ns: PHIWALL_OSCAL_NS, value: id })),
      ]),
    )
    expect(o['relevant-evidence'][0]!.description).toBe(`${table.location.file}:${table.location.line}: ${table.message}`)
    expect(o['relevant-evidence'][0]!.props).toContainEqual({ name: 'line', ns: PHIWALL_OSCAL_NS, value: String(table.location.line) })
  })

  it('records a suppressed failure as an approved deviation the satisfied finding points to', async () => {
    const result = await scanFixture('clinic-intake')
    const res = (JSON.parse(renderOscal(result)) as Doc)['assessment-results'].results[0]!
    const risks = res.risks ?? []
    expect(risks).toHaveLength(1)
    expect(risks[0]!.status).toBe('deviation-approved')
    expect(risks[0]!.deadline).toBe('2099-12-31T23:59:59.000Z')
    expect(risks[0]!.statement).toContain('SSE-S3 accepted until the KMS key rollout (ticket SEC-142)')
    expect(risks[0]!.statement).toContain('security@clinic.example')
    const linked = (res.findings ?? []).filter((f) => (f['related-risks'] ?? []).some((r) => r['risk-uuid'] === risks[0]!.uuid))
    expect(linked.length).toBeGreaterThan(0)
  })

  it('is the `oscal` report format, written as .oscal.json', async () => {
    const out = renderReport(await scanFixture('clean'), 'oscal')
    expect(out.extension).toBe('oscal.json')
    assertValid(JSON.parse(out.text))
  })

  it('never carries resource property values or secrets', async () => {
    const text = renderOscal(await scanFixture('clinic-intake'))
    expect(text).not.toContain('correct-horse-battery-staple')
    expect(text).not.toContain('patientId')
    expect(text).toContain('****(28 chars')
  })

  it('is deterministic: two runs on the same input differ only in timestamps and the document uuid', async () => {
    const a = await scanFixture('clinic-intake')
    await new Promise((r) => setTimeout(r, 15))
    const b = await scanFixture('clinic-intake')
    const ta = renderOscal(a)
    const tb = renderOscal(b)
    const da = JSON.parse(ta) as Doc
    const db = JSON.parse(tb) as Doc
    expect(da['assessment-results'].uuid).not.toBe(db['assessment-results'].uuid)
    expect(da['assessment-results'].results[0]!.start).not.toBe(db['assessment-results'].results[0]!.start)
    const normalise = (text: string, d: Doc): string => {
      const r = d['assessment-results'].results[0]!
      return text.replaceAll(d['assessment-results'].uuid, '<document-uuid>').replaceAll(r.start, '<start>').replaceAll(r.end, '<end>')
    }
    expect(normalise(ta, da)).toBe(normalise(tb, db))
    expect(renderOscal(a, { documentUuid: '11111111-1111-4111-8111-111111111111' })).toBe(renderOscal(a, { documentUuid: '11111111-1111-4111-8111-111111111111' }))
    // the same resource keeps its subject uuid in a scan of different inputs
    const c = await scanFixture('clinic-intake', 'clean')
    const dc = JSON.parse(renderOscal(c)) as Doc
    expect(dc['assessment-results'].results[0]!.uuid).not.toBe(da['assessment-results'].results[0]!.uuid)
    const itemsA = new Set((da['assessment-results'].results[0]!['local-definitions']['inventory-items'] ?? []).map((i) => i.uuid))
    const itemsC = new Set((dc['assessment-results'].results[0]!['local-definitions']['inventory-items'] ?? []).map((i) => i.uuid))
    for (const u of itemsA) expect(itemsC.has(u)).toBe(true)
  })
})
