import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { describeSharing, sharingOf } from './lib/sharing.js'

/** No SSM document the account owns is shared publicly. */
export default defineCheck({
  id: 'aws/ssm-document-not-public',
  title: 'SSM document is not public',
  severity: 'high',
  resourceKinds: ['aws:ssm:document'],
  rationale:
    "A public document can be read and run by any AWS account. Runbooks and automation documents describe how the environment is built — instance names, bucket and table names, restore procedures — and often carry defaults, endpoints or credentials that help an attacker; a document shared by mistake is the usual way they leak.",
  remediation: {
    text: 'Remove the public share (account id All); share with named accounts only, and turn on the account-level block on public document sharing.',
    terraform: 'permissions = { type = "Share", account_ids = "111122223333" }  # named accounts, never All',
    cli: 'aws ssm modify-document-permission --name <doc> --permission-type Share --account-ids-to-remove All\naws ssm update-service-setting --setting-id /ssm/documents/console/public-sharing-permission --setting-value Disable',
  },
  controls: { csf: ['PR.AC-4', 'PR.DS-5', 'PR.IP-1'], hipaa: ['164.312(a)(1)', '164.308(a)(4)(ii)(B)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-SECURE-CONFIGURATIONS'] },
  references: { awsConfig: ['SSM_DOCUMENT_NOT_PUBLIC'], prowler: ['ssm_documents_set_as_public'] },
  // a template's document is not shared by the template (CloudFormation cannot share documents):
  // judged where the scan records the sharing (a Terraform plan), and on every document of an
  // account snapshot (where a failed permission call leaves the sharing unknown: manual)
  appliesTo: (doc) => doc.origin === 'aws-snapshot' || doc.props['PhiWallSharedWith'] !== undefined,
  evaluate(doc) {
    const sharing = sharingOf(doc)
    if (!sharing) return manual(`${subject(doc)}: the scan does not record who the document is shared with (the collector's DescribeDocumentPermission call failed).`)
    if (sharing.public) return fail(`${subject(doc)} is public: any AWS account can read and run it.`, { path: 'PhiWallSharedWith', evidence: { sharedWith: 'all', accounts: sharing.accounts.length } })
    return pass(`${subject(doc)} ${describeSharing(sharing)}.`, { accounts: sharing.accounts.length })
  },
})
