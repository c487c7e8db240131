/**
 * @module sources/terraform
 * Terraform plan and state JSON for the AWS provider, converted to CloudFormation-shaped resources.
 */
export { readTerraformPlan, looksLikeTerraformPlan } from './plan.js'
export { readTerraformPlanText } from './recover.js'
export { CONVERTERS } from './converters/index.js'
export type { TfConverter, TfConverted, TfMerge, TfOwnResource, TfResource, TfReader, TfPlanContext } from './types.js'
