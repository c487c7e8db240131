import { composeBuild, composeEnvironment } from '../../sources/compose/index.js'
import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { literalSecret, secretEvidence } from './lib/secrets.js'
import { service } from './lib/compose.js'

/** No plaintext secret is written into a Compose file's environment or build args. */
export default defineCheck({
  id: 'container/compose-secrets-in-env',
  title: 'Compose service environment holds no plaintext secrets',
  severity: 'high',
  resourceKinds: ['docker:compose:service'],
  rationale:
    'A password written into docker-compose.yml is in the repository, every clone and fork, CI logs and `docker inspect` output; it is rarely rotated because changing it means a commit. For a clinic stack that is the password of the database holding patient records. Values interpolated from the shell (`${DB_PASSWORD}`) keep the secret out of the file.',
  remediation: {
    text: 'Use Compose secrets (mounted at /run/secrets/<name>, with the service reading `*_FILE` variables), or interpolate from the environment of the deploy (`${DB_PASSWORD:?}`) fed from a secret store; never commit the value, and rotate any that was.',
    compose: 'services:\n  postgres:\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n    secrets: [db_password]\nsecrets:\n  db_password:\n    environment: DB_PASSWORD',
  },
  controls: { csf: ['PR.AC-1', 'PR.DS-5'], hipaa: ['164.312(a)(1)', '164.312(a)(2)(iv)', '164.308(a)(5)(ii)(D)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS', 'FERPA-AUTHENTICATION'] },
  evaluate(r) {
    const s = service(r)
    const env = composeEnvironment(s)
    const args = composeBuild(s, r.location.file)?.args ?? []
    const results: CheckResult[] = []
    for (const [list, what] of [
      [env, 'environment variable'],
      [args, 'build argument'],
    ] as const) {
      for (const e of list) {
        if (e.value === undefined || e.value === '') continue
        const kind = literalSecret(e.name, e.value)
        if (!kind) continue
        // a secret-looking name whose value comes from the shell is what we want
        if (kind === 'secret' && e.interpolated) continue
        results.push(fail(`Compose service ${r.name} sets ${what} ${e.name} to a plaintext ${kind}.`, { path: e.path, evidence: secretEvidence(e.name, e.value, kind) }))
      }
    }
    return results.length ? results : pass(`Compose service ${r.name} keeps no plaintext secrets in its ${env.length} environment variable${env.length === 1 ? '' : 's'}${args.length ? ` and ${args.length} build argument${args.length === 1 ? '' : 's'}` : ''}.`)
  },
})
