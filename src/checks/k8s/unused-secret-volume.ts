import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { WORKLOAD_KINDS, at, isObj, list, mountsOf, str, subject, volumesOf } from './lib/pod.js'

/** Secrets named by a `secret` volume or a projected volume's `secret` sources. */
function secretsOfVolume(volume: Record<string, unknown>): string[] {
  const out: string[] = []
  const direct = volume['secret']
  if (isObj(direct)) out.push(str(direct['secretName']) ?? '(unnamed)')
  for (const s of list(at(volume, 'projected.sources'))) {
    if (isObj(s) && isObj(s['secret'])) out.push(str(s['secret']['name']) ?? '(unnamed)')
  }
  return out
}

/** Pods mount the Secrets they declare, and declare only the Secrets they mount. */
export default defineCheck({
  id: 'k8s/unused-secret-volume',
  title: 'Secret volumes declared by a pod are mounted by a container',
  severity: 'medium',
  resourceKinds: WORKLOAD_KINDS,
  rationale:
    "A secret volume that no container mounts is still set up by the kubelet: the Secret is fetched to the node, written to a tmpfs under /var/lib/kubelet/pods and kept in sync, and the pod's access to it shows up in node authorization. The credential reaches every node that runs the pod without any container needing it, widening who can read it (node compromise, hostPath readers) for nothing; it is usually a leftover of a removed feature that should have been revoked too.",
  remediation: {
    text: 'Remove the secret volume (and, if nothing else uses it, the Secret and its credential) from the pod spec, or mount it read-only in the one container that needs it.',
    kubernetes: 'containers:\n  - name: exporter\n    volumeMounts:\n      - name: sftp-key\n        mountPath: /var/run/secrets/sftp\n        readOnly: true\nvolumes:\n  - name: sftp-key\n    secret:\n      secretName: claims-sftp-key\n      defaultMode: 0400',
  },
  controls: { csf: ['PR.AC-4', 'PR.DS-5'], hipaa: ['164.312(a)(1)', '164.308(a)(4)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  evaluate(r) {
    const results: CheckResult[] = []
    let declared = 0
    for (const v of volumesOf(r)) {
      const secrets = secretsOfVolume(v.volume)
      if (!secrets.length) continue
      declared++
      if (mountsOf(r, v.name).length) continue
      const isProjected = v.volume['secret'] === undefined
      results.push(
        fail(
          `${subject(r)} declares ${isProjected ? 'projected volume' : 'secret volume'} ${v.name} (Secret${secrets.length > 1 ? 's' : ''} ${secrets.join(', ')}) that no container mounts; the kubelet still fetches ${secrets.length > 1 ? 'them' : 'the Secret'} to every node that runs the pod.`,
          { path: isProjected ? `${v.path}.projected` : `${v.path}.secret`, evidence: { volume: v.name, secrets } },
        ),
      )
    }
    if (results.length) return results
    return pass(declared ? `${subject(r)} mounts ${declared > 1 ? `all ${declared} secret volumes` : 'the secret volume'} it declares.` : `${subject(r)} declares no secret volumes.`, { secretVolumes: declared })
  },
})
