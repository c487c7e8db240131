import { z } from 'zod'

/** Current version of the snapshot format written by `phiwall collect aws`. */
export const SNAPSHOT_SCHEMA_VERSION = 1

/** One resource of a live account, in CloudFormation property shape. */
export const snapshotResourceSchema = z.object({
  /** CloudFormation type (`AWS::S3::Bucket`), or a `PhiWall::AWS::*` type for account settings with no CloudFormation type. */
  type: z.string().min(1),
  /** Cloud Control identifier (bucket name, function name, group id, …). */
  identifier: z.string().min(1),
  region: z.string(),
  arn: z.string().optional(),
  properties: z.record(z.string(), z.unknown()),
})

/** A call the collector could not make, kept so a report can say what was not seen. */
export const snapshotErrorSchema = z.object({
  service: z.string(),
  region: z.string(),
  operation: z.string(),
  code: z.string().optional(),
  message: z.string(),
  /** CloudFormation type the call was reading (Cloud Control calls), so a report can say which resources were not seen. */
  resourceType: z.string().optional(),
  /** How many calls failed this way, when more than one (one entry stands for them all). */
  count: z.number().int().min(1).optional(),
})

/** A PhiWall AWS snapshot: what `phiwall collect aws` wrote. */
export const snapshotSchema = z.object({
  kind: z.literal('phiwall-aws-snapshot'),
  schemaVersion: z.number().int().min(1).max(SNAPSHOT_SCHEMA_VERSION),
  collectedAt: z.string(),
  account: z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id'),
  partition: z.string().default('aws'),
  /** Account alias or name, used for environment inference (`clinic-prod`). */
  accountAlias: z.string().optional(),
  regions: z.array(z.string()),
  resources: z.array(snapshotResourceSchema),
  errors: z.array(snapshotErrorSchema).default([]),
})

export type SnapshotResource = z.infer<typeof snapshotResourceSchema>
export type SnapshotError = z.infer<typeof snapshotErrorSchema>
export type Snapshot = z.infer<typeof snapshotSchema>
