import type { InventoryView } from '../inventory/index.js'
import type { Resource, Severity } from '../model/index.js'

/** One outcome a check's `evaluate` returns. */
export interface CheckResult {
  status: 'pass' | 'fail' | 'manual'
  /** "<Kind> <name> <state>." — names the resource; never a secret or PHI value. */
  message: string
  /** Property path the result is about (`BucketEncryption.ServerSideEncryptionConfiguration`), for the line. */
  path?: string
  /**
   * The line the result is about when it is not the resource's own (a route of an API declared by a
   * Method or Route resource further down the same file); it takes precedence over `path`.
   */
  line?: number
  /** Facts behind the result, masked where sensitive. */
  evidence?: Record<string, unknown>
}

/** What a check may look at besides the resource: the rest of the inventory, read-only. */
export interface CheckContext {
  view: InventoryView
  /** Scan time, for age-based checks (key rotation, credential use). */
  now: Date
  /**
   * The values of the running check's {@link Check.parameters}: what the user gave
   * (`--check-param <check>.<name>=<value>`), else the parameter's default; a parameter with neither
   * is absent.
   */
  params: Readonly<Record<string, string>>
}

/**
 * A setting of a check the organisation decides (AWS Config's rule parameters): the VPCs allowed an
 * internet gateway, how many days before expiry a certificate fails. Values are text, as AWS Config
 * takes them; lists are comma-separated.
 */
export interface CheckParameter {
  description: string
  /** The value when none is given (AWS Config's default where the rule has one). */
  default?: string
  /** What a value must look like; a value that does not match is a usage error. */
  pattern?: RegExp
  /** The form a value takes, for the error and the docs (`a number of days`, `vpc ids, comma-separated`). */
  form: string
}

/** Fix guidance, with snippets where they help. */
export interface Remediation {
  text: string
  cloudformation?: string
  terraform?: string
  cli?: string
  /** A Kubernetes manifest fragment (YAML). */
  kubernetes?: string
  /** Dockerfile instructions. */
  dockerfile?: string
  /** A docker-compose.yml fragment. */
  compose?: string
}

/** A check: data about a control, and a pure `evaluate()`. */
export interface Check {
  /** `<provider folder>/<file stem>`, e.g. `aws/s3-bucket-public-read`. */
  id: string
  /** States the secure condition: "S3 bucket blocks public read access". */
  title: string
  severity: Severity
  /** Resource kinds the check judges (`aws:s3:bucket`). */
  resourceKinds: string[]
  /** Why it matters: what an attacker or failure gains. */
  rationale: string
  remediation: Remediation
  controls: { csf: string[]; hipaa: string[]; ferpa: string[] }
  /**
   * Peer rules and benchmark items the check corresponds to: AWS Config rules of the HIPAA pack,
   * cdk-nag HIPAA.Security rules, Prowler checks, Kubernetes Pod Security Standards controls
   * (`Baseline: Privileged Containers`, `Restricted: Running as Non-root`) and CIS benchmark items
   * (`CIS Kubernetes 5.2.2`, `CIS Docker 4.1`).
   */
  references: { awsConfig: string[]; cdkNag: string[]; prowler: string[]; pss: string[]; cis: string[] }
  /** Settings the organisation decides, by name (`--check-param <id>.<name>=<value>`). */
  parameters?: Record<string, CheckParameter>
  /** Restrict the check to some resources of its kinds (e.g. those that hold PHI). */
  appliesTo?: (resource: Resource, ctx: CheckContext) => boolean
  /** Pure: judge one resource. No I/O, no clock except `ctx.now`. */
  evaluate: (resource: Resource, ctx: CheckContext) => CheckResult | CheckResult[]
}

/** The fields a check file writes (references may be partial). */
export type CheckDefinition = Omit<Check, 'references'> & { references?: Partial<Check['references']> }
