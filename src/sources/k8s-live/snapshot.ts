import { z } from 'zod'
import { LAST_APPLIED_ANNOTATION, looksLikeSecretKey, REDACTED_ANNOTATION } from './sanitize.js'

/** Version of the snapshot shape; a reader refuses what it does not know. */
export const K8S_SNAPSHOT_SCHEMA_VERSION = 1

const annotationsSchema = z.record(z.string(), z.string())

/** One live object, cleaned: apiVersion and kind always set, no managedFields, no last-applied annotation. */
export const k8sSnapshotItemSchema = z
  .object({
    apiVersion: z.string().min(1),
    kind: z.string().min(1),
    metadata: z
      .object({
        name: z.string().min(1),
        namespace: z.string().min(1).optional(),
        annotations: annotationsSchema.optional(),
        managedFields: z.never().optional(),
      })
      .loose(),
  })
  .loose()
  .superRefine((item, ctx) => {
    const annotations = item.metadata.annotations ?? {}
    if (LAST_APPLIED_ANNOTATION in annotations) ctx.addIssue({ code: 'custom', message: `${item.kind} ${item.metadata.name} keeps the ${LAST_APPLIED_ANNOTATION} annotation`, path: ['metadata', 'annotations', LAST_APPLIED_ANNOTATION] })
    if (item.kind === 'Secret') {
      if (annotations[REDACTED_ANNOTATION] !== 'true') ctx.addIssue({ code: 'custom', message: `Secret ${item.metadata.name} is not marked ${REDACTED_ANNOTATION}`, path: ['metadata', 'annotations'] })
      for (const field of ['data', 'stringData']) checkEmpty(item, field, () => true, ctx)
    } else if (item.kind === 'ConfigMap') {
      for (const field of ['data', 'binaryData']) checkEmpty(item, field, looksLikeSecretKey, ctx)
    }
  })

/** A value the snapshot must not carry: a Secret value or a ConfigMap value under a secret-looking key. */
function checkEmpty(item: Record<string, unknown>, field: string, secret: (key: string) => boolean, ctx: z.RefinementCtx): void {
  const values = item[field]
  if (values === undefined || values === null) return
  if (typeof values !== 'object' || Array.isArray(values)) {
    ctx.addIssue({ code: 'custom', message: `${field} must be a mapping`, path: [field] })
    return
  }
  for (const [k, v] of Object.entries(values)) if (secret(k) && v !== '') ctx.addIssue({ code: 'custom', message: `${field}.${k} carries a value; values are removed at collection`, path: [field, k] })
}

/** A list call that failed (403 Forbidden, a server error, a network failure): what the snapshot lacks. */
export const k8sSnapshotErrorSchema = z.object({
  /** `deployments.apps`, `secrets`, `version`: the resource, as RBAC names it. */
  resource: z.string().min(1),
  /** The namespace of a per-namespace call. */
  namespace: z.string().min(1).optional(),
  /** HTTP status, 0 when no answer came (connection refused, TLS failure, timeout). */
  status: z.number().int().min(0),
  message: z.string(),
})

/** What `phiwall collect k8s` writes and `phiwall scan` reads. */
export const k8sSnapshotSchema = z.object({
  kind: z.literal('phiwall-k8s-snapshot'),
  schemaVersion: z.literal(K8S_SNAPSHOT_SCHEMA_VERSION),
  /** The kubeconfig context used. */
  context: z.string().min(1),
  /** The context's cluster name (the scan's service name for these objects). */
  cluster: z.string().min(1),
  /** The API server URL, without user info, query or fragment. */
  server: z.url(),
  /** `gitVersion` of `/version` (`v1.30.4-eks-a737599`); absent when `/version` could not be read. */
  kubernetesVersion: z.string().min(1).optional(),
  collectedAt: z.iso.datetime({ offset: true }),
  /** The namespaces read, when limited with `--namespace`; absent when every namespace was read. */
  namespaces: z.array(z.string().min(1)).min(1).optional(),
  items: z.array(k8sSnapshotItemSchema),
  errors: z.array(k8sSnapshotErrorSchema),
})

export type K8sSnapshot = z.infer<typeof k8sSnapshotSchema>
export type K8sSnapshotItem = z.infer<typeof k8sSnapshotItemSchema>
export type K8sSnapshotError = z.infer<typeof k8sSnapshotErrorSchema>
