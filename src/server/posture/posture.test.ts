import { createHash } from 'node:crypto'
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Finding, ScanResult } from '../../model/index.js'
import type { Store } from '../../store/index.js'
import { appAs, json, PRINCIPALS, testBackends, testClock } from '../test-support.js'
import type { Principal, ServerContext } from '../types.js'
import { postureRoutes } from './index.js'
import { unpackResult } from './ingest.js'
import type { FindingRow, ResourceRow } from './schemas.js'
import { clinicIntakeScan, postureContext } from './test-helpers.js'

let base: ScanResult
beforeAll(async () => {
  base = await clinicIntakeScan()
})

const clone = <T>(v: T): T => structuredClone(v)
const upload = (result: ScanResult, uploadId: string, source = 'clinic-intake') => ({ schema: 'phiwall.scan-upload/v1', uploadId, source: { name: source, host: 'ci-runner-7' }, result })
const ownerOf = (result: ScanResult) => new Map(result.inventory.resources.map((r) => [r.id, r.owner]))

for (const backend of await testBackends('posture')) {
  describe(backend.name, () => {
    let store: Store
    let ctx: ServerContext
    const clock = testClock('2026-12-07T09:00:00.000Z')
    const as = (p: Principal | null) => appAs(postureRoutes(ctx), p)
    const get = async <T = any>(p: Principal | null, path: string): Promise<{ status: number; body: T; res: Response }> => {
      const res = await as(p).request(`/api/v1${path}`)
      return { status: res.status, body: (await res.json()) as T, res }
    }
    const send = async <T = any>(p: Principal | null, method: string, path: string, body?: unknown): Promise<{ status: number; body: T; res: Response }> => {
      const res = await as(p).request(`/api/v1${path}`, body === undefined ? { method } : json(method, body))
      return { status: res.status, body: (await res.json()) as T, res }
    }
    const allFindings = async (p: Principal, query: string, limit = 37): Promise<FindingRow[]> => {
      const out: FindingRow[] = []
      let cursor: string | null = null
      for (let i = 0; i < 100; i++) {
        const r: { body: { items: FindingRow[]; nextCursor: string | null } } = await get(p, `/findings?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
        out.push(...r.body.items)
        cursor = r.body.nextCursor
        if (!cursor) break
      }
      return out
    }

    beforeAll(async () => {
      store = await backend.open()
      ctx = await postureContext(store, clock.now)
    })
    afterAll(async () => {
      await store.close()
      await backend.cleanup()
    })

    it('stores a real scan and lists exactly its findings', async () => {
      const withExtension = { ...base, 'x-ci': { pipeline: 'nightly', run: 4411 } } as ScanResult
      const res = await send(PRINCIPALS.token(['scans:write']), 'POST', '/scans', upload(withExtension, 'ci-run-0001'))
      expect(res.status).toBe(201)
      expect(res.body).toMatchObject({ duplicate: false })
      expect(res.body.scanId).toMatch(/^scan_/)
      // fields of the result the server does not know are kept for the reports
      const stored = await store.query<{ result_gz: Uint8Array }>('SELECT result_gz FROM posture_scans WHERE id = $1', [res.body.scanId])
      const kept = unpackResult(stored[0]!.result_gz) as ScanResult & { 'x-ci'?: unknown }
      expect(kept['x-ci']).toEqual({ pipeline: 'nightly', run: 4411 })
      expect(kept.findings).toHaveLength(base.findings.length)
      if (store.kind === 'postgres') expect(Number((await store.query<{ version: string }>('SELECT version FROM posture_state'))[0]!.version)).toBe(1)

      const page = await get(PRINCIPALS.auditor, '/findings')
      expect(page.status).toBe(200)
      expect(page.body.total).toBe(base.findings.length)
      expect(page.body.items).toHaveLength(50)
      const first = page.body.items[0] as FindingRow
      expect(first.status).toBe('fail')
      expect(first.severity).toBe('critical')
      expect(first.id).toMatch(/^[0-9a-f]{32}$/)
      expect(first.controls.hipaa.length + first.controls.csf.length).toBeGreaterThan(0)

      const fails = base.findings.filter((f) => f.status === 'fail').length
      expect((await get(PRINCIPALS.auditor, '/findings?status=fail')).body.total).toBe(fails)
      const critical = base.findings.filter((f) => f.severity === 'critical').length
      expect((await get(PRINCIPALS.auditor, '/findings?severity=critical')).body.total).toBe(critical)
      const highOrCritical = base.findings.filter((f) => f.severity === 'critical' || f.severity === 'high').length
      expect((await get(PRINCIPALS.auditor, '/findings?severity=critical,high')).body.total).toBe(highOrCritical)
      const checkId = base.findings.find((f) => f.status === 'fail')!.checkId
      expect((await get(PRINCIPALS.auditor, `/findings?checkId=${encodeURIComponent(checkId)}`)).body.total).toBe(base.findings.filter((f) => f.checkId === checkId).length)
      const resourceId = base.findings[0]!.resourceId
      const byResource = await get(PRINCIPALS.auditor, `/findings?resourceId=${encodeURIComponent(resourceId)}&limit=500`)
      expect(byResource.body.total).toBe(base.findings.filter((f) => f.resourceId === resourceId).length)
      expect(byResource.body.items.every((f: FindingRow) => f.resourceId === resourceId)).toBe(true)
      const envOf = new Map(base.inventory.resources.map((r) => [r.id, r.environment]))
      expect((await get(PRINCIPALS.auditor, '/findings?environment=prod')).body.total).toBe(base.findings.filter((f) => envOf.get(f.resourceId) === 'prod').length)
      const nameOf = new Map(base.inventory.resources.map((r) => [r.id, r.name]))
      const q = 'Submit'
      const expected = base.findings.filter((f) => [f.title, f.message, nameOf.get(f.resourceId) ?? f.resourceId].some((s) => s.toLowerCase().includes(q.toLowerCase()))).length
      expect(expected).toBeGreaterThan(0)
      expect((await get(PRINCIPALS.auditor, `/findings?q=${q}`)).body.total).toBe(expected)
    })

    it('pages through the findings with the cursor without duplicates or gaps', async () => {
      const all = await allFindings(PRINCIPALS.engineer, '')
      expect(all).toHaveLength(base.findings.length)
      expect(new Set(all.map((f) => f.id)).size).toBe(base.findings.length)
      // failures first, most severe first
      const rank = (f: FindingRow) => ['fail', 'error', 'manual', 'pass'].indexOf(f.status) * 10 + ['critical', 'high', 'medium', 'low', 'info'].indexOf(f.severity)
      for (let i = 1; i < all.length; i++) expect(rank(all[i]!)).toBeGreaterThanOrEqual(rank(all[i - 1]!))
      const fails = await allFindings(PRINCIPALS.engineer, '&status=fail', 10)
      expect(fails.map((f) => f.id).sort()).toEqual(all.filter((f) => f.status === 'fail').map((f) => f.id).sort())
    })

    it('answers a repeated upload id with duplicate: true and stores nothing more', async () => {
      const again = await send(PRINCIPALS.engineer, 'POST', '/scans', upload(base, 'ci-run-0001'))
      expect(again.status).toBe(200)
      expect(again.body.duplicate).toBe(true)
      const scans = await get(PRINCIPALS.auditor, '/scans')
      expect(scans.body.total).toBe(1)
      expect(scans.body.items[0]).toMatchObject({ id: again.body.scanId, source: { name: 'clinic-intake', host: 'ci-runner-7' }, resources: base.inventory.resources.length })
      expect(scans.body.items[0].findings.fail + scans.body.items[0].findings.suppressed).toBe(base.findings.filter((f) => f.status === 'fail').length)
      const audit = await ctx.audit.list({ action: 'scan.upload' })
      expect(audit).toHaveLength(1)
      expect(JSON.stringify(audit[0]!.payload)).not.toContain('message')
      expect(audit[0]!.payload).toMatchObject({ source: { name: 'clinic-intake' }, findings: base.findings.length })
    })

    it('creates one scan for concurrent uploads with the same id', async () => {
      const result = clone(base)
      const [a, b] = await Promise.all([send(PRINCIPALS.engineer, 'POST', '/scans', upload(result, 'concurrent-0002')), send(PRINCIPALS.engineer, 'POST', '/scans', upload(result, 'concurrent-0002'))])
      expect([a.status, b.status].sort()).toEqual([200, 201])
      expect(a.body.scanId).toBe(b.body.scanId)
      expect((await get(PRINCIPALS.auditor, '/scans')).body.total).toBe(2)
      expect((await get(PRINCIPALS.auditor, '/findings')).body.total).toBe(base.findings.length)
    })

    it('answers 503 with Retry-After when the ingest gate is full', async () => {
      const full = { ...ctx, config: { ...ctx.config, maxConcurrentIngest: 0 } }
      const res = await appAs(postureRoutes(full), PRINCIPALS.engineer).request('/api/v1/scans', json('POST', upload(base, 'busy-run-0003')))
      expect(res.status).toBe(503)
      expect(res.headers.get('Retry-After')).toMatch(/^\d+$/)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PW_ERR_BUSY')
      expect((await get(PRINCIPALS.auditor, '/scans')).body.total).toBe(2)
    })

    it('refuses bad input naming the field', async () => {
      const cases: [unknown, string][] = [
        [upload(base, 'short'), 'uploadId'],
        [{ ...upload(base, 'bad-schema-01'), schema: 'phiwall.scan-upload/v0' }, 'schema'],
        [upload({ ...base, findings: undefined } as unknown as ScanResult, 'no-findings-01'), 'result.findings'],
        [upload({ ...base, inventory: { resources: [{ id: 'x' }], edges: [] } } as unknown as ScanResult, 'bad-resource-01'), 'result.inventory.resources[0].kind'],
        [{ ...upload(base, 'no-source-001'), source: { name: '' } }, 'source.name'],
      ]
      for (const [body, field] of cases) {
        const res = await send(PRINCIPALS.engineer, 'POST', '/scans', body)
        expect(res.status, field).toBe(400)
        expect(res.body.error).toMatchObject({ code: 'PW_ERR_BAD_REQUEST', field })
      }
      for (const [path, field] of [
        ['/findings?limit=0', 'limit'],
        ['/findings?limit=501', 'limit'],
        ['/findings?severity=urgent', 'severity'],
        ['/findings?status=fail,broken', 'status'],
        ['/findings?cursor=bm90LWEtY3Vyc29y', 'cursor'],
        ['/resources?phi=maybe', 'phi'],
        ['/reports/latest?format=pdf', 'format'],
      ] as const) {
        const res = await get(PRINCIPALS.auditor, path)
        expect(res.status, path).toBe(400)
        expect(res.body.error).toMatchObject({ code: 'PW_ERR_BAD_REQUEST', field })
      }
    })

    it('requires a principal and the right permission', async () => {
      for (const path of ['/findings', '/scans', '/posture', '/resources', '/topology', '/vulnerabilities', '/reports/latest?format=csv', '/sources']) {
        expect((await get(null, path)).status, path).toBe(401)
      }
      expect((await send(null, 'POST', '/scans', upload(base, 'anon-upload-1'))).status).toBe(401)
      // the principal is checked before the body: no field is named to an anonymous caller
      expect((await send(null, 'POST', '/scans', { nonsense: true })).status).toBe(401)
      expect((await send(PRINCIPALS.auditor, 'POST', '/scans', upload(base, 'auditor-upload'))).status).toBe(403)
      expect((await send(PRINCIPALS.appTeam('intake'), 'POST', '/scans', upload(base, 'team-upload-01'))).status).toBe(403)
      expect((await send(PRINCIPALS.token(['read']), 'POST', '/scans', upload(base, 'read-token-up'))).status).toBe(403)
      expect((await get(PRINCIPALS.token(['scans:write']), '/findings')).status).toBe(403)
      expect((await get(PRINCIPALS.token(['scans:write']), '/reports/latest?format=csv')).status).toBe(403)
      expect((await get(PRINCIPALS.token(['read'], 'auditor'), '/findings')).status).toBe(200)
      const id = (await get(PRINCIPALS.auditor, '/findings?status=fail&limit=1')).body.items[0].id
      const body = { reason: 'Accepted until the WAF rollout finishes.', expiresAt: '2027-01-15T00:00:00Z' }
      expect((await send(PRINCIPALS.auditor, 'POST', `/findings/${id}/suppress`, body)).status).toBe(403)
      expect((await send(PRINCIPALS.appTeam('intake'), 'POST', `/findings/${id}/suppress`, body)).status).toBe(403)
      expect((await send(PRINCIPALS.auditor, 'DELETE', `/findings/${id}/suppress`)).status).toBe(403)
      expect((await send(PRINCIPALS.auditor, 'POST', '/sources', { name: 'x', path: '/tmp', intervalMinutes: 60 })).status).toBe(403)
    })

    it('suppresses and unsuppresses a failing finding, audited, across rescans', async () => {
      const target = (await get(PRINCIPALS.engineer, '/findings?status=fail&severity=high&limit=1')).body.items[0] as FindingRow
      expect(target.suppression).toBeNull()
      const before = (await get(PRINCIPALS.engineer, '/posture')).body
      const resBefore = (await get(PRINCIPALS.engineer, `/resources?q=${encodeURIComponent(target.resourceId)}`)).body.items.find((r: ResourceRow) => r.id === target.resourceId) as ResourceRow

      for (const [body, field] of [
        [{ reason: 'too short', expiresAt: '2027-01-15T00:00:00Z' }, 'reason'],
        [{ reason: 'Accepted risk until the WAF rollout.', expiresAt: '2026-12-01T00:00:00Z' }, 'expiresAt'],
        [{ reason: 'Accepted risk until the WAF rollout.', expiresAt: '2028-06-01T00:00:00Z' }, 'expiresAt'],
        [{ reason: 'Accepted risk until the WAF rollout.', expiresAt: 'next tuesday' }, 'expiresAt'],
      ] as const) {
        const res = await send(PRINCIPALS.engineer, 'POST', `/findings/${target.id}/suppress`, body)
        expect(res.status, JSON.stringify(body)).toBe(400)
        expect(res.body.error.field).toBe(field)
      }
      expect((await send(PRINCIPALS.engineer, 'POST', `/findings/${'0'.repeat(32)}/suppress`, { reason: 'Accepted risk until the WAF rollout.', expiresAt: '2027-01-15T00:00:00Z' })).status).toBe(404)
      const passing = (await get(PRINCIPALS.engineer, '/findings?status=pass&limit=1')).body.items[0] as FindingRow
      expect((await send(PRINCIPALS.engineer, 'POST', `/findings/${passing.id}/suppress`, { reason: 'Nothing to suppress on a pass.', expiresAt: '2027-01-15T00:00:00Z' })).status).toBe(409)

      const reason = 'Public API is fronted by CloudFront with WAF; tracked in SEC-412.'
      const ok = await send(PRINCIPALS.engineer, 'POST', `/findings/${target.id}/suppress`, { reason, expiresAt: '2027-01-15T00:00:00Z' })
      expect(ok.status).toBe(200)
      expect(ok.body.finding.suppression).toEqual({ reason, expiresAt: '2027-01-15T00:00:00.000Z', by: 'user:erin.engineer', at: '2026-12-07T09:00:00.000Z' })
      const audit = await ctx.audit.list({ action: 'finding.suppress' })
      expect(audit).toHaveLength(1)
      expect(audit[0]).toMatchObject({ actor: 'user:erin.engineer', target: `finding:${target.id}`, payload: { reason, expiresAt: '2027-01-15T00:00:00.000Z' } })

      const after = (await get(PRINCIPALS.engineer, '/posture')).body
      expect(after.totals.failing).toBe(before.totals.failing - 1)
      expect(after.totals.bySeverity.high).toBe(before.totals.bySeverity.high - 1)
      const suppressedControls = after.hipaa.reduce((n: number, c: { suppressed: number }) => n + c.suppressed, 0)
      expect(suppressedControls).toBeGreaterThan(before.hipaa.reduce((n: number, c: { suppressed: number }) => n + c.suppressed, 0))
      const resAfter = (await get(PRINCIPALS.engineer, `/resources?q=${encodeURIComponent(target.resourceId)}`)).body.items.find((r: ResourceRow) => r.id === target.resourceId) as ResourceRow
      expect(resAfter.failing).toBe(resBefore.failing - 1)

      // a rescan of the same source keeps the suppression: the finding key is stable
      clock.advance(3600_000)
      expect((await send(PRINCIPALS.engineer, 'POST', '/scans', upload(clone(base), 'ci-run-0004'))).status).toBe(201)
      const rescanned = (await get(PRINCIPALS.engineer, `/findings?resourceId=${encodeURIComponent(target.resourceId)}&checkId=${encodeURIComponent(target.checkId)}`)).body.items[0] as FindingRow
      expect(rescanned.id).toBe(target.id)
      expect(rescanned.suppression?.reason).toBe(reason)

      const removed = await send(PRINCIPALS.admin, 'DELETE', `/findings/${target.id}/suppress`)
      expect(removed.status).toBe(200)
      expect(removed.body.finding.suppression).toBeNull()
      const unaudit = await ctx.audit.list({ action: 'finding.unsuppress' })
      expect(unaudit[0]).toMatchObject({ actor: 'user:alice.admin', target: `finding:${target.id}`, payload: { reason } })
      expect((await send(PRINCIPALS.admin, 'DELETE', `/findings/${target.id}/suppress`)).status).toBe(404)
      expect((await get(PRINCIPALS.engineer, '/posture')).body.totals.failing).toBe(before.totals.failing)

      // an expired suppression no longer applies
      await send(PRINCIPALS.engineer, 'POST', `/findings/${target.id}/suppress`, { reason, expiresAt: '2026-12-08T00:00:00Z' })
      expect((await get(PRINCIPALS.engineer, `/findings?resourceId=${encodeURIComponent(target.resourceId)}&checkId=${encodeURIComponent(target.checkId)}`)).body.items[0].suppression).not.toBeNull()
      clock.advance(2 * 24 * 3600_000)
      expect((await get(PRINCIPALS.engineer, `/findings?resourceId=${encodeURIComponent(target.resourceId)}&checkId=${encodeURIComponent(target.checkId)}`)).body.items[0].suppression).toBeNull()
      expect((await get(PRINCIPALS.engineer, '/posture')).body.totals.failing).toBe(before.totals.failing)
    })

    it('scopes findings, resources, posture and topology to the app team', async () => {
      const owners = ownerOf(base)
      const team = 'intake'
      const teamFindings = base.findings.filter((f) => owners.get(f.resourceId) === team)
      expect(teamFindings.length).toBeGreaterThan(0)
      expect(teamFindings.length).toBeLessThan(base.findings.length)
      const seen = await allFindings(PRINCIPALS.appTeam(team), '', 50)
      expect(seen).toHaveLength(teamFindings.length)
      expect(seen.every((f) => f.owner === team)).toBe(true)
      const other = (await get(PRINCIPALS.engineer, '/findings?limit=500')).body.items.find((f: FindingRow) => f.owner !== team) as FindingRow
      expect((await send(PRINCIPALS.appTeam(team), 'DELETE', `/findings/${other.id}/suppress`)).status).toBe(403)

      const resources = await get(PRINCIPALS.appTeam(team), '/resources?limit=500')
      expect(resources.body.total).toBe(base.inventory.resources.filter((r) => r.owner === team).length)
      expect(resources.body.items.every((r: ResourceRow) => r.owner === team)).toBe(true)
      // the team filter cannot widen an app-team user's view
      expect((await get(PRINCIPALS.appTeam(team), '/resources?team=integrations')).body.total).toBe(0)
      expect((await get(PRINCIPALS.appTeam('nobody'), '/findings')).body.total).toBe(0)

      const posture = (await get(PRINCIPALS.appTeam(team), '/posture')).body
      expect(posture.totals.resources).toBe(resources.body.total)
      expect(posture.totals.failing).toBe(teamFindings.filter((f) => f.status === 'fail' && !f.suppressed).length)
      const scans = (await get(PRINCIPALS.appTeam(team), '/scans')).body
      expect(scans.items[0].resources).toBe(resources.body.total)

      const topo = (await get(PRINCIPALS.appTeam(team), '/topology')).body
      const full = (await get(PRINCIPALS.engineer, '/topology')).body
      const teamIds = new Set(base.inventory.resources.filter((r) => r.owner === team).map((r) => r.id))
      const allIds = new Set(base.inventory.resources.map((r) => r.id))
      const resourceNodes = topo.nodes.filter((n: { id: string }) => allIds.has(n.id))
      expect(resourceNodes.length).toBeGreaterThan(0)
      expect(resourceNodes.every((n: { id: string }) => teamIds.has(n.id))).toBe(true)
      expect(full.nodes.length).toBeGreaterThan(topo.nodes.length)
      expect(topo.edges.every((e: { from: string; to: string }) => (!allIds.has(e.from) || teamIds.has(e.from)) && (!allIds.has(e.to) || teamIds.has(e.to)))).toBe(true)
    })

    it('lists and filters resources', async () => {
      const inv = base.inventory.resources
      const all = await get(PRINCIPALS.auditor, '/resources?limit=500')
      expect(all.body.total).toBe(inv.length)
      expect((await get(PRINCIPALS.auditor, '/resources?phi=yes')).body.total).toBe(inv.filter((r) => r.holdsPhi === 'yes').length)
      expect((await get(PRINCIPALS.auditor, '/resources?environment=prod')).body.total).toBe(inv.filter((r) => r.environment === 'prod').length)
      expect((await get(PRINCIPALS.auditor, '/resources?kind=aws:lambda:function')).body.total).toBe(inv.filter((r) => r.kind === 'aws:lambda:function').length)
      expect((await get(PRINCIPALS.auditor, '/resources?team=patient-messaging')).body.total).toBe(inv.filter((r) => r.owner === 'patient-messaging').length)
      const failing = all.body.items.reduce((n: number, r: ResourceRow) => n + r.failing, 0)
      const ids = new Set(inv.map((r) => r.id))
      expect(failing).toBe(base.findings.filter((f) => f.status === 'fail' && !f.suppressed && ids.has(f.resourceId)).length)
      const names: string[] = []
      let cursor: string | null = null
      do {
        const page: { body: { items: ResourceRow[]; nextCursor: string | null } } = await get(PRINCIPALS.auditor, `/resources?limit=7${cursor ? `&cursor=${cursor}` : ''}`)
        names.push(...page.body.items.map((r) => r.id))
        cursor = page.body.nextCursor
      } while (cursor)
      expect(new Set(names).size).toBe(inv.length)
    })

    it('gives the posture overview with HIPAA controls, CSF functions and the trend', async () => {
      const p = (await get(PRINCIPALS.auditor, '/posture')).body
      expect(p.latestScanAt).toBe('2026-12-07T10:00:00.000Z')
      expect(p.totals.resources).toBe(base.inventory.resources.length)
      expect(p.totals.phiResources).toBe(base.inventory.resources.filter((r) => r.holdsPhi === 'yes').length)
      expect(p.totals.failing).toBe(base.findings.filter((f) => f.status === 'fail' && !f.suppressed).length)
      const hipaaIds = base.controls.filter((c) => c.framework === 'hipaa').map((c) => c.id)
      expect(p.hipaa.map((c: { id: string }) => c.id)).toEqual(hipaaIds)
      const h = base.controls.find((c) => c.framework === 'hipaa' && c.status === 'fail')!
      expect(p.hipaa.find((c: { id: string }) => c.id === h.id)).toMatchObject({ status: 'fail', fail: h.counts.fail + h.counts.error, pass: h.counts.pass })
      expect(p.csfFunctions.map((f: { id: string }) => f.id)).toEqual(['ID', 'PR', 'DE', 'RS', 'RC'])
      const pr = base.controls.filter((c) => c.framework === 'csf' && c.id.startsWith('PR.')).reduce((n, c) => n + c.counts.fail + c.counts.error, 0)
      expect(p.csfFunctions[1].fail).toBe(pr)
      expect(p.trend).toHaveLength(3)
      expect(p.trend.map((t: { at: string }) => t.at)).toEqual(['2026-12-07T09:00:00.000Z', '2026-12-07T09:00:00.000Z', '2026-12-07T10:00:00.000Z'])
    })

    it('renders reports in every format, and the bundle with a manifest', async () => {
      const html = await as(PRINCIPALS.auditor).request('/api/v1/reports/latest?format=html')
      expect(html.status).toBe(200)
      expect(html.headers.get('Content-Disposition')).toBe('attachment; filename="phiwall-report-2026-12-07.html"')
      expect((await html.text()).toLowerCase().startsWith('<!doctype html')).toBe(true)
      const sarif = await as(PRINCIPALS.auditor).request('/api/v1/reports/latest?format=sarif')
      expect(sarif.headers.get('Content-Disposition')).toContain('.sarif')
      const sarifDoc = JSON.parse(await sarif.text()) as { version: string; runs: { results: unknown[] }[] }
      expect(sarifDoc.version).toBe('2.1.0')
      expect(sarifDoc.runs[0]!.results.length).toBeGreaterThan(0)
      const oscal = JSON.parse(await (await as(PRINCIPALS.auditor).request('/api/v1/reports/latest?format=oscal')).text()) as Record<string, unknown>
      expect(Object.keys(oscal)).toEqual(['assessment-results'])
      const report = JSON.parse(await (await as(PRINCIPALS.auditor).request('/api/v1/reports/latest?format=json')).text()) as { findings: unknown[] }
      expect(report.findings).toHaveLength(base.findings.length)
      const csv = await (await as(PRINCIPALS.auditor).request('/api/v1/reports/latest?format=csv&source=clinic-intake')).text()
      expect(csv.trim().split('\n').length).toBeGreaterThan(base.findings.filter((f) => f.status !== 'pass').length / 2)
      expect((await get(PRINCIPALS.auditor, '/reports/latest?format=csv&source=nowhere')).status).toBe(404)

      const bundle = await as(PRINCIPALS.engineer).request('/api/v1/reports/latest?format=bundle')
      expect(bundle.status).toBe(200)
      expect(bundle.headers.get('Content-Type')).toBe('application/zip')
      const files = unzipSync(new Uint8Array(await bundle.arrayBuffer()))
      expect(Object.keys(files).sort()).toEqual(['audit-trail.ndjson', 'findings.csv', 'manifest.json', 'report.html', 'report.json', 'report.oscal.json', 'report.sarif'])
      const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { files: { name: string; sha256: string; bytes: number }[] }
      expect(manifest.files).toHaveLength(6)
      for (const f of manifest.files) {
        expect(createHash('sha256').update(files[f.name]!).digest('hex'), f.name).toBe(f.sha256)
        expect(files[f.name]!.length).toBe(f.bytes)
      }
      const trail = strFromU8(files['audit-trail.ndjson']!).trim().split('\n').map((l) => JSON.parse(l) as { action: string; seq: number })
      expect(trail.some((e) => e.action === 'finding.suppress')).toBe(true)
      expect(trail.map((e) => e.seq)).toEqual([...trail.map((e) => e.seq)].sort((a, b) => a - b))

      // app-team users get a report of their own resources only, without the audit trail
      const teamZip = unzipSync(new Uint8Array(await (await as(PRINCIPALS.appTeam('intake')).request('/api/v1/reports/latest?format=bundle')).arrayBuffer()))
      expect(teamZip['audit-trail.ndjson']).toBeUndefined()
      const teamReport = JSON.parse(strFromU8(teamZip['report.json']!)) as { resources: { owner?: string }[]; findings: unknown[] }
      expect(teamReport.resources.length).toBe(base.inventory.resources.filter((r) => r.owner === 'intake').length)
      expect(teamReport.resources.every((r) => r.owner === 'intake')).toBe(true)
      expect(teamReport.findings.length).toBeLessThan(base.findings.length)
    })

    it('replaces a source rescan and adds other sources', async () => {
      const smaller = clone(base)
      smaller.findings = smaller.findings.filter((f) => f.status === 'fail')
      expect((await send(PRINCIPALS.engineer, 'POST', '/scans', upload(smaller, 'ci-run-0005'))).status).toBe(201)
      expect((await get(PRINCIPALS.auditor, '/findings')).body.total).toBe(smaller.findings.length)
      expect((await send(PRINCIPALS.engineer, 'POST', '/scans', upload(clone(base), 'other-run-0006', 'clinic-intake-staging'))).status).toBe(201)
      expect((await get(PRINCIPALS.auditor, '/findings')).body.total).toBe(smaller.findings.length + base.findings.length)
      expect((await get(PRINCIPALS.auditor, '/resources')).body.total).toBe(2 * base.inventory.resources.length)
      const history = (await get(PRINCIPALS.auditor, '/scans?limit=2')).body
      expect(history.items.map((s: { source: { name: string } }) => s.source.name)).toEqual(['clinic-intake-staging', 'clinic-intake'])
      const older = (await get(PRINCIPALS.auditor, `/scans?limit=50&cursor=${history.nextCursor}`)).body
      expect(older.items).toHaveLength(history.total - 2)
      expect((await get(PRINCIPALS.auditor, '/scans?source=clinic-intake-staging')).body.total).toBe(1)
    })

    it('lists the vulnerabilities of the components with their affected resources', async () => {
      const result = clone(base)
      const image = result.inventory.resources.find((r) => r.kind === 'docker:image:dockerfile')!
      const dir = image.location.file.replace(/\/[^/]+$/, '')
      const purl = 'pkg:npm/lodash@4.17.20'
      result.components = [{ ecosystem: 'npm', name: 'lodash', version: '4.17.20', purl, type: 'library', locations: [{ file: `${dir}/package-lock.json`, line: 12 }], foundBy: 'package-lock.json' }]
      const vuln = (id: string, severity: Finding['severity'], score: number, fix?: string): Finding => ({
        checkId: 'vulns/known-vulnerability',
        title: 'Third-party component has no known vulnerability',
        resourceId: purl,
        status: 'fail',
        severity,
        message: `npm package lodash 4.17.20 has ${id}.`,
        evidence: { package: 'lodash', ecosystem: 'npm', version: '4.17.20', purl, vulnerability: id, cvss: { version: '3.1', score, vector: 'CVSS:3.1/AV:N' }, fixedVersions: fix ? [fix] : [], ...(fix ? { fix } : {}) },
        location: { file: `${dir}/package-lock.json`, line: 12 },
        remediation: 'Upgrade lodash.',
        controls: { csf: ['ID.RA-1'], hipaa: ['164.308(a)(1)(ii)(A)'], ferpa: [] },
        references: { awsConfig: [], cdkNag: [], prowler: [] },
      })
      result.findings.push(vuln('CVE-2021-23337', 'high', 7.2, '4.17.21'), vuln('CVE-2020-28500', 'medium', 5.3))
      expect((await send(PRINCIPALS.engineer, 'POST', '/scans', upload(result, 'vuln-run-0007', 'images'))).status).toBe(201)
      const list = (await get(PRINCIPALS.auditor, '/vulnerabilities')).body
      expect(list.total).toBe(2)
      const sameDir = base.inventory.resources.filter((r) => r.location.file.replace(/\/[^/]+$/, '') === dir).map((r) => r.id).sort()
      expect(list.items[0]).toMatchObject({ id: 'CVE-2021-23337', component: 'lodash', version: '4.17.20', ecosystem: 'npm', severity: 'high', cvss: 7.2, fixedIn: '4.17.21' })
      expect([...list.items[0].resourceIds].sort()).toEqual(sameDir)
      expect(list.items[1]).toMatchObject({ id: 'CVE-2020-28500', severity: 'medium', fixedIn: null })
      expect((await get(PRINCIPALS.auditor, '/vulnerabilities?severity=medium')).body.total).toBe(1)
      const vulnFindings = (await get(PRINCIPALS.auditor, '/findings?checkId=vulns/known-vulnerability')).body
      expect(vulnFindings.total).toBe(2)
      expect(new Set(vulnFindings.items.map((f: FindingRow) => f.id)).size).toBe(2)
      expect(vulnFindings.items[0]).toMatchObject({ resourceName: 'lodash 4.17.20', resourceKind: 'package' })
      const owners = new Set(base.inventory.resources.filter((r) => sameDir.includes(r.id)).map((r) => r.owner))
      const team = owners.size === 1 ? [...owners][0] : undefined
      if (team) expect((await get(PRINCIPALS.appTeam(team), '/vulnerabilities')).body.total).toBe(2)
      expect((await get(PRINCIPALS.appTeam('nobody'), '/vulnerabilities')).body.total).toBe(0)
    })

    it('stores text with NUL characters, replaced by U+FFFD', async () => {
      const result = clone(base)
      result.findings[0]!.message = 'Bucket intake\u0000uploads allows public read.'
      result.inventory.resources[0]!.name = 'intake\u0000bucket'
      expect((await send(PRINCIPALS.engineer, 'POST', '/scans', upload(result, 'nul-run-0008', 'nul-source'))).status).toBe(201)
      const found = (await get(PRINCIPALS.auditor, `/findings?q=${encodeURIComponent('intake\ufffduploads')}`)).body
      expect(found.total).toBe(1)
      expect(found.items[0].message).toBe('Bucket intake\ufffduploads allows public read.')
      expect((await get(PRINCIPALS.auditor, `/resources?q=${encodeURIComponent('intake\ufffdbucket')}`)).body.total).toBe(1)
    })

    it('merges the latest inventories for other domains', async () => {
      const { latestInventory } = await import('./index.js')
      const inv = await latestInventory(ctx)
      // three sources scanned the same files: resources merge by id
      expect(inv.resources).toHaveLength(base.inventory.resources.length)
      expect(inv.edges.length).toBeGreaterThan(0)
      expect(await latestInventory(ctx)).toBe(inv)
    })
  })
}

describe('OpenAPI document', () => {
  it('documents every posture route with its schemas', async () => {
    const backend = (await testBackends('postdoc'))[0]!
    const store = await backend.open()
    try {
      const ctx = await postureContext(store, testClock().now)
      const doc = postureRoutes(ctx).getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } })
      expect(Object.keys(doc.paths ?? {}).sort()).toEqual([
        '/findings',
        '/findings/{id}/suppress',
        '/jobs/{id}',
        '/posture',
        '/reports/latest',
        '/resources',
        '/scans',
        '/sources',
        '/sources/{id}',
        '/sources/{id}/run',
        '/topology',
        '/vulnerabilities',
      ])
      const findings = doc.paths!['/findings']!.get!
      expect(findings.parameters?.map((p) => ('name' in p ? p.name : '')).sort()).toEqual(['checkId', 'cursor', 'environment', 'limit', 'q', 'resourceId', 'severity', 'status'])
      expect(Object.keys(doc.components?.schemas ?? {})).toEqual(expect.arrayContaining(['ScanUpload', 'ScanResult', 'FindingRow', 'FindingList', 'ResourceRow', 'Posture', 'ScanSummary']))
      expect(JSON.stringify(doc.paths!['/scans']!.post!.requestBody)).toContain('ScanUpload')
    } finally {
      await store.close()
      await backend.cleanup()
    }
  })
})
