import { z } from 'zod'

/**
 * The OSV schema (https://ossf.github.io/osv-schema/, 1.7), as far as PhiWall reads it. Unknown
 * fields are kept (`loose`), so a record stored and read back is the record that was imported.
 */

const event = z.union([
  z.object({ introduced: z.string() }).loose(),
  z.object({ fixed: z.string() }).loose(),
  z.object({ last_affected: z.string() }).loose(),
  z.object({ limit: z.string() }).loose(),
])

/** One `introduced` / `fixed` / `last_affected` / `limit` event of a range. */
export type OsvEvent = z.infer<typeof event>

export const osvRangeSchema = z
  .object({
    type: z.enum(['SEMVER', 'ECOSYSTEM', 'GIT']),
    repo: z.string().optional(),
    events: z.array(event).min(1),
    database_specific: z.record(z.string(), z.unknown()).optional(),
  })
  .loose()

export type OsvRange = z.infer<typeof osvRangeSchema>

export const osvSeveritySchema = z
  .object({
    /** `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`. */
    type: z.string(),
    score: z.string(),
  })
  .loose()

export type OsvSeverity = z.infer<typeof osvSeveritySchema>

export const osvAffectedSchema = z
  .object({
    package: z
      .object({
        /** `npm`, `PyPI`, `Debian:12`, `Alpine:v3.19`, `Ubuntu:22.04:LTS`, … */
        ecosystem: z.string(),
        name: z.string(),
        purl: z.string().optional(),
      })
      .loose()
      .optional(),
    severity: z.array(osvSeveritySchema).optional(),
    ranges: z.array(osvRangeSchema).optional(),
    versions: z.array(z.string()).optional(),
    ecosystem_specific: z.record(z.string(), z.unknown()).nullish(),
    database_specific: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose()

export type OsvAffected = z.infer<typeof osvAffectedSchema>

export const osvRecordSchema = z
  .object({
    schema_version: z.string().optional(),
    id: z.string().min(1),
    modified: z.string(),
    published: z.string().optional(),
    withdrawn: z.string().optional(),
    aliases: z.array(z.string()).nullish(),
    related: z.array(z.string()).nullish(),
    upstream: z.array(z.string()).nullish(),
    summary: z.string().optional(),
    details: z.string().optional(),
    severity: z.array(osvSeveritySchema).nullish(),
    affected: z.array(osvAffectedSchema).nullish(),
    references: z.array(z.object({ type: z.string(), url: z.string() }).loose()).nullish(),
    credits: z.array(z.unknown()).nullish(),
    database_specific: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose()

/** One OSV vulnerability record. */
export type OsvRecord = z.infer<typeof osvRecordSchema>

/**
 * Splits an OSV ecosystem string into the base ecosystem and the release:
 * `Debian:12` → `{ ecosystem: 'Debian', release: '12' }`, `Ubuntu:22.04:LTS` → `Ubuntu`, `22.04:LTS`.
 */
export function splitEcosystem(osvEcosystem: string): { ecosystem: string; release?: string } {
  const i = osvEcosystem.indexOf(':')
  if (i === -1) return { ecosystem: osvEcosystem }
  return { ecosystem: osvEcosystem.slice(0, i), release: osvEcosystem.slice(i + 1) }
}
