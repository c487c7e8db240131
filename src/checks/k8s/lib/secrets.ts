/**
 * Recognising secrets written into container environment variables: by the variable's name
 * (DB_PASSWORD, JWT_SECRET, STRIPE_API_KEY) or by the value's format (AWS access key ids, private
 * keys, JWTs, GitHub and Slack tokens, credentials in a connection URL). Pure functions: no value
 * ever leaves them except as a yes/no and the kind of secret.
 */

/** Names that say the value is a secret. */
const SECRET_NAME =
  /(PASSWORD|PASSWD|PASSPHRASE|SECRET|SECRET_?KEY|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?|AUTH_?KEY|SIGNING_?KEY|ENCRYPTION_?KEY|MASTER_?KEY|(^|[_.-])PASS|(^|[_.-])PWD)$/i

/** Value formats of well-known credentials, whatever the variable is called. */
const SECRET_VALUE: readonly [RegExp, string][] = [
  [/\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/, 'AWS access key id'],
  [/-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/, 'private key'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/, 'JSON Web Token'],
  [/\bgh[pousr]_[0-9A-Za-z]{36}\b/, 'GitHub token'],
  [/\bgithub_pat_[0-9A-Za-z_]{40,}/, 'GitHub token'],
  [/\bxox[abposr]-[0-9A-Za-z-]{10,}/, 'Slack token'],
  [/\b[sr]k_live_[0-9a-zA-Z]{20,}/, 'Stripe secret key'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'Google API key'],
  [/\bSG\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z_-]{43}\b/, 'SendGrid API key'],
]

/** Values that refer to a secret kept elsewhere (or to another variable) rather than being one. */
const REFERENCE =
  /^(\$\([A-Za-z_][A-Za-z0-9_.-]*\)|\$\{[^}]*\}|\{\{.*\}\}|<path:[^>]*>|ref\+[a-z0-9]+:\/\/|vault:|arn:aws[a-z-]*:(secretsmanager|ssm|kms):|(berglas|sm|op|awssm|secretsmanager|ssm|vault):\/\/|projects\/[^/]+\/secrets\/|https:\/\/[a-z0-9-]+\.vault\.azure\.net\/|file:\/\/|\.{0,2}\/[^\s]*$)/i

/** Values that are clearly not secrets: flags, numbers, sizes and durations. */
const NOT_SECRET = /^(true|false|yes|no|on|off|none|null|nil|enabled?|disabled?|required|optional|\d+(\.\d+)?[a-z]{0,3})$/i

/** Credentials embedded in a URL (`postgres://app:hunter2@db/phi`), unless the password is a reference. */
function urlPassword(value: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:([^@/?#\s]+)@/i.exec(value.trim())
  return m?.[1]
}

/** `Password=…;` / `Pwd=…;` in an ADO.NET / ODBC / JDBC connection string. */
function keyValuePassword(value: string): string | undefined {
  const m = /(?:^|[;?&\s])(?:password|pwd)\s*=\s*([^;&\s]+)/i.exec(value)
  return m?.[1]
}

/** What {@link plaintextSecret} recognised: the kind of secret, and whether its name or its value gave it away. */
export interface SecretMatch {
  kind: string
  by: 'name' | 'value'
}

/**
 * Whether a literal environment value is a plaintext secret, judged from the variable's name and
 * the value's format; undefined when it does not look like one.
 *
 * @example
 * plaintextSecret('DB_PASSWORD', 'hunter2!') // { kind: 'password', by: 'name' }
 * plaintextSecret('DB_PASSWORD', '$(PG_PASS)') // undefined: refers to another variable
 */
export function plaintextSecret(name: string, value: string): SecretMatch | undefined {
  const v = value.trim()
  if (v.length === 0) return undefined
  const byValue = SECRET_VALUE.find(([re]) => re.test(v))
  if (byValue) return { kind: byValue[1], by: 'value' }
  const inUrl = urlPassword(v) ?? keyValuePassword(v)
  if (inUrl !== undefined) return REFERENCE.test(inUrl) || /^\*+$/.test(inUrl) ? undefined : { kind: 'password in a connection string', by: 'value' }
  if (!SECRET_NAME.test(name)) return undefined
  if (REFERENCE.test(v) || NOT_SECRET.test(v) || v.length < 4) return undefined
  return { kind: secretNoun(name), by: 'name' }
}

/** "password", "token", "API key"…: what a secret-looking variable name says it holds. */
function secretNoun(name: string): string {
  const n = name.toUpperCase()
  if (/PASS|PWD/.test(n)) return 'password'
  if (/PRIVATE_?KEY/.test(n)) return 'private key'
  if (/API_?KEY/.test(n)) return 'API key'
  if (/ACCESS_?KEY/.test(n)) return 'access key'
  if (/TOKEN$/.test(n)) return 'token'
  if (/CREDENTIALS?$/.test(n)) return 'credential'
  if (/KEY$/.test(n)) return 'key'
  return 'secret'
}
