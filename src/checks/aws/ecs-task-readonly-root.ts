import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { subject } from './lib/judge.js'
import { bool, describe, isObj, list, str } from './lib/values.js'

/** Containers cannot modify their own file system, which blocks persistence and tampering after a compromise. */
export default defineCheck({
  id: 'aws/ecs-task-readonly-root',
  title: 'ECS containers have read-only root file systems',
  severity: 'medium',
  resourceKinds: ['aws:ecs:task-definition'],
  rationale:
    'ReadonlyRootFilesystem defaults to false. A writable root lets an attacker who gains code execution in a container drop tools, alter application code or configuration and persist until the task is replaced, and lets the application write PHI to unencrypted, unmanaged container storage. Writable paths should be explicit volumes.',
  remediation: {
    text: 'Set ReadonlyRootFilesystem: true on every container and mount tmpfs or volumes for paths the application must write.',
    cloudformation: 'ContainerDefinitions: [ { Name: api, ReadonlyRootFilesystem: true, MountPoints: [ { SourceVolume: tmp, ContainerPath: /tmp } ] } ]',
    terraform: 'readonlyRootFilesystem = true   # in container_definitions JSON',
  },
  controls: { csf: ['PR.IP-1', 'PR.DS-6', 'PR.PT-3'], hipaa: ['164.312(c)(1)', '164.308(a)(1)(ii)(B)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
  references: { awsConfig: ['ECS_CONTAINERS_READONLY_ACCESS'], prowler: ['ecs_task_definitions_containers_readonly_access'] },
  evaluate(td) {
    const results: CheckResult[] = []
    const containers = list(td.props['ContainerDefinitions'])
    containers.forEach((c, i) => {
      if (!isObj(c)) return
      const name = str(c['Name']) ?? `#${i}`
      const raw = c['ReadonlyRootFilesystem']
      const v = bool(raw, false)
      if (v === undefined) results.push(manual(`Container ${name} of ${subject(td)} takes ReadonlyRootFilesystem from ${describe(raw)}, unknown at scan time.`, { path: `ContainerDefinitions.${i}.ReadonlyRootFilesystem` }))
      else if (!v) results.push(fail(`Container ${name} of ${subject(td)} has a writable root file system.`, { path: raw === undefined ? `ContainerDefinitions.${i}` : `ContainerDefinitions.${i}.ReadonlyRootFilesystem` }))
    })
    return results.length ? results : pass(`Every container of ${subject(td)} has a read-only root file system.`)
  },
})
