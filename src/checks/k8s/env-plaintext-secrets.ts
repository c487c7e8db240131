import { maskValue } from '../../model/index.js'
import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { at, containersOf, containerWho, isObj, list, str, WORKLOAD_KINDS } from './lib/pod.js'
import { plaintextSecret } from './lib/secrets.js'

/** Secrets reach containers from Kubernetes Secrets (or an external secret store), never as literal values in the manifest. */
export default defineCheck({
  id: 'k8s/env-plaintext-secrets',
  title: 'Container environment holds no plaintext secrets',
  severity: 'high',
  resourceKinds: WORKLOAD_KINDS,
  rationale:
    'A password or token written as an env value lives in the Git history of the manifests, in every rendered Helm release, in kubectl get -o yaml output and in the API server for anyone who can read the workload (a much wider group than those who can read Secrets). A leaked database password for the patient store is a reportable breach, and a literal value cannot be rotated without a redeploy.',
  remediation: {
    text: 'Move the value into a Secret (created by External Secrets, Sealed Secrets or the CSI Secrets Store driver, not committed in plain text) and reference it with valueFrom.secretKeyRef; CIS 5.4.1 prefers mounting it as a file that the application reads. Rotate any secret that was committed.',
    kubernetes: 'env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef: { name: intake-db, key: password }\n# or, preferred: a secret volume\nvolumeMounts:\n  - { name: db-credentials, mountPath: /var/run/secrets/intake-db, readOnly: true }',
  },
  controls: { csf: ['PR.AC-1', 'PR.DS-1', 'PR.DS-5'], hipaa: ['164.312(a)(1)', '164.312(a)(2)(iv)', '164.308(a)(5)(ii)(D)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS', 'FERPA-AUTHENTICATION'] },
  references: { cis: ['CIS Kubernetes 5.4.1'] },
  evaluate(r) {
    const results: CheckResult[] = []
    for (const c of containersOf(r)) {
      const who = containerWho(r, c)
      const env = list(c.container['env'])
      const fromSecretKeyRef: string[] = []
      let leaks = 0
      env.forEach((e, i) => {
        if (!isObj(e)) return
        const name = str(e['name']) ?? `#${i + 1}`
        const value = e['value']
        if (at(e, 'valueFrom.secretKeyRef') !== undefined) fromSecretKeyRef.push(name)
        if (typeof value !== 'string') return
        const hit = plaintextSecret(name, value)
        if (!hit) return
        leaks++
        results.push(
          fail(`${who} sets environment variable ${name} to a plaintext ${hit.kind}${hit.by === 'value' ? ' (recognised by its format)' : ''}.`, {
            path: `${c.path}.env.${i}.value`,
            evidence: { container: c.name, variable: name, kind: hit.kind, recognisedBy: hit.by, masked: maskValue(value) },
          }),
        )
      })
      if (leaks) continue
      const envFromSecrets = list(c.container['envFrom'])
        .map((x) => (isObj(x) ? str(at(x, 'secretRef.name')) : undefined))
        .filter((x): x is string => x !== undefined)
      const viaEnv = fromSecretKeyRef.length + envFromSecrets.length
      const evidence: Record<string, unknown> = { container: c.name, variables: env.length }
      if (fromSecretKeyRef.length) evidence['fromSecretKeyRef'] = fromSecretKeyRef
      if (envFromSecrets.length) evidence['envFromSecrets'] = envFromSecrets
      if (viaEnv) evidence['note'] = 'CIS 5.4.1 prefers Secrets mounted as files over environment variables, which leak into crash dumps, child processes and debug endpoints.'
      const detail = viaEnv
        ? ` (it takes ${[fromSecretKeyRef.length ? `${fromSecretKeyRef.length} from secretKeyRef` : '', envFromSecrets.length ? `all keys of Secret ${envFromSecrets.join(', ')}` : ''].filter(Boolean).join(' and ')}; mounting Secrets as files is preferred)`
        : ''
      results.push(pass(env.length ? `${who} keeps no plaintext secrets in its ${env.length} environment variable${env.length > 1 ? 's' : ''}${detail}.` : `${who} sets no environment variables${detail}.`, evidence))
    }
    return results
  },
})
