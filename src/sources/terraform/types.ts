import type { TfAddress } from './address.js'
import type { ConfigResource, RefContext, TfConfig, TfTarget } from './config.js'

/** A resource of a Terraform plan or state, as `terraform show -json` writes it. */
export interface TfResource {
  /** Canonical instance address, including the module path: `module.db.aws_db_instance.main[0]`. */
  address: string
  /** The address, parsed. */
  addr: TfAddress
  type: string
  name: string
  /** Planned attribute values (unknown-after-apply attributes are absent). */
  values: Record<string, unknown>
  /**
   * `change.after_unknown` of the resource: which attributes are known only after apply.
   * Undefined when the document does not say (a state, or a plan without `resource_changes`).
   */
  unknown: Record<string, unknown> | undefined
  /**
   * Without `after_unknown`, is an attribute missing from `values` unknown? In a plan yes
   * (Terraform writes known nulls and leaves unknown values out); in a state nothing is unknown,
   * and a missing attribute is one the provider version that wrote it does not have.
   */
  absentIsUnknown: boolean
  /** The resource block of the configuration, when the plan has one. */
  config?: ConfigResource
  /** Where the block's references are evaluated (module instance, `each` / `count` key, `for_each`). */
  ctx: RefContext
  /** Module prefix of the address (`module.db.`), empty at the root. */
  modulePrefix: string
  /** Line of the resource in the plan file. */
  line?: number
}

/** Plan-wide facts a converter may use. */
export interface TfPlanContext {
  config: TfConfig
  /** Values of data sources read while planning (`prior_state`), by address. */
  dataValues: Map<string, Record<string, unknown>>
  /** Region of the default AWS provider configuration, where written as a constant (else the one the resources' ARNs name). */
  region?: string
  /** Managed resources by their `id` (for a state, which has no configuration to follow): id → addresses. */
  ids: Map<string, string[]>
}

/** A CloudFormation-shaped resource a converter produces. */
export interface TfOwnResource {
  sourceId: string
  type: string
  properties: Record<string, unknown>
  generatedFrom?: string
  /**
   * The resource restates a setting a dedicated resource may also declare (the `policy` of a
   * bucket, queue or topic in a state): it is dropped when a resource of the same type governs
   * the same parent.
   */
  inlineOf?: string
  /** Account or regional settings: resources with the same `coalesce` key become one, properties merged. */
  coalesce?: string
  /** Lines of CloudFormation property names, by the Terraform attribute they come from. */
  lines?: Record<string, string>
}

/** Properties a converter adds to a resource another converter produced. */
export interface TfMerge {
  /**
   * The resource to merge into: its CloudFormation type, and a reference / physical name /
   * properties identifying it. `all`: every resource of the type that matches (none is not a
   * problem) — how a multi-Region trail marks each Region's settings.
   */
  mergeInto: { type: string; target?: unknown; match?: Record<string, unknown>; all?: boolean }
  properties: Record<string, unknown>
  /** List properties appended to (rules, targets, method settings) rather than replaced. */
  append?: string[]
  /** What to keep when the resource configured is not in the plan; nothing (with a warning) when absent. */
  orElse?: TfOwnResource[]
}

/** What a converter returns: CloudFormation-shaped resources, or properties to merge into one. */
export type TfConverted = TfOwnResource | TfMerge

/** Helpers a converter uses to read a Terraform resource (or one nested block of it). */
export interface TfReader {
  readonly res: TfResource
  readonly plan: TfPlanContext
  /** Path of this reader inside the resource's values (`[]`, or `['vpc_config', 0]` for a block). */
  readonly path: readonly (string | number)[]
  /**
   * Value of an attribute (`a` or `a.0.b`): the planned value with unknown parts replaced by a
   * reference to the resource they come from (`{ Ref }` / `Fn::GetAtt`), or by an `Fn::GetAtt` of
   * this resource when that cannot be told; undefined when null, or unknown only because the
   * provider computes a default the configuration does not set.
   */
  get(attr: string): unknown
  /** {@link get}, with `fallback` when the value is known to be null (the provider default). */
  getOr(attr: string, fallback: unknown): unknown
  /** The reference to another plan resource the attribute is configured from, else {@link get}. */
  ref(attr: string): unknown
  /** A list attribute of references (`subnet_ids`): references where each element comes from one, else {@link get}. */
  refList(attr: string): unknown
  /** Raw planned value (no substitution). */
  raw(attr: string): unknown
  /** Is the attribute known only after apply? */
  isUnknown(attr: string): boolean
  /** Resources the attribute's configuration expression refers to. */
  targets(attr: string): TfTarget[]
  /** A JSON string attribute (policy, event pattern) parsed; an unknown one as a reference or unknown intrinsic. */
  json(attr: string): unknown
  /** The first element of a nested block (`versioning_configuration { … }` is `[{…}]` in JSON). */
  block(attr: string): TfReader | undefined
  /** Every element of a nested block. */
  blocks(attr: string): TfReader[]
  /** `tags` (with provider `default_tags` from `tags_all`) as a CloudFormation `Tags` list. */
  tags(): { Key: string; Value: unknown }[] | undefined
  /** `tags` as a map, for types whose CloudFormation `Tags` is a map. */
  tagMap(): Record<string, unknown> | undefined
}

/** A converter from one Terraform resource type to CloudFormation-shaped resources. */
export type TfConverter = (r: TfReader) => TfConverted[]
