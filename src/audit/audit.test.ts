import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { openStore, migrate, type Store } from '../store/index.js'
import { dropSchema, runPostgresTests, TEST_DATABASE_URL, uniqueSchema } from '../store/test-support.js'
import { AUDIT_MIGRATIONS, canonicalJson, createAuditLog, exportAuditNdjson, verifyAuditExport, type AuditLog } from './index.js'

const backends: { name: string; open(): Promise<Store> }[] = [{ name: 'pglite', open: () => openStore({}) }]
const schemas: string[] = []
if (await runPostgresTests()) {
  backends.push({
    name: 'postgres',
    open: () => {
      const schema = uniqueSchema('audit')
      schemas.push(schema)
      return openStore({ databaseUrl: TEST_DATABASE_URL, schema })
    },
  })
}
afterAll(async () => {
  for (const s of schemas) await dropSchema(s)
})

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}')
    expect(canonicalJson(undefined)).toBe('null')
    expect(canonicalJson({ x: 'é"\n' })).toBe('{"x":"é\\"\\n"}')
  })
})

let t = Date.parse('2026-12-07T09:00:00.000Z')
const clock = (): Date => new Date(t)

for (const backend of backends) {
  describe(backend.name, () => {
    let store: Store
    let audit: AuditLog
    beforeEach(async () => {
      if (store) await store.close()
      store = await backend.open() // a fresh database (PGlite) or schema (PostgreSQL) per test
      t = Date.parse('2026-12-07T09:00:00.000Z')
      await migrate(store, 'audit', AUDIT_MIGRATIONS)
      audit = createAuditLog(store, clock)
    })
    afterAll(async () => store?.close())

    async function seed(n: number): Promise<void> {
      for (let i = 1; i <= n; i++) {
        t += 1000
        await audit.append({ actor: 'user:alice.admin', action: i % 2 ? 'finding.suppress' : 'policy.approve', target: `finding:f${i}`, payload: { reason: `Accepted risk #${i} until the vendor patch ships`, count: i, nested: { b: [1, 2], a: null } } })
      }
    }

    it('chains entries: seq 1…n, first prevHash is 64 zeros, each prevHash is the hash before', async () => {
      await seed(5)
      const all = (await audit.list({ limit: 10 })).reverse()
      expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5])
      expect(all[0]!.prevHash).toBe('0'.repeat(64))
      for (let i = 1; i < all.length; i++) expect(all[i]!.prevHash).toBe(all[i - 1]!.hash)
      expect(all[0]!.at).toBe('2026-12-07T09:00:01.000Z')
      expect(all[0]!.payload).toEqual({ reason: 'Accepted risk #1 until the vendor patch ships', count: 1, nested: { b: [1, 2], a: null } })
      const v = await audit.verify()
      expect(v).toEqual({ ok: true, count: 5, head: all[4]!.hash })
    })

    it('lists newest first with filters and beforeSeq', async () => {
      await seed(6)
      expect((await audit.list({ limit: 2 })).map((e) => e.seq)).toEqual([6, 5])
      expect((await audit.list({ beforeSeq: 5, limit: 2 })).map((e) => e.seq)).toEqual([4, 3])
      expect((await audit.list({ action: 'policy.' })).map((e) => e.seq)).toEqual([6, 4, 2])
      expect((await audit.list({ target: 'finding:f3' })).map((e) => e.seq)).toEqual([3])
      expect(await audit.list({ actor: 'user:nobody' })).toEqual([])
    })

    it('joins the caller transaction: a rolled-back action leaves no entry', async () => {
      await seed(1)
      await expect(store.transaction(async (tx) => {
        await audit.append({ actor: 'user:erin', action: 'policy.approve', target: 'policy:p1', payload: { digest: 'abc' } }, tx)
        throw new Error('the action failed')
      })).rejects.toThrow('the action failed')
      expect((await audit.list()).map((e) => e.seq)).toEqual([1])
      const e = await store.transaction((tx) => audit.append({ actor: 'user:erin', action: 'policy.approve', target: 'policy:p1' }, tx))
      expect(e.seq).toBe(2)
      expect((await audit.verify()).ok).toBe(true)
    })

    it('refuses payload keys that name secrets, at any depth', async () => {
      for (const payload of [{ password: 'x' }, { user: { newPassword: 'x' } }, { list: [{ token: 'pw_x' }] }, { totp: 1 }, { code: '123456' }, { recoveryCode: 'a' }, { secret: 's' }, { TOTP_secret: 's' }]) {
        await expect(audit.append({ actor: 'system', action: 'user.login', target: 'user:a', payload })).rejects.toThrow(/refused/)
      }
      expect(await audit.list()).toEqual([])
      await expect(audit.append({ actor: 'system', action: 'user.login', target: 'user:a', payload: { codeLength: 6, tokenId: 't1' } })).resolves.toMatchObject({ seq: 1 })
    })

    it('verify finds a changed payload (digest), a changed field (hash), a deleted row (gap) and a re-hashed row (link)', async () => {
      await seed(8)
      await store.query(`UPDATE audit_events SET payload = '{"reason":"nothing to see"}'::jsonb WHERE seq = 3`)
      expect((await audit.verify()).brokenAt).toEqual({ seq: 3, reason: expect.stringMatching(/payload digest mismatch/) })
      expect((await audit.verify()).ok).toBe(false)
      expect((await audit.verify()).count).toBe(2)
    })

    it('verify reports a changed actor as a hash mismatch', async () => {
      await seed(4)
      await store.query(`UPDATE audit_events SET actor = 'user:mallory' WHERE seq = 2`)
      expect((await audit.verify()).brokenAt).toEqual({ seq: 2, reason: expect.stringMatching(/hash mismatch/) })
    })

    it('verify reports a deleted entry as a sequence gap at that seq', async () => {
      await seed(5)
      await store.query('DELETE FROM audit_events WHERE seq = 4')
      expect((await audit.verify()).brokenAt).toEqual({ seq: 4, reason: expect.stringMatching(/sequence gap/) })
    })

    it('verify reports a consistently re-hashed entry as a broken link at the next one', async () => {
      await seed(5)
      // a forger rewrites entry 2 and recomputes its own digest and hash: entry 3 no longer links to it
      const { eventHash, payloadDigest } = await import('./index.js')
      const [e2] = (await audit.list({ beforeSeq: 3, limit: 1 }))
      const forged = { ...e2!, actor: 'user:mallory', payload: { reason: 'forged' } }
      forged.payloadDigest = payloadDigest(forged.payload)
      forged.hash = eventHash(forged)
      await store.query('UPDATE audit_events SET actor = $1, payload = $2::jsonb, payload_digest = $3, hash = $4 WHERE seq = 2', [forged.actor, JSON.stringify(forged.payload), forged.payloadDigest, forged.hash])
      expect((await audit.verify()).brokenAt).toEqual({ seq: 3, reason: expect.stringMatching(/broken link/) })
    })

    it('verify pages through more entries than one page', async () => {
      const rows = 1203
      await store.transaction(async (tx) => {
        for (let i = 0; i < rows; i++) await audit.append({ actor: 'agent:vm-12', action: 'flow.ingest', target: `batch:${i}`, payload: { flows: i } }, tx)
      })
      expect(await audit.verify()).toMatchObject({ ok: true, count: rows })
      await store.query('UPDATE audit_events SET target = $1 WHERE seq = 1100', ['batch:x'])
      expect((await audit.verify()).brokenAt?.seq).toBe(1100)
    })

    it('exports NDJSON that verifies offline, and detects an edited line', async () => {
      await seed(7)
      const lines: string[] = []
      for await (const l of exportAuditNdjson(store)) lines.push(l)
      expect(lines).toHaveLength(7)
      expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true)
      const head = (await audit.list({ limit: 1 }))[0]!.hash
      expect(await verifyAuditExport(lines)).toEqual({ ok: true, count: 7, head })
      // a whole file's text, and lines without newlines, verify the same way
      expect(await verifyAuditExport([lines.join('')])).toEqual({ ok: true, count: 7, head })
      expect(await verifyAuditExport(lines.join('').split('\n'))).toEqual({ ok: true, count: 7, head })
      const edited = [...lines]
      edited[4] = edited[4]!.replace('"count":5', '"count":50')
      expect((await verifyAuditExport(edited)).brokenAt).toEqual({ seq: 5, reason: expect.stringMatching(/payload digest/) })
      const dropped = lines.filter((_, i) => i !== 1)
      expect((await verifyAuditExport(dropped)).brokenAt?.seq).toBe(2)
      expect((await verifyAuditExport(['not json'])).brokenAt).toEqual({ seq: 1, reason: 'line 1 is not JSON' })
    })

    if (backend.name === 'postgres') {
      it('serialises 50 concurrent appends: no gaps, no fork', async () => {
        await seed(1)
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
          i % 2 ? audit.append({ actor: `agent:host-${i}`, action: 'flow.ingest', target: `batch:${i}`, payload: { i } })
            : store.transaction(async (tx) => {
              await tx.query('SELECT 1')
              return audit.append({ actor: `user:u${i}`, action: 'alert.ack', target: `alert:${i}`, payload: { i } }, tx)
            })))
        expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2))
        const v = await audit.verify()
        expect(v).toMatchObject({ ok: true, count: 51 })
        const [{ n }] = await store.query<{ n: string }>('SELECT count(DISTINCT prev_hash)::text AS n FROM audit_events') as [{ n: string }]
        expect(n).toBe('51')
      })
    }
  })
}
