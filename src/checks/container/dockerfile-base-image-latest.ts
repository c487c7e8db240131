import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { dockerfile, stageLabel } from './lib/dockerfile.js'

/** Every external base image names a version. */
export default defineCheck({
  id: 'container/dockerfile-base-image-latest',
  title: 'Dockerfile base images name a version tag, not latest',
  severity: 'medium',
  resourceKinds: ['docker:image:dockerfile'],
  rationale:
    'FROM without a tag, or with :latest, builds on whatever the registry serves that day: a new major version, a changed default user or a compromised push lands in the next build of the clinical service unnoticed, and the image in production cannot be rebuilt or audited from its Dockerfile.',
  remediation: {
    text: 'Name an explicit version tag (and pin its digest, see container/dockerfile-base-image-digest); let a dependency bot (Renovate, Dependabot) propose updates so each change is reviewed.',
    dockerfile: 'FROM python:3.12.3-slim-bookworm',
  },
  controls: { csf: ['PR.IP-1', 'ID.AM-2'], hipaa: ['164.308(a)(1)(ii)(B)', '164.308(a)(8)'], ferpa: ['FERPA-PATCH-MANAGEMENT', 'FERPA-SECURE-CONFIGURATIONS'] },
  evaluate(r) {
    const p = dockerfile(r)
    const results: CheckResult[] = []
    let external = 0
    p.Stages.forEach((s, i) => {
      if (s.FromStage !== undefined || s.BaseImage === 'scratch') return
      external++
      const path = `Stages.${i}`
      const label = stageLabel(s, i)
      if (s.Unresolved?.length) {
        results.push(manual(`Dockerfile ${r.name} takes the base image of ${label} from build argument ${s.Unresolved[0]}, which has no default; its tag is decided at build time.`, { path }))
        return
      }
      if (s.BaseDigest) return
      if (s.BaseTag === undefined) results.push(fail(`Dockerfile ${r.name} builds ${label} FROM ${s.BaseImage} without a tag, which pulls latest.`, { path, evidence: { image: s.BaseImage } }))
      else if (s.BaseTag === 'latest') results.push(fail(`Dockerfile ${r.name} builds ${label} FROM ${s.BaseImage}:latest.`, { path, evidence: { image: s.Image } }))
    })
    if (results.length) return results
    return pass(external ? `Dockerfile ${r.name} names a version for each of its ${external} base image${external === 1 ? '' : 's'}.` : `Dockerfile ${r.name} builds from scratch and its own stages only.`)
  },
})
