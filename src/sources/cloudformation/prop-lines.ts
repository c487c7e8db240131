import type { LineMap } from '../located/index.js'

/**
 * Flattens the lines recorded for a resource's properties into `path → line`. By default only the
 * top-level properties (what edges cite); deeper paths are looked up when a finding needs them
 * (`lineOfProperty`), which keeps a 10,000-resource template cheap to read.
 */
export function propertyLines(props: unknown, lines: LineMap, maxDepth = 0, maxEntries = 60): Record<string, number> {
  const out: Record<string, number> = {}
  let count = 0
  const walk = (node: unknown, prefix: string, depth: number): void => {
    if (node === null || typeof node !== 'object' || depth > maxDepth || count >= maxEntries) return
    const pairs = lines.childPairs(node)
    if (pairs) {
      for (let i = 0; i < pairs.length && count < maxEntries; i += 2) {
        const k = pairs[i]!
        const path = prefix ? `${prefix}.${k}` : String(k)
        out[path] = pairs[i + 1] as number
        count++
        const child = (node as Record<string | number, unknown>)[k]
        if (child !== null && typeof child === 'object') walk(child, path, depth + 1)
      }
      return
    }
    // generated containers (SAM, Serverless) may have no lines of their own: walk their keys anyway
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node)
    for (const k of keys) {
      if (count >= maxEntries) return
      const path = prefix ? `${prefix}.${k}` : String(k)
      const line = lines.keyLine(node as object, k)
      if (line !== undefined) {
        out[path] = line
        count++
      }
      const child = (node as Record<string | number, unknown>)[k]
      if (child !== null && typeof child === 'object') walk(child, path, depth + 1)
    }
  }
  walk(props, '', 0)
  return out
}
