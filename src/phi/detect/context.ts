import type { DetectContext, PhiHit, PhiType } from '../types.js'

/**
 * Field-name rules: what a field's name says about its value. A field name is normalised to
 * lower case with `-`, `.`, space and camelCase humps turned into `_` before matching.
 */
export function normalizeField(field: string | undefined): string {
  if (!field) return ''
  return field
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9@]+/g, '_')
}

/** Fields that hold infrastructure identifiers: their values are never numeric PHI identifiers. */
const INFRA_FIELD = /(^|_)(trace|span|request|req|correlation|parent|x_amzn|amzn|arn|commit|sha\d*|git|digest|build|pipeline|run|job|version|ver|etag|hash|checksum|uuid|guid|pid|tid|thread|port|status|duration|latency|elapsed|bytes|size|length|offset|epoch|pod|node|container|image|host|hostname|instance|cluster|namespace|deployment|replica|session|token|nonce|kms|key)(_|$)|(^|_)(aws_)?account(_id)?$|(^|_)account_id$/
/** Fields that hold event times (machine timestamps), not dates of an individual. */
const TIME_FIELD = /(^|_)(@?timestamp|time|ts|datetime|created(_at|_on)?|updated(_at|_on)?|modified(_at)?|logged(_at)?|received(_at)?|event_time|ingest(ed)?(_at)?)$|^@timestamp$/

/** Field names of cryptographic fingerprints: `cert_fingerprint`, `ssh_key_fingerprint`, `ja3_fingerprint`, `tls_fingerprint`. */
const CRYPTO_FIELD = /(^|_)(cert|certificate|x509|tls|ssl|ssh|key|host_key|public_key|ja3s?|gpg|pgp|rsa|ecdsa|ed25519|sha\d*|md5|thumbprint|fingerprint_sha\d*)(_|$)/

/** True when a field name marks its value as an infrastructure identifier. */
export function isInfraField(field: string): boolean {
  return field !== '' && INFRA_FIELD.test(field) && !/patient|member|billing|bank|acct|mrn|ssn/.test(field)
}

/**
 * Fields that hold the date-time of an act of care (FHIR `effectiveDateTime`, `onsetDateTime`,
 * `recordedDate`, `authoredOn`, `performedDateTime`, `occurrenceDateTime`, `collectedDateTime`,
 * `issued`, a FHIR `period.start`/`end`; `admit_datetime`, `discharge_time`; `dob`, `birthdate`): a
 * date of the individual even with a time of day.
 */
const CARE_TIME_FIELD = /(^|_)(effective|onset|abatement|recorded|occurrence|performed|authored(_on)?|issued|collected|collection|birth|birthdate|dob|dod|dos|deceased|death|admit|admission|discharge|service|procedure|visit|observation|specimen|encounter|surgery|appointment|period_start|period_end)(_date)?(_time|_date_time|_datetime)?$/

/** True when a field name marks its value as the date-time of an act of care (never an event time). */
export function isCareTimeField(field: string): boolean {
  return field !== '' && CARE_TIME_FIELD.test(field)
}

/** True when a field name marks its value as a machine event time. */
export function isTimeField(field: string): boolean {
  return field !== '' && !isCareTimeField(field) && (TIME_FIELD.test(field) || field === '@timestamp')
}

/** What a normalised field name declares its whole value to be, if anything. */
export function fieldType(field: string): PhiType | undefined {
  if (field === '') return undefined
  if (/fax/.test(field)) return 'FAX'
  if (/(^|_)(ssn|social_security|soc_sec|ss_num)/.test(field)) return 'SSN'
  if (/(^|_)(mrn|medical_record|med_rec|chart_(no|num|number|id)|patient_id|pid_3|patient_identifier)/.test(field)) return 'MRN'
  if (/(^|_)(mbi|hicn|medicare|medicaid|member_(id|no|num|number)|subscriber(_id|_no|_num|_number)?|policy_(no|num|number|id)|group_(no|num|number)|insurance_(id|no|num|number)|health_plan|beneficiary)/.test(field)) return 'HEALTH_PLAN'
  if (/(^|_)(npi|dea|license|licence|lic_(no|num|number)|dl_(no|num|number)|certificate_(no|num|number))/.test(field)) return 'LICENSE'
  if (/(^|_)(vin|plate|license_plate|vehicle)/.test(field)) return 'VEHICLE'
  if (/(^|_)(udi|imei|serial|device_id|device_serial)/.test(field)) return 'DEVICE'
  if (/(^|_)(acct|account_(no|num|number)|billing_account|bank_account|iban|card_(no|num|number)|credit_card|cc_num)/.test(field)) return 'ACCOUNT'
  if (/(^|_)(phone|tel|telephone|mobile|cell|home_phone|work_phone|contact_number)/.test(field)) return 'PHONE'
  if (/(^|_)(email|e_mail|mail)$/.test(field)) return 'EMAIL'
  if (/(^|_)(dob|birth_?date|date_of_birth|birth|death_date|date_of_death|deceased|admi(t|ssion)_date|discharge_date|service_date|visit_date|pid_7)/.test(field)) return 'DATE'
  if (/(^|_)(claim|case|encounter|accession|specimen|visit)_(id|no|num|number)/.test(field)) return 'OTHER_ID'
  // a key's, certificate's or TLS client's fingerprint is a hash, not a person's
  if (/(^|_)(fingerprint|retina|iris|voiceprint|biometric)/.test(field) && !CRYPTO_FIELD.test(field)) return 'BIOMETRIC'
  return undefined
}

/**
 * Names of the infrastructure identifiers that, written just before a number (`trace_id=`,
 * `span `, `build #`, `port:`), mark it as not PHI. Checked only on the 32 characters before a
 * candidate, never over the whole text.
 */
const INFRA_BEFORE = /(?:trace|span|request|req|correlation|parent|build|job|run|pipeline|commit|sha|digest|arn|pid|port|thread|tid|duration|bytes|size|latency|elapsed|offset|epoch|timestamp|ts|version|ver|v|id|uuid|pod|offset|seq|sequence|partition|account|owner|principal|tenant|shard|exit|code|status|line|row|count|ms|took)[\w.-]*["']?\s*[:=#]?\s*["'#]?$/i

/** True when the text just before `start` names an infrastructure identifier. */
export function infraBefore(text: string, start: number): boolean {
  const from = start > 32 ? start - 32 : 0
  return INFRA_BEFORE.test(text.slice(from, start))
}

/** A character code of an ASCII digit. */
export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57
}

/** A character code that a regular expression's `\w` matches: ASCII letter, digit or `_`. */
export function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95
}

/**
 * True when the character before `i` is not a word character nor one of `extra`: the check a
 * leading look-behind would make, done in code so that the patterns keep V8's fast first-character
 * scan.
 */
export function boundaryBefore(text: string, i: number, extra = ''): boolean {
  if (i === 0) return true
  if (isWordCode(text.charCodeAt(i - 1))) return false
  return extra === '' || !extra.includes(text[i - 1]!)
}

/** The text in a window before `start`, lower-cased, for cue lookups. */
export function before(text: string, start: number, width: number): string {
  return text.slice(start > width ? start - width : 0, start).toLowerCase()
}

/** A hit with its confidence rounded to two decimals. */
export function hit(type: PhiType, start: number, end: number, confidence: number, detector: string): PhiHit {
  return { type, start, end, confidence: Math.round(confidence * 100) / 100, detector }
}

/** The normalised field and kind of a context. */
export interface Ctx {
  field: string
  kind: DetectContext['kind']
  infra: boolean
  timeField: boolean
  /** The field names the date-time of an act of care (`effectiveDateTime`, `admit_time`): a date even with a time, even at the start of the value. */
  careTime: boolean
  declared: PhiType | undefined
  /** The field names a version (`version`, `*_ver`): no IP addresses in it. */
  versionField: boolean
  /** The field names an IP address (`ip`, `client_ip`, `ip_address`, `remote_addr`). */
  ipField: boolean
  /** The field names an age (`age`, `patient_age`). */
  ageField: boolean
}

function makeCtx(field: string, kind: DetectContext['kind']): Ctx {
  return Object.freeze({
    field,
    kind,
    infra: isInfraField(field),
    timeField: isTimeField(field),
    careTime: isCareTimeField(field),
    declared: fieldType(field),
    versionField: /version|(^|_)ver$/.test(field),
    ipField: /(^|_)ip(_|$)|ip_?addr|client_?ip|remote_?addr/.test(field),
    ageField: /(^|_)age$/.test(field),
  })
}

/** Contexts without a field, by kind (the common case: no per-call work at all). */
const NO_FIELD = new Map<DetectContext['kind'], Ctx>()
/** The contexts of the last fields seen (raw field + kind), so that a stream of records reuses them. */
const BY_FIELD = new Map<string, Ctx>()

/** Pre-computes the field rules for one call (memoised: contexts are immutable). */
export function readCtx(ctx: DetectContext | undefined): Ctx {
  const kind = ctx?.kind
  const raw = ctx?.field
  if (!raw) {
    let c = NO_FIELD.get(kind)
    if (c === undefined) NO_FIELD.set(kind, (c = makeCtx('', kind)))
    return c
  }
  const key = `${kind ?? ''}\u0000${raw}`
  let c = BY_FIELD.get(key)
  if (c === undefined) {
    if (BY_FIELD.size >= 4096) BY_FIELD.clear()
    BY_FIELD.set(key, (c = makeCtx(normalizeField(raw), kind)))
  }
  return c
}

/** UUIDs, long hex runs (hashes, trace ids, digests) and ARNs: never a PHI identifier value. */
export function looksInfraValue(v: string): boolean {
  // every pattern below needs 12+ characters or starts with a, s, i, v or e (arn:, sha256:, i-, sg-, vpc-, …)
  if (v.length < 12) {
    const c = v.charCodeAt(0) | 32
    if (c !== 97 && c !== 115 && c !== 105 && c !== 118 && c !== 101) return false
  }
  return (
    /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v) ||
    (/^[0-9a-f]{12,}$/.test(v) && /[a-f]/.test(v) && /\d/.test(v)) ||
    /^[0-9A-Fa-f]{20,}$/.test(v) ||
    /^(arn:|sha\d+:|i-[0-9a-f]|sg-|vpc-|subnet-|ami-|eni-|vol-|snap-)/i.test(v)
  )
}

function isAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13)
}

/** `version`, `v`, `release`, `rev` just before a dotted number. */
const VERSION_BEFORE = /(?:version|ver|v|release|rev)[\s:=]*$/i

/**
 * True when one of `version`, `ver`, `v`, `release`, `rev` (then spaces, `:` or `=`) ends just
 * before `start`, within `width` characters. A check of the last character spares the regex for
 * nearly every candidate.
 */
export function versionBefore(text: string, start: number, width: number): boolean {
  let i = start - 1
  while (i >= 0) {
    const c = text.charCodeAt(i)
    if (c === 58 || c === 61 || isAsciiSpace(c)) i--
    else break
  }
  if (i < 0) return false
  const c = text.charCodeAt(i) | 32
  if (c !== 110 && c !== 114 && c !== 118 && c !== 101 && text.charCodeAt(i) < 128) return false
  return VERSION_BEFORE.test(text.slice(start > width ? start - width : 0, start))
}

/** A timestamp key written just before the value (`"@timestamp":"`, `ts=`, `created_at: `). */
const TIME_KEY_BEFORE = /(?:^|[^\w@])["']?(?:@?timestamp|time|ts|datetime|event_?time|created_?(?:at|on)|updated_?(?:at|on)|modified_?at|logged_?at|received_?at)["']?\s*[:=]\s*["']?$/i

/** True when a timestamp key (`ts=`, `"created_at": "`) ends just before `start` (28 characters back at most). */
export function timeKeyBefore(text: string, start: number): boolean {
  let i = start - 1
  if (i < 0) return false
  let c = text.charCodeAt(i)
  if (c === 34 || c === 39) i--
  while (i >= 0 && isAsciiSpace((c = text.charCodeAt(i)))) i--
  if (i < 0) return false
  c = text.charCodeAt(i)
  if (c !== 58 && c !== 61 && c < 128) return false
  return TIME_KEY_BEFORE.test(text.slice(Math.max(0, start - 28), start))
}
