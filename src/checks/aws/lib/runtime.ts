import type { Resource } from '../../../model/index.js'
import { isObj, num, str } from './values.js'

/**
 * What an account snapshot records of an instance at collection time (`PhiWallState`, `PhiWallSsm`:
 * docs/snapshot-format.md); undefined where the collector could not ask, and always for templates.
 */
export interface InstanceRuntime {
  state?: { name: string; since?: string }
  /** `compliance` is undefined when Systems Manager could not be asked for it, `{}` when it reports none. */
  ssm?: { managed: boolean; ping?: string; lastPing?: string; agent?: string; compliance?: Record<string, { status?: string; severity?: string; nonCompliant?: number; at?: string }> }
}

export function instanceRuntime(r: Resource): InstanceRuntime {
  const out: InstanceRuntime = {}
  const st = r.props['PhiWallState']
  if (isObj(st) && str(st['Name'])) out.state = { name: str(st['Name'])!, ...(str(st['Since']) ? { since: str(st['Since'])! } : {}) }
  const ssm = r.props['PhiWallSsm']
  if (isObj(ssm) && typeof ssm['Managed'] === 'boolean') {
    const compliance: NonNullable<NonNullable<InstanceRuntime['ssm']>['compliance']> = {}
    if (isObj(ssm['Compliance'])) {
      for (const [type, c] of Object.entries(ssm['Compliance'])) {
        if (!isObj(c)) continue
        const n = num(c['NonCompliantCount'])
        compliance[type] = { ...(str(c['Status']) ? { status: str(c['Status'])! } : {}), ...(str(c['OverallSeverity']) ? { severity: str(c['OverallSeverity'])! } : {}), ...(n !== undefined ? { nonCompliant: n } : {}), ...(str(c['ExecutionTime']) ? { at: str(c['ExecutionTime'])! } : {}) }
      }
    }
    out.ssm = { managed: ssm['Managed'], ...(str(ssm['PingStatus']) ? { ping: str(ssm['PingStatus'])! } : {}), ...(str(ssm['LastPingDateTime']) ? { lastPing: str(ssm['LastPingDateTime'])! } : {}), ...(str(ssm['AgentVersion']) ? { agent: str(ssm['AgentVersion'])! } : {}), ...(isObj(ssm['Compliance']) ? { compliance } : {}) }
  }
  return out
}

/** `2025-01-19` of an ISO time, for messages. */
export const day = (iso: string | undefined): string => (iso ?? '').slice(0, 10)
