import { peerKey } from '../flows/index.js'
import type { PolicyRule } from './types.js'

/** Rules in a stable order: infrastructure allowances first, then by peer and port. */
export function sortRules(rules: PolicyRule[]): PolicyRule[] {
  return [...rules].sort((a, b) => {
    const ka = `${a.infrastructure ?? ''}|${peerKey(a.peer)}|${String(a.port).padStart(5, '0')}|${a.protocol}`
    const kb = `${b.infrastructure ?? ''}|${peerKey(b.peer)}|${String(b.port).padStart(5, '0')}|${b.protocol}`
    return ka < kb ? -1 : ka > kb ? 1 : 0
  })
}
