/**
 * Which process identities are known, for the "unknown binary" deviation: identities the baseline
 * or the inventory names, and processes whose binary hash is in a CI fingerprint manifest (the
 * artifacts a build produced: `{ name?, commit?, builtAt?, artifacts: [{ path, sha256, size? }] }`,
 * the body `POST /ingest/fingerprints` takes as `manifest`).
 */
import { z } from 'zod'
import type { WorkloadIdentity } from './types.js'

export const fingerprintManifestSchema = z.looseObject({
  name: z.string().optional(),
  commit: z.string().optional(),
  builtAt: z.string().optional(),
  artifacts: z.array(z.looseObject({ path: z.string().min(1).max(4096), sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 in hex'), size: z.number().int().min(0).optional() })),
})

/**
 * The binary hashes of a fingerprint manifest's text: the manifest itself or `{ "manifest": … }`
 * as uploaded. Throws an Error naming the first invalid field.
 */
export function readFingerprintManifest(text: string): Set<string> {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new Error(`not JSON (${(err as Error).message})`)
  }
  const body = json && typeof json === 'object' && !Array.isArray(json) && 'manifest' in json && !('artifacts' in json) ? (json as { manifest: unknown }).manifest : json
  const parsed = fingerprintManifestSchema.safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new Error(`not a fingerprint manifest: ${issue.path.length ? issue.path.join('.') : 'the document'}: ${issue.message}`)
  }
  return new Set(parsed.data.artifacts.map((a) => a.sha256.toLowerCase()))
}

/**
 * The identities a deviation detector treats as known (`DeviationOptions.knownIdentities`): the ids
 * in `ids`, and any process whose binary hash is in `hashes`. `ids` may be filled later (the
 * inventory is read when the flows are).
 */
export class KnownIdentities extends Set<string> {
  constructor(
    readonly ids: Set<string>,
    private readonly hashes: Set<string>,
    private readonly lookup: (id: string) => WorkloadIdentity | undefined,
  ) {
    super()
  }

  override has(id: string): boolean {
    if (this.ids?.has(id)) return true
    const p = this.lookup?.(id)?.process
    return !!p && this.hashes.has(p.exeSha256.toLowerCase())
  }
}
