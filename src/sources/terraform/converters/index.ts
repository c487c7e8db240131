import type { TfConverter } from '../types.js'
import { S3_CONVERTERS } from './s3.js'

/** Terraform resource type → converter to CloudFormation shape. Registered by one line per file. */
export const CONVERTERS: Record<string, TfConverter> = {
  ...S3_CONVERTERS,
}
