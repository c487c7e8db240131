import type { Check } from '../types.js'
import * as registry from './registry.js'

/** Every container (Dockerfile and Compose) check, in id order. */
export const CONTAINER_CHECKS: readonly Check[] = (Object.values(registry) as Check[]).sort((a, b) => a.id.localeCompare(b.id))
