import type { Resource } from '../../../model/index.js'
import { at, isObj, isUnknown, list, str } from '../../aws/lib/values.js'
import type { CheckContext } from '../../types.js'

/** Tri-state answer: covered, not covered, or not decidable from what was scanned. */
export type Tri = 'yes' | 'no' | 'unknown'

/**
 * Does an Amazon Data Lifecycle Manager policy snapshot a resource on a schedule? The policy must
 * be enabled, manage EBS snapshots of the resource's type (`VOLUME`, or `INSTANCE` for every
 * volume of an instance), have a schedule with a create and a retain rule, and target a tag the
 * resource carries (a resource with any one of the target tags is targeted).
 */
export function dlmSnapshots(policy: Resource, r: Resource, resourceType: 'VOLUME' | 'INSTANCE'): Tri {
  const state = policy.props['State']
  if (isUnknown(state)) return 'unknown'
  if (str(state)?.toUpperCase() === 'DISABLED') return 'no'
  const d = policy.props['PolicyDetails']
  if (!isObj(d)) return isUnknown(d) ? 'unknown' : 'no'
  const type = d['PolicyType'] ?? 'EBS_SNAPSHOT_MANAGEMENT'
  if (isUnknown(type)) return 'unknown'
  if (type !== 'EBS_SNAPSHOT_MANAGEMENT') return 'no'
  const types = d['ResourceTypes']
  if (isUnknown(types)) return 'unknown'
  if (!list(types).includes(resourceType)) return 'no'
  const schedules = list(d['Schedules'])
  if (isUnknown(d['Schedules'])) return 'unknown'
  if (!schedules.some((s) => isObj(s) && at(s, 'CreateRule') !== undefined && at(s, 'RetainRule') !== undefined)) return 'no'
  let result: Tri = 'no'
  for (const t of list(d['TargetTags'])) {
    if (!isObj(t)) continue
    if (isUnknown(t['Key']) || isUnknown(t['Value'])) {
      result = 'unknown'
      continue
    }
    if (typeof t['Key'] === 'string' && r.labels[t['Key']] !== undefined && r.labels[t['Key']] === t['Value']) return 'yes'
  }
  return result
}

/** The DLM policy of the scan that snapshots a resource, or whether one may. */
export function dlmCoverage(r: Resource, ctx: CheckContext, resourceType: 'VOLUME' | 'INSTANCE'): { state: Tri; by?: Resource } {
  let state: Tri = 'no'
  for (const p of ctx.view.ofType('AWS::DLM::LifecyclePolicy')) {
    const s = dlmSnapshots(p, r, resourceType)
    if (s === 'yes') return { state: 'yes', by: p }
    if (s === 'unknown') state = 'unknown'
  }
  return { state }
}
