/** A resource of a Terraform plan, as `terraform show -json` writes it. */
export interface TfResource {
  /** Full address, including module path: `module.db.aws_db_instance.main[0]`. */
  address: string
  type: string
  name: string
  /** Planned attribute values (unknown-after-apply attributes are absent). */
  values: Record<string, unknown>
  /** Attributes whose value is known only after apply. */
  unknown: Record<string, unknown>
  /** Configuration expressions of the resource: attribute → referenced addresses (module-qualified). */
  references: Record<string, string[]>
  /** Module prefix of the address (`module.db.`), empty at the root. */
  modulePrefix: string
  /** Line of the resource in the plan file. */
  line?: number
}

/** What a converter returns: CloudFormation-shaped resources, or properties to merge into one. */
export type TfConverted =
  | { sourceId: string; type: string; properties: Record<string, unknown>; generatedFrom?: string }
  | {
      /** Merge into the resource of this CloudFormation type named by the reference or physical name. */
      mergeInto: { type: string; target: unknown }
      properties: Record<string, unknown>
      /** How to merge list properties: append (rules) or replace. */
      append?: string[]
    }

/** Helpers a converter uses to read a Terraform resource. */
export interface TfReader {
  /** Planned value of an attribute; a reference intrinsic when it is unknown but configured from another resource; else undefined. */
  get(attr: string): unknown
  /** Raw planned value (no reference substitution). */
  raw(attr: string): unknown
  /** A reference to another resource's attribute, as an intrinsic (`{ Ref: address }` / `Fn::GetAtt`). */
  refTo(attr: string): unknown
  res: TfResource
}

/** A converter from one Terraform resource type to CloudFormation-shaped resources. */
export type TfConverter = (r: TfReader) => TfConverted[]
