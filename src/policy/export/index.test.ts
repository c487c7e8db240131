import { describe, expect, it } from 'vitest'
import type { ExportFormat } from '../types.js'
import { EXPORT_FORMATS, exportAwsSecurityGroups, exportCilium, exportIam, exportNetworkPolicy, exportNftables, exportPolicy } from './index.js'
import { clinic, reordered } from './testdata/fixtures.js'

describe('exportPolicy', () => {
  const set = clinic()

  it('dispatches each format to its exporter', () => {
    const direct: Record<ExportFormat, () => unknown> = {
      networkpolicy: () => exportNetworkPolicy(set),
      cilium: () => exportCilium(set),
      nftables: () => exportNftables(set),
      'aws-sg': () => exportAwsSecurityGroups(set),
      iam: () => exportIam(set),
    }
    expect([...EXPORT_FORMATS].sort()).toEqual(Object.keys(direct).sort())
    for (const format of EXPORT_FORMATS) {
      const r = exportPolicy(set, format)
      expect(r.format).toBe(format)
      expect(r.files.length).toBeGreaterThan(0)
      expect(r).toEqual(direct[format]())
    }
  })

  it('passes the nftables match option through and rejects unknown ones', () => {
    expect(exportPolicy(set, 'nftables', { match: 'cgroup' }).files[0]!.content).toContain('socket cgroupv2 level 2 "system.slice/hl7-sender.service"')
    expect(exportPolicy(set, 'nftables').files[0]!.content).not.toContain('socket cgroupv2')
    expect(() => exportPolicy(set, 'nftables', { match: 'pid' })).toThrow(/uid, cgroup or both/)
    expect(() => exportPolicy(set, 'iptables' as ExportFormat)).toThrow(/unknown export format "iptables"/)
  })

  it('never writes outside the output directory, sorts files and notes, and names only real workloads', () => {
    const ids = new Set(set.workloads.map((w) => w.identity.id))
    for (const format of EXPORT_FORMATS) {
      const r = exportPolicy(set, format)
      expect(r.files.map((f) => f.path)).toEqual([...r.files.map((f) => f.path)].sort())
      for (const f of r.files) {
        expect(f.path).not.toMatch(/^\/|(^|\/)\.\.?(\/|$)|\\/)
        expect(f.content.endsWith('\n')).toBe(true)
        for (const w of f.workloads) expect(ids.has(w), w).toBe(true)
      }
      const keys = r.notes.map((n) => `${n.workload}\u0000${n.message}`)
      expect(keys).toEqual([...new Set(keys)].sort())
    }
  })

  it('does not change the policy set it is given', () => {
    const before = JSON.stringify(set)
    for (const format of EXPORT_FORMATS) exportPolicy(set, format)
    expect(JSON.stringify(set)).toBe(before)
  })

  it('gives byte-identical output for the same policy however it is ordered (diffs well)', () => {
    for (const format of EXPORT_FORMATS) expect(exportPolicy(reordered(set), format), format).toEqual(exportPolicy(set, format))
  })

  it('leaves no timestamp in the output', () => {
    for (const format of EXPORT_FORMATS) for (const f of exportPolicy(set, format).files) expect(f.content).not.toContain(set.generatedAt)
  })
})
