import type { Resource } from '../../../model/index.js'
import { interpolationsIn } from '../../../sources/compose/index.js'

/** A Compose service's mapping as written (see sources/compose). */
export function service(r: Resource): Record<string, unknown> {
  return r.props
}

/** Is a scalar an interpolation left for run time (`${PRIVILEGED}`)? */
export function isInterpolated(v: unknown): boolean {
  return typeof v === 'string' && interpolationsIn(v).length > 0
}
