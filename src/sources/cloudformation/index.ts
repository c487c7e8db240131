/**
 * @module sources/cloudformation
 * CloudFormation and AWS SAM templates: parsing with short-form intrinsics, static resolution
 * of parameters, conditions and intrinsic functions, and SAM expansion.
 */
export { parseTemplateText, looksLikeCloudFormation, readCloudFormation, toSourceResources } from './parse.js'
export { readTemplate, isKnownResourceType, detectCycles, quickTemplateValid, quickResourceValid, TEMPLATE_SCHEMAS } from './template.js'
export type { CfnResource, CfnTemplate, TemplateOptions } from './template.js'
export { expandSam, usesSam, SAM_TRANSFORM } from './sam.js'
export { resolveValue, isIntrinsic, isResolved, referencedNames, onlyOwnKey, NO_VALUE } from './intrinsics.js'
export type { ResolveContext } from './intrinsics.js'
export { propertyLines } from './prop-lines.js'
