/**
 * What the collector removes from each live object before it is written: server bookkeeping
 * that is noise for a judgement (`managedFields`, most of `status`), and everything that can
 * hold a secret value (Secret data, secret-looking ConfigMap keys, the last-applied annotation
 * kubectl writes, which repeats the whole object as applied — a Secret's values included).
 */

/** Annotation set on every object whose values were removed at collection. */
export const REDACTED_ANNOTATION = 'phiwall.io/redacted'

/** Annotation kubectl writes with the whole object as last applied (values of a Secret included). */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration'

/** ConfigMap keys whose names look like they hold a secret. */
const SECRET_KEY_NAME = /passw(?:or)?d|passwd|pwd|token|secret|key|credential/i

/** Does a ConfigMap key's name look like it holds a secret (`DB_PASSWORD`, `api-key`, `credentials.json`)? */
export function looksLikeSecretKey(name: string): boolean {
  return SECRET_KEY_NAME.test(name)
}

/** Kinds whose `status.loadBalancer` is kept: it tells whether the object is exposed outside the cluster. */
const LOAD_BALANCER_STATUS_KINDS = new Set(['Service', 'Ingress'])

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v)

/**
 * Cleans one live object in place and returns it: drops `metadata.managedFields` and the
 * last-applied annotation; drops `status`, except `status.loadBalancer` of Services and
 * Ingresses; maps every Secret value, and every ConfigMap value under a secret-looking key, to
 * an empty string (the key names stay: checks need to know which keys exist) and marks the
 * object with the `phiwall.io/redacted: "true"` annotation.
 */
export function sanitizeObject(obj: Obj): Obj {
  const meta = isObj(obj['metadata']) ? obj['metadata'] : undefined
  if (meta) {
    delete meta['managedFields']
    if (isObj(meta['annotations'])) {
      delete meta['annotations'][LAST_APPLIED_ANNOTATION]
      if (Object.keys(meta['annotations']).length === 0) delete meta['annotations']
    }
  }

  const kind = obj['kind']
  if ('status' in obj) {
    const status = obj['status']
    if (typeof kind === 'string' && LOAD_BALANCER_STATUS_KINDS.has(kind) && isObj(status) && isObj(status['loadBalancer'])) obj['status'] = { loadBalancer: status['loadBalancer'] }
    else delete obj['status']
  }

  if (kind === 'Secret') {
    for (const field of ['data', 'stringData']) if (isObj(obj[field])) obj[field] = emptyValues(obj[field], () => true)
    markRedacted(obj)
  } else if (kind === 'ConfigMap') {
    let redacted = false
    for (const field of ['data', 'binaryData']) {
      const values = obj[field]
      if (!isObj(values)) continue
      obj[field] = emptyValues(values, (key) => {
        const secret = looksLikeSecretKey(key)
        if (secret) redacted = true
        return secret
      })
    }
    if (redacted) markRedacted(obj)
  }
  return obj
}

/** The same keys, the chosen values replaced by empty strings. */
function emptyValues(values: Obj, redact: (key: string) => boolean): Obj {
  const out: Obj = {}
  for (const [k, v] of Object.entries(values)) out[k] = redact(k) ? '' : v
  return out
}

function markRedacted(obj: Obj): void {
  if (!isObj(obj['metadata'])) obj['metadata'] = {}
  const meta = obj['metadata'] as Obj
  if (!isObj(meta['annotations'])) meta['annotations'] = {}
  ;(meta['annotations'] as Obj)[REDACTED_ANNOTATION] = 'true'
}

/** Owner kinds that stand for the object they own, by owned kind: a Deployment for its ReplicaSets, a CronJob for its Jobs. */
const REPRESENTED_BY: Record<string, ReadonlySet<string>> = {
  Pod: new Set(['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job']),
  ReplicaSet: new Set(['Deployment']),
  Job: new Set(['CronJob']),
}

/**
 * The controller that stands for this object in the snapshot, when there is one: a Pod run by a
 * ReplicaSet, StatefulSet, DaemonSet or Job, a ReplicaSet run by a Deployment, a Job run by a
 * CronJob. Those objects are left out, so each workload appears once, as its pod template in its
 * top controller. Pods without a controller (bare pods, static pods mirrored by a Node) and
 * objects run by controllers PhiWall does not list (an Argo Rollout's ReplicaSets, an operator's
 * pods) stay: nothing else would show them.
 */
export function representedBy(obj: Obj): string | undefined {
  const kind = obj['kind']
  if (typeof kind !== 'string') return undefined
  const owners = REPRESENTED_BY[kind]
  if (!owners) return undefined
  const meta = obj['metadata']
  const refs = isObj(meta) && Array.isArray(meta['ownerReferences']) ? (meta['ownerReferences'] as unknown[]) : []
  const controller = refs.find((r): r is Obj => isObj(r) && r['controller'] === true)
  if (!controller || typeof controller['kind'] !== 'string' || !owners.has(controller['kind'])) return undefined
  return `${controller['kind']}/${String(controller['name'] ?? '')}`
}
