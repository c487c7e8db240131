import type { PeerReferences } from '../../model/index.js'

/** A peer tool's name for its rules, and the name a report gives it. */
const PEERS = [
  ['awsConfig', 'AWS Config'],
  ['cdkNag', 'cdk-nag'],
  ['prowler', 'Prowler'],
  ['pss', 'Pod Security Standards'],
  ['cis', 'CIS'],
] as const satisfies readonly (readonly [keyof PeerReferences, string])[]

/**
 * "Also known as": the peer tools' names of the same rule (AWS Config, cdk-nag, Prowler, Pod
 * Security Standards, CIS), as `[tool, ids]` pairs for the tools that have one, in that order.
 * Every report shows them (users arrive from those tools).
 */
export function alsoKnownAs(r: PeerReferences): [tool: string, ids: readonly string[]][] {
  const out: [string, readonly string[]][] = []
  for (const [key, tool] of PEERS) {
    const ids = r[key] ?? []
    if (ids.length) out.push([tool, ids])
  }
  return out
}

/** {@link alsoKnownAs} as one line of text: `AWS Config: A, B; Prowler: c`, or '' when there is none. */
export function alsoKnownAsText(r: PeerReferences): string {
  return alsoKnownAs(r)
    .map(([tool, ids]) => `${tool}: ${ids.join(', ')}`)
    .join('; ')
}
