import { composePorts, isAllInterfaces, type ComposePort } from '../../sources/compose/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { service } from './lib/compose.js'

/** Ports of databases, caches, search engines, remote shells and the Docker API: never meant for the network at large. */
const SENSITIVE: Record<number, string> = {
  5432: 'PostgreSQL',
  3306: 'MySQL / MariaDB',
  1433: 'SQL Server',
  27017: 'MongoDB',
  6379: 'Redis',
  9200: 'Elasticsearch',
  5601: 'Kibana',
  22: 'SSH',
  3389: 'RDP',
  2375: 'Docker API (plain)',
  2376: 'Docker API',
  11211: 'Memcached',
  5984: 'CouchDB',
  9042: 'Cassandra',
}

function range(s: string | undefined): [number, number] | undefined {
  const m = s !== undefined ? /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(s) : null
  return m ? [Number(m[1]), Number(m[2] ?? m[1])] : undefined
}

/** The sensitive service a published port reaches, by container or host port. */
function sensitive(p: ComposePort): { port: number; what: string } | undefined {
  for (const r of [range(p.target), range(p.published)]) {
    if (!r) continue
    for (const [port, what] of Object.entries(SENSITIVE)) if (Number(port) >= r[0] && Number(port) <= r[1]) return { port: Number(port), what }
  }
  return undefined
}

/** Published ports bind a specific host address (CIS Docker 5.13). */
export default defineCheck({
  id: 'container/compose-ports-all-interfaces',
  title: 'Compose service publishes ports on a specific host address only',
  severity: 'high',
  resourceKinds: ['docker:compose:service'],
  rationale:
    'A published port without a host address binds 0.0.0.0 (and ::) on the host, and Docker inserts its own iptables rules ahead of the host firewall (ufw, firewalld), so the port is reachable from every network the host is on. For a database, cache, search engine or the Docker API that is PHI or the whole host one password guess away; the finding names those ports as high risk, other ports as medium risk.',
  remediation: {
    text: 'Bind published ports to the address that needs them — 127.0.0.1 for a local reverse proxy or admin access, a private interface address otherwise — and do not publish databases and caches at all: services on the same Compose network reach them by name.',
    compose: 'services:\n  postgres:\n    # no ports: the api reaches postgres:5432 on the backend network\n    networks: [backend]\n  api:\n    ports:\n      - "127.0.0.1:8080:8080"',
  },
  controls: { csf: ['PR.AC-5', 'PR.PT-4'], hipaa: ['164.312(e)(1)', '164.312(a)(1)'], ferpa: ['FERPA-FIREWALLS-IDPS', 'FERPA-SHUT-DOWN-UNNECESSARY-SERVICES'] },
  references: { cis: ['CIS Docker 5.13'] },
  evaluate(r) {
    const ports = composePorts(service(r))
    const results: CheckResult[] = []
    for (const p of ports) {
      if (p.hostIp !== undefined && p.hostIp.includes('$')) {
        results.push(manual(`Compose service ${r.name} binds port ${p.target} to a host address set when Compose runs.`, { path: p.path }))
        continue
      }
      if (!isAllInterfaces(p.hostIp)) continue
      const host = p.published ?? 'an ephemeral port'
      const s = sensitive(p)
      if (s) {
        results.push(
          fail(`Compose service ${r.name} publishes ${s.what} port ${s.port} on every host interface (host ${host}); high risk: bind it to 127.0.0.1 or do not publish it.`, {
            path: p.path,
            evidence: { target: p.target, published: p.published ?? null, protocol: p.protocol, risk: 'high', service: s.what },
          }),
        )
      } else {
        results.push(
          fail(`Compose service ${r.name} publishes port ${p.target}/${p.protocol} on every host interface (host ${host}); medium risk: bind it to a specific address.`, {
            path: p.path,
            evidence: { target: p.target, published: p.published ?? null, protocol: p.protocol, risk: 'medium' },
          }),
        )
      }
    }
    if (results.length) return results
    return pass(ports.length ? `Compose service ${r.name} binds its ${ports.length} published port${ports.length === 1 ? '' : 's'} to specific host addresses.` : `Compose service ${r.name} publishes no ports.`)
  },
})
