import { z } from 'zod'
import type { Resource } from '../../../model/index.js'

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 date')

/** The credential-report facts a live snapshot records on an `AWS::IAM::User` (`PhiWallCredentials`). */
export const credentialsSchema = z.object({
  PasswordEnabled: z.boolean(),
  PasswordLastUsed: isoDate.nullable().optional(),
  PasswordLastChanged: isoDate.nullable().optional(),
  MfaActive: z.boolean(),
  AccessKeys: z
    .array(
      z.object({
        Active: z.boolean(),
        LastRotated: isoDate.nullable().optional(),
        LastUsed: isoDate.nullable().optional(),
      }),
    )
    .default([]),
})

/** Credential-report facts of a user. */
export type UserCredentials = z.infer<typeof credentialsSchema>

/**
 * The credential-report facts of a live IAM user: `absent` for users read from templates (no
 * report), `invalid` when the snapshot holds something of another shape (validated, never trusted).
 */
export function userCredentials(user: Resource): { state: 'ok'; creds: UserCredentials } | { state: 'absent' } | { state: 'invalid'; issue: string } {
  const raw = user.props['PhiWallCredentials']
  if (raw === undefined || raw === null) return { state: 'absent' }
  const parsed = credentialsSchema.safeParse(raw)
  if (!parsed.success) {
    const i = parsed.error.issues[0]
    return { state: 'invalid', issue: i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'unexpected shape' }
  }
  return { state: 'ok', creds: parsed.data }
}

/** Whole days from an ISO date to now (negative when the date is in the future). */
export function daysSince(iso: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(iso)) / 86_400_000)
}
