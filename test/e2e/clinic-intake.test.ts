import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { scan } from '../../src/scan/index.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const example = path.join(root, 'examples/clinic-intake')
const expectedFile = path.join(example, 'expected-findings.json')

/** The violations marked `# VIOLATION:` in the example, and the check that must catch each. */
const MARKED = [
  { check: 'aws/s3-bucket-object-lock', resource: 'AuditLogsBucket' },
  { check: 'aws/logs-group-retention-6y', resource: 'AuditTrailLogGroup' },
  { check: 'aws/s3-bucket-default-encryption-kms', resource: 'PartnerExportBucket' },
  { check: 'aws/s3-bucket-ssl-requests-only', resource: 'PartnerExportBucket' },
  { check: 'aws/cognito-user-pool-mfa', resource: 'PatientUserPool' },
  { check: 'aws/apigw-route-authorization', resource: 'IntakeApi' },
  { check: 'aws/lambda-env-plaintext-secrets', resource: 'ProcessIntake' },
  { check: 'aws/lambda-function-url-auth', resource: 'ExportForPartnersUrl' },
  { check: 'aws/lambda-function-public-access', resource: 'ExportForPartners' },
  { check: 'aws/iam-policy-no-wildcard-write-on-all-resources', resource: 'IamRoleLambdaExecution' },
  { check: 'aws/lambda-function-role-least-privilege', resource: 'smsWebhook' },
  { check: 'aws/apigw-route-authorization', resource: 'HttpApi' },
  { check: 'aws/dynamodb-table-pitr', resource: 'RemindersTable' },
  { check: 'aws/dynamodb-table-kms', resource: 'RemindersTable' },
  // the containerised part: Kubernetes (k8s/), Dockerfiles and the development Compose stack (containers/)
  { check: 'k8s/image-latest-tag', resource: 'clinic-prod/fhir-bridge' },
  { check: 'k8s/image-digest', resource: 'clinic-prod/fhir-bridge' },
  { check: 'k8s/env-plaintext-secrets', resource: 'clinic-prod/fhir-bridge' },
  { check: 'k8s/phi-egress-restricted', resource: 'clinic-prod/fhir-bridge' },
  { check: 'k8s/cluster-admin-binding', resource: 'fhir-bridge-debug' },
  { check: 'k8s/environment-isolation', resource: 'clinic-dev/intake-worker-dev' },
  { check: 'container/dockerfile-base-image-latest', resource: 'fhir-bridge' },
  { check: 'container/dockerfile-add-remote-url', resource: 'fhir-bridge' },
  { check: 'container/dockerfile-non-root-user', resource: 'fhir-bridge' },
  { check: 'container/compose-secrets-in-env', resource: 'patients-db' },
  { check: 'container/compose-ports-all-interfaces', resource: 'patients-db' },
  // the VM: the HL7 interface engine (vm/, a Terraform plan)
  { check: 'aws/vpc-sg-no-public-admin-ports', resource: 'aws_security_group.hl7_engine' },
  { check: 'aws/ec2-imdsv2', resource: 'aws_instance.hl7_engine' },
  { check: 'aws/ec2-ebs-encrypted', resource: 'aws_ebs_volume.hl7_archive' },
  { check: 'k8s/run-as-non-root', resource: 'clinic-prod/fhir-bridge' },
  { check: 'k8s/read-only-root-filesystem', resource: 'clinic-prod/fhir-bridge' },
]

describe('examples/clinic-intake', () => {
  it('gives exactly the expected failing and manual findings (UPDATE_EXPECTED=1 to refresh)', async () => {
    const result = await scan([example], { now: new Date('2026-11-23T00:00:00Z') })
    expect(result.files.filter((f) => f.status === 'ok').map((f) => `${f.file} ${f.format}`).sort()).toEqual(
      [
        'examples/clinic-intake/notifications/serverless.yml serverless',
        'examples/clinic-intake/template.yaml sam',
        'examples/clinic-intake/containers/docker-compose.yml compose',
        'examples/clinic-intake/containers/fhir-bridge/Dockerfile dockerfile',
        'examples/clinic-intake/containers/intake-worker/Dockerfile dockerfile',
        'examples/clinic-intake/vm/hl7-engine.plan.json terraform',
        ...['dev-intake', 'fhir-bridge', 'ingress', 'intake-worker', 'namespaces', 'network-policies', 'patients-db', 'rbac'].map((n) => `examples/clinic-intake/k8s/${n}.yaml kubernetes`),
      ].sort(),
    )
    expect(result.files.filter((f) => f.status === 'error')).toEqual([])
    const bySource = new Map(result.inventory.resources.map((r) => [r.id, r.sourceId]))
    const actual = result.findings
      .filter((f) => f.status !== 'pass')
      .map((f) => ({
        checkId: f.checkId,
        resource: bySource.get(f.resourceId)!,
        file: path.relative(example, path.resolve(root, f.location.file)).split(path.sep).join('/'),
        line: f.location.line ?? null,
        status: f.status,
        ...(f.suppressed ? { suppressed: true } : {}),
      }))
      .sort((a, b) => a.file.localeCompare(b.file) || a.checkId.localeCompare(b.checkId) || a.resource.localeCompare(b.resource) || (a.line ?? 0) - (b.line ?? 0))
    if (process.env['UPDATE_EXPECTED']) {
      const doc = JSON.parse(fs.readFileSync(expectedFile, 'utf8')) as { description: string }
      fs.writeFileSync(expectedFile, JSON.stringify({ description: doc.description, findings: actual }, null, 1) + '\n')
    }
    const expected = (JSON.parse(fs.readFileSync(expectedFile, 'utf8')) as { findings: unknown[] }).findings
    expect(actual).toEqual(expected)
  })

  it('catches every violation marked in the sources, and honours the suppression', async () => {
    const result = await scan([example], { now: new Date('2026-11-23T00:00:00Z') })
    const failing = result.findings.filter((f) => f.status === 'fail' && !f.suppressed)
    for (const m of MARKED) {
      const hit = failing.find((f) => f.checkId === m.check && result.inventory.resources.find((r) => r.id === f.resourceId)?.sourceId === m.resource)
      expect(hit, `${m.check} on ${m.resource}`).toBeDefined()
    }
    const marked = ['template.yaml', 'notifications/serverless.yml'].flatMap((f) => fs.readFileSync(path.join(example, f), 'utf8').split('\n').filter((l) => l.includes('# VIOLATION:')))
    expect(marked.length).toBe(10)
    const markedContainers = ['k8s/fhir-bridge.yaml', 'k8s/network-policies.yaml', 'k8s/rbac.yaml', 'k8s/dev-intake.yaml', 'containers/fhir-bridge/Dockerfile', 'containers/docker-compose.yml', 'vm/hl7-engine.tf'].flatMap((f) =>
      fs.readFileSync(path.join(example, f), 'utf8').split('\n').filter((l) => l.includes('# VIOLATION:')),
    )
    expect(markedContainers.length).toBe(14)
    const suppressed = result.findings.filter((f) => f.suppressed)
    expect(suppressed.map((f) => f.checkId)).toEqual(['aws/lambda-function-reserved-concurrency'])
    expect(suppressed[0]!.suppressed).toMatchObject({ owner: 'intake-platform', expires: '2027-06-30' })
    // after the expiry date the suppression no longer applies
    const later = await scan([example], { now: new Date('2027-07-01T00:00:00Z'), only: ['aws/lambda-function-reserved-concurrency'] })
    expect(later.findings.filter((f) => f.suppressed)).toEqual([])
  })
})
