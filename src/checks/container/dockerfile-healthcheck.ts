import { defineCheck, fail, pass } from '../define-check.js'
import { dockerfile, stageLabel } from './lib/dockerfile.js'

/** The image tells Docker how to know it works (CIS Docker 4.6). */
export default defineCheck({
  id: 'container/dockerfile-healthcheck',
  title: 'Dockerfile declares a HEALTHCHECK for its final image',
  severity: 'low',
  resourceKinds: ['docker:image:dockerfile'],
  rationale:
    'Without a HEALTHCHECK, Docker and Compose consider a container healthy as long as its process runs: a hung HL7 listener or an API that lost its database keeps receiving traffic while admissions, results and orders silently stop flowing, and `depends_on: condition: service_healthy` cannot wait for it. Docker-only: Kubernetes ignores HEALTHCHECK and uses the liveness and readiness probes of the pod spec instead, so an image deployed only to Kubernetes needs probes there.',
  remediation: {
    text: 'Add a HEALTHCHECK to the final stage that exercises the service (an HTTP health endpoint, a TCP connect) with an interval and timeout; for Kubernetes deployments define liveness and readiness probes as well.',
    dockerfile: 'HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \\\n  CMD ["node", "dist/healthcheck.js"]',
  },
  controls: { csf: ['PR.PT-5', 'ID.BE-5'], hipaa: ['164.308(a)(7)', '164.308(a)(7)(ii)(C)'], ferpa: ['FERPA-AUDIT-MONITORING'] },
  references: { cis: ['CIS Docker 4.6'] },
  evaluate(r) {
    const p = dockerfile(r)
    const final = p.Stages[p.FinalStage]
    if (!final) return []
    const h = p.Healthcheck
    if (!h) return fail(`Dockerfile ${r.name} declares no HEALTHCHECK for its final ${stageLabel(final, p.FinalStage)}.`, { path: `Stages.${p.FinalStage}` })
    if (h.Disabled) return fail(`Dockerfile ${r.name} switches the health check off with HEALTHCHECK NONE (line ${h.Line}).`, { path: 'Healthcheck' })
    return pass(`Dockerfile ${r.name} declares a HEALTHCHECK (line ${h.Line}).`)
  },
})
