import { describe, expect, it } from 'vitest'
import { readFixture } from './testdata/load.js'

/** A plan creating one aws_ssm_document with these values and unknown-after-apply markers. */
function plan(values: Record<string, unknown>, unknown: Record<string, unknown> = {}): string {
  const address = 'aws_ssm_document.runbook'
  const res = { address, mode: 'managed', type: 'aws_ssm_document', name: 'runbook', provider_name: 'registry.terraform.io/hashicorp/aws', values: { name: 'runbook', document_type: 'Automation', content: '{}', ...values } }
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.9.5',
    planned_values: { root_module: { resources: [res] } },
    resource_changes: [{ address, mode: 'managed', type: 'aws_ssm_document', name: 'runbook', change: { actions: ['create'], after: res.values, after_unknown: unknown } }],
    configuration: { root_module: { resources: [{ address, mode: 'managed', type: 'aws_ssm_document', name: 'runbook', expressions: {} }] } },
  })
}
const sharing = (text: string) => readFixture('plan.json', text).resources.find((r) => r.type === 'AWS::SSM::Document')?.properties['PhiWallSharedWith']

describe('aws_ssm_document permissions', () => {
  it('records the accounts a document is shared with, All as public', () => {
    expect(sharing(plan({ permissions: { type: 'Share', account_ids: 'All' } }))).toEqual(['all'])
    expect(sharing(plan({ permissions: { type: 'Share', account_ids: '444455556666, 111122223333' } }))).toEqual(['111122223333', '444455556666'])
  })

  it('records nothing when the plan does not manage the sharing, or does not know it yet', () => {
    expect(sharing(plan({}))).toBeUndefined()
    // an account id known only after apply (an account the same plan creates)
    expect(sharing(plan({ permissions: { type: 'Share' } }, { permissions: { account_ids: true } }))).toBeUndefined()
  })
})
