import type { Check } from '../types.js'
import * as pod from './registry.js'
import * as cluster from './registry-cluster.js'
import * as env from './registry-env.js'

/** Every Kubernetes check, in id order. */
export const K8S_CHECKS: readonly Check[] = ([...Object.values(pod), ...Object.values(cluster), ...Object.values(env)] as Check[]).sort((a, b) => a.id.localeCompare(b.id))
