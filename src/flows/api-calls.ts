import type { ObservedApiCall } from './types.js'

/**
 * Aggregates AWS API calls per workload and (service, action): the resources each touched, how
 * often, and when last. Memory grows with distinct (workload, action, resource), not with events.
 */
export class ApiCallAggregator {
  private readonly map = new Map<string, Map<string, { service: string; action: string; resources: Set<string>; count: number; lastSeen: number; functionArn?: string }>>()

  add(workload: string, service: string, action: string, resources: string[], at: number, functionArn?: string): void {
    let calls = this.map.get(workload)
    if (!calls) this.map.set(workload, (calls = new Map()))
    const key = `${service}:${action}`
    let c = calls.get(key)
    if (!c) calls.set(key, (c = { service, action, resources: new Set(), count: 0, lastSeen: 0 }))
    for (const r of resources.length ? resources : ['*']) c.resources.add(r)
    c.count++
    if (at > c.lastSeen) c.lastSeen = at
    if (functionArn !== undefined && c.functionArn === undefined) c.functionArn = functionArn
  }

  /** Merge calls learned before (a previous baseline). */
  merge(calls: Record<string, ObservedApiCall[]>): void {
    for (const [w, list] of Object.entries(calls)) for (const c of list) {
      this.add(w, c.service, c.action, c.resources, c.lastSeen, c.functionArn)
      const entry = this.map.get(w)!.get(`${c.service}:${c.action}`)!
      entry.count += c.count - 1
    }
  }

  get size(): number {
    return this.map.size
  }

  /** Calls per workload, sorted. */
  calls(): Record<string, ObservedApiCall[]> {
    const out: Record<string, ObservedApiCall[]> = {}
    for (const w of [...this.map.keys()].sort()) {
      out[w] = [...this.map.get(w)!.values()]
        .map((c): ObservedApiCall => ({ service: c.service, action: c.action, resources: [...c.resources].sort(), count: c.count, lastSeen: c.lastSeen, ...(c.functionArn !== undefined ? { functionArn: c.functionArn } : {}) }))
        .sort((a, b) => (`${a.service}:${a.action}` < `${b.service}:${b.action}` ? -1 : 1))
    }
    return out
  }
}
