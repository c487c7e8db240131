import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { WORKLOAD_KINDS, hostPathExposure, isObj, mountsOf, normalizeHostPath, str, subject, volumesOf } from './lib/pod.js'

/** No pod can reach the node's container runtime API (Docker, containerd, CRI-O sockets). */
export default defineCheck({
  id: 'k8s/container-runtime-socket',
  title: "Pods do not mount the node's container runtime socket",
  severity: 'critical',
  resourceKinds: WORKLOAD_KINDS,
  rationale:
    "The Docker, containerd or CRI-O socket is the API that starts containers on the node. A container that can reach it starts a privileged container with the node's root filesystem mounted, or execs into any other pod, whatever the pod security settings say: one compromised CI runner or log shipper becomes every PHI workload on the node.",
  remediation: {
    text: 'Remove the hostPath volume for the runtime socket (or the directory that contains it: /var/run, /run, /). Build images with a daemonless builder (BuildKit rootless, Kaniko) and read container metadata from the Kubernetes API or the kubelet instead of the runtime.',
    kubernetes: '# build without the Docker socket\ncontainers:\n  - name: build\n    image: gcr.io/kaniko-project/executor:v1.23.2@sha256:<digest>\n    args: ["--dockerfile=Dockerfile", "--destination=ghcr.io/clinic/intake-api:2.4.1"]',
  },
  controls: { csf: ['PR.AC-4', 'PR.PT-3'], hipaa: ['164.312(a)(1)', '164.308(a)(1)(ii)(B)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS', 'FERPA-LAYERED-DEFENSE'] },
  references: { pss: ['Baseline: HostPath Volumes'] },
  evaluate(r) {
    const results: CheckResult[] = []
    for (const v of volumesOf(r)) {
      const hostPath = v.volume['hostPath']
      if (hostPath === undefined || hostPath === null) continue
      const raw = isObj(hostPath) ? str(hostPath['path']) : undefined
      if (raw === undefined || raw.trim() === '') {
        results.push(manual(`${subject(r)} declares hostPath volume ${v.name} without a node path PhiWall can read; the API server would reject it.`, { path: `${v.path}.hostPath` }))
        continue
      }
      const p = normalizeHostPath(raw)
      const sockets = hostPathExposure(p).filter((e) => e.runtimeSocket)
      if (!sockets.length) continue
      const whats = [...new Set(sockets.map((s) => s.what))]
      const direct = sockets.some((s) => s.path === p || p.startsWith(`${s.path}/`))
      const mounts = mountsOf(r, v.name)
      const users = [...new Set(mounts.map((m) => m.container.name))]
      results.push(
        fail(
          `${subject(r)} mounts ${direct ? `${whats[0]} (node path ${p})` : `node path ${p}, which contains ${whats.length > 1 ? 'the container runtime sockets' : whats[0]},`} as hostPath volume ${v.name}${users.length ? ` into container${users.length > 1 ? 's' : ''} ${users.join(', ')}` : ''}: whoever controls the container controls every container on the node${mounts.length > 0 && mounts.every((m) => m.readOnly) ? ' (a read-only mount does not stop connecting to a socket)' : ''}.`,
          { path: `${v.path}.hostPath.path`, evidence: { volume: v.name, hostPath: p, sockets: whats, containers: users, readOnly: mounts.length > 0 && mounts.every((m) => m.readOnly) } },
        ),
      )
    }
    return results.length ? results : pass(`${subject(r)} does not mount a container runtime socket.`)
  },
})
