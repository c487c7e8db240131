/** Where something was declared: a file relative to the scan root, and a 1-based line where known. */
export interface Location {
  file: string
  line?: number
}

/** Deployment environment of a resource, inferred from tags, stages, accounts or naming. */
export type Environment = 'prod' | 'staging' | 'dev' | 'test' | 'unknown'

/** Whether a resource holds or handles PHI. */
export type PhiState = 'yes' | 'no' | 'unknown'

/** The origin format a resource was read from. */
export type Origin = 'cloudformation' | 'sam' | 'serverless' | 'terraform' | 'aws-snapshot' | 'kubernetes' | 'k8s-snapshot' | 'dockerfile' | 'compose'

/** Cloud or platform a resource belongs to. */
export type Provider = 'aws' | 'kubernetes' | 'docker'

/** One piece of evidence behind an inferred attribute (environment, PHI, owner). */
export interface Evidence {
  /** How the fact was learned. */
  source: 'tag' | 'edge' | 'stage' | 'parameter' | 'name' | 'account' | 'scan' | 'config'
  /** Human-readable detail, never containing PHI or secret values. */
  detail: string
  /** The resource the fact came from, when it was inferred along an edge. */
  from?: string
  /** Scan evidence (`source: 'scan'`): whether the samples held PHI. */
  found?: boolean
}

/**
 * A resource of the inventory. Properties are kept in the CloudFormation resource-schema
 * shape whatever the origin (templates, Terraform plans and live snapshots alike), so every
 * check judges one shape; see docs/architecture.md, "One property shape".
 */
export interface Resource {
  /** Stable id: `<kind>:<scope>#<sourceId>`; scope is the file (IaC) or `account/region` (live). */
  id: string
  /** Kind derived from the CloudFormation type, e.g. `aws:s3:bucket` for `AWS::S3::Bucket`. */
  kind: string
  /** The CloudFormation resource type the properties follow, e.g. `AWS::S3::Bucket`. */
  type: string
  provider: Provider
  /** Physical name where known, else the source id. */
  name: string
  /** The name as written in the source: logical id, Terraform address, serverless.yml key. */
  sourceId: string
  origin: Origin
  environment: Environment
  owner?: string
  labels: Record<string, string>
  holdsPhi: PhiState
  /** Why `holdsPhi` and `environment` have the values they have. */
  evidence: { phi: Evidence[]; environment: Evidence[] }
  location: Location
  /** CloudFormation-shaped properties after intrinsic resolution (unresolvable parts stay as intrinsics). */
  props: Record<string, unknown>
  /** Lines of property paths (`BucketEncryption.ServerSideEncryptionConfiguration`), for precise findings. */
  propLines: Record<string, number>
  /** Source id of the declaration this resource was generated from (SAM / Serverless expansion). */
  generatedFrom?: string
  /** The template, plan or snapshot the resource came from (relative path). */
  stack: string
  arn?: string
  region?: string
  account?: string
  /** Kubernetes namespace of a namespaced object (`default` when the manifest names none). */
  namespace?: string
  /** Physical id of a live resource (`sg-0abc…`, bucket name, function name): how other resources refer to it. */
  physicalId?: string
  /** The resource's own declared dependencies (CloudFormation `DependsOn`), as source ids. */
  dependsOn: string[]
  /** Suppressions declared on the resource (template `Metadata`), by check id or peer rule id. */
  suppressions?: ResourceSuppression[]
}

/** A suppression written next to a resource. */
export interface ResourceSuppression {
  /** PhiWall check id, or a peer's rule id (`HIPAA.Security-S3BucketLoggingEnabled`). */
  id: string
  reason: string
  owner?: string
  expires?: string
  source: string
}

/** The kind of relation an edge records. */
export type EdgeKind =
  | 'invokes' // API route → function
  | 'triggers' // event source → function
  | 'reads'
  | 'writes'
  | 'uses' // reference whose direction is unknown (an environment variable naming a table)
  | 'placed-in' // function → subnet / security group / VPC
  | 'attached' // policy / role / permission → the resource it governs
  | 'network'

/** A relation between two inventory resources. */
export interface Edge {
  from: string
  to: string
  kind: EdgeKind
  source: 'declared' | 'observed'
  /** Why the edge exists, e.g. `IAM statement dynamodb:PutItem` or `Events.Upload (S3)`. */
  evidence: string
  port?: number
  protocol?: string
  location?: Location
}

/** The inventory: resources and the edges between them. */
export interface Inventory {
  resources: Resource[]
  edges: Edge[]
}
