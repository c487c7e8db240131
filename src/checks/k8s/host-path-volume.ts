import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { WORKLOAD_KINDS, at, containerLabel, exposureText, hostPathExposure, isObj, mountsOf, normalizeHostPath, str, subject, volumesOf } from './lib/pod.js'

const PERSISTENT_VOLUME = 'K8s::Core::PersistentVolume'

/** Pods do not mount directories or files of the node, neither inline nor through a hostPath PersistentVolume. */
export default defineCheck({
  id: 'k8s/host-path-volume',
  title: 'Pods do not mount hostPath volumes, directly or through a PersistentVolume',
  severity: 'high',
  resourceKinds: [...WORKLOAD_KINDS, 'k8s:core:persistent-volume'],
  rationale:
    "A hostPath volume puts a piece of the node's filesystem inside the container. Writable mounts of the node's root, /etc, /proc, /var/lib/kubelet or a container runtime socket let a compromised container escape to the node and read every pod's Secrets and PHI volumes; even read-only mounts leak credentials and other tenants' data, and hostPath data is tied to one node, outside encrypted, backed-up persistent volumes. A PersistentVolume of type hostPath does the same for every pod whose claim binds to it, and Pod Security admission does not see it: the pod only names a PersistentVolumeClaim.",
  remediation: {
    text: 'Replace hostPath with an emptyDir (scratch space), a ConfigMap or Secret volume (configuration), or a PersistentVolumeClaim on an encrypted StorageClass (data); do not create hostPath PersistentVolumes (Kubernetes supports them for single-node testing only). When a node agent must read the node, mount only the narrowest path, with readOnly: true, and never the runtime socket, /, /etc, /proc or /var/lib/kubelet.',
    kubernetes: 'volumes:\n  - name: scratch\n    emptyDir: {}\ncontainers:\n  - name: api\n    volumeMounts:\n      - name: scratch\n        mountPath: /tmp',
  },
  controls: { csf: ['PR.AC-4', 'PR.PT-3', 'PR.DS-5'], hipaa: ['164.312(a)(1)', '164.312(c)(1)', '164.308(a)(1)(ii)(B)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS', 'FERPA-ACCESS-CONTROL'] },
  references: { pss: ['Baseline: HostPath Volumes', 'Restricted: Volume Types'], cis: ['CIS Kubernetes 5.2.12'] },
  evaluate(r) {
    if (r.type === PERSISTENT_VOLUME) return judgePersistentVolume(r)
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
      const exposed = hostPathExposure(p)
      const mounts = mountsOf(r, v.name)
      const writable = mounts.filter((m) => !m.readOnly)
      const who = (ms: typeof mounts): string => [...new Set(ms.map((m) => containerLabel(m.container)))].join(', ')
      const socket = exposed.some((e) => e.runtimeSocket)
      const use = writable.length
        ? `mounted writable by ${who(writable)}`
        : mounts.length
          ? `mounted read-only by ${who(mounts)}`
          : 'mounted by no container (the kubelet still sets it up on the node)'
      const takeover = writable.length ? ', so the container can take over the node' : socket && mounts.length ? ', so the container can take over the node (a read-only mount does not stop connecting to a socket)' : ''
      const danger = exposed.length ? ` — ${exposureText(p, exposed)}${takeover}` : ''
      results.push(
        fail(`${subject(r)} declares hostPath volume ${v.name} for node path ${p}, ${use}${danger}.`, {
          path: `${v.path}.hostPath.path`,
          evidence: {
            volume: v.name,
            hostPath: p,
            ...(str(at(hostPath, 'type')) ? { type: str(at(hostPath, 'type')) } : {}),
            sensitive: exposed.map((e) => e.what),
            runtimeSocket: socket,
            writableIn: [...new Set(writable.map((m) => m.container.name))],
            readOnlyIn: [...new Set(mounts.filter((m) => m.readOnly).map((m) => m.container.name))],
          },
        }),
      )
    }
    return results.length ? results : pass(`${subject(r)} mounts no hostPath volumes.`)
  },
})

/**
 * A PersistentVolume backed by a node path: any pod whose PersistentVolumeClaim binds to it mounts
 * that path of whichever node it runs on (the volume is not read-only unless the pod says so).
 */
function judgePersistentVolume(pv: Resource): CheckResult {
  const hostPath = at(pv.props, 'spec.hostPath')
  if (hostPath === undefined || hostPath === null) return pass(`${subject(pv)} is not a hostPath volume.`)
  const raw = isObj(hostPath) ? str(hostPath['path']) : undefined
  if (raw === undefined || raw.trim() === '') return manual(`${subject(pv)} is a hostPath volume without a node path PhiWall can read; the API server would reject it.`, { path: 'spec.hostPath' })
  const p = normalizeHostPath(raw)
  const exposed = hostPathExposure(p)
  const danger = exposed.length ? ` — ${exposureText(p, exposed)}, so a pod that claims it can take over the node` : ''
  return fail(`${subject(pv)} is a hostPath volume for node path ${p}: every pod whose claim binds to it mounts that path of its node, and Pod Security admission does not see it${danger}.`, {
    path: 'spec.hostPath.path',
    evidence: {
      hostPath: p,
      ...(str(at(hostPath, 'type')) ? { type: str(at(hostPath, 'type')) } : {}),
      sensitive: exposed.map((e) => e.what),
      runtimeSocket: exposed.some((e) => e.runtimeSocket),
      ...(str(at(pv.props, 'spec.claimRef.name')) ? { claim: `${str(at(pv.props, 'spec.claimRef.namespace')) ?? ''}/${str(at(pv.props, 'spec.claimRef.name'))}` } : {}),
    },
  })
}
