import type { Check } from '../types.js'
import * as registry from './registry.js'
import * as registryA from './registry-a.js'
import * as registryB from './registry-b.js'

const all: Check[] = [...(Object.values(registry) as Check[]), ...(Object.values(registryA) as Check[]), ...(Object.values(registryB) as Check[])]

/** Every AWS check, in id order. */
export const AWS_CHECKS: readonly Check[] = all.sort((a, b) => a.id.localeCompare(b.id))
