import { splitImageReference } from '../../sources/dockerfile/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import { isInterpolated, service } from './lib/compose.js'

/** Pulled images name a version. */
export default defineCheck({
  id: 'container/compose-image-latest',
  title: 'Compose service image names a version tag, not latest',
  severity: 'medium',
  resourceKinds: ['docker:compose:service'],
  rationale:
    'An image without a tag, or with :latest, is whatever the registry serves when `docker compose pull` runs: a new major version of the database or proxy (with changed defaults or a migration) or a compromised push reaches the clinic\'s stack without review, and two hosts can run different code under one Compose file.',
  remediation: {
    text: 'Name an explicit version tag, ideally with its digest, for every pulled image, and let a dependency bot propose updates.',
    compose: 'services:\n  postgres:\n    image: postgres:16.2-alpine',
  },
  controls: { csf: ['PR.IP-1', 'ID.AM-2'], hipaa: ['164.308(a)(1)(ii)(B)', '164.308(a)(8)'], ferpa: ['FERPA-PATCH-MANAGEMENT', 'FERPA-SECURE-CONFIGURATIONS'] },
  evaluate(r) {
    const s = service(r)
    const image = s['image']
    const built = s['build'] !== undefined && s['build'] !== null
    if (typeof image !== 'string') return built ? pass(`Compose service ${r.name} builds its image from its build context.`) : []
    if (built) return pass(`Compose service ${r.name} builds its image locally; image ${image} names the result.`)
    if (isInterpolated(image)) return manual(`Compose service ${r.name} takes its image reference from a variable set when Compose runs.`, { path: 'image' })
    const ref = splitImageReference(image.trim())
    if (ref.digest) return pass(`Compose service ${r.name} pins image ${ref.name} by digest.`)
    if (ref.tag === undefined) return fail(`Compose service ${r.name} uses image ${ref.name} without a tag, which pulls latest.`, { path: 'image', evidence: { image: ref.name } })
    if (ref.tag === 'latest') return fail(`Compose service ${r.name} uses image ${ref.name}:latest.`, { path: 'image', evidence: { image: image } })
    return pass(`Compose service ${r.name} uses image ${ref.name}:${ref.tag}.`)
  },
})
