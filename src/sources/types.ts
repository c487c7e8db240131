import type { Diagnostic, Origin } from '../model/index.js'

/** A resource as a source reports it, in CloudFormation property shape. */
export interface SourceResource {
  /** The name as written in the source: logical id, Terraform address, serverless.yml key. */
  sourceId: string
  /** CloudFormation resource type whose property shape `properties` follows. */
  type: string
  properties: Record<string, unknown>
  /** Line of the declaration. */
  line?: number
  /** Lines of property paths (`BucketEncryption.ServerSideEncryptionConfiguration.0`). */
  propLines: Record<string, number>
  /** Source id of the SAM / Serverless / Terraform declaration this resource was generated from. */
  generatedFrom?: string
  dependsOn: string[]
  /** The CloudFormation condition gating the resource, with its value when known. */
  condition?: { name: string; value: boolean | undefined }
  /** Live resources: their ARN, region, account and physical name or id. */
  arn?: string
  region?: string
  account?: string
  physicalId?: string
  origin?: Origin
  /** Kubernetes namespace of a namespaced object. */
  namespace?: string
  /** Suppressions written in the resource's `Metadata` (PhiWall's own and cdk-nag's). */
  suppressions?: import('../model/index.js').ResourceSuppression[]
}

/** Facts about the document as a whole that help classify its resources. */
export interface DocumentContext {
  /** SAM / Serverless stage, or a template's Stage / Environment parameter value. */
  stage?: string
  /** Serverless service name or stack name. */
  service?: string
  region?: string
  account?: string
  /** Template-level tags (Serverless `provider.tags` / `stackTags`, SAM Globals tags). */
  tags?: Record<string, string>
  /** The parameters a CloudFormation template declares (so an unknown `--param` can be told). */
  parameters?: string[]
}

/** What one input file contained. */
export interface SourceDocument {
  /** Path relative to the scan root, with forward slashes. */
  file: string
  origin: Origin
  resources: SourceResource[]
  diagnostics: Diagnostic[]
  context: DocumentContext
}

/** The outcome of reading one file. */
export interface FileResult {
  file: string
  /** `ok`: read and understood; `error`: it had errors (the rest of it may still be scanned); `skipped`: not an input PhiWall reads. */
  status: 'ok' | 'error' | 'skipped'
  /** Format recognised from the content: an IaC origin, or a lockfile / filesystem format (`package-lock.json`, `docker-archive`). */
  format?: Origin | string
  /** Third-party components the file lists (lockfiles, package databases, images). */
  components?: number
  resources: number
  diagnostics: Diagnostic[]
}
