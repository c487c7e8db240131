import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PhiwallError, type ScanResult } from '../../model/index.js'
import type { Store } from '../../store/index.js'
import { appAs, json, PRINCIPALS, testBackends, testClock } from '../test-support.js'
import type { Principal, ServerContext } from '../types.js'
import { drainJobs, postureRoutes, runDueSources, setScanner, startScheduler } from './index.js'
import { CLINIC_INTAKE, clinicIntakeScan, postureContext } from './test-helpers.js'

for (const backend of await testBackends('postsched')) {
  describe(backend.name, () => {
    let store: Store
    let ctx: ServerContext & { logLines: string[] }
    const clock = testClock('2026-12-07T09:00:00.000Z')
    const send = async (p: Principal | null, method: string, path: string, body?: unknown) => {
      const res = await appAs(postureRoutes(ctx), p).request(`/api/v1${path}`, body === undefined ? { method } : json(method, body))
      return { status: res.status, body: (await res.json()) as any }
    }

    beforeAll(async () => {
      store = await backend.open()
      ctx = await postureContext(store, clock.now)
    })
    afterAll(async () => {
      await store.close()
      await backend.cleanup()
    })

    it('validates and creates sources', async () => {
      for (const [body, field] of [
        [{ name: 'clinic', path: 'examples/clinic-intake', intervalMinutes: 60 }, 'path'],
        [{ name: 'clinic', path: '/nonexistent/phiwall/source', intervalMinutes: 60 }, 'path'],
        [{ name: 'clinic', path: CLINIC_INTAKE, intervalMinutes: 4 }, 'intervalMinutes'],
        [{ name: 'clinic', path: CLINIC_INTAKE, intervalMinutes: 10081 }, 'intervalMinutes'],
        [{ name: '', path: CLINIC_INTAKE, intervalMinutes: 60 }, 'name'],
      ] as const) {
        const res = await send(PRINCIPALS.engineer, 'POST', '/sources', body)
        expect(res.status, JSON.stringify(body)).toBe(400)
        expect(res.body.error.field).toBe(field)
      }
      const created = await send(PRINCIPALS.engineer, 'POST', '/sources', { name: 'clinic-intake-nightly', path: CLINIC_INTAKE, intervalMinutes: 60 })
      expect(created.status).toBe(201)
      expect(created.body.source).toMatchObject({ name: 'clinic-intake-nightly', path: CLINIC_INTAKE, intervalMinutes: 60, lastRunAt: null, lastStatus: null, nextRunAt: '2026-12-07T09:00:00.000Z' })
      expect((await send(PRINCIPALS.engineer, 'POST', '/sources', { name: 'clinic-intake-nightly', path: CLINIC_INTAKE, intervalMinutes: 30 })).status).toBe(409)
      const list = await send(PRINCIPALS.auditor, 'GET', '/sources')
      expect(list.body.items).toHaveLength(1)
      expect((await send(PRINCIPALS.appTeam('intake'), 'GET', '/sources')).body.items).toHaveLength(0)
      expect((await ctx.audit.list({ action: 'source.create' }))[0]).toMatchObject({ actor: 'user:erin.engineer', payload: { name: 'clinic-intake-nightly' } })
    })

    it('runs due sources with the real scan, once per interval', async () => {
      expect(await runDueSources(ctx)).toBe(1)
      const scans = await send(PRINCIPALS.auditor, 'GET', '/scans')
      expect(scans.body.total).toBe(1)
      expect(scans.body.items[0].source.name).toBe('clinic-intake-nightly')
      const base = await clinicIntakeScan()
      expect((await send(PRINCIPALS.auditor, 'GET', '/findings')).body.total).toBe(base.findings.length)
      const source = (await send(PRINCIPALS.auditor, 'GET', '/sources')).body.items[0]
      expect(source).toMatchObject({ lastStatus: 'done', lastRunAt: '2026-12-07T09:00:00.000Z', nextRunAt: '2026-12-07T10:00:00.000Z' })
      const upload = (await ctx.audit.list({ action: 'scan.upload' }))[0]
      expect(upload).toMatchObject({ actor: 'system' })
      expect(upload!.payload).toMatchObject({ uploadId: expect.stringMatching(/^job:job_/) })

      // not due again until the interval has passed
      expect(await runDueSources(ctx)).toBe(0)
      clock.advance(59 * 60_000)
      expect(await runDueSources(ctx)).toBe(0)
      clock.advance(60_000)
      setScanner(ctx, async () => base)
      expect(await runDueSources(ctx)).toBe(1)
      expect((await send(PRINCIPALS.auditor, 'GET', '/scans')).body.total).toBe(2)
    })

    it('runs a source on demand and reports the job', async () => {
      const base = await clinicIntakeScan()
      const seen: string[] = []
      setScanner(ctx, async (p) => {
        seen.push(p)
        return base
      })
      const id = (await send(PRINCIPALS.auditor, 'GET', '/sources')).body.items[0].id
      expect((await send(PRINCIPALS.auditor, 'POST', `/sources/${id}/run`)).status).toBe(403)
      expect((await send(PRINCIPALS.engineer, 'POST', '/sources/src_missing/run')).status).toBe(404)
      const run = await send(PRINCIPALS.engineer, 'POST', `/sources/${id}/run`)
      expect(run.status).toBe(202)
      expect(run.body.jobId).toMatch(/^job_/)
      await drainJobs(ctx)
      const job = await send(PRINCIPALS.auditor, 'GET', `/jobs/${run.body.jobId}`)
      expect(job.status).toBe(200)
      expect(job.body).toMatchObject({ id: run.body.jobId, sourceId: id, state: 'done', progress: 1, scanId: expect.stringMatching(/^scan_/) })
      expect(seen).toEqual([CLINIC_INTAKE])
      expect((await send(PRINCIPALS.auditor, 'GET', '/jobs/job_missing')).status).toBe(404)
      expect((await ctx.audit.list({ action: 'source.run' }))[0]).toMatchObject({ target: `source:${id}`, payload: { jobId: run.body.jobId } })
    })

    it('marks a failed scan without leaking its details', async () => {
      setScanner(ctx, async () => {
        throw new PhiwallError('PW_ERR_YAML_SYNTAX', 'template.yaml line 3: patient_ssn: 123-45-6789 is not valid')
      })
      const id = (await send(PRINCIPALS.auditor, 'GET', '/sources')).body.items[0].id
      const run = await send(PRINCIPALS.engineer, 'POST', `/sources/${id}/run`)
      await drainJobs(ctx)
      const job = (await send(PRINCIPALS.auditor, 'GET', `/jobs/${run.body.jobId}`)).body
      expect(job.state).toBe('failed')
      expect(job.message).toContain('PW_ERR_YAML_SYNTAX')
      expect(job.message).not.toContain('123-45-6789')
      expect(ctx.logLines.join('\n')).not.toContain('123-45-6789')
      expect((await send(PRINCIPALS.auditor, 'GET', '/sources')).body.items[0].lastStatus).toBe('failed')
    })

    it('starts and stops the scheduler timer', async () => {
      const base: ScanResult = await clinicIntakeScan()
      setScanner(ctx, async () => base)
      clock.advance(2 * 3600_000)
      const before = (await send(PRINCIPALS.auditor, 'GET', '/scans')).body.total
      const stop = startScheduler(ctx)
      // the first tick runs at start; stop waits for the job it started
      await stop()
      expect((await send(PRINCIPALS.auditor, 'GET', '/scans')).body.total).toBe(before + 1)
    })

    it('deletes a source', async () => {
      const id = (await send(PRINCIPALS.auditor, 'GET', '/sources')).body.items[0].id
      expect((await send(PRINCIPALS.engineer, 'DELETE', `/sources/${id}`)).status).toBe(200)
      expect((await send(PRINCIPALS.engineer, 'DELETE', `/sources/${id}`)).status).toBe(404)
      expect((await send(PRINCIPALS.auditor, 'GET', '/sources')).body.items).toHaveLength(0)
      expect((await ctx.audit.list({ action: 'source.delete' }))).toHaveLength(1)
    })
    it('scans scheduled sources with the check parameters the server was started with', async () => {
      const fixture = fileURLToPath(new URL('../../checks/aws/testdata/igw-authorized-vpc/fail.yaml', import.meta.url))
      const withParams = await postureContext(store, clock.now, { checkParams: { 'aws/igw-authorized-vpc': { authorizedVpcIds: 'EgressVpc' } } })
      const post = async (path: string, body: unknown) => appAs(postureRoutes(withParams), PRINCIPALS.engineer).request(`/api/v1${path}`, json('POST', body))
      const created = (await (await post('/sources', { name: 'network-vpcs', path: fixture, intervalMinutes: 60 })).json()) as { source: { id: string } }
      expect((await post(`/sources/${created.source.id}/run`, {})).status).toBe(202)
      await drainJobs(withParams)
      const findings = (await send(PRINCIPALS.auditor, 'GET', `/findings?checkId=${encodeURIComponent('aws/igw-authorized-vpc')}`)).body.items as { status: string }[]
      // without the parameter both gateways would be `manual`
      expect(findings.map((f) => f.status).sort()).toEqual(['fail', 'pass'])
      expect((await appAs(postureRoutes(withParams), PRINCIPALS.engineer).request(`/api/v1/sources/${created.source.id}`, { method: 'DELETE' })).status).toBe(200)
    })

  })
}
