import { describe, expect, it } from 'vitest'
import type { AlertRow, Topology } from './api'
import { isSignInPath, matchPage, PAGES, safeReturnPath } from './route'
import { sortAlerts } from './sort'
import { displayNames, edgeDetail, edgesOf, environmentsOf, filterTopology, nodeName, orderedNodes } from './topology-model'
import { workflowStep } from './workflow'

describe('routes', () => {
  it('names the navigation exactly as the brief says', () => {
    expect(PAGES.map((p) => p.label)).toEqual(['Overview', 'Inventory', 'Topology', 'Findings', 'Vulnerabilities', 'Segmentation', 'Alerts', 'Audit trail', 'Reports', 'Settings'])
  })
  it('matches paths, with trailing slashes and the overview alias', () => {
    expect(matchPage('/')?.id).toBe('overview')
    expect(matchPage('/overview')?.id).toBe('overview')
    expect(matchPage('/findings/')?.id).toBe('findings')
    expect(matchPage('/nope')).toBeNull()
    expect(isSignInPath('/signin/')).toBe(true)
  })
  it('returns only to known dashboard paths after sign-in', () => {
    expect(safeReturnPath('?next=%2Ffindings%3Fseverity%3Dhigh')).toBe('/findings?severity=high')
    expect(safeReturnPath('?next=https%3A%2F%2Fevil.example')).toBe('/')
    expect(safeReturnPath('?next=%2F%2Fevil.example%2Ffindings')).toBe('/')
    expect(safeReturnPath('?next=%2Fapi%2Fv1%2Ftokens')).toBe('/')
    expect(safeReturnPath('')).toBe('/')
  })
})

const alert = (id: string, count: number, lastSeen: string): AlertRow => ({ id, type: 'new-edge', severity: 'high', workload: 'w', key: id, message: id, count, firstSeen: lastSeen, lastSeen, state: 'open', suggestion: null })

describe('sortAlerts', () => {
  const rows = [alert('a', 5, '2026-12-07T08:00:00Z'), alert('b', 40, '2026-12-06T08:00:00Z'), alert('c', 5, '2026-12-07T09:00:00Z')]
  it('sorts by count, ties newest first', () => {
    expect(sortAlerts(rows, 'count').map((a) => a.id)).toEqual(['b', 'c', 'a'])
  })
  it('sorts by last seen, newest first, without mutating its input', () => {
    expect(sortAlerts(rows, 'lastSeen').map((a) => a.id)).toEqual(['c', 'a', 'b'])
    expect(rows.map((a) => a.id)).toEqual(['a', 'b', 'c'])
  })
})

const T: Topology = {
  nodes: [
    { id: 'internet', kind: 'internet', name: 'Internet', environment: 'unknown', holdsPhi: 'no', internetExposed: false },
    { id: 'env:prod', kind: 'environment', name: 'prod', environment: 'prod', holdsPhi: 'unknown', internetExposed: false },
    { id: 'api', kind: 'api', name: 'patient-portal', environment: 'prod', holdsPhi: 'no', internetExposed: true },
    { id: 'fn', kind: 'function', name: 'intake-api', environment: 'prod', holdsPhi: 'yes', internetExposed: false },
    { id: 'tbl', kind: 'data-store', name: 'patients', environment: 'prod', holdsPhi: 'yes', internetExposed: false },
    { id: 'dep', kind: 'workload', name: 'scheduler-api', namespace: 'clinic', environment: 'staging', holdsPhi: 'no', internetExposed: false },
  ],
  edges: [
    { from: 'internet', to: 'api', kind: 'exposes', source: 'declared', port: 443, protocol: 'tcp' },
    { from: 'api', to: 'fn', kind: 'invokes', source: 'declared' },
    { from: 'fn', to: 'tbl', kind: 'writes', source: 'observed' },
    { from: 'env:prod', to: 'fn', kind: 'contains', source: 'declared' },
    { from: 'dep', to: 'tbl', kind: 'calls', source: 'observed', port: 443, protocol: 'tcp', via: 'clinic/ddb-proxy' },
  ],
}

describe('topology model', () => {
  it('filters by environment, hides structure, keeps the internet only when it reaches something', () => {
    const prod = filterTopology(T, 'prod')
    expect(prod.nodes.map((n) => n.id)).toEqual(['internet', 'api', 'fn', 'tbl'])
    expect(prod.edges).toHaveLength(3)
    const staging = filterTopology(T, 'staging')
    expect(staging.nodes.map((n) => n.id)).toEqual(['dep'])
    expect(staging.edges).toEqual([])
    expect(filterTopology(T, '', true).nodes.map((n) => n.id)).toContain('env:prod')
  })
  it('lists environments prod first', () => {
    expect(environmentsOf(T)).toEqual(['prod', 'staging'])
  })
  it('gives a node its edges in and out', () => {
    const e = edgesOf(T, 'fn')
    expect(e.incoming.map((x) => x.from)).toEqual(['api', 'env:prod'])
    expect(e.outgoing.map((x) => x.to)).toEqual(['tbl'])
  })
  it('describes edges and names nodes', () => {
    expect(edgeDetail(T.edges[4]!)).toBe('tcp/443 via clinic/ddb-proxy')
    expect(edgeDetail(T.edges[1]!)).toBe('')
    // the server sends null for relations without a port
    expect(edgeDetail({ from: 'a', to: 'b', kind: 'reads', source: 'declared', port: null, protocol: null, via: null })).toBe('')
    expect(nodeName(T.nodes[5]!)).toBe('clinic/scheduler-api')
  })
  it('tells apart nodes sharing a name by their kind', () => {
    const svc = { id: 'svc', kind: 'service' as const, name: 'scheduler-api', namespace: 'clinic', environment: 'prod' as const, holdsPhi: 'no' as const, internetExposed: false }
    const names = displayNames([...T.nodes.filter((n) => n.id === 'dep' || n.id === 'fn'), svc])
    expect(names.get('dep')).toBe('clinic/scheduler-api (Workload)')
    expect(names.get('svc')).toBe('clinic/scheduler-api (Service)')
    expect(names.get('fn')).toBe('intake-api')
  })
  it('orders nodes internet, PHI, exposed, then by name', () => {
    expect(orderedNodes(T.nodes).map((n) => n.id)).toEqual(['internet', 'fn', 'tbl', 'api', 'dep', 'env:prod'])
  })
})

describe('workflowStep', () => {
  it('walks review → simulate → approve → alert → enforce', () => {
    expect(workflowStep({ pendingReview: 3, simulated: false, approved: false, modes: ['learn'] })).toBe('review')
    expect(workflowStep({ pendingReview: 0, simulated: false, approved: false, modes: ['learn'] })).toBe('simulate')
    expect(workflowStep({ pendingReview: 0, simulated: true, approved: false, modes: ['learn'] })).toBe('approve')
    expect(workflowStep({ pendingReview: 0, simulated: true, approved: true, modes: ['learn', 'off'] })).toBe('alert')
    expect(workflowStep({ pendingReview: 0, simulated: true, approved: true, modes: ['alert'] })).toBe('enforce')
    expect(workflowStep({ pendingReview: 2, simulated: false, approved: false, modes: ['enforce'] })).toBe('enforce')
  })
})
