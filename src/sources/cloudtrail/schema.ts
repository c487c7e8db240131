import { z } from 'zod'

/**
 * The parts of a CloudTrail event record that PhiWall reads (CloudTrail record contents,
 * eventVersion 1.0x–1.1x). Permissive: unknown fields are allowed and dropped, every field but
 * eventSource / eventName / eventTime may be absent or null, and only the types of the fields
 * read are checked. `requestParameters` stays an opaque record: only resource-naming keys are
 * ever read from it (see `resources.ts`); its other values may hold PHI and are never copied.
 */
const str = z.string().nullish()

const sessionIssuerSchema = z.object({
  type: str,
  arn: str,
  principalId: str,
  accountId: str,
  userName: str,
})

export const userIdentitySchema = z.object({
  type: str,
  arn: str,
  principalId: str,
  accountId: str,
  invokedBy: str,
  sessionContext: z.object({ sessionIssuer: sessionIssuerSchema.nullish() }).nullish(),
})

export const resourceSchema = z.object({ ARN: str, type: str, accountId: str })

export const cloudTrailEventSchema = z.object({
  eventVersion: str,
  eventSource: z.string().min(1),
  eventName: z.string().min(1),
  eventTime: z.string().min(1),
  eventType: str,
  awsRegion: str,
  recipientAccountId: str,
  sourceIPAddress: str,
  userAgent: str,
  userIdentity: userIdentitySchema.nullish(),
  resources: z.array(resourceSchema).nullish(),
  requestParameters: z.record(z.string(), z.unknown()).nullish(),
  errorCode: str,
  readOnly: z.union([z.boolean(), z.string()]).nullish(),
  sessionCredentialFromConsole: z.union([z.boolean(), z.string()]).nullish(),
})

export type CloudTrailEvent = z.infer<typeof cloudTrailEventSchema>
