import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../store/index.js'
import { auditRoutes } from './audit-routes.js'
import { appAs, PRINCIPALS, testBackends, testClock, testContext } from './test-support.js'
import type { Principal } from './types.js'

const backends = await testBackends('auditroutes')
afterAll(async () => {
  for (const b of backends) await b.cleanup()
})

for (const backend of backends) {
  describe(backend.name, () => {
    let store: Store
    let ctx: Awaited<ReturnType<typeof testContext>>
    const clock = testClock()
    beforeAll(async () => {
      store = await backend.open()
      ctx = await testContext(store, { clock: clock.now })
      for (let i = 1; i <= 7; i++) {
        clock.advance(1000)
        await ctx.audit.append({ actor: i % 2 ? 'user:erin.engineer' : 'user:alice.admin', action: i % 3 ? 'finding.suppress' : 'policy.approve', target: `finding:f${i}`, payload: { reason: `Compensating control documented in ticket SEC-${100 + i}` } })
      }
    })
    afterAll(async () => store.close())

    const get = (p: Principal | null, path: string) => appAs(auditRoutes(ctx), p).request(`/api/v1${path}`)

    it('lets admins, auditors and their read tokens read the trail; others get 401/403', async () => {
      for (const p of [PRINCIPALS.admin, PRINCIPALS.auditor, PRINCIPALS.token(['read'], 'auditor'), PRINCIPALS.token(['read'], 'admin')]) {
        expect((await get(p, '/audit')).status, `${p.role} ${p.kind}`).toBe(200)
        expect((await get(p, '/audit/verify')).status).toBe(200)
      }
      for (const p of [PRINCIPALS.engineer, PRINCIPALS.appTeam('intake'), PRINCIPALS.token(['read'], 'engineer'), PRINCIPALS.token(['scans:write'], 'admin')]) {
        const res = await get(p, '/audit')
        expect(res.status, `${p.role} ${p.kind}`).toBe(403)
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PW_ERR_FORBIDDEN')
        expect((await get(p, '/audit/verify')).status).toBe(403)
      }
      const anon = await get(null, '/audit')
      expect(anon.status).toBe(401)
      expect((await get(null, '/audit/verify')).status).toBe(401)
    })

    it('pages newest first with nextCursor and filters by actor and action prefix', async () => {
      const page1 = (await (await get(PRINCIPALS.auditor, '/audit?limit=3')).json()) as { items: { seq: number }[]; nextCursor: string | null }
      expect(page1.items.map((e) => e.seq)).toEqual([7, 6, 5])
      expect(page1.nextCursor).toBe('5')
      const page3 = (await (await get(PRINCIPALS.auditor, '/audit?limit=3&beforeSeq=2')).json()) as typeof page1
      expect(page3.items.map((e) => e.seq)).toEqual([1])
      expect(page3.nextCursor).toBeNull()
      const exact = (await (await get(PRINCIPALS.auditor, '/audit?limit=7')).json()) as typeof page1
      expect(exact.items).toHaveLength(7)
      expect(exact.nextCursor).toBeNull()
      const byActor = (await (await get(PRINCIPALS.auditor, '/audit?actor=user:alice.admin&action=policy.')).json()) as { items: { seq: number; actor: string; action: string; payload: unknown; hash: string }[] }
      expect(byActor.items.map((e) => e.seq)).toEqual([6])
      expect(byActor.items[0]).toMatchObject({ actor: 'user:alice.admin', action: 'policy.approve', payload: { reason: 'Compensating control documented in ticket SEC-106' } })
      expect(byActor.items[0]!.hash).toMatch(/^[0-9a-f]{64}$/)
    })

    it('answers 400 naming the query field', async () => {
      for (const [q, field] of [['limit=0', 'limit'], ['limit=501', 'limit'], ['limit=abc', 'limit'], ['beforeSeq=-1', 'beforeSeq']] as const) {
        const res = await get(PRINCIPALS.admin, `/audit?${q}`)
        expect(res.status).toBe(400)
        expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field)
      }
    })

    it('reports a tampered trail', async () => {
      const ok = (await (await get(PRINCIPALS.admin, '/audit/verify')).json()) as { ok: boolean; count: number; head: string }
      expect(ok).toMatchObject({ ok: true, count: 7 })
      expect(ok.head).toMatch(/^[0-9a-f]{64}$/)
      await store.query(`UPDATE audit_events SET target = 'finding:other' WHERE seq = 4`)
      const bad = (await (await get(PRINCIPALS.admin, '/audit/verify')).json()) as { ok: boolean; brokenAt: { seq: number; reason: string } }
      expect(bad.ok).toBe(false)
      expect(bad.brokenAt).toEqual({ seq: 4, reason: expect.stringMatching(/hash mismatch/) })
    })
  })
}
