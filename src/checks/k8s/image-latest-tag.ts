import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { containersOf, containerWho, isImageTemplate, parseImage, WORKLOAD_KINDS } from './lib/pod.js'

/** Containers name an explicit image version, never the moving `latest` tag. */
export default defineCheck({
  id: 'k8s/image-latest-tag',
  title: 'Container images name a version, not latest',
  severity: 'medium',
  resourceKinds: WORKLOAD_KINDS,
  rationale:
    'An image without a tag, or tagged latest, is whatever was pushed last: pods of one Deployment can run different code after a node replacement, a rollback cannot return to a known version, and nobody can say which build handled a patient record at a given time, which change control and incident investigation both need.',
  remediation: {
    text: 'Reference an immutable version tag, ideally with its digest (repository:2.4.1@sha256:<digest>), and publish a new tag for every build.',
    kubernetes: 'containers:\n  - name: api\n    image: ghcr.io/clinic/intake-api:2.4.1@sha256:<digest>',
  },
  controls: { csf: ['PR.IP-3', 'PR.DS-6'], hipaa: ['164.308(a)(8)', '164.312(c)(1)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS', 'FERPA-PATCH-MANAGEMENT'] },
  evaluate(r) {
    const results: CheckResult[] = []
    for (const c of containersOf(r)) {
      const who = containerWho(r, c)
      const image = c.container['image']
      const path = `${c.path}.image`
      if (typeof image !== 'string' || image.trim() === '') {
        results.push(manual(`${who} names no image in the manifest; check the image a controller or deployment tool sets.`, { path: c.path }))
        continue
      }
      if (isImageTemplate(image)) {
        results.push(manual(`${who} takes its image from a template variable, unknown at scan time.`, { path }))
        continue
      }
      const ref = parseImage(image)
      const evidence = { container: c.name, repository: ref.repository, tag: ref.tag ?? 'none', digest: ref.digest !== undefined }
      if (ref.digest !== undefined) results.push(pass(`${who} pins image ${ref.repository} by digest${ref.tag === 'latest' ? ' (the latest tag beside it is ignored)' : ''}.`, evidence))
      else if (ref.tag === undefined || ref.tag === '') results.push(fail(`${who} runs image ${ref.repository} without a tag, so it pulls latest.`, { path, evidence }))
      else if (ref.tag === 'latest') results.push(fail(`${who} runs image ${ref.repository}:latest, a moving tag.`, { path, evidence }))
      else results.push(pass(`${who} runs image ${ref.repository} at version ${ref.tag}.`, evidence))
    }
    return results
  },
})
