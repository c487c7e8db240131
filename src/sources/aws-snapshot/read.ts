import type { Diagnostic } from '../../model/index.js'
import type { LocatedDocuments } from '../located/index.js'
import type { SourceDocument, SourceResource } from '../types.js'
import { snapshotSchema } from './schema.js'

/** Does a parsed document look like a PhiWall AWS snapshot? */
export function looksLikeSnapshot(doc: unknown): boolean {
  return !!doc && typeof doc === 'object' && (doc as Record<string, unknown>)['kind'] === 'phiwall-aws-snapshot'
}

/**
 * Reads a snapshot written by `phiwall collect aws`. Resources are already in CloudFormation
 * property shape (Cloud Control API), so they go to the inventory unchanged, with their ARN,
 * region and account. Calls the collector could not make are reported as warnings, so the
 * report says what was not seen rather than passing it.
 */
export function readSnapshot(doc: Record<string, unknown>, located: LocatedDocuments, file: string): SourceDocument {
  const diagnostics: Diagnostic[] = [...located.diagnostics]
  const parsed = snapshotSchema.safeParse(doc)
  if (!parsed.success) {
    for (const issue of parsed.error.issues.slice(0, 5)) {
      const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))
      const line = located.lines.lineOfPath(doc, path)
      diagnostics.push({
        code: 'PW_ERR_SNAPSHOT_INVALID',
        level: 'error',
        message: `Snapshot ${file} is invalid at ${path.join('.') || '(root)'}${line !== undefined ? ` (line ${line})` : ''}: ${issue.message}.`,
        file,
        ...(line !== undefined ? { line } : {}),
      })
    }
    return { file, origin: 'aws-snapshot', resources: [], diagnostics, context: {} }
  }
  const snap = parsed.data
  const rawList = (doc['resources'] as unknown[]) ?? []
  const resources: SourceResource[] = snap.resources.map((r, i) => {
    const line = located.lines.lineOf(rawList[i])
    return {
      sourceId: r.identifier,
      type: r.type,
      properties: r.properties,
      propLines: {},
      dependsOn: [],
      region: r.region,
      account: snap.account,
      physicalId: r.identifier,
      ...(r.arn ? { arn: r.arn } : {}),
      ...(line !== undefined ? { line } : {}),
    }
  })
  for (const e of snap.errors) {
    diagnostics.push({
      code: 'PW_ERR_AWS_API',
      level: 'warning',
      message: `The collector could not call ${e.service}:${e.operation}${e.resourceType ? ` for ${e.resourceType}` : ''} in ${e.region}${e.code ? ` (${e.code})` : ''}${e.count ? `, ${e.count} times` : ''}; ${e.resourceType ? `${e.resourceType} resources` : 'resources'} it would have read are not judged.`,
      file,
    })
  }
  return {
    file,
    origin: 'aws-snapshot',
    resources,
    diagnostics,
    context: { account: snap.account, ...(snap.accountAlias ? { service: snap.accountAlias } : {}) },
  }
}
