import { maskValue } from '../../../model/index.js'

/** Names that say a variable holds a secret (`DB_PASSWORD`, `PGPASSWORD`, `NPM_TOKEN`, `SECRET_KEY_BASE`, `AWS_SECRET_ACCESS_KEY`). */
export const SECRET_NAME =
  /(pass(word|wd|phrase)|secret|token|api[-_]?key|apikey|private[-_]?key|credentials?|access[-_]?key|client[-_]?secret|auth[-_]?key|signing[-_]?key|(secret|encryption|master|session|jwt|hmac|license)[-_]?key(_base)?|conn(ection)?[-_]?str(ing)?|dsn|(^|[^a-z])pass)$/i

/** Credential formats recognised whatever the variable is called. */
const SECRET_VALUE: [RegExp, string][] = [
  [/\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/, 'AWS access key id'],
  [/-----BEGIN ([A-Z0-9 ]+ )?PRIVATE KEY( BLOCK)?-----/, 'private key'],
  [/\bxox[baprs]-[0-9A-Za-z-]{10,}/, 'Slack token'],
  [/\bgh[pousr]_[0-9A-Za-z]{36}\b/, 'GitHub token'],
  [/\bgithub_pat_[0-9A-Za-z_]{40,}/, 'GitHub token'],
  [/\bglpat-[0-9A-Za-z_-]{20,}/, 'GitLab token'],
  [/\bsk_live_[0-9a-zA-Z]{24,}/, 'Stripe secret key'],
  [/\bnpm_[0-9A-Za-z]{36}\b/, 'npm token'],
]
/** `scheme://user:password@host` with a literal password (not an interpolation). */
const URL_CREDENTIALS = /^[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:([^@/\s]+)@/i
/** Values that point at a secret rather than being one: a file path, an ARN, a secret-store reference. */
const REFERENCE = /^(arn:aws[a-z-]*:(secretsmanager|ssm|kms):|\{\{resolve:|vault:|sm:\/\/|\/?[\w.-]+(\/[\w.-]+)+$|file:)/i
/** Values that cannot be a secret. */
const TRIVIAL = /^(true|false|yes|no|on|off|none|null|nil|undefined|\d+(\.\d+)?|)$/i

/** Why a value is a plaintext secret (a credential format, or a literal under a secret name), else undefined. */
export function literalSecret(name: string, value: string): string | undefined {
  const byFormat = SECRET_VALUE.find(([re]) => re.test(value))
  if (byFormat) return byFormat[1]
  const url = URL_CREDENTIALS.exec(value)
  if (url && !url[1]!.startsWith('$')) return 'connection URL with a password'
  if (SECRET_NAME.test(name) && !TRIVIAL.test(value.trim()) && !REFERENCE.test(value.trim()) && !value.trim().startsWith('$')) return 'secret'
  return undefined
}

/** Evidence about a secret without its value. */
export function secretEvidence(name: string, value: string, kind: string): Record<string, unknown> {
  return { variable: name, kind, masked: maskValue(value) }
}
