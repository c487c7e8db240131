import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildInventory } from '../inventory/index.js'
import { collect } from '../sources/index.js'
import { flowInventoryOf } from './declared.js'
import { readInventoryFile } from './inventory-file.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

describe('readInventoryFile', () => {
  it('reads back the workloads block of `phiwall inventory --format json` unchanged', async () => {
    const collected = await collect([path.join(root, 'examples/clinic-intake')], {})
    const inventory = flowInventoryOf(buildInventory(collected.documents))
    expect(inventory.identities.length).toBeGreaterThan(5)
    const read = readInventoryFile(JSON.stringify({ resources: [], edges: [], workloads: inventory }))
    expect(read.source).toBe('inventory')
    expect(read.notes).toEqual([])
    expect(read.inventory).toEqual(inventory)
  })

  it("takes identities, PHI state and declared flows from a scan report, and says what it lacks", async () => {
    const collected = await collect([path.join(root, 'examples/clinic-intake')], {})
    const inv = buildInventory(collected.documents)
    const full = flowInventoryOf(inv)
    const report = { schemaVersion: '1.3.0', resources: inv.resources.map(({ props: _p, propLines: _l, ...r }) => r), edges: inv.edges }
    const read = readInventoryFile(JSON.stringify(report))
    expect(read.source).toBe('scan-report')
    expect(read.notes[0]).toMatch(/no resource properties/)
    expect(read.inventory.identities.map((i) => `${i.id} ${i.holdsPhi} ${i.environment}`)).toEqual(full.identities.map((i) => `${i.id} ${i.holdsPhi} ${i.environment}`))
    expect(read.inventory.declared).toEqual(full.declared)
    expect(read.inventory.identities.every((i) => i.labels === undefined || i.kind !== 'k8s-workload')).toBe(true)
  })

  it('names the first invalid field, and refuses what is neither', () => {
    expect(() => readInventoryFile('{')).toThrow(/^not JSON/)
    expect(() => readInventoryFile(JSON.stringify({ workloads: { identities: [{ id: 'a', kind: 'vm', name: 'a' }], addresses: [{ workload: 'a', ip: 1 }], declared: [], ingressRouted: [] } }))).toThrow(/^workloads\.addresses\.0\.ip:/)
    expect(() => readInventoryFile(JSON.stringify({ findings: [] }))).toThrow(/neither .* nor a scan report \(schemaVersion:/)
  })

  it('never throws anything but an Error with a message on random JSON (property-based)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.jsonValue().map((v) => JSON.stringify({ workloads: v })), fc.jsonValue().map((v) => JSON.stringify({ schemaVersion: '1.3.0', resources: v, edges: [] }))), (text) => {
        try {
          const r = readInventoryFile(typeof text === 'string' ? text : JSON.stringify(text))
          expect(Array.isArray(r.inventory.identities)).toBe(true)
        } catch (err) {
          expect(err).toBeInstanceOf(Error)
          expect((err as Error).message.length).toBeGreaterThan(0)
        }
      }),
      { numRuns: 500 },
    )
  })
})
