import { composeVolumes } from '../../sources/compose/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { service } from './lib/compose.js'

/** Container-runtime API sockets, and the directories that hold them. */
const SOCKET = /(^|\/)(docker|containerd|podman|crio)\.sock$/
const SOCKET_DIR = /^\/(var\/)?run$/

/** No service mounts the container runtime's socket (CIS Docker 5.31). */
export default defineCheck({
  id: 'container/compose-docker-socket',
  title: 'Compose service does not mount the Docker socket',
  severity: 'critical',
  resourceKinds: ['docker:compose:service'],
  rationale:
    'The Docker socket is the Docker API: a container that can reach it starts a privileged container with the host filesystem mounted, i.e. it is root on the host. A compromised log shipper, CI runner or admin UI with /var/run/docker.sock mounted reaches every database volume and secret of the clinic stack; read-only mounting does not help, the API still accepts requests.',
  remediation: {
    text: 'Remove the socket mount. A tool that must watch containers should use a socket proxy that allows only the read-only API calls it needs (e.g. tecnativa/docker-socket-proxy with CONTAINERS=1, POST=0), or run outside the containers it manages.',
    compose: 'services:\n  dozzle:\n    environment:\n      DOCKER_HOST: tcp://socket-proxy:2375\n  socket-proxy:\n    image: tecnativa/docker-socket-proxy:0.2.0\n    environment: { CONTAINERS: 1, POST: 0 }\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n    networks: [internal-only]',
  },
  controls: { csf: ['PR.AC-4', 'PR.PT-3'], hipaa: ['164.312(a)(1)', '164.308(a)(4)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  references: { cis: ['CIS Docker 5.31'] },
  evaluate(r) {
    const results: CheckResult[] = []
    const vols = composeVolumes(service(r))
    for (const v of vols) {
      if (v.type !== 'bind' || v.source === undefined) continue
      const src = v.source.replace(/\\/g, '/').replace(/^\/+/, '/').replace(/(.)\/+$/, '$1')
      if (SOCKET.test(src)) results.push(fail(`Compose service ${r.name} mounts the container runtime socket ${src}.`, { path: v.path, evidence: { source: src } }))
      else if (SOCKET_DIR.test(src)) results.push(fail(`Compose service ${r.name} mounts the host's ${src} directory, which holds the Docker socket.`, { path: v.path, evidence: { source: src } }))
      else if (v.interpolated && /^\$\{?\w+/.test(src)) results.push(manual(`Compose service ${r.name} mounts a host path given by a variable set when Compose runs.`, { path: v.path }))
    }
    return results.length ? results : pass(`Compose service ${r.name} mounts no container runtime socket.`)
  },
})
