/**
 * @module sources/terraform
 * Terraform plan JSON for the AWS provider, converted to CloudFormation-shaped resources.
 */
export { readTerraformPlan, looksLikeTerraformPlan } from './plan.js'
export { CONVERTERS } from './converters/index.js'
export type { TfConverter, TfConverted, TfResource, TfReader } from './types.js'
