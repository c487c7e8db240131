import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { subject } from './lib/judge.js'
import { bool, describe, isObj, isUnknown, list, str } from './lib/values.js'

/** Is a container user root (absent, "root", UID 0, optionally with a group)? */
function isRoot(user: string | undefined): boolean {
  if (user === undefined || user.trim() === '') return true
  const u = user.split(':')[0]!.trim()
  return u === 'root' || u === '0'
}

/** Containers that share the host's network stack do not run as root. */
export default defineCheck({
  id: 'aws/ecs-task-host-mode-user',
  title: 'ECS containers in host network mode run as a non-root user',
  severity: 'high',
  resourceKinds: ['aws:ecs:task-definition'],
  rationale:
    'In host network mode a container shares the instance\'s network namespace: it can bind any port, sniff traffic of other tasks and reach the instance metadata service directly. Running such a container as root (the default when User is not set) turns an application compromise into control of the host network and the PHI flowing through it. (AWS Config also accepts privileged containers here; PhiWall does not, since privilege makes host access worse.)',
  remediation: {
    text: 'Set User to a non-root UID (and Privileged: false) for every container, or use awsvpc network mode.',
    cloudformation: 'NetworkMode: awsvpc   # or, in host mode: ContainerDefinitions: [ { Name: agent, User: "10001", Privileged: false } ]',
  },
  controls: { csf: ['PR.AC-4', 'PR.IP-1'], hipaa: ['164.312(a)(1)', '164.308(a)(4)(ii)(B)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-SECURE-CONFIGURATIONS'] },
  references: { awsConfig: ['ECS_TASK_DEFINITION_USER_FOR_HOST_MODE_CHECK'], cdkNag: ['HIPAA.Security-ECSTaskDefinitionUserForHostMode'], prowler: ['ecs_task_definitions_host_networking_mode_users'] },
  // bridge is the default network mode on EC2; only host mode shares the host network
  appliesTo: (td) => isUnknown(td.props['NetworkMode']) || str(td.props['NetworkMode'])?.toLowerCase() === 'host',
  evaluate(td) {
    if (isUnknown(td.props['NetworkMode'])) return manual(`${subject(td)} takes NetworkMode from ${describe(td.props['NetworkMode'])}, unknown at scan time.`, { path: 'NetworkMode' })
    const results: CheckResult[] = []
    list(td.props['ContainerDefinitions']).forEach((c, i) => {
      if (!isObj(c)) return
      const name = str(c['Name']) ?? `#${i}`
      const user = c['User']
      if (isUnknown(user)) {
        results.push(manual(`Container ${name} of ${subject(td)} takes its user from ${describe(user)}, unknown at scan time.`, { path: `ContainerDefinitions.${i}.User` }))
        return
      }
      const privileged = bool(c['Privileged'], false) === true
      if (isRoot(str(user)) || privileged) {
        results.push(fail(`Container ${name} of ${subject(td)} shares the host network and runs ${privileged ? 'privileged' : `as root${user === undefined ? ' (no User set)' : ''}`}.`, { path: user === undefined ? `ContainerDefinitions.${i}` : `ContainerDefinitions.${i}.User` }))
      }
    })
    return results.length ? results : pass(`Every container of ${subject(td)} runs as a non-root user in host network mode.`)
  },
})
