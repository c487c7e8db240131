import type { Resource } from '../../../model/index.js'
import type { CheckContext } from '../../types.js'
import { keyValueList, pointsAt } from './judge.js'
import { str } from './values.js'

/** Type of an ELBv2 load balancer: application (the default), network or gateway. */
export function lbType(lb: Resource): string {
  return (str(lb.props['Type']) ?? 'application').toLowerCase()
}

/** Is a load balancer reachable from the internet (Scheme defaults to internet-facing)? */
export function internetFacing(lb: Resource): boolean {
  return (str(lb.props['Scheme']) ?? 'internet-facing').toLowerCase() === 'internet-facing'
}

/** Listeners of an ELBv2 load balancer (by reference, or by ARN in live snapshots). */
export function listenersOf(lb: Resource, ctx: CheckContext): Resource[] {
  return ctx.view.ofType('AWS::ElasticLoadBalancingV2::Listener').filter((l) => pointsAt(l.props['LoadBalancerArn'], l, lb, ctx))
}

/** Listener rules attached to a listener. */
export function rulesOf(listener: Resource, ctx: CheckContext): Resource[] {
  return ctx.view.ofType('AWS::ElasticLoadBalancingV2::ListenerRule').filter((r) => pointsAt(r.props['ListenerArn'], r, listener, ctx))
}

/** Value of an ELBv2 load balancer attribute as written (`"true"`), absent when unset. */
export function lbAttribute(lb: Resource, key: string): { value: unknown; path: string } | undefined {
  const a = keyValueList(lb.props['LoadBalancerAttributes']).get(key)
  return a ? { value: a.value, path: `LoadBalancerAttributes.${a.index}.Value` } : undefined
}

/** "listener HTTPS:443" for messages. */
export function listenerLabel(l: Resource): string {
  return `listener ${str(l.props['Protocol']) ?? '?'}:${String(l.props['Port'] ?? '?')}`
}
