import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { scan } from '../../scan/index.js'
import { ALL_CHECKS, VM_CHECKS } from '../index.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const plan = path.join(here, '../../sources/terraform/testdata/clinic-vm-plan.json')

/**
 * The clinic's VM tier (src/sources/terraform/testdata/clinic-vm-plan.tf, planned by Terraform
 * 1.11 with AWS provider 5.100) judged by every check PhiWall ships. Each expectation is derived
 * from the configuration by hand; the comment says which line of the .tf makes it fail.
 */
const EXPECTED_FAILURES: Record<string, string[]> = {
  'aws_instance.hl7': [
    // key_name = aws_key_pair.vendor.key_name on an instance tagged data-classification = phi
    'vm/no-key-pair-phi',
  ],
  'aws_instance.jump': [
    // no metadata_options: the provider leaves http_tokens "optional" on a generic AMI
    'aws/ec2-imdsv2',
    // untagged, and the only backup selection is resources ["*"] narrowed by the backup = daily-35d condition
    'aws/ec2-in-backup-plan',
    // ebs_block_device /dev/sdg has encrypted = false (and the plan shows no EBS encryption by default)
    'aws/ec2-ebs-encrypted',
    // no iam_instance_profile ...
    'aws/ec2-instance-profile',
    // ... so SSM Agent has no credentials, and no Default Host Management setting is in the plan
    'vm/ssm-managed',
    // monitoring not set: basic five-minute metrics
    'vm/detailed-monitoring',
    // tags = { Name } only: no Patch Group
    'vm/patch-group-tag',
  ],
  'aws_launch_template.reporting': [
    // metadata_options { http_tokens = "optional" }
    'aws/ec2-imdsv2',
    // user_data exports REPORT_DB_PASSWORD='…' in the boot script
    'vm/user-data-secrets',
  ],
  'aws_autoscaling_group.reporting': [
    // its launch template's network interface sets associate_public_ip_address = true
    'vm/asg-no-public-ip',
    // its launch template has monitoring { enabled = false }
    'vm/detailed-monitoring',
    // the template tags instances Patch Group = clinic-reporting, which no baseline or window registers
    'vm/patch-group-tag',
    // the template's instance profile role only has an S3 inline policy: no SSM Agent permissions
    'vm/ssm-managed',
  ],
  'aws_security_group.hl7': [
    // aws_vpc_security_group_ingress_rule.hl7_vendor_ssh opens 22 to 0.0.0.0/0
    'aws/vpc-sg-authorized-ports',
    'aws/vpc-sg-no-public-admin-ports',
  ],
  'aws_security_group.jump': [
    // inline ingress "SSH from anywhere"
    'aws/vpc-sg-authorized-ports',
    'aws/vpc-sg-no-public-admin-ports',
  ],
  'aws_iam_role.reporting': [
    // aws_iam_role_policy.reporting_exports is an inline policy
    'aws/iam-no-inline-policy',
  ],
  'aws_backup_vault.clinic': [
    // no aws_backup_vault_lock_configuration and no vault policy denying deletion
    'aws/backup-vault-lock',
  ],
}

describe('the clinic VM tier (Terraform plan) judged by every check', () => {
  it('reads the plan without diagnostics and fails exactly the expected checks on each resource', async () => {
    const r = await scan([plan], { checks: ALL_CHECKS, now: new Date('2026-11-23T00:00:00Z') })
    expect(r.files[0]?.status).toBe('ok')
    expect(r.files[0]?.diagnostics).toEqual([])
    const failing: Record<string, string[]> = {}
    for (const f of r.findings) {
      if (f.status !== 'fail' || f.suppressed) continue
      const sourceId = r.inventory.resources.find((x) => x.id === f.resourceId)?.sourceId ?? f.resourceId
      ;(failing[sourceId] ??= []).push(f.checkId)
    }
    for (const ids of Object.values(failing)) ids.sort()
    const expected = Object.fromEntries(Object.entries(EXPECTED_FAILURES).map(([k, v]) => [k, [...v].sort()]))
    expect(failing).toEqual(expected)
  })

  it('gives every finding about a VM resource a line in the plan, and no check errors', async () => {
    const r = await scan([plan], { checks: ALL_CHECKS, now: new Date('2026-11-23T00:00:00Z') })
    expect(r.findings.filter((f) => f.status === 'error').map((f) => `${f.checkId}: ${f.message}`)).toEqual([])
    for (const f of r.findings.filter((x) => x.status === 'fail')) expect(f.location.line, `${f.checkId} ${f.message}`).toBeGreaterThan(0)
    // nothing of the vendor password in the boot script reaches the findings
    expect(JSON.stringify(r.findings)).not.toContain('Rep0rt1ng-Pr0d-2024')
  })

  it('judges every VM resource of the tier with the VM checks (none is skipped as unknown)', async () => {
    const r = await scan([plan], { checks: VM_CHECKS, now: new Date('2026-11-23T00:00:00Z') })
    const manual = r.findings.filter((f) => f.status === 'manual').map((f) => `${f.checkId}: ${f.message}`)
    expect(manual).toEqual([])
    const judged = new Set(r.findings.map((f) => r.inventory.resources.find((x) => x.id === f.resourceId)?.sourceId))
    for (const id of ['aws_instance.hl7', 'aws_instance.jump', 'aws_autoscaling_group.reporting', 'aws_launch_template.reporting']) expect(judged.has(id), id).toBe(true)
  })
})

/**
 * The EC2 checks of the foundation on Terraform shapes (testdata/_shared/aws-checks-on-terraform.tf):
 * Elastic IPs on the instance and through an association, a subnet that maps public addresses, and
 * an instance that takes metadata options, profile and volumes from its launch template.
 */
describe('the EC2 checks of the foundation on Terraform VMs', () => {
  const EC2_CHECKS = ['aws/ec2-no-public-ip-phi', 'aws/ec2-imdsv2', 'aws/ec2-instance-profile', 'aws/ec2-ebs-encrypted']
  const EXPECTED: Record<string, Record<string, string>> = {
    // aws_eip_association.dicom points at it; no metadata_options, profile or encrypted root volume declared
    'aws_instance.dicom': { 'aws/ec2-no-public-ip-phi': 'fail', 'aws/ec2-imdsv2': 'fail', 'aws/ec2-instance-profile': 'fail', 'aws/ec2-ebs-encrypted': 'manual' },
    // aws_eip.lab names it in `instance`
    'aws_instance.lab': { 'aws/ec2-no-public-ip-phi': 'fail', 'aws/ec2-imdsv2': 'fail', 'aws/ec2-instance-profile': 'fail', 'aws/ec2-ebs-encrypted': 'manual' },
    // launched in aws_subnet.public, whose map_public_ip_on_launch is true
    'aws_instance.pacs': { 'aws/ec2-no-public-ip-phi': 'fail', 'aws/ec2-imdsv2': 'fail', 'aws/ec2-instance-profile': 'fail', 'aws/ec2-ebs-encrypted': 'manual' },
    // private subnet; http_tokens, the profile and the (unencrypted) root volume come from aws_launch_template.app
    'aws_instance.app': { 'aws/ec2-no-public-ip-phi': 'pass', 'aws/ec2-imdsv2': 'pass', 'aws/ec2-instance-profile': 'pass', 'aws/ec2-ebs-encrypted': 'fail' },
    'aws_launch_template.app': { 'aws/ec2-imdsv2': 'pass', 'aws/ec2-ebs-encrypted': 'fail' },
  }

  it('judges Elastic IPs, public subnets and launch templates of a plan as they judge a template', async () => {
    const file = path.join(here, 'testdata/_shared/aws-checks-on-terraform.json')
    const r = await scan([file], { checks: ALL_CHECKS.filter((c) => EC2_CHECKS.includes(c.id)), now: new Date('2026-11-23T00:00:00Z') })
    expect(r.files[0]?.status).toBe('ok')
    const actual: Record<string, Record<string, string>> = {}
    for (const f of r.findings) {
      const sourceId = r.inventory.resources.find((x) => x.id === f.resourceId)?.sourceId ?? f.resourceId
      ;(actual[sourceId] ??= {})[f.checkId] = f.status
    }
    expect(actual).toEqual(EXPECTED)
  })
})

