import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import YAML from 'yaml'
import { maskValue, type Inventory } from '../../model/index.js'
import { scan } from '../../scan/index.js'
import { postureRoutes } from '../posture/index.js'
import type { Store } from '../../store/index.js'
import { PRINCIPALS, appAs, json, testBackends, testClock } from '../test-support.js'
import type { Principal, ServerContext } from '../types.js'
import { acquireIngestSlot } from './ingest.js'
import { createSegmentationRoutes, segmentationRoutes } from './routes.js'
import { EXAMPLE_APP, agentRecords, hubbleText, segmentationContext, vpcText } from './test-support.js'
import { observedEdgesOf, observedTopologyEdges } from './topology.js'

let inventory: Inventory
let scanResult: Awaited<ReturnType<typeof scan>>
beforeAll(async () => {
  scanResult = await scan([EXAMPLE_APP])
  inventory = scanResult.inventory
}, 120_000)

const LAB_FEEDER = /^host:lab-gateway:proc:[0-9a-f]{16}:\/usr\/local\/bin\/lab-feeder:uid=1002$/
const MIRTH = /^host:hl7-engine:proc:[0-9a-f]{16}:\/opt\/mirth\/jre\/bin\/java:uid=1001$/

interface EdgeRow {
  key: string
  from: { kind: string; id?: string }
  to: { kind: string; id?: string }
  state: string
  count: number
  port: number
  review?: { by: string; reason?: string }
}

/** A JSON answer, as the tests read it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any

const batch = (batchId: string, host: string, records: unknown[]) => ({ schema: 'phiwall.agent-batch/v1', batchId, host, sentAt: '2026-12-07T09:00:00.000Z', records })

for (const backend of await testBackends('segmentation')) {
  describe(backend.name, () => {
    let store: Store
    let ctx: ServerContext
    let clock: ReturnType<typeof testClock>
    const as = (p: Principal | null) => appAs(createSegmentationRoutes(ctx, async () => inventory), p)
    const agentToken = PRINCIPALS.token(['flows:write'])
    const eng = () => as(PRINCIPALS.engineer)

    beforeEach(async () => {
      store = await backend.open()
      clock = testClock('2026-12-07T09:00:00.000Z')
      ctx = await segmentationContext(store, clock.now)
    })
    afterAll(async () => {
      await backend.cleanup()
    })

    async function ingestExampleAgents(): Promise<void> {
      for (const host of ['hl7-engine', 'lab-gateway'] as const) {
        const res = await as(agentToken).request('/api/v1/ingest/agent', json('POST', batch(`b-${host}`, host, agentRecords(host))))
        expect(res.status, await res.clone().text()).toBe(202)
      }
    }

    async function edges(query = '', p: Principal = PRINCIPALS.engineer): Promise<{ items: EdgeRow[]; total: number; nextCursor: string | null; workloads: { id: string; mode: string }[] }> {
      const res = await as(p).request(`/api/v1/baseline?limit=500${query}`)
      expect(res.status).toBe(200)
      return res.json() as Json
    }

    it('ingests agent batches into the baseline, joins hosts, counts a retried batch once and audits a summary', async () => {
      await ingestExampleAgents()
      const before = await edges()
      const feed = before.items.find((e) => LAB_FEEDER.test(e.from.id ?? '') && MIRTH.test(e.to.id ?? '') && e.port === 6661)
      expect(feed, 'lab-feeder → mirth 6661 resolved across hosts').toBeDefined()
      expect(feed!.state).toBe('observed')
      expect(feed!.count).toBeGreaterThan(0)
      expect(before.workloads.some((w) => LAB_FEEDER.test(w.id) && w.mode === 'learn')).toBe(true)

      const again = await as(agentToken).request('/api/v1/ingest/agent', json('POST', batch('b-lab-gateway', 'lab-gateway', agentRecords('lab-gateway'))))
      expect(again.status).toBe(200)
      expect(await again.json() as Json).toMatchObject({ duplicate: true })
      const after = await edges()
      expect(after.items.find((e) => e.key === feed!.key)!.count).toBe(feed!.count)
      expect(after.total).toBe(before.total)

      const audit = await ctx.audit.list({ action: 'ingest.agent' })
      expect(audit).toHaveLength(2)
      const payload = audit.find((a) => a.target === 'host:lab-gateway')!.payload as Record<string, unknown>
      expect(payload).toMatchObject({ host: 'lab-gateway', id: 'b-lab-gateway', records: agentRecords('lab-gateway').length })
      expect(payload['flows']).toBeGreaterThan(0)
      expect(JSON.stringify(audit)).not.toMatch(/10\.40\.1\.\d+/) // a summary, never per-flow addresses
    })

    it('does not lose counts when the same records arrive in concurrent batches', async () => {
      const recs = agentRecords('lab-gateway')
      await as(agentToken).request('/api/v1/ingest/agent', json('POST', batch('seed-hl7', 'hl7-engine', agentRecords('hl7-engine'))))
      const one = await as(agentToken).request('/api/v1/ingest/agent', json('POST', batch('c-0', 'lab-gateway', recs)))
      expect(one.status).toBe(202)
      const single = new Map((await edges()).items.map((e) => [e.key, e.count]))
      const results = await Promise.all([1, 2, 3].map((i) => as(agentToken).request('/api/v1/ingest/agent', json('POST', batch(`c-${i}`, 'lab-gateway', recs)))))
      expect(results.map((r) => r.status)).toEqual([202, 202, 202])
      const after = await edges()
      const feed = after.items.find((e) => LAB_FEEDER.test(e.from.id ?? '') && e.port === 6661)!
      expect(feed.count).toBe(4 * (single.get(feed.key) ?? 0))
    })

    it('refuses what can never succeed with 400 naming the field, and callers without the permission', async () => {
      const bad = await as(agentToken).request('/api/v1/ingest/agent', json('POST', { ...batch('x-1', 'lab-gateway', []), schema: 'phiwall.agent-batch/v9' }))
      expect(bad.status).toBe(400)
      expect((await bad.json() as Json).error).toMatchObject({ code: 'PW_ERR_BAD_REQUEST', field: 'schema' })
      const noId = await as(agentToken).request('/api/v1/ingest/agent', json('POST', { schema: 'phiwall.agent-batch/v1', host: 'lab-gateway', records: [] }))
      expect((await noId.json() as Json).error.field).toBe('batchId')
      expect((await as(null).request('/api/v1/ingest/agent', json('POST', batch('x-2', 'h', [])))).status).toBe(401)
      const scans = await as(PRINCIPALS.token(['scans:write'])).request('/api/v1/ingest/agent', json('POST', batch('x-3', 'h', [])))
      expect(scans.status).toBe(403)
      expect((await scans.json() as Json).error.code).toBe('PW_ERR_FORBIDDEN')
      expect((await as(PRINCIPALS.token(['scans:write'])).request('/api/v1/ingest/flows', json('POST', { uploadId: 'u-1', format: 'vpc', name: 'x', content: '' }))).status).toBe(403)
      expect((await as(PRINCIPALS.auditor).request('/api/v1/ingest/flows', json('POST', { uploadId: 'u-1', format: 'vpc', name: 'x', content: '' }))).status).toBe(403)
      const fmt = await eng().request('/api/v1/ingest/flows', json('POST', { uploadId: 'u-1', format: 'netflow', name: 'x', content: '' }))
      expect((await fmt.json() as Json).error.field).toBe('format')
      // a malformed record inside a valid batch is counted, the rest accepted (the agent would drop a 400)
      const mixed = await as(agentToken).request('/api/v1/ingest/agent', json('POST', batch('x-4', 'lab-gateway', [{ schema: 'phiwall.agent/v1', kind: 'connection' }, ...agentRecords('lab-gateway').slice(0, 5)])))
      expect(mixed.status).toBe(202)
      expect(await mixed.json() as Json).toMatchObject({ duplicate: false, malformed: 1 })
    })

    it('answers 503 with Retry-After when every ingest slot is taken, and accepts the retry', async () => {
      ctx.config.maxConcurrentIngest = 1
      const release = acquireIngestSlot(ctx)
      const busy = await as(agentToken).request('/api/v1/ingest/agent', json('POST', batch('busy-1', 'lab-gateway', agentRecords('lab-gateway'))))
      expect(busy.status).toBe(503)
      expect(busy.headers.get('Retry-After')).toMatch(/^\d+$/)
      expect((await busy.json() as Json).error.code).toBe('PW_ERR_BUSY')
      expect((await edges()).total).toBe(0)
      release()
      const retry = await as(agentToken).request('/api/v1/ingest/agent', json('POST', batch('busy-1', 'lab-gateway', agentRecords('lab-gateway'))))
      expect(retry.status).toBe(202)
    })

    it('ingests Hubble and VPC flow files, idempotent by uploadId, with identities from the inventory', async () => {
      const hub = await eng().request('/api/v1/ingest/flows', json('POST', { uploadId: 'hubble-1', format: 'hubble', name: 'clinic-prod.json', content: hubbleText() }))
      expect(hub.status).toBe(201)
      const h = await hub.json() as Json
      expect(h.flows).toBeGreaterThan(100)
      expect(h.edges).toBeGreaterThan(3)
      const dup = await eng().request('/api/v1/ingest/flows', json('POST', { uploadId: 'hubble-1', format: 'hubble', name: 'clinic-prod.json', content: hubbleText() }))
      expect(dup.status).toBe(200)
      expect((await dup.json() as Json).duplicate).toBe(true)
      const vpc = await as(PRINCIPALS.token(['flows:write'])).request('/api/v1/ingest/flows', json('POST', { uploadId: 'vpc-1', format: 'vpc', name: 'process-intake.log', content: vpcText() }))
      expect(vpc.status).toBe(201)
      expect((await vpc.json() as Json).flows).toBeGreaterThan(50)
      const b = await edges()
      const db = b.items.find((e) => e.key === 'k8s:clinic-prod/intake-worker|k8s:clinic-prod/patients-db|5432/tcp')
      expect(db, 'the declared call seen in Hubble').toMatchObject({ state: 'observed' })
      expect((db as unknown as { origin: string }).origin).toBe('both')
      const topo = await observedEdgesOf(store, inventory)
      expect(topo.length).toBeGreaterThan(0)
      expect(topo.every((e) => e.source === 'observed' && e.kind === 'calls' && inventory.resources.some((r) => r.id === e.from) && inventory.resources.some((r) => r.id === e.to))).toBe(true)
      expect((await ctx.audit.list({ action: 'ingest.flows' })).map((a) => a.target).sort()).toEqual(['upload:hubble-1', 'upload:vpc-1'])
    })

    it('reviews edges with an audit entry; auditors cannot; bad input names its field', async () => {
      await ingestExampleAgents()
      const feed = (await edges()).items.find((e) => LAB_FEEDER.test(e.from.id ?? '') && e.port === 6661)!
      const review = { keys: [feed.key], state: 'allowed', reason: 'Lab results feed into the HL7 engine (HL7 v2 over MLLP).' }
      expect((await as(PRINCIPALS.auditor).request('/api/v1/baseline/review', json('POST', review))).status).toBe(403)
      expect((await as(PRINCIPALS.appTeam('intake')).request('/api/v1/baseline/review', json('POST', review))).status).toBe(403)
      const short = await eng().request('/api/v1/baseline/review', json('POST', { ...review, reason: 'ok' }))
      expect((await short.json() as Json).error.field).toBe('reason')
      const snooze = await eng().request('/api/v1/baseline/review', json('POST', { ...review, state: 'snoozed' }))
      expect(snooze.status).toBe(400)
      expect((await snooze.json() as Json).error.field).toBe('until')
      const unknown = await eng().request('/api/v1/baseline/review', json('POST', { ...review, keys: [feed.key, 'host:nowhere|cidr:10.9.9.9/32|22/tcp'] }))
      expect(unknown.status).toBe(404)
      expect((await edges('&state=allowed')).total).toBe(0) // nothing half-applied

      const ok = await eng().request('/api/v1/baseline/review', json('POST', review))
      expect(ok.status).toBe(200)
      expect(await ok.json() as Json).toMatchObject({ updated: 1 })
      const allowed = await edges('&state=allowed')
      expect(allowed.items.map((e) => e.key)).toEqual([feed.key])
      expect(allowed.items[0]!.review).toMatchObject({ by: 'erin.engineer', reason: review.reason })
      const [entry] = await ctx.audit.list({ action: 'edge.review' })
      expect(entry).toMatchObject({ actor: 'user:erin.engineer', target: `edge:${feed.key}`, payload: { keys: [feed.key], state: 'allowed', reason: review.reason } })
      expect(await ctx.audit.verify()).toMatchObject({ ok: true })
      const byWorkload = await edges(`&workload=${encodeURIComponent(feed.from.id!)}`)
      expect(byWorkload.items.length).toBeGreaterThan(0)
      expect(byWorkload.items.every((e) => e.from.id === feed.from.id || e.to.id === feed.from.id)).toBe(true)
    })

    it('refuses enforce until the current policy is simulated and approved, then accepts it', async () => {
      await ingestExampleAgents()
      await eng().request('/api/v1/ingest/flows', json('POST', { uploadId: 'hubble-1', format: 'hubble', name: 'clinic-prod.json', content: hubbleText() }))
      const workload = (await edges()).workloads.find((w) => LAB_FEEDER.test(w.id))!.id
      const modePath = `/api/v1/baseline/workloads/${encodeURIComponent(workload)}/mode`
      const refused = await eng().request(modePath, json('PUT', { mode: 'enforce' }))
      expect(refused.status).toBe(409)
      expect((await refused.json() as Json).error.code).toBe('PW_ERR_CONFLICT')

      const policy = await (await as(PRINCIPALS.auditor).request('/api/v1/policy')).json() as Json
      expect(policy.schema).toBe('phiwall.policy/v1')
      expect(policy.digest).toMatch(/^[0-9a-f]{64}$/)
      expect(policy.approval).toBeNull()
      expect(policy.workloads.some((w: { identity: { id: string } }) => w.identity.id === workload)).toBe(true)

      const sim = await as(PRINCIPALS.auditor).request('/api/v1/policy/simulate', json('POST', {}))
      expect(sim.status).toBe(200)
      const s = await sim.json() as Json
      expect(s.digest).toBe(policy.digest)
      expect(s.result.flows).toBeGreaterThan(0)
      expect(s.result.allowed + s.result.dropped + s.result.alerted + s.result.uncovered).toBe(s.result.flows)
      const only = await (await eng().request('/api/v1/policy/simulate', json('POST', { workloads: [workload] }))).json() as Json
      expect(only.result.byWorkload.every((w: { workload: string }) => w.workload === workload)).toBe(true)

      const reason = 'Simulated: nothing legitimate would be dropped.'
      expect((await as(PRINCIPALS.auditor).request('/api/v1/policy/approve', json('POST', { digest: policy.digest, reason }))).status).toBe(403)
      const stale = await eng().request('/api/v1/policy/approve', json('POST', { digest: 'a'.repeat(64), reason }))
      expect(stale.status).toBe(409)
      const badDigest = await eng().request('/api/v1/policy/approve', json('POST', { digest: 'xyz', reason }))
      expect((await badDigest.json() as Json).error.field).toBe('digest')
      const approved = await eng().request('/api/v1/policy/approve', json('POST', { digest: policy.digest, reason }))
      expect(approved.status).toBe(200)
      expect((await approved.json() as Json).approval).toMatchObject({ digest: policy.digest, by: 'erin.engineer' })
      expect((await eng().request('/api/v1/policy/approve', json('POST', { digest: policy.digest, reason }))).status).toBe(409)
      expect((await (await eng().request('/api/v1/policy')).json() as Json).approval).toMatchObject({ digest: policy.digest })
      expect(await ctx.audit.list({ action: 'policy.approve' })).toHaveLength(1)

      const ok = await eng().request(modePath, json('PUT', { mode: 'enforce' }))
      expect(ok.status).toBe(200)
      const body = await ok.json() as Json
      expect(body.workload).toMatchObject({ id: workload, mode: 'enforce', changedBy: 'erin.engineer' })
      expect(body.workload.learning.done).toBe(true) // the example's agents recorded 7 days: no learning warning
      expect(body.warning).toBeUndefined()
      const [modeEntry] = await ctx.audit.list({ action: 'workload.mode' })
      expect(modeEntry).toMatchObject({ target: `workload:${workload}`, payload: { from: 'learn', to: 'enforce', policyDigest: policy.digest } })
      // setting a mode does not void the approval (modes are not part of the digest)
      expect((await (await eng().request('/api/v1/policy')).json() as Json).digest).toBe(policy.digest)
      expect((await eng().request('/api/v1/baseline/workloads/nope/mode', json('PUT', { mode: 'alert' }))).status).toBe(404)
      expect((await eng().request(modePath, json('PUT', { mode: 'block' }))).status).toBe(400)

      // a learning window of its own: 30 days makes the 7 observed days incomplete, audited; null restores the default
      const learningPath = modePath.replace(/\/mode$/, '/learning')
      expect((await as(PRINCIPALS.auditor).request(learningPath, json('PUT', { days: 30 }))).status).toBe(403)
      const longer = await eng().request(learningPath, json('PUT', { days: 30 }))
      expect(longer.status).toBe(200)
      expect((await longer.json() as Json).workload.learning).toMatchObject({ days: 30, done: false })
      expect((await ctx.audit.list({ action: 'workload.learning' }))[0]).toMatchObject({ target: `workload:${workload}`, payload: { from: null, to: 30 } })
      const warned = await eng().request(modePath, json('PUT', { mode: 'enforce' }))
      expect((await warned.json() as Json).warning).toMatch(/of 30 days observed/)
      const reset = await eng().request(learningPath, json('PUT', { days: null }))
      expect((await reset.json() as Json).workload.learning).toMatchObject({ days: 7, done: true })
      expect((await eng().request(learningPath, json('PUT', { days: 0 }))).status).toBe(400)
      expect((await eng().request('/api/v1/baseline/workloads/nope/learning', json('PUT', { days: 3 }))).status).toBe(404)
    })

    it('exports every format, and the NetworkPolicy YAML parses', async () => {
      await ingestExampleAgents()
      await eng().request('/api/v1/ingest/flows', json('POST', { uploadId: 'hubble-1', format: 'hubble', name: 'clinic-prod.json', content: hubbleText() }))
      await eng().request('/api/v1/ingest/flows', json('POST', { uploadId: 'vpc-1', format: 'vpc', name: 'process-intake.log', content: vpcText() }))
      const get = async (format: string) => {
        const res = await as(PRINCIPALS.auditor).request(`/api/v1/policy/export?format=${format}`)
        expect(res.status).toBe(200)
        return (await res.json() as Json) as { files: { path: string; content: string }[]; notes: unknown[] }
      }
      const np = await get('networkpolicy')
      const npFile = np.files.find((f) => f.path === 'clinic-prod/intake-worker.networkpolicy.yaml')
      expect(npFile).toBeDefined()
      const docs = YAML.parseAllDocuments(npFile!.content).map((d) => d.toJS() as { apiVersion: string; kind: string; spec: { podSelector: unknown; policyTypes: string[] } })
      expect(docs[0]).toMatchObject({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' })
      expect(docs[0]!.spec.policyTypes).toEqual(expect.arrayContaining(['Ingress', 'Egress']))
      const cilium = await get('cilium')
      expect(cilium.files.length).toBeGreaterThan(0)
      expect(YAML.parse(cilium.files[0]!.content)).toMatchObject({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy' })
      const nft = await get('nftables')
      expect(nft.files.map((f) => f.path).sort()).toEqual(['hl7-engine.nft', 'lab-gateway.nft'])
      expect(nft.files[0]!.content).toContain('table inet phiwall')
      const sg = await get('aws-sg')
      expect(Array.isArray(sg.files)).toBe(true)
      for (const f of sg.files.filter((x) => x.path.endsWith('.yaml'))) expect(() => YAML.parse(f.content, { customTags: ['!Ref', '!GetAtt', '!Sub'].map((tag) => ({ tag, resolve: (v: string) => v })) })).not.toThrow()
      const bad = await as(PRINCIPALS.auditor).request('/api/v1/policy/export?format=iptables')
      expect((await bad.json() as Json).error.field).toBe('format')
    })

    it('alerts on deviations of workloads in alert mode, grouped with a growing count, and acks them', async () => {
      await ingestExampleAgents()
      const workload = (await edges()).workloads.find((w) => LAB_FEEDER.test(w.id))!.id
      expect((await eng().request(`/api/v1/baseline/workloads/${encodeURIComponent(workload)}/mode`, json('PUT', { mode: 'alert' }))).status).toBe(200)
      const feeder = agentRecords('lab-gateway').find((r) => r['kind'] === 'connection' && (r['process'] as { exePath?: string } | undefined)?.exePath === '/usr/local/bin/lab-feeder')!
      const exfil = { ...feeder, remote: { ip: '203.0.113.50', port: 443 }, firstSeen: 1793600000000, lastSeen: 1793600005000 }
      const first = await as(agentToken).request('/api/v1/ingest/agent', json('POST', batch('dev-1', 'lab-gateway', [exfil])))
      expect(first.status).toBe(202)
      expect((await first.json() as Json).alerts).toBe(1)
      const list1 = await (await eng().request('/api/v1/alerts?state=open')).json() as Json
      expect(list1.items).toHaveLength(1)
      const alert = list1.items[0]
      expect(alert).toMatchObject({ type: 'new-external-destination', severity: 'high', workload, count: 1, state: 'open' })
      expect(alert.key).toContain('cidr:203.0.113.0/24|443/tcp')

      clock.advance(60_000)
      await as(agentToken).request('/api/v1/ingest/agent', json('POST', batch('dev-2', 'lab-gateway', [exfil, { ...exfil, firstSeen: 1793600100000, lastSeen: 1793600101000 }])))
      const list2 = await (await eng().request('/api/v1/alerts')).json() as Json
      expect(list2.total).toBe(1)
      expect(list2.items[0]).toMatchObject({ id: alert.id, count: 3, lastSeen: new Date(1793600101000).toISOString() })
      // an unrelated workload in learn mode raises nothing
      expect((await (await eng().request('/api/v1/alerts?type=new-edge')).json() as Json).total).toBe(0)

      expect((await as(PRINCIPALS.auditor).request(`/api/v1/alerts/${alert.id}/ack`, json('POST', {}))).status).toBe(403)
      const ack = await eng().request(`/api/v1/alerts/${alert.id}/ack`, json('POST', { note: 'Vendor test endpoint; ticket SEC-112.' }))
      expect(ack.status).toBe(200)
      expect((await ack.json() as Json).alert).toMatchObject({ state: 'acknowledged', acknowledged: { by: 'erin.engineer', note: 'Vendor test endpoint; ticket SEC-112.' } })
      expect((await ctx.audit.list({ action: 'alert.ack' }))[0]).toMatchObject({ target: `alert:${alert.id}` })
      expect((await eng().request('/api/v1/alerts/al_missing/ack', json('POST', {}))).status).toBe(404)
      expect((await (await eng().request('/api/v1/alerts?state=acknowledged')).json() as Json).total).toBe(1)

      // allowing the edge resolves its alert
      await eng().request('/api/v1/baseline/review', json('POST', { keys: [alert.edgeKey], state: 'allowed', reason: 'Vendor API reviewed by security.' }))
      expect((await (await eng().request('/api/v1/alerts?state=resolved')).json() as Json).items[0]).toMatchObject({ id: alert.id })
    })

    it('scopes baseline, alerts and policy to an app team’s own workloads', async () => {
      await ingestExampleAgents()
      await eng().request('/api/v1/ingest/flows', json('POST', { uploadId: 'hubble-1', format: 'hubble', name: 'clinic-prod.json', content: hubbleText() }))
      const own = new Set(inventory.resources.filter((r) => r.owner === 'intake').map((r) => `k8s:${r.namespace}/${r.name}`))
      const all = await edges()
      const team = await edges('', PRINCIPALS.appTeam('intake'))
      expect(team.total).toBeGreaterThan(0)
      expect(team.total).toBeLessThan(all.total)
      expect(team.items.every((e) => own.has(e.from.id ?? '') || own.has(e.to.id ?? ''))).toBe(true)
      expect(team.workloads.length).toBeGreaterThan(0)
      expect(team.workloads.every((w) => own.has(w.id))).toBe(true)
      expect((await edges('', PRINCIPALS.appTeam('billing'))).total).toBe(0)
      const policy = await (await as(PRINCIPALS.appTeam('intake')).request('/api/v1/policy')).json() as Json
      expect(policy.workloads.length).toBeGreaterThan(0)
      expect(policy.workloads.every((w: { identity: { id: string } }) => own.has(w.identity.id))).toBe(true)

      // an alert on a process workload (no owner) is not the team's
      const workload = all.workloads.find((w) => LAB_FEEDER.test(w.id))!.id
      await eng().request(`/api/v1/baseline/workloads/${encodeURIComponent(workload)}/mode`, json('PUT', { mode: 'alert' }))
      const feeder = agentRecords('lab-gateway').find((r) => r['kind'] === 'connection' && r['process'])!
      await as(agentToken).request('/api/v1/ingest/agent', json('POST', batch('dev-1', 'lab-gateway', [{ ...feeder, remote: { ip: '10.40.9.9', port: 22 } }])))
      expect((await (await eng().request('/api/v1/alerts')).json() as Json).total).toBe(1)
      expect((await (await as(PRINCIPALS.appTeam('intake')).request('/api/v1/alerts')).json() as Json).total).toBe(0)
    })

    it('pages the baseline with an opaque cursor and validates list parameters', async () => {
      await ingestExampleAgents()
      const all = await edges()
      expect(all.total).toBeGreaterThan(4)
      const p1 = (await (await eng().request('/api/v1/baseline?limit=2')).json()) as Json
      expect(p1.items).toHaveLength(2)
      expect(p1.total).toBe(all.total)
      expect(p1.nextCursor).toEqual(expect.any(String))
      const p2 = (await (await eng().request(`/api/v1/baseline?limit=2&cursor=${encodeURIComponent(p1.nextCursor)}`)).json()) as Json
      expect(p2.items.map((e: EdgeRow) => e.key)).toEqual(all.items.slice(2, 4).map((e) => e.key))
      expect((await (await eng().request('/api/v1/baseline?limit=0')).json() as Json).error.field).toBe('limit')
      expect((await (await eng().request('/api/v1/baseline?state=maybe')).json() as Json).error.field).toBe('state')
      expect((await (await eng().request('/api/v1/baseline?cursor=bm9wZQ')).json() as Json).error.field).toBe('cursor')
      expect((await as(null).request('/api/v1/baseline')).status).toBe(401)
      expect((await as(null).request('/api/v1/alerts')).status).toBe(401)
      expect((await as(PRINCIPALS.token(['flows:write'])).request('/api/v1/policy')).status).toBe(403)
    })

    it('documents every route in the OpenAPI document', () => {
      const doc = createSegmentationRoutes(ctx, async () => inventory).getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'test', version: '0' } })
      expect(Object.keys(doc.paths ?? {}).sort()).toEqual(
        ['/alerts', '/alerts/{id}/ack', '/baseline', '/baseline/exceptions', '/baseline/review', '/baseline/workloads/{id}/learning', '/baseline/workloads/{id}/mode', '/fingerprints', '/ingest/agent', '/ingest/fingerprints', '/ingest/flows', '/ingest/phi', '/phi-evidence', '/policy', '/policy/approve', '/policy/export', '/policy/simulate'].sort(),
      )
      expect(Object.keys(doc.paths!['/ingest/agent']!.post!.responses ?? {})).toEqual(expect.arrayContaining(['200', '202', '400', '503']))
    })

    it('resolves against the posture domain’s latest inventory once a scan is uploaded (segmentationRoutes, observedTopologyEdges)', async () => {
      const upload = await appAs(postureRoutes(ctx), PRINCIPALS.token(['scans:write'])).request('/api/v1/scans', json('POST', { schema: 'phiwall.scan-upload/v1', uploadId: 'scan-clinic-0001', source: { name: 'clinic-intake' }, result: scanResult }))
      expect(upload.status, await upload.clone().text()).toBe(201)
      const app = (p: Principal) => appAs(segmentationRoutes(ctx), p)
      const res = await app(PRINCIPALS.engineer).request('/api/v1/ingest/flows', json('POST', { uploadId: 'hubble-1', format: 'hubble', name: 'clinic-prod.json', content: hubbleText() }))
      expect(res.status).toBe(201)
      const team = (await (await app(PRINCIPALS.appTeam('intake')).request('/api/v1/baseline?limit=500')).json()) as Json
      expect(team.total).toBeGreaterThan(0)
      expect(team.items.some((e: EdgeRow) => e.key === 'k8s:clinic-prod/intake-worker|k8s:clinic-prod/patients-db|5432/tcp')).toBe(true)
      const topo = await observedTopologyEdges(ctx)
      expect(topo.length).toBeGreaterThan(0)
      expect(topo).toEqual(await observedEdgesOf(store, inventory))
    })

    it('records PHI egress exceptions with a reason and expiry, audited', async () => {
      await eng().request('/api/v1/ingest/flows', json('POST', { uploadId: 'hubble-1', format: 'hubble', name: 'clinic-prod.json', content: hubbleText() }))
      const body = { workload: 'k8s:clinic-prod/fhir-bridge', destination: 'fqdn:hie.example-health.org', port: 443, reason: 'Regional HIE under BAA 2025-114', expiresAt: '2027-06-30T00:00:00Z' }
      const res = await eng().request('/api/v1/baseline/exceptions', json('POST', body))
      expect(res.status).toBe(200)
      expect((await res.json() as Json).exception).toMatchObject({ to: { kind: 'fqdn', fqdn: 'hie.example-health.org' }, port: 443, by: 'erin.engineer' })
      const w = (await edges()).workloads.find((x) => x.id === body.workload) as unknown as { exceptions: unknown[] }
      expect(w.exceptions).toHaveLength(1)
      expect((await ctx.audit.list({ action: 'workload.exception' }))[0]).toMatchObject({ target: `workload:${body.workload}` })
      expect((await (await eng().request('/api/v1/baseline/exceptions', json('POST', { ...body, expiresAt: '2026-01-01T00:00:00Z' }))).json() as Json).error.field).toBe('expiresAt')
      expect((await (await eng().request('/api/v1/baseline/exceptions', json('POST', { ...body, destination: 'not a host!' }))).json() as Json).error.field).toBe('destination')
      expect((await eng().request('/api/v1/baseline/exceptions', json('POST', { ...body, workload: 'k8s:clinic-prod/nothing' }))).status).toBe(404)
      expect((await as(PRINCIPALS.auditor).request('/api/v1/baseline/exceptions', json('POST', body))).status).toBe(403)
    })

    it('stores fingerprint manifests and masked PHI evidence, idempotent by uploadId, refusing unmasked values', async () => {
      const manifest = {
        name: 'lab-feeder',
        commit: '4f2a9c1',
        builtAt: '2026-12-01T12:00:00Z',
        artifacts: [
          { path: '/usr/local/bin/lab-feeder', sha256: 'e4c2a0f8d6b4e2c0a8f6d4b2e0c8a6f4d2b0e8c6a4f2d0b8e6c4a2f0d8b6e4c2', size: 18_233_344 },
          { path: '/opt/mirth/jre/bin/java', sha256: 'b6f5c1a3e9d2847f0c3b5a6d7e8f9012a3b4c5d6e7f8091a2b3c4d5e6f708192' },
        ],
      }
      const fpToken = PRINCIPALS.token(['fingerprints:write'])
      const r1 = await as(fpToken).request('/api/v1/ingest/fingerprints', json('POST', { uploadId: 'ci-881', manifest }))
      expect(r1.status).toBe(201)
      expect(await r1.json() as Json).toEqual({ stored: true, duplicate: false })
      const r2 = await as(fpToken).request('/api/v1/ingest/fingerprints', json('POST', { uploadId: 'ci-881', manifest }))
      expect(r2.status).toBe(200)
      expect(await r2.json() as Json).toEqual({ stored: false, duplicate: true })
      const badSha = await as(fpToken).request('/api/v1/ingest/fingerprints', json('POST', { uploadId: 'ci-882', manifest: { artifacts: [{ path: '/bin/x', sha256: 'abc' }] } }))
      expect((await badSha.json() as Json).error).toMatchObject({ code: 'PW_ERR_BAD_REQUEST', field: 'manifest.artifacts[0].sha256' })
      expect((await as(PRINCIPALS.token(['phi:write'])).request('/api/v1/ingest/fingerprints', json('POST', { uploadId: 'ci-883', manifest }))).status).toBe(403)
      const list = await (await as(PRINCIPALS.auditor).request('/api/v1/fingerprints')).json() as Json
      expect(list).toMatchObject({ total: 1, items: [{ uploadId: 'ci-881', name: 'lab-feeder', artifacts: 2 }] })

      const report = {
        files: [
          { file: 'exports/intake-2026-11.csv', status: 'scanned', containsPhi: true },
          { file: 'README.md', status: 'scanned', containsPhi: false },
        ],
        findings: [
          { type: 'SSN', file: 'exports/intake-2026-11.csv', line: 2, column: 14, length: 11, confidence: 0.95, masked: maskValue('123-45-6789') },
          { type: 'EMAIL', file: 'exports/intake-2026-11.csv', line: 2, column: 40, length: 20, confidence: 0.9, masked: maskValue('jane.doe@example.org') },
        ],
      }
      const phiToken = PRINCIPALS.token(['phi:write'])
      const p1 = await as(phiToken).request('/api/v1/ingest/phi', json('POST', { uploadId: 'phi-1', target: 'clinic-intake-patients-prod', report }))
      expect(p1.status).toBe(201)
      expect((await as(phiToken).request('/api/v1/ingest/phi', json('POST', { uploadId: 'phi-1', report }))).status).toBe(200)
      const unmasked = { ...report, findings: [report.findings[0], { ...report.findings[1], masked: 'jane.doe@example.org' }] }
      const refused = await as(phiToken).request('/api/v1/ingest/phi', json('POST', { uploadId: 'phi-2', report: unmasked }))
      expect(refused.status).toBe(400)
      const err = (await refused.json() as Json).error
      expect(err.field).toBe('report.findings[1].masked')
      expect(err.message).not.toContain('jane.doe')
      const digits = await as(phiToken).request('/api/v1/ingest/phi', json('POST', { uploadId: 'phi-3', report: { ...report, findings: [{ ...report.findings[0], masked: '***-**-6789' }] } }))
      expect((await digits.json() as Json).error.field).toBe('report.findings[0].masked')
      expect((await as(PRINCIPALS.token(['flows:write'])).request('/api/v1/ingest/phi', json('POST', { uploadId: 'phi-4', report }))).status).toBe(403)
      const ev = await (await as(PRINCIPALS.auditor).request('/api/v1/phi-evidence')).json() as Json
      expect(ev).toMatchObject({ total: 1, items: [{ uploadId: 'phi-1', target: 'clinic-intake-patients-prod', files: 2, filesWithPhi: 1, findings: 2, byType: { SSN: 1, EMAIL: 1 } }] })
      const audit = JSON.stringify(await ctx.audit.list({ action: 'phi.ingest' }))
      expect(audit).toContain('phi-1')
      expect(audit).not.toMatch(/6789|jane\.doe/)
    })

    it('treats a fingerprinted binary as known: no unknown-binary alert', async () => {
      await ingestExampleAgents()
      const workload = (await edges()).workloads.find((w) => LAB_FEEDER.test(w.id))!.id
      await eng().request(`/api/v1/baseline/workloads/${encodeURIComponent(workload)}/mode`, json('PUT', { mode: 'alert' }))
      const feeder = agentRecords('lab-gateway').find((r) => r['kind'] === 'connection' && (r['process'] as { exePath?: string } | undefined)?.exePath === '/usr/local/bin/lab-feeder')!
      const mirthPort = (feeder['remote'] as { port: number }).port
      const rebuilt = (sha: string) => ({ ...feeder, process: { ...(feeder['process'] as object), exeSha256: sha } })
      const known = 'aa'.repeat(32)
      await as(PRINCIPALS.token(['fingerprints:write'])).request('/api/v1/ingest/fingerprints', json('POST', { uploadId: 'ci-9', manifest: { artifacts: [{ path: '/usr/local/bin/lab-feeder', sha256: known }] } }))
      await as(agentToken).request('/api/v1/ingest/agent', json('POST', batch('k-1', 'lab-gateway', [rebuilt(known)])))
      await as(agentToken).request('/api/v1/ingest/agent', json('POST', batch('k-2', 'lab-gateway', [rebuilt('bb'.repeat(32))])))
      const alerts = await (await eng().request('/api/v1/alerts?type=unknown-binary')).json() as Json
      expect(alerts.total).toBe(1)
      expect(alerts.items[0].message).toContain('bbbbbbbbbbbbbbbb')
      expect(mirthPort).toBeGreaterThan(0)
    })
  })
}
