import type { Check } from '../types.js'
import * as registry from './registry.js'

/** Every virtual-machine check, in id order. */
export const VM_CHECKS: readonly Check[] = (Object.values(registry) as Check[]).sort((a, b) => a.id.localeCompare(b.id))
