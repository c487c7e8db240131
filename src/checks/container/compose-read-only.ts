import { composeBoolean } from '../../sources/compose/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import { isInterpolated, service } from './lib/compose.js'

/** Containers run with a read-only root filesystem (CIS Docker 5.12). */
export default defineCheck({
  id: 'container/compose-read-only',
  title: 'Compose service mounts its root filesystem read-only',
  severity: 'medium',
  resourceKinds: ['docker:compose:service'],
  rationale:
    'A writable root filesystem lets an attacker who gets code execution drop tools, web shells or a modified binary that persists for the life of the container, and lets a bug write PHI into an unmanaged layer that is never encrypted, backed up or purged. read_only: true confines writes to declared volumes and tmpfs mounts.',
  remediation: {
    text: 'Set read_only: true and give the service tmpfs mounts (or volumes) for the paths it writes: /tmp, caches, PID files.',
    compose: 'services:\n  api:\n    read_only: true\n    tmpfs:\n      - /tmp\n      - /var/cache/nginx',
  },
  controls: { csf: ['PR.PT-3', 'PR.DS-6'], hipaa: ['164.312(c)(1)', '164.312(a)(1)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
  references: { cis: ['CIS Docker 5.12'] },
  evaluate(r) {
    const v = service(r)['read_only']
    const b = composeBoolean(v)
    if (b === true) return pass(`Compose service ${r.name} mounts its root filesystem read-only.`)
    if (b === false) return fail(`Compose service ${r.name} sets read_only: false, so its root filesystem is writable.`, { path: 'read_only' })
    if (v === undefined || v === null) return fail(`Compose service ${r.name} does not set read_only: true, so its root filesystem is writable.`)
    if (isInterpolated(v)) return manual(`Compose service ${r.name} takes read_only from a variable set when Compose runs.`, { path: 'read_only' })
    return manual(`Compose service ${r.name} has a read_only value Compose cannot read as a boolean.`, { path: 'read_only' })
  },
})
