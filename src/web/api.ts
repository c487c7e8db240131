/**
 * The dashboard's typed client of the PhiWall HTTP API (docs/api.md): the JSON body types and one
 * `ApiClient` that sends the session cookie, adds the CSRF token to state-changing requests and
 * turns error answers into `ApiError`s the pages can show next to the field they name.
 */

/** Dashboard user roles. */
export type Role = 'admin' | 'engineer' | 'auditor' | 'app-team'
/** API token scopes. */
export type TokenScope = 'read' | 'scans:write' | 'flows:write' | 'fingerprints:write' | 'phi:write'
/** All token scopes, in the order the settings page offers them. */
export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'scans:write', 'flows:write', 'fingerprints:write', 'phi:write']
/** All roles, in the order the users page offers them. */
export const ROLES: readonly Role[] = ['admin', 'engineer', 'auditor', 'app-team']
/** What the sign-in flow asks for next. */
export type NextStep = 'totp' | 'enrol' | 'password' | 'done'
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info'
export type Environment = 'prod' | 'staging' | 'dev' | 'test' | 'unknown'
export type PhiState = 'yes' | 'no' | 'unknown'

/** A list answer. */
export interface Page<T> {
  items: T[]
  total: number
  nextCursor: string | null
}

export interface Me {
  user: { id: string; username: string; role: Role; team: string | null; totpEnrolled: boolean }
  csrfToken: string
  pending: null | 'totp' | 'enrol' | 'password'
}

export interface User {
  id: string
  username: string
  role: Role
  team: string | null
  disabled: boolean
  totpEnrolled: boolean
  lockedUntil: string | null
  lastLoginAt: string | null
  createdAt: string
}

export interface Token {
  id: string
  name: string
  scopes: TokenScope[]
  prefix: string
  createdAt: string
  expiresAt: string
  lastUsedAt: string | null
  owner: string
}

export interface AuditEvent {
  seq: number
  at: string
  actor: string
  action: string
  target: string
  payload: unknown
  payloadDigest: string
  prevHash: string
  hash: string
}

export interface AuditVerify {
  ok: boolean
  count: number
  head: string | null
  brokenAt?: { seq: number; reason: string }
}

export interface ControlRow {
  id: string
  title: string
  status: string
  pass: number
  fail: number
  manual: number
  suppressed: number
}

export type CsfFunctionId = 'ID' | 'PR' | 'DE' | 'RS' | 'RC'

export interface Posture {
  latestScanAt: string | null
  totals: { resources: number; phiResources: number; failing: number; bySeverity: Partial<Record<Severity, number>> }
  hipaa: ControlRow[]
  csfFunctions: { id: CsfFunctionId; name: string; pass: number; fail: number; manual: number }[]
  trend: TrendPoint[]
}

export interface TrendPoint {
  scanId: string
  at: string
  pass: number
  fail: number
  manual: number
}

export interface ScanSummary {
  id: string
  source: { name: string; host?: string }
  receivedAt: string
  startedAt: string
  durationMs: number
  resources: number
  findings: { pass: number; fail: number; manual: number; suppressed: number }
  failuresBySeverity: Partial<Record<Severity, number>>
}

export type FindingStatus = 'fail' | 'pass' | 'manual' | 'error'

export interface FindingRow {
  id: string
  checkId: string
  title: string
  severity: Severity
  status: FindingStatus
  resourceId: string
  resourceName: string
  resourceKind: string
  environment: Environment
  owner: string | null
  message: string
  location: { file: string; line?: number }
  controls: { csf: string[]; hipaa: string[]; ferpa: string[] }
  remediation: string | Record<string, string> | null
  suppression: null | { reason: string; expiresAt: string; by: string; at: string }
}

export interface ResourceRow {
  id: string
  kind: string
  type: string
  name: string
  provider: string
  environment: Environment
  owner: string | null
  holdsPhi: PhiState
  namespace?: string
  location: { file: string; line?: number } | null
  failing: number
}

export type TopologyNodeKind =
  | 'internet'
  | 'environment'
  | 'application'
  | 'workload'
  | 'function'
  | 'vm'
  | 'container'
  | 'image'
  | 'service'
  | 'ingress'
  | 'api'
  | 'load-balancer'
  | 'data-store'

export interface TopologyNode {
  id: string
  kind: TopologyNodeKind
  name: string
  namespace?: string | null
  environment: Environment
  holdsPhi: PhiState
  internetExposed: boolean
  resourceKind?: string
  exposure?: string[]
  location?: { file: string; line?: number }
}

export interface TopologyEdge {
  from: string
  to: string
  kind: string
  source: 'declared' | 'observed'
  /** Absent or null when the relation has no port (invokes, reads…). */
  port?: number | null
  protocol?: string | null
  via?: string | null
  evidence?: string | null
}

export interface Topology {
  nodes: TopologyNode[]
  edges: TopologyEdge[]
}

export interface Vulnerability {
  id: string
  component: string
  version: string
  ecosystem: string
  severity: Severity
  cvss: number | null
  fixedIn: string | null
  resourceIds: string[]
}

export interface Source {
  id: string
  name: string
  path: string
  intervalMinutes: number
  lastRunAt: string | null
  lastStatus: string | null
  nextRunAt: string | null
}

export interface Job {
  id: string
  state: 'queued' | 'running' | 'done' | 'failed'
  progress: number
  message: string
  scanId?: string
}

export type Peer =
  | { kind: 'identity'; id: string }
  | { kind: 'fqdn'; fqdn: string }
  | { kind: 'cidr'; cidr: string; scope: 'private' | 'public' | 'local' }

export type EdgeState = 'observed' | 'allowed' | 'snoozed' | 'denied'
export type Mode = 'off' | 'learn' | 'alert' | 'enforce'
/** Enforcement modes, in workflow order. */
export const MODES: readonly Mode[] = ['off', 'learn', 'alert', 'enforce']

/** Epoch milliseconds or an ISO string: the baseline keeps flow times as numbers. */
export type Instant = string | number

export interface EdgeRow {
  key: string
  from: Peer
  to: Peer
  port: number
  protocol: string
  origin: 'observed' | 'declared' | 'both'
  state: EdgeState
  count: number
  bytes: number
  firstSeen: Instant
  lastSeen: Instant
  review?: { by: string; at: string; reason?: string; until?: string }
  dropped: number
  fromPhi: boolean
  toInternet: boolean
  /** A new, unreviewed edge still in its grace period (not yet in the generated policy). */
  pending?: boolean
}

/** A recorded internet-egress exception of a PHI workload: who allowed what, why, until when. */
export interface EgressException {
  to: Peer
  port?: number
  protocol?: string
  by: string
  reason: string
  at: string
  expires?: string
}

export interface BaselineWorkload {
  id: string
  name: string
  mode: Mode
  learning: { done: boolean; endsAt: string | null }
  holdsPhi: PhiState
  exceptions?: EgressException[]
}

export interface BaselinePage extends Page<EdgeRow> {
  workloads: BaselineWorkload[]
}

export interface PolicyRule {
  peer: Peer
  port: number
  endPort?: number
  protocol: string
  origin: string
  reason: string
}

export interface WorkloadPolicy {
  identity: { id: string; name: string; kind?: string; namespace?: string }
  mode: Mode
  holdsPhi: PhiState
  ingress: PolicyRule[]
  egress: PolicyRule[]
  withheld: { peer: Peer; port: number; protocol: string; reason: string }[]
}

export interface PolicySet {
  schema: string
  version: number
  generatedAt: string
  baselineDigest: string
  workloads: WorkloadPolicy[]
  identities?: Record<string, { id: string; name: string }>
  /** SHA-256 of what the policy enforces: the value POST /policy/approve takes. */
  digest?: string
  approval: Approval | null
}

/** Who approved which policy digest, and why. */
export interface Approval {
  by: string
  at: string
  digest: string
  reason?: string
}

/** POST /policy/simulate's answer. */
export interface SimulateAnswer {
  result: SimulationResult
  /** The digest of the simulated policy: approve exactly this one. */
  digest: string
  replayedRows?: number
  /** The replay stopped at its row limit: the result covers the newest flows only. */
  truncated?: boolean
}

/** GET /policy/export's answer. */
export interface PolicyExport {
  files: { path: string; content: string; workloads?: string[] }[]
  /** Rules the enforcer cannot express, per workload. */
  notes?: { workload: string; message: string }[]
}

export interface SimulatedDrop {
  workload: string
  direction: 'egress' | 'ingress'
  key: string
  from: Peer
  to: Peer
  port: number
  protocol: string
  count: number
  firstSeen: Instant
  lastSeen: Instant
  effect: 'drop' | 'alert'
}

export interface SimulationResult {
  flows: number
  allowed: number
  dropped: number
  alerted: number
  uncovered: number
  byWorkload: { workload: string; mode: string; drops: SimulatedDrop[] }[]
}

export type ExportFormat = 'networkpolicy' | 'cilium' | 'nftables' | 'aws-sg'
/** Policy export formats offered by the segmentation page. */
export const EXPORT_FORMATS: readonly ExportFormat[] = ['networkpolicy', 'cilium', 'nftables', 'aws-sg']

export interface AlertRow {
  id: string
  type: string
  severity: Severity
  workload: string
  key: string
  message: string
  count: number
  firstSeen: Instant
  lastSeen: Instant
  state: 'open' | 'acknowledged' | 'resolved'
  suggestion: string | null
}

/** The error answer body of every failing request. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string; remediation?: string; requestId?: string }
}

/** A failed API request: the HTTP status plus the server's error code, message and field. */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly retryAfter?: number,
  ) {
    super(message)
  }
}

/** How the UI reacts to an error: sign in again, continue the second-factor step, a role message, or show it. */
export type ErrorKind = 'signin' | 'mfa' | 'forbidden' | 'csrf' | 'field' | 'retry' | 'other'

/** Classifies an error for the UI (401 → sign-in, 401 MFA → continue sign-in, 403 → role message…). */
export function classifyError(err: unknown): ErrorKind {
  if (!(err instanceof ApiError)) return 'other'
  if (err.status === 401) return err.code === 'PW_ERR_MFA_REQUIRED' ? 'mfa' : 'signin'
  if (err.status === 403) return err.code === 'PW_ERR_CSRF' ? 'csrf' : 'forbidden'
  if (err.status === 429 || err.status === 503) return 'retry'
  if (err.field) return 'field'
  return 'other'
}

/** The text to show a user for an error; 403 becomes the role message, network failures a plain sentence. */
export function errorText(err: unknown): string {
  const kind = classifyError(err)
  if (kind === 'forbidden') return 'Your role does not allow this.'
  if (err instanceof ApiError) {
    if (kind === 'retry') return `${err.message}${err.retryAfter ? ` Try again in ${err.retryAfter} s.` : ''}`
    return err.message
  }
  if (err instanceof TypeError) return 'The server could not be reached. Check your connection and try again.'
  return err instanceof Error ? err.message : 'Something went wrong.'
}

/**
 * The error message for one form field: the server names fields as `reason`, `body.reason` or
 * `query.limit`; the last path segment is matched.
 */
export function fieldError(err: unknown, field: string): string | undefined {
  if (!(err instanceof ApiError) || !err.field) return undefined
  const name = err.field.split('.').pop()
  return name === field || err.field === field ? err.message : undefined
}

/** Turns a non-2xx response into an ApiError, whatever its body (JSON error, HTML from a proxy, nothing). */
export async function toApiError(res: Response): Promise<ApiError> {
  const retry = Number(res.headers.get('Retry-After'))
  const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : undefined
  let body: unknown
  try {
    body = await res.json()
  } catch {
    body = undefined
  }
  const e = (body as Partial<ErrorBody> | undefined)?.error
  if (e && typeof e.code === 'string' && typeof e.message === 'string') {
    return new ApiError(res.status, e.code, e.message, typeof e.field === 'string' ? e.field : undefined, retryAfter)
  }
  const fallback: Record<number, string> = {
    401: 'PW_ERR_UNAUTHENTICATED',
    403: 'PW_ERR_FORBIDDEN',
    404: 'PW_ERR_NOT_FOUND',
    409: 'PW_ERR_CONFLICT',
    413: 'PW_ERR_PAYLOAD_TOO_LARGE',
    429: 'PW_ERR_RATE_LIMITED',
    503: 'PW_ERR_BUSY',
  }
  return new ApiError(res.status, fallback[res.status] ?? 'PW_ERR_STORE', `The server answered ${res.status} ${res.statusText}`.trim() + '.', undefined, retryAfter)
}

/** Builds a query string from defined, non-empty values (`?a=1&b=x`), or '' when there are none. */
export function queryString(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `?${s}` : ''
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
type Query = Record<string, string | number | boolean | null | undefined>

/** Fetch as the client sees it (globalThis.fetch in the browser, a stub in tests). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

/**
 * The API client. One per page load; it remembers the CSRF token of the session and fetches it
 * from GET /auth/me before the first state-changing request, refreshing it once on PW_ERR_CSRF.
 * @example
 * const api = new ApiClient()
 * const page = await api.findings({ severity: 'high' })
 */
export class ApiClient {
  private csrf: string | null = null
  private readonly fetcher: FetchLike

  constructor(
    fetcher?: FetchLike,
    private readonly base = '/api/v1',
  ) {
    this.fetcher = fetcher ?? ((input, init) => globalThis.fetch(input, init))
  }

  /** Forgets the CSRF token (after sign-out or a new sign-in). */
  resetSession(): void {
    this.csrf = null
  }

  /** Sets the CSRF token, e.g. from a GET /auth/me answer. */
  setCsrf(token: string | null): void {
    this.csrf = token
  }

  /** Sends one request and parses the JSON answer; throws ApiError on a non-2xx answer. */
  async request<T>(method: Method, path: string, body?: unknown, query?: Query): Promise<T> {
    const stateChanging = method !== 'GET'
    const needsCsrf = stateChanging && path !== '/auth/login'
    if (needsCsrf && this.csrf === null) await this.me().catch(() => undefined)
    const send = async (): Promise<Response> => {
      const headers: Record<string, string> = { Accept: 'application/json' }
      if (body !== undefined) headers['Content-Type'] = 'application/json'
      if (needsCsrf && this.csrf) headers['X-CSRF-Token'] = this.csrf
      const init: RequestInit = { method, headers, credentials: 'same-origin' }
      if (body !== undefined) init.body = JSON.stringify(body)
      return this.fetcher(this.base + path + (query ? queryString(query) : ''), init)
    }
    let res = await send()
    if (res.status === 403 && needsCsrf) {
      const err = await toApiError(res.clone())
      if (err.code === 'PW_ERR_CSRF') {
        this.csrf = null
        await this.me().catch(() => undefined)
        res = await send()
      }
    }
    if (!res.ok) throw await toApiError(res)
    if (res.status === 204) return undefined as T
    return (await res.json()) as T
  }

  // -- authentication -------------------------------------------------------------------------
  /** GET /auth/me; remembers the CSRF token. */
  async me(): Promise<Me> {
    const me = await this.request<Me>('GET', '/auth/me')
    this.csrf = me.csrfToken
    return me
  }
  /** POST /auth/login. */
  async login(username: string, password: string): Promise<{ next: NextStep }> {
    this.csrf = null
    return this.request('POST', '/auth/login', { username, password })
  }
  /** POST /auth/password. */
  changePassword(currentPassword: string, newPassword: string): Promise<{ next: NextStep }> {
    return this.request('POST', '/auth/password', { currentPassword, newPassword })
  }
  /** GET /auth/totp/enrol. */
  totpEnrolment(): Promise<{ secret: string; otpauthUrl: string; qrSvg: string }> {
    return this.request('GET', '/auth/totp/enrol')
  }
  /** POST /auth/totp/enrol. */
  confirmEnrolment(code: string): Promise<{ next: NextStep; recoveryCodes: string[] }> {
    return this.request('POST', '/auth/totp/enrol', { code })
  }
  /** POST /auth/totp with a code or a recovery code. */
  verifyTotp(answer: { code: string } | { recoveryCode: string }): Promise<{ next: NextStep }> {
    return this.request('POST', '/auth/totp', answer)
  }
  /** POST /auth/logout. */
  async logout(): Promise<void> {
    try {
      await this.request('POST', '/auth/logout')
    } finally {
      this.csrf = null
    }
  }

  // -- users and tokens -----------------------------------------------------------------------
  users(): Promise<{ items: User[] }> {
    return this.request('GET', '/users')
  }
  createUser(body: { username: string; role: Role; team?: string }): Promise<{ user: User; oneTimePassword: string }> {
    return this.request('POST', '/users', body)
  }
  updateUser(id: string, body: { role?: Role; team?: string | null; disabled?: boolean; unlock?: boolean }): Promise<{ user: User }> {
    return this.request('PATCH', `/users/${encodeURIComponent(id)}`, body)
  }
  resetUser(id: string): Promise<{ oneTimePassword: string }> {
    return this.request('POST', `/users/${encodeURIComponent(id)}/reset`)
  }
  tokens(): Promise<{ items: Token[] }> {
    return this.request('GET', '/tokens')
  }
  createToken(body: { name: string; scopes: TokenScope[]; expiresInDays: number }): Promise<{ token: Token; secret: string }> {
    return this.request('POST', '/tokens', body)
  }
  revokeToken(id: string): Promise<{ ok: true }> {
    return this.request('DELETE', `/tokens/${encodeURIComponent(id)}`)
  }

  // -- audit ----------------------------------------------------------------------------------
  audit(q: { limit?: number; beforeSeq?: number; actor?: string; action?: string }): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
    return this.request('GET', '/audit', undefined, q)
  }
  verifyAudit(): Promise<AuditVerify> {
    return this.request('GET', '/audit/verify')
  }

  // -- posture --------------------------------------------------------------------------------
  posture(): Promise<Posture> {
    return this.request('GET', '/posture')
  }
  scans(q: Query = {}): Promise<Page<ScanSummary>> {
    return this.request('GET', '/scans', undefined, q)
  }
  findings(q: Query): Promise<Page<FindingRow>> {
    return this.request('GET', '/findings', undefined, q)
  }
  suppress(id: string, reason: string, expiresAt: string): Promise<{ finding: FindingRow }> {
    return this.request('POST', `/findings/${encodeURIComponent(id)}/suppress`, { reason, expiresAt })
  }
  unsuppress(id: string): Promise<{ finding: FindingRow }> {
    return this.request('DELETE', `/findings/${encodeURIComponent(id)}/suppress`)
  }
  resources(q: Query): Promise<Page<ResourceRow>> {
    return this.request('GET', '/resources', undefined, q)
  }
  topology(): Promise<Topology> {
    return this.request('GET', '/topology')
  }
  vulnerabilities(q: Query): Promise<Page<Vulnerability>> {
    return this.request('GET', '/vulnerabilities', undefined, q)
  }
  sources(): Promise<{ items: Source[] } & Partial<Page<Source>>> {
    return this.request('GET', '/sources')
  }
  createSource(body: { name: string; path: string; intervalMinutes: number }): Promise<unknown> {
    return this.request('POST', '/sources', body)
  }
  deleteSource(id: string): Promise<unknown> {
    return this.request('DELETE', `/sources/${encodeURIComponent(id)}`)
  }
  runSource(id: string): Promise<{ jobId: string }> {
    return this.request('POST', `/sources/${encodeURIComponent(id)}/run`)
  }
  job(id: string): Promise<Job> {
    return this.request('GET', `/jobs/${encodeURIComponent(id)}`)
  }

  // -- segmentation ---------------------------------------------------------------------------
  baseline(q: Query): Promise<BaselinePage> {
    return this.request('GET', '/baseline', undefined, q)
  }
  review(body: { keys: string[]; state: 'allowed' | 'snoozed' | 'denied'; reason: string; until?: string }): Promise<{ updated: number }> {
    return this.request('POST', '/baseline/review', body)
  }
  setMode(workloadId: string, mode: Mode): Promise<{ workload: BaselineWorkload; warning?: string }> {
    return this.request('PUT', `/baseline/workloads/${encodeURIComponent(workloadId)}/mode`, { mode })
  }
  addException(body: { workload: string; destination: string; port?: number; reason: string; expiresAt: string }): Promise<{ ok: true; exception: EgressException }> {
    return this.request('POST', '/baseline/exceptions', body)
  }
  policy(): Promise<PolicySet> {
    return this.request('GET', '/policy')
  }
  simulate(workloads?: string[]): Promise<SimulateAnswer> {
    return this.request('POST', '/policy/simulate', workloads && workloads.length ? { workloads } : {})
  }
  approve(digest: string, reason: string): Promise<{ approval: Approval }> {
    return this.request('POST', '/policy/approve', { digest, reason })
  }
  exportPolicy(format: ExportFormat): Promise<PolicyExport> {
    return this.request('GET', '/policy/export', undefined, { format })
  }
  alerts(q: Query): Promise<Page<AlertRow>> {
    return this.request('GET', '/alerts', undefined, q)
  }
  ack(id: string, note?: string): Promise<{ alert: AlertRow }> {
    return this.request('POST', `/alerts/${encodeURIComponent(id)}/ack`, note ? { note } : {})
  }
}

/** The report formats offered for download, with their labels. */
export const REPORT_FORMATS: readonly { format: string; label: string; description: string }[] = [
  { format: 'html', label: 'HTML report', description: 'A readable report for people: posture, controls, findings.' },
  { format: 'sarif', label: 'SARIF', description: 'For code-scanning tools (GitHub, GitLab, IDEs).' },
  { format: 'oscal', label: 'OSCAL', description: 'NIST OSCAL assessment results, for GRC tools.' },
  { format: 'json', label: 'JSON', description: 'The full scan result, machine-readable.' },
  { format: 'csv', label: 'CSV', description: 'Findings as a spreadsheet.' },
  { format: 'bundle', label: 'Evidence bundle', description: 'A zip of every report plus the audit trail export.' },
]

/** The download URL of the latest report in a format. */
export function reportUrl(format: string): string {
  return `/api/v1/reports/latest${queryString({ format })}`
}
