/**
 * @module sources/located
 * YAML and JSON readers that keep the line of every key.
 */
export { parseYamlLocated } from './yaml.js'
export type { YamlOptions, YamlTagSet, LocatedDocuments } from './yaml.js'
export { parseJsonLocated } from './json.js'
export type { JsonOptions } from './json.js'
export { LineMap, LineIndex, safeSet, registerPropertyLines, lineOfProperty, propertyLinesOf } from './line-map.js'
