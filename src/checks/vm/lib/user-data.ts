import { gunzipSync } from 'node:zlib'
import { isObj, isUnknown } from '../../aws/lib/values.js'

/** The readable text of user data, and whether parts of it are unknown at scan time. */
export interface UserDataText {
  text: string
  /** Some of the script comes from values unknown at scan time (parameters, rendered templates). */
  partial: boolean
  /** Nothing of the script can be read. */
  unreadable: boolean
}

/** Marks a part of the script PhiWall cannot read: the same shape as a shell variable, so never a literal secret. */
const PLACEHOLDER = '${unknown}'
const MAX_TEXT = 256 * 1024

/** Decode a base64 string (cloud-init also takes gzip inside it); undefined when it is not base64. */
function decodeBase64(s: string): string | undefined {
  const compact = s.replace(/\s+/g, '')
  if (compact.length < 4 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined
  const bytes = Buffer.from(compact, 'base64')
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes, { maxOutputLength: MAX_TEXT }).toString('utf8')
    } catch {
      return undefined
    }
  }
  const text = bytes.toString('utf8')
  // text, not binary that happens to be valid base64 (a word like "true" is valid base64 too)
  // eslint-disable-next-line no-control-regex
  const control = (text.match(/[\u0000-\u0008\u000e-\u001f\ufffd]/g) ?? []).length
  return control <= text.length / 50 ? text : undefined
}

/** Text of an intrinsic argument written as a template (`Fn::Sub`, `Fn::Join`), unknown parts as placeholders. */
function templateText(v: unknown, out: { partial: boolean; unreadable: boolean }): string {
  if (typeof v === 'string') return v
  if (isObj(v) && 'Fn::Sub' in v) {
    const arg = v['Fn::Sub']
    const tpl = typeof arg === 'string' ? arg : Array.isArray(arg) && typeof arg[0] === 'string' ? arg[0] : undefined
    if (tpl === undefined) {
      out.partial = true
      return PLACEHOLDER
    }
    if (/\$\{[^!][^}]*\}/.test(tpl)) out.partial = true
    return tpl
  }
  if (isObj(v) && Array.isArray(v['Fn::Join']) && Array.isArray(v['Fn::Join'][1])) {
    const [sep, parts] = v['Fn::Join'] as [unknown, unknown[]]
    return parts.map((p) => templateText(p, out)).join(typeof sep === 'string' ? sep : '')
  }
  out.partial = true
  return PLACEHOLDER
}

/**
 * The script user data holds: a base64 string decoded (and gunzipped), `Fn::Base64` of a string
 * or template read as written. A value unknown at scan time (a parameter, a Terraform
 * `templatefile`) is unreadable; a masked snapshot value too.
 */
export function userDataText(v: unknown): UserDataText {
  const state = { partial: false, unreadable: false }
  let text = ''
  if (typeof v === 'string') {
    if (v.startsWith('****(')) return { text: '', partial: true, unreadable: true }
    text = decodeBase64(v) ?? v
  } else if (isObj(v) && 'Fn::Base64' in v) {
    const inner = v['Fn::Base64']
    if (isUnknown(inner) && !(isObj(inner) && ('Fn::Sub' in inner || 'Fn::Join' in inner))) return { text: '', partial: true, unreadable: true }
    text = templateText(inner, state)
  } else {
    return { text: '', partial: true, unreadable: true }
  }
  return { text: text.slice(0, MAX_TEXT), partial: state.partial, unreadable: false }
}

/** One credential found in a script: what it is, where, and the secret part (to be masked, never shown). */
export interface UserDataSecret {
  kind: string
  line: number
  secret: string
}

const SECRET_NAME = '(?:[A-Za-z_][A-Za-z0-9_]*?)?(?:PASSWORD|PASSWD|PASSPHRASE|PWD|SECRET|SECRET_KEY|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH_?KEY)'
// values that point at a secret store or are read at run time, not the secret itself
const REFERENCE = /^(\$|`|arn:aws[a-z-]*:(secretsmanager|ssm|kms):|\{\{resolve:|\/?[a-z0-9_.-]+(\/[a-z0-9_.-]+)+$|<|%|@\{)/i
const NOT_A_SECRET = /^(true|false|yes|no|none|null|nil|empty|undefined|required|optional|\d{1,5}|-+)$/i

interface Pattern {
  kind: string
  re: RegExp
  /** Capture groups that may hold the secret (alternatives of a quoted or bare value): the first that matched. */
  groups: number[]
  /** The secret must be a literal, not a variable or a reference. */
  literal?: boolean
}

// a value as a shell or a config file writes it: "double quoted", 'single quoted' or bare (three groups)
const VALUE = `(?:"([^"\\n]+)"|'([^'\\n]+)'|([^\\s"';]+))`

const PATTERNS: Pattern[] = [
  { kind: 'an AWS access key id', re: /\b((?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16})\b/g, groups: [1] },
  { kind: 'an AWS secret access key', re: /aws_secret_access_key["']?(?:\s*[=:]\s*|\s+)["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi, groups: [1] },
  { kind: 'a private key', re: /(-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----)/g, groups: [1] },
  { kind: 'a password in a URL', re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]+:([^\s@/'"]+)@/gi, groups: [1], literal: true },
  { kind: 'a password on a mysql command line', re: new RegExp(`\\bmysql(?:dump|admin|import)?\\b[^\\n]*?\\s-p${VALUE}`, 'g'), groups: [1, 2, 3], literal: true },
  { kind: 'a --password option on a command line', re: new RegExp(`\\s--password(?:=|\\s+)${VALUE}`, 'g'), groups: [1, 2, 3], literal: true },
  { kind: 'credentials in a curl command', re: /\bcurl\b[^\n]*?\s(?:-u|--user)[=\s]*(["']?)[^\s:"']+:([^\s"']+)\1/g, groups: [2], literal: true },
  {
    kind: 'a secret assigned to a variable or setting',
    re: new RegExp(`(?:^|[\\s;{(,.-])(?:export\\s+|set\\s+|setx\\s+|\\$env:)?["']?(?:${SECRET_NAME})["']?\\s*(?:=|:(?!//)\\s)\\s*${VALUE}`, 'gim'),
    groups: [1, 2, 3],
    literal: true,
  },
  { kind: 'a Slack token', re: /\b(xox[baprs]-[0-9A-Za-z-]{10,})/g, groups: [1] },
  { kind: 'a GitHub token', re: /\b(gh[pousr]_[0-9A-Za-z]{36})\b/g, groups: [1] },
]

/** Credentials written into a boot script. */
export function secretsIn(text: string): UserDataSecret[] {
  const out: UserDataSecret[] = []
  const seen = new Set<string>()
  const lineAt = (i: number): number => text.slice(0, i).split('\n').length
  for (const p of PATTERNS) {
    p.re.lastIndex = 0
    for (const m of text.matchAll(p.re)) {
      const secret = p.groups.map((g) => m[g]).find((x) => x !== undefined)
      if (!secret) continue
      if (p.literal && (REFERENCE.test(secret) || NOT_A_SECRET.test(secret) || secret.includes('${') || secret.length < 4)) continue
      const line = lineAt((m.index ?? 0) + m[0].lastIndexOf(secret))
      const key = `${line}\u0000${secret}`
      if (seen.has(key)) continue
      seen.add(key)
      out.push({ kind: p.kind, line, secret })
      if (out.length >= 20) return out
    }
  }
  return out.sort((a, b) => a.line - b.line)
}
