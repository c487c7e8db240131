/** One step of a Terraform traversal: an attribute name or an index (`[0]`, `["phi"]`). */
export type TfStep = { name: string } | { index: string | number }

/** An instance key of a module call or resource (`count` index or `for_each` key). */
export type TfKey = string | number

/** A module instance on the path of an address: `module.audit` or `module.audit["eu"]`. */
export interface TfModuleStep {
  name: string
  key?: TfKey
}

/** A parsed resource instance address: `module.a[0].data.aws_iam_policy_document.x["k"]`. */
export interface TfAddress {
  modules: TfModuleStep[]
  mode: 'managed' | 'data'
  type: string
  name: string
  key?: TfKey
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*/

/**
 * Splits a Terraform traversal (`aws_s3_bucket.b["phi"].arn`, `module.m[0].out`) into steps.
 * String keys may contain dots and brackets, so this is a small scanner, not a split.
 */
export function parseTraversal(s: string): TfStep[] | undefined {
  const steps: TfStep[] = []
  let i = 0
  while (i < s.length) {
    if (s[i] === '.') {
      // a dot joins two steps and is followed by a name
      if (i === 0 || !IDENT.test(s.slice(i + 1))) return undefined
      i++
      continue
    }
    if (s[i] === '[') {
      const end = indexEnd(s, i)
      if (end === undefined) return undefined
      const inner = s.slice(i + 1, end)
      if (/^-?\d+$/.test(inner)) steps.push({ index: Number(inner) })
      else if (inner === '*') steps.push({ index: '*' })
      else if (inner.startsWith('"')) {
        try {
          const v: unknown = JSON.parse(inner)
          if (typeof v !== 'string') return undefined
          steps.push({ index: v })
        } catch {
          return undefined
        }
      } else return undefined
      i = end + 1
      continue
    }
    const m = IDENT.exec(s.slice(i))
    if (!m || (i > 0 && s[i - 1] !== '.')) return undefined
    steps.push({ name: m[0] })
    i += m[0].length
  }
  return steps.length ? steps : undefined
}

/** Position of the `]` closing the index that opens at `start`, skipping quoted strings. */
function indexEnd(s: string, start: number): number | undefined {
  let inString = false
  for (let i = start + 1; i < s.length; i++) {
    const c = s[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === ']') return i
  }
  return undefined
}

/** `[0]` / `["phi"]`: the one spelling used for every key, so addresses compare as strings. */
export function formatKey(key: TfKey | undefined): string {
  if (key === undefined) return ''
  return typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`
}

/** `module.a["x"].module.b.` — the module instance prefix of an address (empty at the root). */
export function formatModules(modules: readonly TfModuleStep[], withKeys = true): string {
  return modules.map((m) => `module.${m.name}${withKeys ? formatKey(m.key) : ''}.`).join('')
}

/** Parses a resource instance address as `terraform show -json` writes it. */
export function parseAddress(address: string): TfAddress | undefined {
  const steps = parseTraversal(address)
  if (!steps) return undefined
  const modules: TfModuleStep[] = []
  let i = 0
  while (i < steps.length) {
    const s = steps[i]!
    if (!('name' in s) || s.name !== 'module') break
    const n = steps[i + 1]
    if (!n || !('name' in n)) return undefined
    const m: TfModuleStep = { name: n.name }
    i += 2
    const k = steps[i]
    if (k && 'index' in k) {
      m.key = k.index
      i++
    }
    modules.push(m)
  }
  let mode: 'managed' | 'data' = 'managed'
  const first = steps[i]
  if (first && 'name' in first && first.name === 'data') {
    mode = 'data'
    i++
  }
  const t = steps[i]
  const n = steps[i + 1]
  if (!t || !n || !('name' in t) || !('name' in n)) return undefined
  const out: TfAddress = { modules, mode, type: t.name, name: n.name }
  const k = steps[i + 2]
  if (k && 'index' in k) {
    out.key = k.index
    if (steps.length > i + 3) return undefined
  } else if (steps.length > i + 2) return undefined
  return out
}

/** Canonical instance address: `module.a["x"].aws_s3_bucket.b[0]`. */
export function formatAddress(a: TfAddress): string {
  return `${formatModules(a.modules)}${a.mode === 'data' ? 'data.' : ''}${a.type}.${a.name}${formatKey(a.key)}`
}

/** Address of the resource block in the configuration: module and instance keys dropped, relative to its module. */
export function configKey(a: Pick<TfAddress, 'mode' | 'type' | 'name'>): string {
  return `${a.mode === 'data' ? 'data.' : ''}${a.type}.${a.name}`
}

/** Canonical form of an address string; the input itself when it cannot be parsed. */
export function normalizeAddress(address: string): string {
  const a = parseAddress(address)
  return a ? formatAddress(a) : address
}

/** Address without its own instance key: `aws_s3_bucket.b["phi"]` → `aws_s3_bucket.b`. */
export function resourceOf(address: string): string {
  const a = parseAddress(address)
  if (!a) return address
  const { key: _key, ...rest } = a
  void _key
  return formatAddress(rest)
}
