import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { dockerfile, instructions, stageLabel } from './lib/dockerfile.js'
import { literalSecret, secretEvidence, SECRET_NAME } from './lib/secrets.js'

/** No secret is written into the image through ENV or ARG (CIS Docker 4.10). */
export default defineCheck({
  id: 'container/dockerfile-secrets-in-env-arg',
  title: 'Dockerfile keeps secrets out of ENV and ARG',
  severity: 'high',
  resourceKinds: ['docker:image:dockerfile'],
  rationale:
    'ENV values are stored in the image configuration and ARG values in its build history: anyone who can pull the image (a registry mirror, a CI cache, a vendor given the image) reads them with `docker inspect` or `docker history`. A database password or FHIR client secret there opens the PHI store it protects, and cannot be rotated without rebuilding every image.',
  remediation: {
    text: 'Pass build-time secrets with BuildKit secret mounts (`RUN --mount=type=secret`) so they never enter a layer, and give run-time secrets to the container from a secret store (Docker / Compose secrets, Kubernetes Secrets, AWS Secrets Manager) instead of baking them in; rotate any secret that was in an image.',
    dockerfile: 'RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n# docker build --secret id=npmrc,src=$HOME/.npmrc .',
  },
  controls: { csf: ['PR.AC-1', 'PR.DS-5'], hipaa: ['164.312(a)(1)', '164.312(a)(2)(iv)', '164.308(a)(5)(ii)(D)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS', 'FERPA-AUTHENTICATION'] },
  references: { cis: ['CIS Docker 4.10'] },
  evaluate(r) {
    const p = dockerfile(r)
    const results: CheckResult[] = []
    const declaredArgs = new Set((p.Args ?? []).map((a) => a.Name))
    let count = 0
    for (const { ins, stage, stageIndex, path } of instructions(p, ['ENV', 'ARG'])) {
      const where = `in ${stageLabel(stage, stageIndex)} at line`
      ;(ins.Variables ?? []).forEach((v, k) => {
        count++
        const at = `${path}.Variables.${k}`
        const secretName = SECRET_NAME.test(v.Name)
        if (v.Value === undefined) {
          if (ins.Keyword === 'ARG' && secretName)
            results.push(fail(`Dockerfile ${r.name} declares build argument ${v.Name} for a secret ${where} ${v.Line}; values passed with --build-arg stay in the image history, use RUN --mount=type=secret instead.`, { path: at, evidence: { variable: v.Name, instruction: 'ARG', kind: 'secret build argument' } }))
          return
        }
        if (v.Unresolved?.length) {
          const fromArg = v.Unresolved.filter((u) => declaredArgs.has(u))
          if (ins.Keyword === 'ENV' && secretName && fromArg.length)
            results.push(fail(`Dockerfile ${r.name} copies build argument ${fromArg[0]} into ENV ${v.Name} ${where} ${v.Line}; the value is stored in the image configuration.`, { path: at, evidence: { variable: v.Name, instruction: 'ENV', kind: 'build argument baked into the environment' } }))
          else if (ins.Keyword === 'ENV' && secretName && !fromArg.length && !/^\$\{?\w+\}?$/.test(v.Value))
            results.push(manual(`Dockerfile ${r.name} sets ENV ${v.Name} from variables the scan cannot resolve ${where} ${v.Line}.`, { path: at }))
          return
        }
        const kind = literalSecret(v.Name, v.Value)
        if (kind) results.push(fail(`Dockerfile ${r.name} sets ${ins.Keyword} ${v.Name} to a plaintext ${kind} ${where} ${v.Line}.`, { path: at, evidence: { ...secretEvidence(v.Name, v.Value, kind), instruction: ins.Keyword } }))
      })
    }
    return results.length ? results : pass(`Dockerfile ${r.name} keeps no secrets in its ${count} ENV and ARG value${count === 1 ? '' : 's'}.`)
  },
})
