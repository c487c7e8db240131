import type { Check } from '../types.js'
import * as registry from './registry.js'
import * as registryA from './registry-a.js'
import * as registryB from './registry-b.js'

/** Every AWS check, in id order. */
export const AWS_CHECKS: readonly Check[] = [...Object.values(registry), ...Object.values(registryA), ...Object.values(registryB)].sort((a, b) => a.id.localeCompare(b.id))
