/** One access key of a user, as the IAM credential report states it (the key id is not in the report, nor kept). */
export interface AccessKeyState {
  Active: boolean
  /** ISO time the key was created or last rotated. */
  LastRotated: string | null
  /** ISO time the key was last used, or null when never used (or unknown). */
  LastUsed: string | null
}

/** `PhiWallCredentials` of a live `AWS::IAM::User`: its console password, MFA and access keys. */
export interface PhiWallCredentials {
  PasswordEnabled: boolean
  PasswordLastUsed: string | null
  PasswordLastChanged: string | null
  MfaActive: boolean
  AccessKeys: AccessKeyState[]
}

/** Rows of the credential report by user name; the root account's row is under `<root_account>`. */
export type CredentialReport = Map<string, PhiWallCredentials>

/** The report's name of the root account's row. */
export const ROOT_ROW = '<root_account>'

/** Text of the report from GetCredentialReport's Content: bytes as the SDK decodes them, or base64 text as the API sends it. */
export function reportText(content: Uint8Array | string | undefined): string {
  if (content === undefined) return ''
  if (typeof content === 'string') return Buffer.from(content, 'base64').toString('utf8')
  return Buffer.from(content).toString('utf8')
}

/**
 * Parses the IAM credential report (CSV). Unknown or missing columns yield false / null rather
 * than an exception: the report gained columns over the years and may again.
 */
export function parseCredentialReport(csv: string): CredentialReport {
  const rows = parseCsv(csv)
  const out: CredentialReport = new Map()
  const header = rows[0]
  if (!header) return out
  const col = new Map(header.map((h, i) => [h.trim(), i]))
  for (const row of rows.slice(1)) {
    const get = (name: string): string | undefined => {
      const i = col.get(name)
      return i === undefined ? undefined : row[i]
    }
    const user = get('user')
    if (!user) continue
    const keys: AccessKeyState[] = []
    for (const n of [1, 2]) {
      const rotated = isoOrNull(get(`access_key_${n}_last_rotated`))
      const active = get(`access_key_${n}_active`) === 'true'
      // a key slot never used holds N/A for its rotation time: no key there
      if (!active && rotated === null) continue
      keys.push({ Active: active, LastRotated: rotated, LastUsed: isoOrNull(get(`access_key_${n}_last_used_date`)) })
    }
    out.set(user, {
      PasswordEnabled: get('password_enabled') === 'true',
      PasswordLastUsed: isoOrNull(get('password_last_used')),
      PasswordLastChanged: isoOrNull(get('password_last_changed')),
      MfaActive: get('mfa_active') === 'true',
      AccessKeys: keys,
    })
  }
  return out
}

/** ISO time of a report cell; `N/A`, `no_information`, `not_supported` and anything unparsable are null. */
function isoOrNull(v: string | undefined): string | null {
  if (!v || !/^\d{4}-\d{2}-\d{2}T/.test(v)) return null
  const t = Date.parse(v)
  return Number.isNaN(t) ? null : new Date(t).toISOString()
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF line ends. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else field += c
    } else if (c === '"' && field === '') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      field = ''
      if (row.length > 1 || row[0] !== '') rows.push(row)
      row = []
    } else field += c
  }
  if (field !== '' || row.length) {
    row.push(field)
    if (row.length > 1 || row[0] !== '') rows.push(row)
  }
  return rows
}
