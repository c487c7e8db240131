import { composeBoolean } from '../../sources/compose/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import { isInterpolated, service } from './lib/compose.js'

/** No service runs privileged (CIS Docker 5.4). */
export default defineCheck({
  id: 'container/compose-privileged',
  title: 'Compose service does not run privileged',
  severity: 'critical',
  resourceKinds: ['docker:compose:service'],
  rationale:
    'privileged: true gives the container every capability, every host device and no seccomp or AppArmor confinement: whoever gets code execution in it mounts the host disk and owns the host, with every other container\'s PHI volumes, secrets and the Docker daemon.',
  remediation: {
    text: 'Remove privileged and grant only the specific capability or device the service needs (cap_add, devices); most services need none.',
    compose: 'services:\n  api:\n    privileged: false\n    cap_drop: [ALL]',
  },
  controls: { csf: ['PR.AC-4', 'PR.PT-3'], hipaa: ['164.312(a)(1)', '164.308(a)(4)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-SECURE-CONFIGURATIONS'] },
  references: { cis: ['CIS Docker 5.4'] },
  evaluate(r) {
    const v = service(r)['privileged']
    if (v === undefined || v === null) return pass(`Compose service ${r.name} does not run privileged.`)
    const b = composeBoolean(v)
    if (b === true) return fail(`Compose service ${r.name} runs privileged.`, { path: 'privileged' })
    if (b === false) return pass(`Compose service ${r.name} sets privileged: false.`)
    if (isInterpolated(v)) return manual(`Compose service ${r.name} takes privileged from a variable set when Compose runs.`, { path: 'privileged' })
    return manual(`Compose service ${r.name} has a privileged value Compose cannot read as a boolean.`, { path: 'privileged' })
  },
})
