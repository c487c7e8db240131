import { maskValue } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from '../aws/lib/judge.js'
import { launchField, launchSettings } from './lib/launch.js'
import { secretsIn, userDataText } from './lib/user-data.js'

/** Boot scripts fetch secrets at run time; they never carry them. */
export default defineCheck({
  id: 'vm/user-data-secrets',
  title: 'EC2 user data holds no credentials',
  severity: 'high',
  resourceKinds: ['aws:ec2:instance', 'aws:ec2:launch-template', 'aws:autoscaling:launch-configuration'],
  rationale:
    'User data is readable by anyone allowed ec2:DescribeInstanceAttribute or ec2:DescribeLaunchTemplateVersions, by every process on the instance through the metadata service (one SSRF bug away from the internet), and it is copied into Terraform state, CloudFormation templates and CI logs. A database password or access key in a boot script therefore opens the PHI database or bucket to far more people than the application, and it is never rotated because nobody remembers it is there.',
  remediation: {
    text: 'Keep the secret in Secrets Manager (or an SSM SecureString parameter), grant the instance role read access to it, and have the boot script fetch it at run time; rotate any credential that was ever written into user data.',
    terraform: 'user_data = <<-EOT\n  #!/bin/bash\n  export DB_PASSWORD="$(aws secretsmanager get-secret-value --secret-id clinic/reporting/db --query SecretString --output text)"\nEOT',
    cloudformation: 'UserData: !Base64 |\n  #!/bin/bash\n  export DB_PASSWORD="$(aws secretsmanager get-secret-value --secret-id clinic/reporting/db --query SecretString --output text)"',
  },
  controls: { csf: ['PR.AC-1', 'PR.DS-5', 'PR.IP-1'], hipaa: ['164.312(a)(1)', '164.308(a)(5)(ii)(D)', '164.312(d)'], ferpa: ['FERPA-AUTHENTICATION', 'FERPA-SECURE-CONFIGURATIONS'] },
  references: { prowler: ['ec2_instance_secrets_user_data', 'ec2_launch_template_no_secrets', 'autoscaling_find_secrets_ec2_launch_configuration'] },
  // the collector masks user data of live resources (src/sources/aws-live/mask.ts): nothing to read
  appliesTo: (r) => r.origin !== 'aws-snapshot',
  evaluate(r, ctx) {
    // an instance's own user data; a launch template's is judged on the template
    const v = launchField({ layers: launchSettings(r, ctx).layers.slice(0, 1) }, 'userData')
    if (!v) return pass(`${subject(r)} has no user data.`)
    const ud = userDataText(v.value)
    if (ud.unreadable) {
      // a Terraform plan keeps only the SHA-1 of `user_data` that is not a constant; `user_data_base64` keeps the script
      const hint = r.origin === 'terraform' ? ' (a Terraform plan keeps only a hash of user_data built by file(), templatefile() or interpolation; user_data_base64 keeps the script readable)' : ''
      return manual(`${subject(r)} has user data built from values unknown at scan time${hint}; review it for credentials.`, { path: v.path })
    }
    const found = secretsIn(ud.text)
    if (!found.length) return pass(`${subject(r)} has user data without credentials${ud.partial ? ' in the parts known at scan time' : ''}.`)
    const kinds = [...new Set(found.map((f) => f.kind))]
    const lines = [...new Set(found.map((f) => f.line))]
    return fail(`${subject(r)} has user data holding ${kinds.join(' and ')} in plaintext (line${lines.length > 1 ? 's' : ''} ${lines.join(', ')} of the script).`, {
      path: v.path,
      evidence: { secrets: found.slice(0, 10).map((f) => ({ kind: f.kind, scriptLine: f.line, masked: maskValue(f.secret) })) },
    })
  },
})
