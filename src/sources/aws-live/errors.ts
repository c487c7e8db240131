import { maskValue } from '../../model/index.js'
import type { SnapshotError } from '../aws-snapshot/index.js'

/** Error name / code of an AWS SDK error (`AccessDeniedException`), or `Error`. */
export function errorCode(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { name?: unknown; Code?: unknown; code?: unknown }
    for (const v of [e.name, e.Code, e.code]) if (typeof v === 'string' && v.length > 0 && v !== 'Error') return v
  }
  return 'Error'
}

const ACCESS_KEY = /\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g
const SECRET_ASSIGN = /((?:password|secret|token|signature)\s*[=:]\s*)([^\s,;"']+)/gi

/**
 * The message of an SDK error, safe for a file that is shared: access key ids and anything
 * shaped like `password=…` are masked, line breaks removed, the length bounded. AWS error
 * messages name principals and resources, never secret values, but a proxy or a credential
 * provider may echo more.
 */
export function safeMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err) ?? String(err)
  const cleaned = raw
    .replace(ACCESS_KEY, (k) => maskValue(k))
    .replace(SECRET_ASSIGN, (_m, pre: string, v: string) => `${pre}${maskValue(v)}`)
    .replace(/\s+/g, ' ')
    .trim()
  return cleaned.length > 400 ? `${cleaned.slice(0, 397)}...` : cleaned || 'no message'
}

const CREDENTIAL_CODES = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'IncompleteSignature',
  'TokenRefreshRequired',
  'AuthFailure',
])

/** Does an error mean the credential chain gave no usable credentials (rather than a denied call)? */
export function isCredentialsError(err: unknown): boolean {
  return CREDENTIAL_CODES.has(errorCode(err))
}

/** Codes meaning a resource type cannot be listed here: not registered, no list handler, or needs a parent identifier. */
const UNLISTABLE = new Set(['UnsupportedActionException', 'TypeNotFoundException', 'InvalidRequestException', 'PrivateTypeException'])

/** Is an error a type-level refusal that repeats for every call of that type in the region? */
export function isTypeLevelError(err: unknown): boolean {
  const code = errorCode(err)
  return UNLISTABLE.has(code) || /AccessDenied|UnauthorizedOperation|AuthorizationError|NotAuthorized|OptInRequired|SubscriptionRequired/.test(code)
}

/** Codes of a throttled call that the SDK's standard retry does not recognise: Cloud Control passes a handler's throttling through as a handler failure. */
export function isHandlerThrottling(err: unknown): boolean {
  const code = errorCode(err)
  return /GeneralServiceException|HandlerInternalFailureException|HandlerFailureException|ServiceInternalErrorException|NetworkFailureException/.test(code) && /rate exceeded|throttl|too many requests|slow ?down/i.test(err instanceof Error ? err.message : '')
}

interface Entry {
  error: SnapshotError
  count: number
}

/**
 * Failed calls, aggregated: one entry per service, region, operation, resource type and error
 * code, with how many calls failed that way. A missing permission then reads as one line
 * ("GetResource failed for 40 calls") instead of one per resource.
 */
export class ErrorLog {
  private readonly entries = new Map<string, Entry>()

  /** Records a failed call. */
  add(e: { service: string; region: string; operation: string; resourceType?: string }, err: unknown): void {
    const code = errorCode(err)
    const key = [e.service, e.region, e.operation, e.resourceType ?? '', code].join('\u0000')
    const found = this.entries.get(key)
    if (found) {
      found.count++
      return
    }
    const error: SnapshotError = { service: e.service, region: e.region, operation: e.operation, code, message: safeMessage(err) }
    if (e.resourceType) error.resourceType = e.resourceType
    this.entries.set(key, { error, count: 1 })
  }

  /** Number of distinct failures recorded. */
  get size(): number {
    return this.entries.size
  }

  /** The failures for the snapshot, with a count when a failure repeated. */
  /** Did any call of this service, region (and resource type) fail? */
  failed(e: { service: string; region: string; resourceType?: string }): boolean {
    for (const { error } of this.entries.values()) if (error.service === e.service && error.region === e.region && (e.resourceType === undefined || error.resourceType === e.resourceType)) return true
    return false
  }

  list(): SnapshotError[] {
    return [...this.entries.values()].map(({ error, count }) => (count > 1 ? { ...error, count, message: `${count} calls failed; first: ${error.message}` } : error))
  }
}
