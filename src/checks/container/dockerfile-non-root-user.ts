import { defineCheck, fail, manual, pass } from '../define-check.js'
import { dockerfile, stageLabel, unresolved } from './lib/dockerfile.js'

/** Distroless tags whose default user is `nonroot` (65532), as documented by the distroless project. */
const NONROOT_BASE = /^(gcr\.io\/distroless\/.+):(.+-)?nonroot(-[\w.]+)?$/

/** The image runs as a dedicated user, not root (CIS Docker 4.1). */
export default defineCheck({
  id: 'container/dockerfile-non-root-user',
  title: 'Dockerfile runs its final image as a non-root user',
  severity: 'high',
  resourceKinds: ['docker:image:dockerfile'],
  rationale:
    'A process that runs as root inside the container is root on the files and devices mounted into it and one kernel or runtime bug away from root on the host; an attacker who exploits the patient-intake API then reads every mounted volume, secret and the PHI of other tenants. Without a USER the image runs as its base image\'s user, which is root for the official node, python, nginx and eclipse-temurin images.',
  remediation: {
    text: 'Create an unprivileged user in the final stage and switch to it with USER (a numeric UID, so Kubernetes runAsNonRoot can verify it); give it ownership of only what it writes.',
    dockerfile: 'RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app app\nCOPY --chown=app:app dist/ /srv/app/\nUSER 10001:10001',
  },
  controls: { csf: ['PR.AC-4', 'PR.PT-3'], hipaa: ['164.312(a)(1)', '164.308(a)(4)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-SECURE-CONFIGURATIONS'] },
  references: { cis: ['CIS Docker 4.1'] },
  evaluate(r) {
    const p = dockerfile(r)
    const final = p.Stages[p.FinalStage]
    if (!final) return []
    const user = p.User
    if (user === undefined) {
      // the external image at the bottom of the final stage's chain
      let base = final
      for (let i = 0; base.FromStage !== undefined && i < p.Stages.length; i++) base = p.Stages[base.FromStage] ?? base
      if (NONROOT_BASE.test(base.Image)) return pass(`Dockerfile ${r.name} sets no USER but builds on ${base.Image}, whose default user is nonroot.`)
      if (unresolved(base.Image)) return manual(`Dockerfile ${r.name} sets no USER and its base image depends on a build argument; whether it runs as root depends on that image.`, { path: `Stages.${p.FinalStage}` })
      return fail(`Dockerfile ${r.name} sets no USER in its final ${stageLabel(final, p.FinalStage)}; it runs as the user of base image ${base.Image}, which the scan cannot see and which is root for most official images.`, {
        path: `Stages.${p.FinalStage}`,
        evidence: { baseImage: base.Image },
      })
    }
    if (unresolved(user)) return manual(`Dockerfile ${r.name} sets USER from a build argument without default; whether the image runs as root depends on the build.`, { path: 'User' })
    const name = user.split(':')[0]!.trim()
    if (name === 'root' || /^0+$/.test(name)) return fail(`Dockerfile ${r.name} runs its final image as root (USER ${name}).`, { path: 'User', evidence: { user: name } })
    return pass(`Dockerfile ${r.name} runs its final image as user ${name}.`)
  },
})
