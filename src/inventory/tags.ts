import type { Environment, Evidence, PhiState } from '../model/index.js'

/** Tags of a resource in CloudFormation shape: a `Tags` list of {Key, Value}, or a map (SAM, API Gateway v2, SSM). */
export function tagsOf(props: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  const add = (k: unknown, v: unknown): void => {
    if (typeof k === 'string' && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) out[k] = String(v)
  }
  // a Kubernetes object: its labels, then annotations that are not already labels
  const meta = props['metadata']
  if (typeof props['apiVersion'] === 'string' && meta && typeof meta === 'object') {
    for (const key of ['annotations', 'labels']) {
      const m = (meta as Record<string, unknown>)[key]
      if (m && typeof m === 'object' && !Array.isArray(m)) for (const [k, v] of Object.entries(m)) if (key === 'labels' || !/^(kubectl\.kubernetes\.io\/last-applied-configuration|deployment\.kubernetes\.io\/)/.test(k)) add(k, v)
    }
    return out
  }
  for (const key of ['Tags', 'TagSpecifications', 'UserPoolTags', 'FileSystemTags', 'StackTags']) {
    const tags = props[key]
    if (Array.isArray(tags)) {
      for (const t of tags) {
        if (t && typeof t === 'object') {
          const o = t as Record<string, unknown>
          if (Array.isArray(o['Tags'])) for (const inner of o['Tags'] as Record<string, unknown>[]) add(inner?.['Key'], inner?.['Value'])
          else add(o['Key'] ?? o['key'], o['Value'] ?? o['value'])
        }
      }
    } else if (tags && typeof tags === 'object') {
      for (const [k, v] of Object.entries(tags as Record<string, unknown>)) add(k, v)
    }
  }
  return out
}

const ENV_TAG_KEYS = /^(env|environment|stage|deployment[-_]?stage|tier|app[-_]?env|environment[-_]?name)$/i
const OWNER_TAG_KEYS = /^(owner|team|owning[-_]?team|app[-_]?team|squad|maintainer|owner[-_]?team)$/i
const PHI_TAG_KEYS = /^(data[-_:]?classification|classification|data[-_]?class|phi|contains[-_]?phi|hipaa|hipaa[-_]?scope|data[-_]?sensitivity|sensitivity)$/i

/** Map a word to an environment: `production` → prod, `uat` → staging, `qa` → test. */
export function environmentFromWord(word: string): Environment | undefined {
  const w = word.toLowerCase()
  if (/^(prod|production|prd|live|prod\d+)$/.test(w)) return 'prod'
  if (/^(staging|stage|stg|uat|preprod|pre-prod|preproduction)$/.test(w)) return 'staging'
  if (/^(dev|development|develop|sandbox|sbx)$/.test(w)) return 'dev'
  if (/^(test|testing|qa|tst|ci|int|integration)$/.test(w)) return 'test'
  return undefined
}

/** Environment named by the tokens of a name (`clinic-prod-intake`, `patients_dev`). */
export function environmentFromName(name: string): Environment | undefined {
  const tokens = name.split(/[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])/).filter(Boolean)
  const found = new Set<Environment>()
  for (const t of tokens) {
    const e = environmentFromWord(t)
    if (e) found.add(e)
  }
  return found.size === 1 ? [...found][0] : undefined
}

/** Environment from tags, with evidence. */
export function environmentFromTags(tags: Record<string, string>): { env: Environment; evidence: Evidence } | undefined {
  for (const [k, v] of Object.entries(tags)) {
    if (!ENV_TAG_KEYS.test(bareKey(k))) continue
    const env = environmentFromWord(v)
    if (env) return { env, evidence: { source: 'tag', detail: `tag ${k}=${v}` } }
  }
  return undefined
}

/** Owning team from tags. */
export function ownerFromTags(tags: Record<string, string>): string | undefined {
  for (const [k, v] of Object.entries(tags)) if (OWNER_TAG_KEYS.test(bareKey(k)) && v.trim()) return v.trim()
  return undefined
}

/**
 * PHI declaration from tags (`data-classification: phi`, `hipaa: true`, `contains-phi: no`).
 * Values naming PHI / ePHI / HIPAA / restricted health data mean yes; public / internal /
 * none / non-phi mean no.
 */
export function phiFromTags(tags: Record<string, string>): { state: PhiState; evidence: Evidence } | undefined {
  for (const [k, v] of Object.entries(tags)) {
    if (!PHI_TAG_KEYS.test(bareKey(k))) continue
    const val = v.trim().toLowerCase()
    const key = bareKey(k).toLowerCase()
    const yesNoKey = /^(phi|contains[-_]?phi|hipaa|hipaa[-_]?scope)$/.test(key)
    let state: PhiState | undefined
    if (yesNoKey) state = /^(true|yes|y|1|in[-_ ]?scope)$/.test(val) ? 'yes' : /^(false|no|n|0|out[-_ ]?of[-_ ]?scope|none)$/.test(val) ? 'no' : undefined
    else if (/(^|[^a-z])(e?phi|hipaa|health|medical|clinical|patient|restricted[-_ ]?phi)([^a-z]|$)/.test(val)) state = 'yes'
    else if (/^(public|internal|none|non[-_ ]?phi|no[-_ ]?phi|general|unclassified|low|nonsensitive|non[-_ ]?sensitive)$/.test(val)) state = 'no'
    if (state) return { state, evidence: { source: 'tag', detail: `tag ${k}=${v}` } }
  }
  return undefined
}

/**
 * The first data-classification tag (`data-classification`, `sensitivity`, `hipaa`…) whatever
 * its value: `confidential` or `audit` classify the data without saying whether it is PHI, which
 * `phiFromTags` leaves undecided.
 */
export function classificationTag(tags: Record<string, string>): { key: string; value: string } | undefined {
  for (const [k, v] of Object.entries(tags)) if (PHI_TAG_KEYS.test(bareKey(k))) return { key: k, value: v }
  return undefined
}

/**
 * A label key without its DNS prefix (`phiwall.io/data-classification` → `data-classification`,
 * `app.kubernetes.io/part-of` → `part-of`), so Kubernetes labels and Compose labels read like tags.
 */
function bareKey(k: string): string {
  const slash = k.lastIndexOf('/')
  const bare = slash === -1 ? k : k.slice(slash + 1)
  // reverse-DNS label keys of Compose and Docker (`com.clinic.data-classification`)
  const dot = bare.lastIndexOf('.')
  return dot === -1 ? bare : bare.slice(dot + 1)
}
