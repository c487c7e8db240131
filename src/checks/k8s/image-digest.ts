import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { containersOf, containerWho, isImageTemplate, parseImage, WORKLOAD_KINDS } from './lib/pod.js'

/** Every container image is pinned by content digest, so what runs is exactly what was reviewed and scanned. */
export default defineCheck({
  id: 'k8s/image-digest',
  title: 'Container images are pinned by sha256 digest',
  severity: 'medium',
  resourceKinds: WORKLOAD_KINDS,
  rationale:
    'A tag is a mutable pointer: whoever can push to the repository (or a compromised registry account) can repoint intake-api:2.4.1 at different code, and the next pod restart or node scale-out runs it without any change to the manifest. Only a digest ties the pod to the image that was built, signed and vulnerability-scanned, which is what integrity of the software handling PHI requires.',
  remediation: {
    text: 'Reference images as repository@sha256:<digest> (keeping the tag for readability: repository:tag@sha256:<digest>); let CI resolve the digest at build time (kustomize edit set image, helm values, Renovate pinning) and verify signatures at admission.',
    kubernetes: 'containers:\n  - name: api\n    image: ghcr.io/clinic/intake-api:2.4.1@sha256:<64 hex digits from the build>',
  },
  controls: { csf: ['PR.DS-6', 'PR.IP-3'], hipaa: ['164.312(c)(1)', '164.308(a)(5)(ii)(B)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
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
      const shown = image.length > 120 ? `${image.slice(0, 120)}…` : image.trim()
      if (ref.digest === undefined) {
        results.push(fail(`${who} runs image ${shown} by ${ref.tag !== undefined ? `tag ${ref.tag}` : 'its default tag latest'}, which the registry can repoint at different code.`, { path, evidence: { container: c.name, image: shown } }))
      } else if (!/^sha(256:[a-f0-9]{64}|384:[a-f0-9]{96}|512:[a-f0-9]{128})$/.test(ref.digest)) {
        results.push(fail(`${who} pins image ${ref.repository} to a malformed digest (${ref.digest.length > 80 ? `${ref.digest.slice(0, 80)}…` : ref.digest}); the runtime cannot pull it.`, { path, evidence: { container: c.name, image: shown } }))
      } else {
        results.push(pass(`${who} pins image ${ref.repository} by digest.`, { container: c.name, image: shown }))
      }
    }
    return results
  },
})
