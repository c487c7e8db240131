/**
 * @module inventory
 * The resource graph: resources with environment, owner and PHI classification, the declared
 * edges between them, and queries over both.
 */
export { buildInventory, resourceId, resourcesNamed } from './build.js'
export type { InventoryOptions, PhiSampleEvidence } from './build.js'
export { InventoryView } from './view.js'
export type { RelatedQuery } from './view.js'
export { kindOf, physicalName, STACK_TYPE } from './kinds.js'
export { tagsOf, environmentFromWord, environmentFromName, phiFromTags, classificationTag } from './tags.js'
export { isWorkloadType, isDataType } from './relations.js'
export type { GrantedStatement } from './relations.js'
export { statementsOf, actionMatches, statementAllows, principalIsPublic, conditionNarrowsPrincipal, actionAccess, PRIVILEGE_ESCALATION_ACTIONS } from './aws/policy.js'
export type { PolicyStatement } from './aws/policy.js'
export { parseArn, arnTarget } from './aws/arn.js'
export { labelSelectorMatches, labelsOf, podLabelsOf } from './k8s/selectors.js'
export type { LabelSelector } from './k8s/selectors.js'
export { isOverride as isComposeOverride } from './compose/relations.js'
