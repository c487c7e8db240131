import type { LineMap } from '../located/index.js'

/**
 * Flattens the lines recorded for a resource's properties into `path → line`, so findings can
 * point at the exact property. Bounded in depth and count to keep huge templates cheap.
 */
export function propertyLines(props: unknown, lines: LineMap, maxDepth = 6, maxEntries = 300): Record<string, number> {
  const out: Record<string, number> = {}
  let count = 0
  const walk = (node: unknown, prefix: string, depth: number): void => {
    if (node === null || typeof node !== 'object' || depth > maxDepth || count >= maxEntries) return
    const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node)
    for (const k of keys) {
      if (count >= maxEntries) return
      const line = lines.lineOf(node, k)
      const path = prefix ? `${prefix}.${k}` : String(k)
      if (line !== undefined) {
        out[path] = line
        count++
      }
      walk((node as Record<string | number, unknown>)[k], path, depth + 1)
    }
  }
  walk(props, '', 0)
  return out
}
