import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckContext, CheckResult } from '../types.js'
import { at, containersOf, containerWho, isObj, list, str, WORKLOAD_KINDS } from './lib/pod.js'

type Limit = 'cpu' | 'memory'

/** Default container limits of the LimitRanges in the workload's namespace: the admission controller applies them to containers without limits. */
function namespaceDefaults(r: Resource, ctx: CheckContext): Partial<Record<Limit, string>> {
  const out: Partial<Record<Limit, string>> = {}
  for (const lr of ctx.view.ofType('K8s::Core::LimitRange')) {
    if (lr.namespace !== r.namespace) continue
    for (const item of list(at(lr.props, 'spec.limits'))) {
      if (!isObj(item) || item['type'] !== 'Container' || !isObj(item['default'])) continue
      for (const k of ['cpu', 'memory'] as const) if (isSet(item['default'][k]) && !out[k]) out[k] = lr.name
    }
  }
  return out
}

function isSet(v: unknown): boolean {
  return (typeof v === 'string' && v.trim() !== '') || (typeof v === 'number' && Number.isFinite(v))
}

/** Every container declares CPU and memory limits, so one workload cannot starve its neighbours. */
export default defineCheck({
  id: 'k8s/resource-limits',
  title: 'Containers declare CPU and memory limits',
  severity: 'medium',
  resourceKinds: WORKLOAD_KINDS,
  rationale:
    "Without a memory limit a leak, a large report export or a decompression bomb grows until the node runs out of memory, and the kubelet OOM-kills or evicts other pods on the node: the EHR interface or the scheduling API goes down with it. Without a CPU limit one busy container takes every idle core. Limits are what keep one workload's failure from becoming an outage of the PHI services it shares nodes with.",
  remediation: {
    text: 'Set resources.limits.memory (equal to the request for predictable behaviour) and resources.limits.cpu on every container and init container, or give the namespace a LimitRange with default limits.',
    kubernetes: 'containers:\n  - name: api\n    resources:\n      requests: { cpu: 250m, memory: 512Mi }\n      limits: { cpu: "1", memory: 512Mi }',
  },
  controls: { csf: ['PR.DS-4', 'PR.PT-5'], hipaa: ['164.308(a)(7)', '164.308(a)(1)(ii)(B)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
  evaluate(r, ctx) {
    const results: CheckResult[] = []
    let defaults: Partial<Record<Limit, string>> | undefined
    // ephemeral containers cannot declare resources
    for (const c of containersOf(r, ['containers', 'initContainers'])) {
      const who = containerWho(r, c)
      const resources = c.container['resources']
      const limits = isObj(resources) ? resources['limits'] : undefined
      const path = isObj(limits) ? `${c.path}.resources.limits` : isObj(resources) ? `${c.path}.resources` : c.path
      if (limits !== undefined && limits !== null && !isObj(limits)) {
        results.push(manual(`${who} sets resources.limits to something that is not a mapping.`, { path }))
        continue
      }
      const value = (k: Limit): unknown => (isObj(limits) ? limits[k] : undefined)
      const bad = (['cpu', 'memory'] as const).find((k) => value(k) !== undefined && value(k) !== null && !isSet(value(k)))
      if (bad) {
        results.push(manual(`${who} sets a ${bad} limit that is not a quantity.`, { path: `${path}.${bad}` }))
        continue
      }
      const missing = (['memory', 'cpu'] as const).filter((k) => !isSet(value(k)))
      const ns = missing.length ? (defaults ??= namespaceDefaults(r, ctx)) : {}
      const fromRange = missing.filter((k) => ns[k] !== undefined)
      const unset = missing.filter((k) => ns[k] === undefined)
      const evidence = { container: c.name, cpu: str(value('cpu')) ?? value('cpu') ?? 'not set', memory: str(value('memory')) ?? value('memory') ?? 'not set', ...(fromRange.length ? { limitRange: Object.fromEntries(fromRange.map((k) => [k, ns[k]])) } : {}) }
      const rangeNote = fromRange.length
        ? ` (the ${fromRange.map((k) => (k === 'cpu' ? 'CPU' : k)).join(' and ')} limit${fromRange.length > 1 ? 's come' : ' comes'} from LimitRange ${[...new Set(fromRange.map((k) => ns[k]))].join(', ')})`
        : ''
      if (!unset.length) {
        results.push(pass(`${who} has CPU and memory limits${rangeNote}.`, evidence))
      } else if (unset.length === 2) {
        results.push(fail(`${who} sets no memory or CPU limit: a leak can take the node's memory and get neighbouring pods OOM-killed or evicted, and a busy loop every idle core.`, { path, evidence }))
      } else if (unset[0] === 'memory') {
        results.push(fail(`${who} sets a CPU limit but no memory limit, and the memory limit is the one that protects its neighbours: a leak can take the node's memory and get them OOM-killed or evicted${rangeNote}.`, { path, evidence }))
      } else {
        results.push(fail(`${who} sets a memory limit but no CPU limit, so it can take every idle core of the node (its CPU request still guarantees neighbours their share)${rangeNote}.`, { path, evidence }))
      }
    }
    return results
  },
})
