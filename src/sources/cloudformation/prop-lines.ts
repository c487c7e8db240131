import type { LineMap } from '../located/index.js'

/**
 * The lines of a resource's top-level properties, `name → line` (what edges and most findings
 * cite). Deeper paths are looked up when a finding needs them (`lineOfProperty`), which keeps a
 * 10,000-resource template cheap to read.
 */
export function propertyLines(props: object, lines: LineMap): Record<string, number> {
  const out: Record<string, number> = {}
  const pairs = lines.childPairs(props)
  if (pairs) {
    for (let i = 0; i < pairs.length; i += 2) out[String(pairs[i])] = pairs[i + 1] as number
    return out
  }
  // generated properties (SAM, Serverless) may have no lines of their own: take the keys that do
  for (const k of Object.keys(props)) {
    const line = lines.keyLine(props, k)
    if (line !== undefined) out[k] = line
  }
  return out
}
