#!/usr/bin/env node
// Dev-only mock of the PhiWall API (docs/api.md) for looking at the dashboard without a real
// server: serves dist/web with the production CSP and answers /api/v1 with fixture data of a
// small clinic (Lambda functions, a DynamoDB table holding PHI, S3 buckets, a Kubernetes
// deployment…). Not part of the production bundle (vite only bundles what main.tsx imports).
//
//   node src/web/dev/mock-server.mjs [port]        MOCK_EMPTY=1 for a server without scans
//
// Users (password for all: "correct horse battery"): admin, engineer, auditor, appteam → TOTP
// code 123456 (or recovery code ABCD-EFGH-2345); newbie → change password → enrol TOTP.
import http from 'node:http'
import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const webRoot = path.resolve(here, '../../../dist/web')
const port = Number(process.argv[2] ?? process.env.PORT ?? 5178)
const EMPTY = process.env.MOCK_EMPTY === '1'
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
const NOW = Date.parse('2026-12-07T09:00:00Z')
const iso = (ms) => new Date(ms).toISOString()
const H = 3_600_000
const D = 24 * H

// ---------------------------------------------------------------------------------------------
// fixtures
const ACCOUNT = '123456789012'
const R = {
  intake: `aws:lambda:us-east-1:${ACCOUNT}:function/intake-api`,
  reminders: `aws:lambda:us-east-1:${ACCOUNT}:function/appointment-reminders`,
  billing: `aws:lambda:us-east-1:${ACCOUNT}:function/billing-export`,
  patients: `aws:dynamodb:us-east-1:${ACCOUNT}:table/patients`,
  labs: 'aws:s3:::clinic-lab-results',
  assets: 'aws:s3:::clinic-web-assets',
  portalApi: `aws:apigateway:us-east-1:${ACCOUNT}:restapi/patient-portal`,
  scheduler: 'k8s:apps/v1:Deployment:clinic/scheduler-api',
  schedulerSvc: 'k8s:core/v1:Service:clinic/scheduler-api',
  ingress: 'k8s:networking.k8s.io/v1:Ingress:clinic/portal',
  ehr: `aws:rds:us-east-1:${ACCOUNT}:db/ehr-postgres`,
  intakeStaging: `aws:lambda:us-east-1:${ACCOUNT}:function/intake-api-staging`,
}
const resources = EMPTY
  ? []
  : [
      { id: R.intake, kind: 'aws:lambda:function', type: 'AWS::Lambda::Function', name: 'intake-api', provider: 'aws', environment: 'prod', owner: 'clinic-intake', holdsPhi: 'yes', location: { file: 'infra/lambda/intake.tf', line: 12 }, failing: 3 },
      { id: R.reminders, kind: 'aws:lambda:function', type: 'AWS::Lambda::Function', name: 'appointment-reminders', provider: 'aws', environment: 'prod', owner: 'scheduling', holdsPhi: 'unknown', location: { file: 'infra/lambda/reminders.tf', line: 4 }, failing: 1 },
      { id: R.billing, kind: 'aws:lambda:function', type: 'AWS::Lambda::Function', name: 'billing-export', provider: 'aws', environment: 'prod', owner: 'billing', holdsPhi: 'yes', location: { file: 'infra/lambda/billing.tf', line: 9 }, failing: 2 },
      { id: R.patients, kind: 'aws:dynamodb:table', type: 'AWS::DynamoDB::Table', name: 'patients', provider: 'aws', environment: 'prod', owner: 'clinic-intake', holdsPhi: 'yes', location: { file: 'infra/data/dynamodb.tf', line: 1 }, failing: 2 },
      { id: R.labs, kind: 'aws:s3:bucket', type: 'AWS::S3::Bucket', name: 'clinic-lab-results', provider: 'aws', environment: 'prod', owner: 'lab', holdsPhi: 'yes', location: { file: 'infra/data/s3.tf', line: 3 }, failing: 2 },
      { id: R.assets, kind: 'aws:s3:bucket', type: 'AWS::S3::Bucket', name: 'clinic-web-assets', provider: 'aws', environment: 'prod', owner: 'web', holdsPhi: 'no', location: { file: 'infra/data/s3.tf', line: 41 }, failing: 0 },
      { id: R.portalApi, kind: 'aws:apigateway:restapi', type: 'AWS::ApiGateway::RestApi', name: 'patient-portal', provider: 'aws', environment: 'prod', owner: 'web', holdsPhi: 'no', location: { file: 'infra/api.tf', line: 7 }, failing: 1 },
      { id: R.scheduler, kind: 'k8s:apps:deployment', type: 'K8s::Apps::Deployment', name: 'scheduler-api', namespace: 'clinic', provider: 'kubernetes', environment: 'prod', owner: 'scheduling', holdsPhi: 'yes', location: { file: 'k8s/scheduler/deployment.yaml', line: 1 }, failing: 4 },
      { id: R.schedulerSvc, kind: 'k8s:core:service', type: 'K8s::Core::Service', name: 'scheduler-api', namespace: 'clinic', provider: 'kubernetes', environment: 'prod', owner: 'scheduling', holdsPhi: 'no', location: { file: 'k8s/scheduler/service.yaml', line: 1 }, failing: 0 },
      { id: R.ingress, kind: 'k8s:networking:ingress', type: 'K8s::Networking::Ingress', name: 'portal', namespace: 'clinic', provider: 'kubernetes', environment: 'prod', owner: 'web', holdsPhi: 'no', location: { file: 'k8s/ingress.yaml', line: 1 }, failing: 1 },
      { id: R.ehr, kind: 'aws:rds:dbinstance', type: 'AWS::RDS::DBInstance', name: 'ehr-postgres', provider: 'aws', environment: 'prod', owner: 'clinic-intake', holdsPhi: 'yes', location: { file: 'infra/data/rds.tf', line: 2 }, failing: 1 },
      { id: R.intakeStaging, kind: 'aws:lambda:function', type: 'AWS::Lambda::Function', name: 'intake-api-staging', provider: 'aws', environment: 'staging', owner: 'clinic-intake', holdsPhi: 'no', location: { file: 'infra/lambda/intake.tf', line: 58 }, failing: 1 },
      ...Array.from({ length: 64 }, (_, i) => ({
        id: `aws:iam:${ACCOUNT}:role/clinic-role-${String(i + 1).padStart(2, '0')}`,
        kind: 'aws:iam:role',
        type: 'AWS::IAM::Role',
        name: `clinic-role-${String(i + 1).padStart(2, '0')}`,
        provider: 'aws',
        environment: i % 5 === 0 ? 'staging' : 'prod',
        owner: ['clinic-intake', 'scheduling', 'billing', 'lab'][i % 4],
        holdsPhi: 'no',
        location: { file: 'infra/iam.tf', line: 10 + i * 7 },
        failing: i % 9 === 0 ? 1 : 0,
      })),
    ]
const byId = new Map(resources.map((r) => [r.id, r]))

const CHECKS = [
  ['aws/dynamodb-table-encrypted-cmk', 'DynamoDB table holding PHI is encrypted with a customer managed key', 'high', R.patients, ['PR.DS-01'], ['164.312(a)(2)(iv)'], 'DynamoDB table patients holds PHI and uses the AWS owned key.', { terraform: 'server_side_encryption { enabled = true, kms_key_arn = aws_kms_key.phi.arn }' }],
  ['aws/dynamodb-pitr-enabled', 'DynamoDB table has point-in-time recovery', 'medium', R.patients, ['PR.DS-11'], ['164.308(a)(7)(ii)(A)'], 'DynamoDB table patients has point-in-time recovery disabled.', { terraform: 'point_in_time_recovery { enabled = true }' }],
  ['aws/s3-bucket-public-read', 'S3 bucket blocks public read access', 'critical', R.labs, ['PR.DS-01', 'PR.AA-05'], ['164.312(a)(1)'], 'S3 bucket clinic-lab-results allows public read.', { terraform: 'aws_s3_bucket_public_access_block with all four settings true', cli: 'aws s3api put-public-access-block --bucket clinic-lab-results --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true' }],
  ['aws/s3-bucket-access-logging', 'S3 bucket holding PHI logs access', 'medium', R.labs, ['DE.CM-09'], ['164.312(b)'], 'S3 bucket clinic-lab-results has no server access logging.', 'Enable server access logging to a dedicated log bucket.'],
  ['aws/lambda-function-url-auth', 'Lambda function URL requires IAM authentication', 'high', R.intake, ['PR.AA-03'], ['164.312(d)'], 'Lambda function intake-api has a function URL with auth type NONE.', { terraform: 'authorization_type = "AWS_IAM"' }],
  ['aws/lambda-env-secrets', 'Lambda environment holds no plain-text secrets', 'critical', R.intake, ['PR.DS-01'], ['164.312(a)(2)(iv)'], 'Lambda function intake-api has a value resembling a secret in variable DB_PASSWORD (masked: p***d).', 'Move the value to Secrets Manager and read it at start-up.'],
  ['aws/lambda-tracing', 'Lambda function has active tracing', 'low', R.intake, ['DE.CM-01'], ['164.312(b)'], 'Lambda function intake-api has tracing disabled.', { terraform: 'tracing_config { mode = "Active" }' }],
  ['aws/lambda-dlq', 'Lambda function has a dead-letter queue', 'low', R.reminders, ['RS.MA-01'], [], 'Lambda function appointment-reminders has no dead-letter queue.', 'Add a dead_letter_config targeting an SQS queue.'],
  ['aws/lambda-runtime-supported', 'Lambda function uses a supported runtime', 'high', R.billing, ['ID.AM-08'], ['164.308(a)(1)(ii)(B)'], 'Lambda function billing-export uses deprecated runtime nodejs16.x.', { terraform: 'runtime = "nodejs22.x"' }],
  ['aws/lambda-vpc', 'Lambda function reaching PHI runs in a VPC', 'medium', R.billing, ['PR.IR-01'], ['164.312(e)(1)'], 'Lambda function billing-export reads PHI and runs outside a VPC.', 'Attach the function to private subnets.'],
  ['aws/apigateway-waf', 'Public API Gateway stage is protected by AWS WAF', 'medium', R.portalApi, ['PR.IR-01'], ['164.312(e)(1)'], 'API Gateway patient-portal stage prod has no WAF web ACL.', 'Associate a WAFv2 web ACL with the stage.'],
  ['aws/rds-deletion-protection', 'RDS instance has deletion protection', 'medium', R.ehr, ['PR.DS-11'], ['164.308(a)(7)(ii)(A)'], 'RDS instance ehr-postgres has deletion protection disabled.', { terraform: 'deletion_protection = true' }],
  ['k8s/container-runs-as-non-root', 'Container runs as a non-root user', 'high', R.scheduler, ['PR.PS-01'], ['164.308(a)(3)(i)'], 'Deployment clinic/scheduler-api container api may run as root.', 'Set securityContext.runAsNonRoot: true and a runAsUser.'],
  ['k8s/container-read-only-root', 'Container has a read-only root filesystem', 'medium', R.scheduler, ['PR.PS-01'], [], 'Deployment clinic/scheduler-api container api has a writable root filesystem.', 'Set securityContext.readOnlyRootFilesystem: true.'],
  ['k8s/network-policy-present', 'Workload holding PHI is selected by a NetworkPolicy', 'high', R.scheduler, ['PR.IR-01'], ['164.312(e)(1)'], 'Deployment clinic/scheduler-api holds PHI and no NetworkPolicy selects it.', 'Generate one with phiwall policy export --format networkpolicy.'],
  ['k8s/image-pinned-digest', 'Container image is pinned by digest', 'low', R.scheduler, ['PR.PS-02'], [], 'Deployment clinic/scheduler-api uses image tag :latest.', 'Reference the image by @sha256 digest.'],
  ['k8s/ingress-tls', 'Ingress terminates TLS', 'high', R.ingress, ['PR.DS-02'], ['164.312(e)(1)', '164.312(e)(2)(ii)'], 'Ingress clinic/portal has no tls section.', 'Add spec.tls with a certificate secret.'],
  ['aws/lambda-function-url-auth', 'Lambda function URL requires IAM authentication', 'medium', R.intakeStaging, ['PR.AA-03'], ['164.312(d)'], 'Lambda function intake-api-staging has a function URL with auth type NONE.', { terraform: 'authorization_type = "AWS_IAM"' }],
]
const findings = EMPTY
  ? []
  : [
      ...CHECKS.map(([checkId, title, severity, rid, csf, hipaa, message, remediation], i) => {
        const r = byId.get(rid)
        return { id: `f-${String(i + 1).padStart(3, '0')}`, checkId, title, severity, status: 'fail', resourceId: rid, resourceName: r.namespace ? `${r.namespace}/${r.name}` : r.name, resourceKind: r.kind, environment: r.environment, owner: r.owner, message, location: r.location, controls: { csf, hipaa, ferpa: hipaa.length ? ['FERPA-99.31'] : [] }, remediation, suppression: null }
      }),
      ...resources.slice(0, 10).map((r, i) => ({ id: `f-p${i}`, checkId: 'aws/tags-owner', title: 'Resource names its owner team', severity: 'info', status: 'pass', resourceId: r.id, resourceName: r.name, resourceKind: r.kind, environment: r.environment, owner: r.owner, message: `Resource ${r.name} names its owner.`, location: r.location, controls: { csf: ['ID.AM-01'], hipaa: [], ferpa: [] }, remediation: null, suppression: null })),
      { id: 'f-m1', checkId: 'manual/risk-analysis', title: 'A risk analysis is documented', severity: 'medium', status: 'manual', resourceId: R.patients, resourceName: 'patients', resourceKind: 'aws:dynamodb:table', environment: 'prod', owner: 'clinic-intake', message: 'Document the HIPAA risk analysis and attach it as evidence.', location: { file: 'phiwall.yaml' }, controls: { csf: ['ID.RA-01'], hipaa: ['164.308(a)(1)(ii)(A)'], ferpa: [] }, remediation: 'Record the analysis in the evidence bundle.', suppression: null },
    ]
// one suppressed finding to show the state
if (!EMPTY) findings[6].suppression = { reason: 'Tracing adds cost; covered by CloudWatch logs until Q2 migration.', expiresAt: iso(NOW + 60 * D), by: 'engineer', at: iso(NOW - 30 * D) }

const sevCount = (list) => list.reduce((a, f) => ({ ...a, [f.severity]: (a[f.severity] ?? 0) + 1 }), {})

function posture() {
  if (EMPTY) return { latestScanAt: null, totals: { resources: 0, phiResources: 0, failing: 0, bySeverity: {} }, hipaa: [], csfFunctions: [], trend: [] }
  const failing = findings.filter((f) => f.status === 'fail' && !f.suppression)
  return {
    latestScanAt: iso(NOW - 2 * H),
    totals: { resources: resources.length, phiResources: resources.filter((r) => r.holdsPhi === 'yes').length, failing: failing.length, bySeverity: sevCount(failing) },
    hipaa: [
      { id: '164.308(a)(1)(ii)(A)', title: 'Risk analysis', status: 'manual', pass: 0, fail: 0, manual: 1, suppressed: 0 },
      { id: '164.308(a)(1)(ii)(B)', title: 'Risk management', status: 'fail', pass: 4, fail: 1, manual: 0, suppressed: 0 },
      { id: '164.308(a)(3)(i)', title: 'Workforce security', status: 'fail', pass: 6, fail: 1, manual: 0, suppressed: 0 },
      { id: '164.308(a)(7)(ii)(A)', title: 'Data backup plan', status: 'fail', pass: 3, fail: 2, manual: 0, suppressed: 0 },
      { id: '164.312(a)(1)', title: 'Access control', status: 'fail', pass: 11, fail: 1, manual: 0, suppressed: 0 },
      { id: '164.312(a)(2)(iv)', title: 'Encryption and decryption', status: 'fail', pass: 7, fail: 2, manual: 0, suppressed: 0 },
      { id: '164.312(b)', title: 'Audit controls', status: 'fail', pass: 5, fail: 1, manual: 0, suppressed: 1 },
      { id: '164.312(c)(1)', title: 'Integrity', status: 'pass', pass: 8, fail: 0, manual: 0, suppressed: 0 },
      { id: '164.312(d)', title: 'Person or entity authentication', status: 'fail', pass: 2, fail: 2, manual: 0, suppressed: 0 },
      { id: '164.312(e)(1)', title: 'Transmission security', status: 'fail', pass: 9, fail: 4, manual: 0, suppressed: 0 },
    ],
    csfFunctions: [
      { id: 'ID', name: 'Identify', pass: 72, fail: 1, manual: 1 },
      { id: 'PR', name: 'Protect', pass: 118, fail: 12, manual: 2 },
      { id: 'DE', name: 'Detect', pass: 21, fail: 2, manual: 0 },
      { id: 'RS', name: 'Respond', pass: 4, fail: 1, manual: 1 },
      { id: 'RC', name: 'Recover', pass: 3, fail: 0, manual: 2 },
    ],
    trend: [
      { scanId: 's1', at: iso(NOW - 28 * D), pass: 160, fail: 31, manual: 6 },
      { scanId: 's2', at: iso(NOW - 21 * D), pass: 171, fail: 27, manual: 6 },
      { scanId: 's3', at: iso(NOW - 14 * D), pass: 190, fail: 22, manual: 5 },
      { scanId: 's4', at: iso(NOW - 7 * D), pass: 204, fail: 19, manual: 5 },
      { scanId: 's5', at: iso(NOW - 2 * H), pass: 218, fail: failing.length, manual: 6 },
    ],
  }
}

const topology = EMPTY
  ? { nodes: [], edges: [] }
  : {
      nodes: [
        { id: 'internet', kind: 'internet', name: 'Internet', environment: 'unknown', holdsPhi: 'no', internetExposed: false },
        { id: 'env:prod', kind: 'environment', name: 'prod', environment: 'prod', holdsPhi: 'unknown', internetExposed: false },
        { id: R.portalApi, kind: 'api', name: 'patient-portal', environment: 'prod', holdsPhi: 'no', internetExposed: true, resourceKind: 'aws:apigateway:restapi', exposure: ['public API Gateway endpoint'], location: { file: 'infra/api.tf', line: 7 } },
        { id: R.ingress, kind: 'ingress', name: 'portal', namespace: 'clinic', environment: 'prod', holdsPhi: 'no', internetExposed: true, resourceKind: 'k8s:networking:ingress', exposure: ['Ingress'], location: { file: 'k8s/ingress.yaml', line: 1 } },
        { id: R.schedulerSvc, kind: 'service', name: 'scheduler-api', namespace: 'clinic', environment: 'prod', holdsPhi: 'no', internetExposed: false, resourceKind: 'k8s:core:service', location: { file: 'k8s/scheduler/service.yaml', line: 1 } },
        { id: R.scheduler, kind: 'workload', name: 'scheduler-api', namespace: 'clinic', environment: 'prod', holdsPhi: 'yes', internetExposed: false, resourceKind: 'k8s:apps:deployment', location: { file: 'k8s/scheduler/deployment.yaml', line: 1 } },
        { id: R.intake, kind: 'function', name: 'intake-api', environment: 'prod', holdsPhi: 'yes', internetExposed: true, resourceKind: 'aws:lambda:function', exposure: ['Lambda function URL with auth NONE'], location: { file: 'infra/lambda/intake.tf', line: 12 } },
        { id: R.reminders, kind: 'function', name: 'appointment-reminders', environment: 'prod', holdsPhi: 'unknown', internetExposed: false, resourceKind: 'aws:lambda:function', location: { file: 'infra/lambda/reminders.tf', line: 4 } },
        { id: R.billing, kind: 'function', name: 'billing-export', environment: 'prod', holdsPhi: 'yes', internetExposed: false, resourceKind: 'aws:lambda:function', location: { file: 'infra/lambda/billing.tf', line: 9 } },
        { id: R.patients, kind: 'data-store', name: 'patients', environment: 'prod', holdsPhi: 'yes', internetExposed: false, resourceKind: 'aws:dynamodb:table', location: { file: 'infra/data/dynamodb.tf', line: 1 } },
        { id: R.labs, kind: 'data-store', name: 'clinic-lab-results', environment: 'prod', holdsPhi: 'yes', internetExposed: true, resourceKind: 'aws:s3:bucket', exposure: ['bucket policy allows public read'], location: { file: 'infra/data/s3.tf', line: 3 } },
        { id: R.ehr, kind: 'data-store', name: 'ehr-postgres', environment: 'prod', holdsPhi: 'yes', internetExposed: false, resourceKind: 'aws:rds:dbinstance', location: { file: 'infra/data/rds.tf', line: 2 } },
        { id: R.assets, kind: 'data-store', name: 'clinic-web-assets', environment: 'prod', holdsPhi: 'no', internetExposed: false, resourceKind: 'aws:s3:bucket', location: { file: 'infra/data/s3.tf', line: 41 } },
        { id: R.intakeStaging, kind: 'function', name: 'intake-api-staging', environment: 'staging', holdsPhi: 'no', internetExposed: true, resourceKind: 'aws:lambda:function', exposure: ['Lambda function URL with auth NONE'], location: { file: 'infra/lambda/intake.tf', line: 58 } },
      ],
      edges: [
        { from: 'internet', to: R.portalApi, kind: 'exposes', source: 'declared', port: 443, protocol: 'tcp' },
        { from: 'internet', to: R.ingress, kind: 'exposes', source: 'declared', port: 443, protocol: 'tcp' },
        { from: 'internet', to: R.intake, kind: 'exposes', source: 'declared', port: 443, protocol: 'tcp' },
        { from: 'internet', to: R.labs, kind: 'exposes', source: 'declared' },
        { from: 'internet', to: R.intakeStaging, kind: 'exposes', source: 'declared', port: 443, protocol: 'tcp' },
        { from: R.portalApi, to: R.intake, kind: 'invokes', source: 'declared' },
        { from: R.ingress, to: R.schedulerSvc, kind: 'routes', source: 'declared', port: 8080, protocol: 'tcp' },
        { from: R.schedulerSvc, to: R.scheduler, kind: 'routes', source: 'declared', port: 8080, protocol: 'tcp' },
        { from: R.intake, to: R.patients, kind: 'writes', source: 'declared' },
        { from: R.intake, to: R.labs, kind: 'reads', source: 'declared' },
        { from: R.reminders, to: R.patients, kind: 'reads', source: 'declared' },
        { from: R.billing, to: R.ehr, kind: 'calls', source: 'observed', port: 5432, protocol: 'tcp', evidence: 'vpc flow logs' },
        { from: R.scheduler, to: R.ehr, kind: 'calls', source: 'observed', port: 5432, protocol: 'tcp', evidence: 'hubble' },
        { from: R.scheduler, to: R.reminders, kind: 'invokes', source: 'observed', port: 443, protocol: 'tcp' },
        { from: 'env:prod', to: R.scheduler, kind: 'contains', source: 'declared' },
      ],
    }

const WL = {
  scheduler: { id: 'k8s:clinic/scheduler-api', name: 'clinic/scheduler-api', holdsPhi: 'yes' },
  intake: { id: 'lambda:intake-api', name: 'intake-api', holdsPhi: 'yes' },
  billing: { id: 'lambda:billing-export', name: 'billing-export', holdsPhi: 'yes' },
  reminders: { id: 'lambda:appointment-reminders', name: 'appointment-reminders', holdsPhi: 'unknown' },
}
const workloads = EMPTY
  ? []
  : [
      { ...WL.scheduler, mode: 'alert', learning: { done: true, endsAt: iso(NOW - 3 * D) } },
      { ...WL.intake, mode: 'learn', learning: { done: false, endsAt: iso(NOW + 2 * D) } },
      { ...WL.billing, mode: 'learn', learning: { done: false, endsAt: iso(NOW + 5 * D) } },
      { ...WL.reminders, mode: 'off', learning: { done: false, endsAt: null } },
    ]
const id = (w) => ({ kind: 'identity', id: w.id })
const edge = (from, to, port, origin, state, count, extra = {}) => ({
  key: `${from.kind === 'identity' ? from.id : from.fqdn ?? from.cidr}|${to.kind === 'identity' ? to.id : to.fqdn ?? to.cidr}|${port}/tcp`,
  from, to, port, protocol: 'tcp', origin, state, count, bytes: count * 5400, firstSeen: NOW - 6 * D, lastSeen: NOW - (count % 7) * H, dropped: 0, fromPhi: from.kind === 'identity' && [WL.scheduler.id, WL.intake.id, WL.billing.id].includes(from.id), toInternet: to.kind !== 'identity' && (to.kind === 'fqdn' || to.scope === 'public'), ...extra,
})
const edges = EMPTY
  ? []
  : [
      edge(id(WL.scheduler), { kind: 'cidr', cidr: '10.0.2.9/32', scope: 'private' }, 5432, 'both', 'allowed', 18234, { review: { by: 'engineer', at: iso(NOW - 2 * D), reason: 'EHR database, declared in IaC' } }),
      edge(id(WL.scheduler), id(WL.reminders), 443, 'observed', 'allowed', 2211, { review: { by: 'engineer', at: iso(NOW - 2 * D), reason: 'reminder trigger' } }),
      edge(id(WL.intake), { kind: 'fqdn', fqdn: 'dynamodb.us-east-1.amazonaws.com' }, 443, 'both', 'observed', 40321),
      edge(id(WL.intake), { kind: 'fqdn', fqdn: 's3.us-east-1.amazonaws.com' }, 443, 'both', 'observed', 9120),
      edge(id(WL.intake), { kind: 'fqdn', fqdn: 'api.segment.io' }, 443, 'observed', 'observed', 311),
      edge(id(WL.billing), { kind: 'cidr', cidr: '10.0.2.9/32', scope: 'private' }, 5432, 'observed', 'observed', 802),
      edge(id(WL.billing), { kind: 'cidr', cidr: '203.0.113.40/32', scope: 'public' }, 22, 'observed', 'denied', 14, { dropped: 14, review: { by: 'admin', at: iso(NOW - D), reason: 'SFTP to clearinghouse must go through the gateway' } }),
      edge(id(WL.reminders), { kind: 'fqdn', fqdn: 'api.twilio.com' }, 443, 'observed', 'snoozed', 988, { review: { by: 'engineer', at: iso(NOW - D), reason: 'vendor review pending', until: iso(NOW + 13 * D) } }),
      edge({ kind: 'cidr', cidr: '10.0.0.0/16', scope: 'private' }, id(WL.scheduler), 8080, 'declared', 'observed', 0),
    ]

let approval = null
let policyVersion = 7
const policy = () => ({
  schema: 'phiwall.policy/v1',
  version: policyVersion,
  generatedAt: iso(NOW - H),
  baselineDigest: crypto.createHash('sha256').update(JSON.stringify(edges.map((e) => [e.key, e.state]))).digest('hex'),
  digest: crypto.createHash('sha256').update(JSON.stringify(edges.map((e) => [e.key, e.state]))).digest('hex'),
  workloads: workloads.map((w) => ({ identity: { id: w.id, name: w.name }, mode: w.mode, holdsPhi: w.holdsPhi, ingress: [], egress: edges.filter((e) => e.from.id === w.id && e.state === 'allowed').map((e) => ({ peer: e.to, port: e.port, protocol: 'tcp', origin: e.origin, reason: e.key })), withheld: [] })),
  identities: Object.fromEntries(workloads.map((w) => [w.id, { id: w.id, name: w.name }])),
  approval: approval && approval.digest === crypto.createHash('sha256').update(JSON.stringify(edges.map((e) => [e.key, e.state]))).digest('hex') ? approval : null,
})
function simulate() {
  const drops = edges.filter((e) => e.state !== 'allowed' && e.from.kind === 'identity')
  const byWorkload = workloads.map((w) => ({
    workload: w.id,
    mode: w.mode,
    drops: drops.filter((e) => e.from.id === w.id).map((e) => ({ workload: w.id, direction: 'egress', key: e.key, from: e.from, to: e.to, port: e.port, protocol: 'tcp', count: e.count, firstSeen: e.firstSeen, lastSeen: e.lastSeen, effect: w.mode === 'alert' ? 'alert' : 'drop', evidence: [] })),
  }))
  const total = edges.reduce((a, e) => a + e.count, 0)
  const dropped = byWorkload.flatMap((w) => w.drops).filter((d) => d.effect === 'drop').reduce((a, d) => a + d.count, 0)
  const alerted = byWorkload.flatMap((w) => w.drops).filter((d) => d.effect === 'alert').reduce((a, d) => a + d.count, 0)
  const result = { flows: total, allowed: total - dropped - alerted, dropped, alerted, uncovered: 0, byWorkload }
  const digest = crypto.createHash('sha256').update(JSON.stringify(edges.map((e) => [e.key, e.state]))).digest('hex')
  return { result, digest }
}

const alerts = EMPTY
  ? []
  : [
      { id: 'a1', type: 'new-edge', severity: 'high', workload: WL.scheduler.id, key: 'k8s:clinic/scheduler-api|198.51.100.7/32|443/tcp', message: 'clinic/scheduler-api (PHI) connected to 198.51.100.7:443 on the internet, not in its baseline.', count: 37, firstSeen: iso(NOW - 5 * H), lastSeen: iso(NOW - 10 * 60_000), state: 'open', suggestion: 'Review the edge on the Segmentation page; deny it if unexpected.' },
      { id: 'a2', type: 'denied-edge', severity: 'critical', workload: WL.billing.id, key: 'lambda:billing-export|203.0.113.40/32|22/tcp', message: 'billing-export tried a denied edge: 203.0.113.40:22.', count: 14, firstSeen: iso(NOW - D), lastSeen: iso(NOW - 3 * H), state: 'open', suggestion: 'Find the code path that opens SFTP directly.' },
      { id: 'a3', type: 'binary-changed', severity: 'medium', workload: 'host:vm-12:process:reporting', key: 'vm-12|/usr/local/bin/reporting', message: 'Binary /usr/local/bin/reporting on vm-12 changed outside a deployment.', count: 1, firstSeen: iso(NOW - 2 * D), lastSeen: iso(NOW - 2 * D), state: 'open', suggestion: null },
      { id: 'a4', type: 'new-edge', severity: 'low', workload: WL.reminders.id, key: 'lambda:appointment-reminders|api.twilio.com|443/tcp', message: 'appointment-reminders connected to api.twilio.com:443.', count: 988, firstSeen: iso(NOW - 6 * D), lastSeen: iso(NOW - 2 * H), state: 'acknowledged', suggestion: 'Snoozed by engineer: vendor review pending.' },
    ]

const vulns = EMPTY
  ? []
  : [
      { id: 'GHSA-jf85-cpcp-j695', component: 'lodash', version: '4.17.15', ecosystem: 'npm', severity: 'critical', cvss: 9.1, fixedIn: '4.17.21', resourceIds: [R.intake, R.billing] },
      { id: 'CVE-2024-21538', component: 'cross-spawn', version: '7.0.3', ecosystem: 'npm', severity: 'high', cvss: 7.5, fixedIn: '7.0.5', resourceIds: [R.intake] },
      { id: 'CVE-2023-44487', component: 'golang.org/x/net', version: 'v0.15.0', ecosystem: 'Go', severity: 'high', cvss: 7.5, fixedIn: 'v0.17.0', resourceIds: [R.scheduler] },
      { id: 'CVE-2024-6345', component: 'setuptools', version: '65.5.0', ecosystem: 'PyPI', severity: 'high', cvss: 8.8, fixedIn: '70.0.0', resourceIds: [R.billing] },
      { id: 'GHSA-grv7-fg5c-xmjg', component: 'braces', version: '3.0.2', ecosystem: 'npm', severity: 'medium', cvss: 5.3, fixedIn: '3.0.3', resourceIds: [R.reminders] },
      { id: 'CVE-2025-0001', component: 'libexpat1', version: '2.5.0-1', ecosystem: 'Debian', severity: 'low', cvss: null, fixedIn: null, resourceIds: [R.scheduler, R.ehr, R.intake, R.billing, R.reminders] },
    ]

const ACTIONS = ['auth.login', 'finding.suppress', 'baseline.review', 'scan.upload', 'token.create', 'report.export', 'policy.approve', 'workload.mode']
const ACTORS = ['user:admin', 'user:engineer', 'token:ci-infra-scan', 'user:auditor']
let auditEvents = EMPTY
  ? []
  : Array.from({ length: 128 }, (_, i) => {
      const seq = i + 1
      const action = ACTIONS[(i * 5) % ACTIONS.length]
      return { seq, at: iso(NOW - (128 - i) * 37 * 60_000), actor: ACTORS[i % ACTORS.length], action, target: action.startsWith('finding') ? `finding:f-00${(i % 9) + 1}` : action.startsWith('scan') ? `scan:s${i}` : action.startsWith('auth') ? 'session' : `policy:v${(i % 7) + 1}`, payload: {}, payloadDigest: crypto.createHash('sha256').update(String(seq)).digest('hex'), prevHash: crypto.createHash('sha256').update(String(seq - 1)).digest('hex'), hash: crypto.createHash('sha256').update(`h${seq}`).digest('hex') }
    })
const audit = (actor, action, target) => auditEvents.push({ seq: auditEvents.length + 1, at: new Date().toISOString(), actor: `user:${actor}`, action, target, payload: {}, payloadDigest: 'x', prevHash: 'y', hash: crypto.createHash('sha256').update(String(Math.random())).digest('hex') })

const users = [
  { id: 'u1', username: 'admin', role: 'admin', team: null, disabled: false, totpEnrolled: true, lockedUntil: null, lastLoginAt: iso(NOW - H), createdAt: iso(NOW - 90 * D) },
  { id: 'u2', username: 'engineer', role: 'engineer', team: null, disabled: false, totpEnrolled: true, lockedUntil: null, lastLoginAt: iso(NOW - 3 * H), createdAt: iso(NOW - 80 * D) },
  { id: 'u3', username: 'auditor', role: 'auditor', team: null, disabled: false, totpEnrolled: true, lockedUntil: iso(NOW + 365 * D), lastLoginAt: iso(NOW - 9 * D), createdAt: iso(NOW - 60 * D) },
  { id: 'u4', username: 'appteam', role: 'app-team', team: 'scheduling', disabled: false, totpEnrolled: true, lockedUntil: null, lastLoginAt: null, createdAt: iso(NOW - 10 * D) },
  { id: 'u5', username: 'newbie', role: 'engineer', team: null, disabled: false, totpEnrolled: false, lockedUntil: null, lastLoginAt: null, createdAt: iso(NOW - D) },
]
let tokens = [
  { id: 't1', name: 'ci-infra-scan', scopes: ['scans:write'], prefix: 'pw_3kf9', createdAt: iso(NOW - 40 * D), expiresAt: iso(NOW + 50 * D), lastUsedAt: iso(NOW - 2 * H), owner: 'engineer' },
  { id: 't2', name: 'agent-vm-12', scopes: ['flows:write', 'fingerprints:write'], prefix: 'pw_a81c', createdAt: iso(NOW - 20 * D), expiresAt: iso(NOW + 345 * D), lastUsedAt: iso(NOW - 60_000), owner: 'admin' },
]
let sources = EMPTY ? [] : [{ id: 'src1', name: 'clinic-infra', path: '/srv/repos/clinic-infra', intervalMinutes: 1440, lastRunAt: iso(NOW - 2 * H), lastStatus: 'ok: 76 resources, 17 failing', nextRunAt: iso(NOW + 22 * H) }]
const jobs = new Map()

// ---------------------------------------------------------------------------------------------
// sessions
const sessions = new Map() // sid → { user, pending, csrf }
const PASSWORD = 'correct horse battery'
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DP'
const QR_SVG = (() => {
  // a fake but valid-looking QR-ish SVG, enough to check the <img> data URL under the CSP
  let cells = ''
  for (let y = 0; y < 25; y++) for (let x = 0; x < 25; x++) if ((x * 7 + y * 13 + x * y) % 5 < 2 || ((x < 7 || x > 17) && y < 7) || (x < 7 && y > 17)) cells += `<rect x="${x}" y="${y}" width="1" height="1"/>`
  return `<?xml version="1.0" encoding="utf-8"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="-2 -2 29 29" shape-rendering="crispEdges"><rect x="-2" y="-2" width="29" height="29" fill="#fff"/><g fill="#000">${cells}</g></svg>`
})()

const err = (status, code, message, field) => ({ status, body: { error: { code, message, ...(field ? { field } : {}) } } })
const ok = (body, status = 200) => ({ status, body })
const page = (items, q, limit = 50) => {
  const lim = Math.min(500, Math.max(1, Number(q.get('limit') ?? limit)))
  const start = Number(q.get('cursor') ?? 0)
  const slice = items.slice(start, start + lim)
  return { items: slice, total: items.length, nextCursor: start + lim < items.length ? String(start + lim) : null }
}

function cookieSid(req) {
  const m = /(?:^|;\s*)phiwall_session=([^;]+)/.exec(req.headers.cookie ?? '')
  return m ? m[1] : null
}

async function readBody(req) {
  const chunks = []
  for await (const c of req) chunks.push(c)
  if (!chunks.length) return undefined
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    return null
  }
}

async function api(req, url, res) {
  const method = req.method
  const p = url.pathname.replace(/^\/api\/v1/, '')
  const q = url.searchParams
  const body = method === 'GET' ? undefined : await readBody(req)
  if (body === null) return err(400, 'PW_ERR_BAD_REQUEST', 'The body is not valid JSON.')
  const sid = cookieSid(req)
  const s = sid ? sessions.get(sid) : undefined

  if (method === 'POST' && p === '/auth/login') {
    const u = users.find((x) => x.username === body?.username)
    if (!body?.username) return err(400, 'PW_ERR_BAD_REQUEST', 'Enter your username.', 'username')
    if (!u || body.password !== PASSWORD) return err(401, 'PW_ERR_UNAUTHENTICATED', 'Wrong username or password.')
    const nsid = crypto.randomBytes(18).toString('base64url')
    const pending = u.username === 'newbie' ? 'password' : 'totp'
    sessions.set(nsid, { user: u, pending, csrf: crypto.randomBytes(18).toString('base64url') })
    res.setHeader('Set-Cookie', `phiwall_session=${nsid}; Path=/; HttpOnly; SameSite=Strict`)
    return ok({ next: pending })
  }
  if (!s) return err(401, 'PW_ERR_UNAUTHENTICATED', 'Sign in first.')
  if (method !== 'GET' && req.headers['x-csrf-token'] !== s.csrf) return err(403, 'PW_ERR_CSRF', 'The CSRF token is missing or wrong. Reload the page.')
  const me = s.user
  if (method === 'GET' && p === '/auth/me') return ok({ user: { id: me.id, username: me.username, role: me.role, team: me.team, totpEnrolled: me.totpEnrolled }, csrfToken: s.csrf, pending: s.pending })
  if (method === 'POST' && p === '/auth/logout') {
    sessions.delete(sid)
    res.setHeader('Set-Cookie', 'phiwall_session=; Path=/; Max-Age=0')
    return ok({ ok: true })
  }
  if (method === 'POST' && p === '/auth/password') {
    if (body?.currentPassword !== PASSWORD) return err(400, 'PW_ERR_BAD_REQUEST', 'The current password is wrong.', 'currentPassword')
    if (!body?.newPassword || body.newPassword.length < 12) return err(400, 'PW_ERR_BAD_REQUEST', 'Use at least 12 characters.', 'newPassword')
    s.pending = me.totpEnrolled ? 'totp' : 'enrol'
    return ok({ next: s.pending })
  }
  if (method === 'GET' && p === '/auth/totp/enrol') {
    if (s.pending !== 'enrol') return err(409, 'PW_ERR_CONFLICT', 'Two-factor authentication is already set up.')
    return ok({ secret: TOTP_SECRET, otpauthUrl: `otpauth://totp/PhiWall:${me.username}?secret=${TOTP_SECRET}&issuer=PhiWall`, qrSvg: QR_SVG })
  }
  if (method === 'POST' && p === '/auth/totp/enrol') {
    if (body?.code !== '123456') return err(400, 'PW_ERR_BAD_REQUEST', 'That code is not valid. Check the time on your phone and try the next code.', 'code')
    s.pending = null
    me.totpEnrolled = true
    return ok({ next: 'done', recoveryCodes: ['7KQ2-M9XD-4TFA', 'PL3W-8ZRN-6HCE', 'B5YG-2QKT-9VMS', 'DX4N-7JHP-3LWR', 'T8CF-5MZA-2QEK', 'R6VB-9WLD-4NPT', 'H2JS-6KXM-8FAZ', 'N9TQ-3GCE-5DWY', 'W4LA-7PVR-2MKH', 'F5ZE-8HNB-6TQJ'] })
  }
  if (method === 'POST' && p === '/auth/totp') {
    if (body?.code === '123456' || body?.recoveryCode === 'ABCD-EFGH-2345') {
      s.pending = null
      audit(me.username, 'auth.login', 'session')
      return ok({ next: 'done' })
    }
    return err(400, 'PW_ERR_BAD_REQUEST', body?.recoveryCode ? 'That recovery code is not valid or was used already.' : 'That code is not valid.', body?.recoveryCode ? 'recoveryCode' : 'code')
  }
  if (s.pending) return err(401, 'PW_ERR_MFA_REQUIRED', 'Finish signing in first.')

  const writer = me.role === 'admin' || me.role === 'engineer'
  const needWrite = () => (writer ? null : err(403, 'PW_ERR_FORBIDDEN', `Role ${me.role} may not change this.`))
  const teamOk = (owner) => me.role !== 'app-team' || owner === me.team
  let m

  if (method === 'GET' && p === '/posture') return ok(posture())
  if (method === 'GET' && p === '/findings') {
    let list = findings.filter((f) => teamOk(f.owner))
    for (const k of ['severity', 'status', 'checkId', 'environment', 'resourceId']) if (q.get(k)) list = list.filter((f) => f[k] === q.get(k))
    if (q.get('q')) list = list.filter((f) => `${f.title} ${f.message} ${f.resourceName}`.toLowerCase().includes(q.get('q').toLowerCase()))
    return ok(page(list, q))
  }
  if ((m = /^\/findings\/([^/]+)\/suppress$/.exec(p))) {
    const w = needWrite()
    if (w) return w
    const f = findings.find((x) => x.id === m[1])
    if (!f) return err(404, 'PW_ERR_NOT_FOUND', 'No such finding.')
    if (method === 'DELETE') {
      f.suppression = null
      audit(me.username, 'finding.unsuppress', `finding:${f.id}`)
      return ok({ finding: f })
    }
    if (!body?.reason || body.reason.trim().length < 10) return err(400, 'PW_ERR_BAD_REQUEST', 'The reason must be at least 10 characters.', 'reason')
    const t = Date.parse(body.expiresAt)
    if (!(t > Date.now()) || t > Date.now() + 366 * D) return err(400, 'PW_ERR_BAD_REQUEST', 'The expiry must be in the future and at most a year ahead.', 'expiresAt')
    f.suppression = { reason: body.reason, expiresAt: body.expiresAt, by: me.username, at: new Date().toISOString() }
    audit(me.username, 'finding.suppress', `finding:${f.id}`)
    return ok({ finding: f })
  }
  if (method === 'GET' && p === '/resources') {
    let list = resources.filter((r) => teamOk(r.owner))
    if (q.get('environment')) list = list.filter((r) => r.environment === q.get('environment'))
    if (q.get('team')) list = list.filter((r) => r.owner === q.get('team'))
    if (q.get('phi')) list = list.filter((r) => r.holdsPhi === q.get('phi'))
    if (q.get('kind')) list = list.filter((r) => r.kind.includes(q.get('kind')))
    if (q.get('q')) list = list.filter((r) => `${r.name} ${r.id}`.toLowerCase().includes(q.get('q').toLowerCase()))
    return ok(page(list, q))
  }
  if (method === 'GET' && p === '/topology') return ok(topology)
  if (method === 'GET' && p === '/vulnerabilities') return ok(page(vulns.filter((v) => !q.get('severity') || v.severity === q.get('severity')), q))
  if (method === 'GET' && p === '/scans') return ok(page([], q))
  if (method === 'GET' && p === '/reports/latest') {
    const format = q.get('format') ?? 'html'
    if (EMPTY) return err(404, 'PW_ERR_NOT_FOUND', 'No scan yet.')
    res.setHeader('Content-Disposition', `attachment; filename="phiwall-report.${format === 'bundle' ? 'zip' : format}"`)
    return { status: 200, raw: `mock ${format} report`, type: 'application/octet-stream' }
  }
  if (p === '/sources' && method === 'GET') return ok({ items: sources, total: sources.length, nextCursor: null })
  if (p === '/sources' && method === 'POST') {
    const w = needWrite()
    if (w) return w
    if (!body?.name) return err(400, 'PW_ERR_BAD_REQUEST', 'Name the source.', 'name')
    if (!body?.path?.startsWith('/')) return err(400, 'PW_ERR_BAD_REQUEST', 'The path must be absolute on the server.', 'path')
    const src = { id: `src${sources.length + 1}`, name: body.name, path: body.path, intervalMinutes: body.intervalMinutes, lastRunAt: null, lastStatus: null, nextRunAt: iso(Date.now() + body.intervalMinutes * 60_000) }
    sources.push(src)
    return ok({ source: src }, 201)
  }
  if ((m = /^\/sources\/([^/]+)$/.exec(p)) && method === 'DELETE') {
    sources = sources.filter((x) => x.id !== m[1])
    return ok({ ok: true })
  }
  if ((m = /^\/sources\/([^/]+)\/run$/.exec(p)) && method === 'POST') {
    const w = needWrite()
    if (w) return w
    const jobId = `job-${crypto.randomBytes(4).toString('hex')}`
    jobs.set(jobId, { id: jobId, polls: 0, sourceId: m[1] })
    return ok({ jobId }, 202)
  }
  if ((m = /^\/jobs\/([^/]+)$/.exec(p)) && method === 'GET') {
    const j = jobs.get(m[1])
    if (!j) return err(404, 'PW_ERR_NOT_FOUND', 'No such job.')
    j.polls++
    const progress = Math.min(1, j.polls / 4)
    const state = progress >= 1 ? 'done' : j.polls === 1 ? 'queued' : 'running'
    if (state === 'done') {
      const src = sources.find((x) => x.id === j.sourceId)
      if (src) Object.assign(src, { lastRunAt: new Date().toISOString(), lastStatus: 'ok: 76 resources, 17 failing' })
    }
    return ok({ id: j.id, state, progress, message: state === 'done' ? 'Scan stored.' : state === 'queued' ? 'Waiting for a worker.' : `Scanning (${Math.round(progress * 100)}%)`, ...(state === 'done' ? { scanId: 's6' } : {}) })
  }
  if (method === 'GET' && p === '/baseline') {
    let list = edges
    if (q.get('state')) list = list.filter((e) => e.state === q.get('state'))
    if (q.get('workload')) list = list.filter((e) => e.from.id === q.get('workload') || e.to.id === q.get('workload'))
    return ok({ ...page(list, q), workloads })
  }
  if (method === 'POST' && p === '/baseline/review') {
    const w = needWrite()
    if (w) return w
    if (!body?.reason || body.reason.trim().length < 10) return err(400, 'PW_ERR_BAD_REQUEST', 'reason: at least 10 characters.', 'reason')
    if (body.state === 'snoozed' && !body.until) return err(400, 'PW_ERR_BAD_REQUEST', 'until: required for snoozed.', 'until')
    let updated = 0
    for (const e of edges) if (body.keys.includes(e.key)) {
      e.state = body.state
      e.review = { by: me.username, at: new Date().toISOString(), reason: body.reason, ...(body.until ? { until: body.until } : {}) }
      updated++
    }
    policyVersion++
    audit(me.username, 'baseline.review', `${updated} edges`)
    return ok({ updated })
  }
  if ((m = /^\/baseline\/workloads\/([^/]+)\/mode$/.exec(p)) && method === 'PUT') {
    const w = needWrite()
    if (w) return w
    const wl = workloads.find((x) => x.id === decodeURIComponent(m[1]))
    if (!wl) return err(404, 'PW_ERR_NOT_FOUND', 'No such workload.')
    if (body?.mode === 'enforce' && !policy().approval) return err(409, 'PW_ERR_CONFLICT', `Workload ${wl.name} cannot enforce: simulate the policy and approve it first.`)
    wl.mode = body.mode
    audit(me.username, 'workload.mode', wl.id)
    return ok({ workload: wl })
  }
  if (method === 'GET' && p === '/policy') return ok(policy())
  if (method === 'POST' && p === '/policy/simulate') return ok(simulate())
  if (method === 'POST' && p === '/policy/approve') {
    const w = needWrite()
    if (w) return w
    if (!body?.reason || body.reason.trim().length < 10) return err(400, 'PW_ERR_BAD_REQUEST', 'reason: at least 10 characters.', 'reason')
    if (body.digest !== simulate().digest) return err(409, 'PW_ERR_CONFLICT', 'The baseline changed since this simulation. Simulate again.')
    approval = { by: me.username, at: new Date().toISOString(), digest: body.digest, reason: body.reason }
    audit(me.username, 'policy.approve', `policy:v${policyVersion}`)
    return ok({ approval })
  }
  if (method === 'GET' && p === '/policy/export') {
    const f = q.get('format')
    if (!['networkpolicy', 'cilium', 'nftables', 'aws-sg'].includes(f)) return err(400, 'PW_ERR_BAD_REQUEST', 'Unknown format.', 'query.format')
    const ext = f === 'nftables' ? 'nft' : f === 'aws-sg' ? 'json' : 'yaml'
    return ok({ format: f, digest: policy().digest, files: workloads.slice(0, 2).map((w) => ({ path: `clinic/${w.name.replace(/\W+/g, '-')}.${f}.${ext}`, content: `# ${f} policy for ${w.name}\n`, workloads: [w.id] })), notes: f === 'networkpolicy' ? [{ workload: WL.intake.id, message: 'NetworkPolicy cannot match FQDN dynamodb.us-east-1.amazonaws.com; allowed its resolved addresses instead.' }] : [] })
  }
  if (method === 'GET' && p === '/alerts') return ok(page(alerts.filter((a) => !q.get('state') || a.state === q.get('state')), q))
  if ((m = /^\/alerts\/([^/]+)\/ack$/.exec(p)) && method === 'POST') {
    const w = needWrite()
    if (w) return w
    const a = alerts.find((x) => x.id === m[1])
    if (!a) return err(404, 'PW_ERR_NOT_FOUND', 'No such alert.')
    a.state = 'acknowledged'
    audit(me.username, 'alert.ack', `alert:${a.id}`)
    return ok({ alert: a })
  }
  if (method === 'GET' && p === '/audit') {
    if (!['admin', 'auditor'].includes(me.role)) return err(403, 'PW_ERR_FORBIDDEN', 'Only admins and auditors read the audit trail.')
    let list = [...auditEvents].reverse()
    if (q.get('beforeSeq')) list = list.filter((e) => e.seq < Number(q.get('beforeSeq')))
    if (q.get('actor')) list = list.filter((e) => e.actor.includes(q.get('actor')))
    if (q.get('action')) list = list.filter((e) => e.action.includes(q.get('action')))
    const lim = Number(q.get('limit') ?? 50)
    const items = list.slice(0, lim)
    return ok({ items, nextCursor: list.length > lim ? String(items.at(-1).seq) : null })
  }
  if (method === 'GET' && p === '/audit/verify') {
    if (!['admin', 'auditor'].includes(me.role)) return err(403, 'PW_ERR_FORBIDDEN', 'Only admins and auditors read the audit trail.')
    if (process.env.MOCK_BROKEN === '1') return ok({ ok: false, count: auditEvents.length, head: 'x', brokenAt: { seq: 57, reason: 'prevHash does not match the hash of #56' } })
    return ok({ ok: true, count: auditEvents.length, head: auditEvents.at(-1)?.hash ?? null })
  }
  if (p === '/users' && method === 'GET') return me.role === 'admin' ? ok({ items: users }) : err(403, 'PW_ERR_FORBIDDEN', 'Admins only.')
  if (p === '/users' && method === 'POST') {
    if (me.role !== 'admin') return err(403, 'PW_ERR_FORBIDDEN', 'Admins only.')
    if (!/^[a-z][a-z0-9._-]{2,31}$/.test(body?.username ?? '')) return err(400, 'PW_ERR_BAD_REQUEST', 'Usernames are 3–32 lower-case letters, digits, dot, dash or underscore.', 'username')
    if (users.some((u) => u.username === body.username)) return err(409, 'PW_ERR_CONFLICT', `User ${body.username} exists already.`)
    if (body.role === 'app-team' && !body.team) return err(400, 'PW_ERR_BAD_REQUEST', 'App-team users need a team.', 'team')
    const u = { id: `u${users.length + 1}`, username: body.username, role: body.role, team: body.team ?? null, disabled: false, totpEnrolled: false, lockedUntil: null, lastLoginAt: null, createdAt: new Date().toISOString() }
    users.push(u)
    return ok({ user: u, oneTimePassword: 'tulip-orbit-9-canyon-lamp' }, 201)
  }
  if ((m = /^\/users\/([^/]+)$/.exec(p)) && method === 'PATCH') {
    if (me.role !== 'admin') return err(403, 'PW_ERR_FORBIDDEN', 'Admins only.')
    const u = users.find((x) => x.id === m[1])
    if (!u) return err(404, 'PW_ERR_NOT_FOUND', 'No such user.')
    if (body.role) u.role = body.role
    if ('team' in body) u.team = body.team
    if (typeof body.disabled === 'boolean') u.disabled = body.disabled
    if (body.unlock) u.lockedUntil = null
    return ok({ user: u })
  }
  if ((m = /^\/users\/([^/]+)\/reset$/.exec(p)) && method === 'POST') {
    if (me.role !== 'admin') return err(403, 'PW_ERR_FORBIDDEN', 'Admins only.')
    const u = users.find((x) => x.id === m[1])
    if (!u) return err(404, 'PW_ERR_NOT_FOUND', 'No such user.')
    u.totpEnrolled = false
    return ok({ oneTimePassword: 'maple-river-4-stone-kite' })
  }
  if (p === '/tokens' && method === 'GET') return ok({ items: me.role === 'admin' ? tokens : tokens.filter((t) => t.owner === me.username) })
  if (p === '/tokens' && method === 'POST') {
    if (!body?.name) return err(400, 'PW_ERR_BAD_REQUEST', 'Name the token.', 'name')
    if (!(body.expiresInDays >= 1 && body.expiresInDays <= 365)) return err(400, 'PW_ERR_BAD_REQUEST', 'Between 1 and 365 days.', 'expiresInDays')
    const secret = `pw_${crypto.randomBytes(24).toString('base64url')}`
    const t = { id: `t${tokens.length + 1}`, name: body.name, scopes: body.scopes, prefix: secret.slice(0, 7), createdAt: new Date().toISOString(), expiresAt: iso(Date.now() + body.expiresInDays * D), lastUsedAt: null, owner: me.username }
    tokens.push(t)
    return ok({ token: t, secret }, 201)
  }
  if ((m = /^\/tokens\/([^/]+)$/.exec(p)) && method === 'DELETE') {
    tokens = tokens.filter((t) => t.id !== m[1])
    return ok({ ok: true })
  }
  return err(404, 'PW_ERR_NOT_FOUND', 'No such API route.')
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon' }

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`)
  res.setHeader('Content-Security-Policy', CSP)
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'no-referrer')
  if (url.pathname.startsWith('/api/')) {
    const delay = Number(process.env.MOCK_DELAY ?? 60)
    if (delay) await new Promise((r) => setTimeout(r, delay))
    let out
    try {
      out = await api(req, url, res)
    } catch (e) {
      out = err(500, 'PW_ERR_STORE', 'Mock failure: ' + (e instanceof Error ? e.message : String(e)))
    }
    res.setHeader('Cache-Control', 'no-store')
    if (out.raw !== undefined) {
      res.writeHead(out.status, { 'Content-Type': out.type })
      return res.end(out.raw)
    }
    res.writeHead(out.status, { 'Content-Type': 'application/json' })
    return res.end(JSON.stringify(out.body))
  }
  const file = path.join(webRoot, path.normalize(url.pathname).replace(/^(\.\.[/\\])+/, ''))
  if (file.startsWith(webRoot) && fs.existsSync(file) && fs.statSync(file).isFile()) {
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' })
    return fs.createReadStream(file).pipe(res)
  }
  res.writeHead(200, { 'Content-Type': TYPES['.html'], 'Cache-Control': 'no-cache' })
  res.end(fs.readFileSync(path.join(webRoot, 'index.html')))
})
server.listen(port, '127.0.0.1', () => console.log(`PhiWall mock on http://127.0.0.1:${port}${EMPTY ? ' (empty)' : ''}`))
