import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { dockerfile, stageLabel } from './lib/dockerfile.js'

/** Every external base image is pinned by content digest. */
export default defineCheck({
  id: 'container/dockerfile-base-image-digest',
  title: 'Dockerfile base images are pinned by digest',
  severity: 'low',
  resourceKinds: ['docker:image:dockerfile'],
  rationale:
    'A tag is a mutable pointer: the publisher (or anyone who takes over the account or the registry path) can move python:3.12-slim to different content, and the next build of the service ships it. A sha256 digest names exactly the bytes that were reviewed, so builds are reproducible and a swapped base image fails the pull instead of reaching patients\' data.',
  remediation: {
    text: 'Append the digest of the reviewed image to the FROM reference (`docker buildx imagetools inspect IMAGE:TAG` prints it) and let a dependency bot update tag and digest together.',
    dockerfile: 'FROM node:20.11.1-bookworm-slim@sha256:<digest from docker buildx imagetools inspect node:20.11.1-bookworm-slim>',
  },
  controls: { csf: ['PR.DS-6', 'PR.IP-1'], hipaa: ['164.312(c)(1)', '164.308(a)(1)(ii)(B)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
  evaluate(r) {
    const p = dockerfile(r)
    const results: CheckResult[] = []
    let external = 0
    p.Stages.forEach((s, i) => {
      if (s.FromStage !== undefined || s.BaseImage === 'scratch') return
      external++
      const path = `Stages.${i}`
      if (s.BaseDigest && /^sha256:[0-9a-f]{64}$/i.test(s.BaseDigest)) return
      if (s.Unresolved?.length) {
        results.push(manual(`Dockerfile ${r.name} takes the base image of ${stageLabel(s, i)} from build argument ${s.Unresolved[0]}; whether it is pinned is decided at build time.`, { path }))
        return
      }
      results.push(fail(`Dockerfile ${r.name} builds ${stageLabel(s, i)} FROM ${s.Image} without a sha256 digest.`, { path, evidence: { image: s.Image } }))
    })
    if (results.length) return results
    return pass(external ? `Dockerfile ${r.name} pins each of its ${external} base image${external === 1 ? '' : 's'} by digest.` : `Dockerfile ${r.name} builds from scratch and its own stages only.`)
  },
})
