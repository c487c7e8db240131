/**
 * Kubernetes label selectors, evaluated as the API server does: `matchLabels` and
 * `matchExpressions` (In, NotIn, Exists, DoesNotExist) are ANDed; an empty selector `{}` selects
 * everything; a Service's plain map selector is `matchLabels`.
 */

/** A label selector as written: a Service map, or `{ matchLabels, matchExpressions }`. */
export type LabelSelector = Record<string, unknown>

/** Labels of a metadata object as strings. */
export function labelsOf(metadata: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  const labels = metadata && typeof metadata === 'object' ? (metadata as Record<string, unknown>)['labels'] : undefined
  if (labels && typeof labels === 'object' && !Array.isArray(labels)) {
    for (const [k, v] of Object.entries(labels)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v)
  }
  return out
}

/**
 * Does `selector` select an object with `labels`? `plain: true` reads a Service's map selector;
 * `undefined` / null selectors select nothing (a Service without selector routes to manual
 * Endpoints), while `{}` in a NetworkPolicy podSelector selects every pod.
 */
export function labelSelectorMatches(selector: unknown, labels: Record<string, string>, plain = false): boolean {
  if (selector === undefined || selector === null || typeof selector !== 'object' || Array.isArray(selector)) return false
  const sel = selector as Record<string, unknown>
  if (plain) {
    const entries = Object.entries(sel)
    if (entries.length === 0) return false
    return entries.every(([k, v]) => labels[k] === String(v))
  }
  const ml = sel['matchLabels']
  const me0 = sel['matchExpressions']
  // a malformed selector selects nothing: the API server would have rejected it
  if ((ml !== undefined && ml !== null && (typeof ml !== 'object' || Array.isArray(ml))) || (me0 !== undefined && me0 !== null && !Array.isArray(me0))) return false
  if (ml && typeof ml === 'object' && !Array.isArray(ml)) {
    for (const k in ml) if (Object.prototype.hasOwnProperty.call(ml, k) && labels[k] !== String((ml as Record<string, unknown>)[k])) return false
  }
  const me = sel['matchExpressions']
  if (Array.isArray(me)) {
    for (const e of me) {
      if (!e || typeof e !== 'object') return false
      const { key, operator, values } = e as { key?: unknown; operator?: unknown; values?: unknown }
      if (typeof key !== 'string') return false
      const vals = Array.isArray(values) ? values.map(String) : []
      const has = Object.prototype.hasOwnProperty.call(labels, key)
      switch (operator) {
        case 'In':
          if (!has || !vals.includes(labels[key]!)) return false
          break
        case 'NotIn':
          if (has && vals.includes(labels[key]!)) return false
          break
        case 'Exists':
          if (!has) return false
          break
        case 'DoesNotExist':
          if (has) return false
          break
        default:
          return false
      }
    }
  }
  return true
}

/** Where a workload type keeps its pod template's metadata (the pod's own for a Pod). */
const POD_METADATA_PATHS: Record<string, string> = {
  'K8s::Core::Pod': 'metadata',
  'K8s::Core::PodTemplate': 'template.metadata',
  'K8s::Core::ReplicationController': 'spec.template.metadata',
  'K8s::Apps::Deployment': 'spec.template.metadata',
  'K8s::Apps::StatefulSet': 'spec.template.metadata',
  'K8s::Apps::DaemonSet': 'spec.template.metadata',
  'K8s::Apps::ReplicaSet': 'spec.template.metadata',
  'K8s::Batch::Job': 'spec.template.metadata',
  'K8s::Batch::CronJob': 'spec.jobTemplate.spec.template.metadata',
}

/** Labels the pods of a workload object carry; undefined for objects that run no pods. */
export function podLabelsOf(type: string, props: Record<string, unknown>): Record<string, string> | undefined {
  const cached = POD_LABELS.get(props)
  if (cached) return cached
  const path = POD_METADATA_PATHS[type]
  if (!path) return undefined
  let node: unknown = props
  for (const seg of path.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined
  const labels = labelsOf(node)
  POD_LABELS.set(props, labels)
  return labels
}

/** Pod labels by object: selectors are matched against the same workload many times. */
const POD_LABELS = new WeakMap<object, Record<string, string>>()
