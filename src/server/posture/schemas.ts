import { z } from '@hono/zod-openapi'
import { SEVERITIES } from '../../model/index.js'

/** The schema tag of a scan upload. */
export const SCAN_UPLOAD_SCHEMA = 'phiwall.scan-upload/v1'

/** Upper bounds of an upload's arrays: far above a real scan, low enough to refuse a body built to exhaust memory. */
export const UPLOAD_LIMITS = { resources: 100_000, edges: 400_000, findings: 500_000, controls: 5_000, checks: 5_000, components: 200_000, files: 100_000, diagnostics: 100_000, inputs: 1_000 }

const severity = z.enum(SEVERITIES as unknown as ['critical', 'high', 'medium', 'low', 'info'])
const findingStatus = z.enum(['pass', 'fail', 'manual', 'error'])
const location = z.looseObject({ file: z.string().max(4096), line: z.number().int().min(0).optional() })
const controlRefs = z.looseObject({ csf: z.array(z.string().max(200)).max(500), hipaa: z.array(z.string().max(200)).max(500), ferpa: z.array(z.string().max(200)).max(500) })

const resourceSchema = z.looseObject({
  id: z.string().min(1).max(4096),
  kind: z.string().min(1).max(200),
  type: z.string().max(300),
  provider: z.string().max(50),
  name: z.string().max(4096),
  environment: z.enum(['prod', 'staging', 'dev', 'test', 'unknown']),
  owner: z.string().max(200).optional(),
  holdsPhi: z.enum(['yes', 'no', 'unknown']),
  namespace: z.string().max(300).optional(),
  location,
})

const edgeSchema = z.looseObject({ from: z.string().max(4096), to: z.string().max(4096), kind: z.string().max(50), source: z.enum(['declared', 'observed']) })

const findingSchema = z.looseObject({
  checkId: z.string().min(1).max(300),
  title: z.string().max(2000),
  resourceId: z.string().min(1).max(4096),
  status: findingStatus,
  severity,
  message: z.string().max(20_000),
  evidence: z.record(z.string(), z.unknown()).optional(),
  location,
  remediation: z.string().max(50_000),
  controls: controlRefs,
  suppressed: z.looseObject({ reason: z.string().max(5000), owner: z.string().max(300).optional(), expires: z.string().max(100).optional(), source: z.string().max(500) }).optional(),
})

const controlSchema = z.looseObject({
  framework: z.enum(['csf', 'hipaa', 'ferpa']),
  id: z.string().max(200),
  title: z.string().max(2000),
  status: z.enum(['fail', 'pass', 'manual', 'not-applicable']),
  counts: z.looseObject({ pass: z.number().int(), fail: z.number().int(), manual: z.number().int(), error: z.number().int(), suppressed: z.number().int() }),
})

const checkSchema = z.looseObject({ id: z.string().min(1).max(300), title: z.string().max(2000), severity, controls: controlRefs })

const componentSchema = z.looseObject({
  ecosystem: z.string().max(50),
  name: z.string().max(1000),
  version: z.string().max(300),
  purl: z.string().max(4096),
  locations: z.array(z.looseObject({ file: z.string().max(4096), line: z.number().int().optional() })).max(10_000),
})

/** The ScanResult of an upload: what reports need is checked; unknown extra fields are kept. */
export const scanResultSchema = z
  .looseObject({
    tool: z.looseObject({ name: z.literal('phiwall'), version: z.string().max(100) }),
    startedAt: z.iso.datetime({ offset: true }),
    durationMs: z.number().min(0).optional(),
    inputs: z.array(z.string().max(4096)).max(UPLOAD_LIMITS.inputs).optional(),
    files: z.array(z.looseObject({ file: z.string().max(4096) })).max(UPLOAD_LIMITS.files).optional(),
    inventory: z.looseObject({ resources: z.array(resourceSchema).max(UPLOAD_LIMITS.resources), edges: z.array(edgeSchema).max(UPLOAD_LIMITS.edges).optional() }),
    findings: z.array(findingSchema).max(UPLOAD_LIMITS.findings),
    controls: z.array(controlSchema).max(UPLOAD_LIMITS.controls),
    checks: z.array(checkSchema).max(UPLOAD_LIMITS.checks).optional(),
    diagnostics: z.array(z.unknown()).max(UPLOAD_LIMITS.diagnostics).optional(),
    components: z.array(componentSchema).max(UPLOAD_LIMITS.components).optional(),
  })
  .openapi('ScanResult')

/** Body of POST /scans. */
export const scanUploadSchema = z
  .object({
    schema: z.literal(SCAN_UPLOAD_SCHEMA),
    uploadId: z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/, 'uploadId: 8–128 characters of A-Z a-z 0-9 . _ : -'),
    source: z.object({ name: z.string().min(1).max(200), host: z.string().min(1).max(255).optional() }),
    result: scanResultSchema,
  })
  .openapi('ScanUpload')

/** A validated upload. */
export type ScanUpload = z.infer<typeof scanUploadSchema>

/** The error answer of every route (docs/api.md Conventions). */
export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().optional(), remediation: z.string().optional(), requestId: z.string().optional() }) })
  .openapi('Error')

const tally = z.object({ pass: z.number().int(), fail: z.number().int(), manual: z.number().int(), error: z.number().int(), suppressed: z.number().int() })

/** One scan of the history (GET /scans). */
export const ScanSummarySchema = z
  .object({
    id: z.string(),
    source: z.object({ name: z.string(), host: z.string().nullable() }),
    receivedAt: z.string(),
    startedAt: z.string().nullable(),
    durationMs: z.number(),
    resources: z.number().int(),
    findings: tally,
    failuresBySeverity: z.record(z.string(), z.number().int()),
  })
  .openapi('ScanSummary')

/** A suppression of a finding: set on the server, or written in the scanned template. */
export const SuppressionSchema = z.object({ reason: z.string(), expiresAt: z.string().nullable(), by: z.string(), at: z.string().nullable() }).openapi('Suppression')

/** One finding of the latest scan of a source (GET /findings). */
export const FindingRowSchema = z
  .object({
    id: z.string(),
    checkId: z.string(),
    title: z.string(),
    severity,
    status: findingStatus,
    resourceId: z.string(),
    resourceName: z.string(),
    resourceKind: z.string(),
    environment: z.string(),
    owner: z.string().nullable(),
    message: z.string(),
    location: z.object({ file: z.string(), line: z.number().int().optional() }),
    controls: z.object({ csf: z.array(z.string()), hipaa: z.array(z.string()), ferpa: z.array(z.string()) }),
    remediation: z.string(),
    source: z.string(),
    suppression: SuppressionSchema.nullable(),
  })
  .openapi('FindingRow')

/** One resource of the latest scan of a source, with its open failures (GET /resources). */
export const ResourceRowSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    type: z.string(),
    name: z.string(),
    provider: z.string(),
    environment: z.string(),
    owner: z.string().nullable(),
    holdsPhi: z.enum(['yes', 'no', 'unknown']),
    namespace: z.string().optional(),
    location: z.object({ file: z.string(), line: z.number().int().optional() }),
    source: z.string(),
    failing: z.number().int(),
  })
  .openapi('ResourceRow')

/** One known vulnerability of one component (GET /vulnerabilities). */
export const VulnerabilityRowSchema = z
  .object({ id: z.string(), component: z.string(), version: z.string(), ecosystem: z.string(), severity, cvss: z.number().nullable(), fixedIn: z.string().nullable(), resourceIds: z.array(z.string()) })
  .openapi('VulnerabilityRow')

/** One HIPAA control of the posture overview. */
export const ControlRowSchema = z.object({ id: z.string(), title: z.string(), status: z.string(), pass: z.number().int(), fail: z.number().int(), manual: z.number().int(), suppressed: z.number().int() }).openapi('ControlRow')

/** The posture overview (GET /posture). */
export const PostureSchema = z
  .object({
    latestScanAt: z.string().nullable(),
    totals: z.object({ resources: z.number().int(), phiResources: z.number().int(), failing: z.number().int(), bySeverity: z.record(z.string(), z.number().int()) }),
    hipaa: z.array(ControlRowSchema),
    csfFunctions: z.array(z.object({ id: z.enum(['ID', 'PR', 'DE', 'RS', 'RC']), name: z.string(), pass: z.number().int(), fail: z.number().int(), manual: z.number().int() })),
    trend: z.array(z.object({ scanId: z.string(), source: z.string(), at: z.string(), pass: z.number().int(), fail: z.number().int(), manual: z.number().int() })),
  })
  .openapi('Posture')

/** A scheduled rescan of a path on the server (GET /sources). */
export const SourceRowSchema = z
  .object({ id: z.string(), name: z.string(), path: z.string(), intervalMinutes: z.number().int(), lastRunAt: z.string().nullable(), lastStatus: z.string().nullable(), nextRunAt: z.string() })
  .openapi('ScanSource')

/** A rescan job (GET /jobs/{id}). */
export const JobRowSchema = z
  .object({ id: z.string(), sourceId: z.string(), state: z.enum(['queued', 'running', 'done', 'failed']), progress: z.number(), message: z.string(), scanId: z.string().optional(), createdAt: z.string(), finishedAt: z.string().nullable() })
  .openapi('ScanJob')

/** `{ items, total, nextCursor }` of a list route. */
export function listOf<T extends z.ZodType>(item: T, name: string) {
  return z.object({ items: z.array(item), total: z.number().int(), nextCursor: z.string().nullable() }).openapi(name)
}

/** `limit` and `cursor` of every list route. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ param: { name: 'limit', in: 'query' } }),
  cursor: z.string().max(2000).optional().openapi({ param: { name: 'cursor', in: 'query' } }),
}

/** A row of GET /findings. */
export type FindingRow = z.infer<typeof FindingRowSchema>
/** A row of GET /resources. */
export type ResourceRow = z.infer<typeof ResourceRowSchema>
/** A row of GET /scans. */
export type ScanSummary = z.infer<typeof ScanSummarySchema>
/** A row of GET /vulnerabilities. */
export type VulnerabilityRow = z.infer<typeof VulnerabilityRowSchema>
/** A row of GET /sources. */
export type SourceRow = z.infer<typeof SourceRowSchema>
/** The answer of GET /jobs/{id}. */
export type JobRow = z.infer<typeof JobRowSchema>
/** The answer of GET /posture. */
export type PostureOverview = z.infer<typeof PostureSchema>
