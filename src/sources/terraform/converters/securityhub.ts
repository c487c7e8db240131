import type { TfConverter } from '../types.js'
import { own, regionSettings } from './common.js'

/** Security Hub enablement (also marking its region's settings) and standards subscriptions. */
export const SECURITYHUB_CONVERTERS: Record<string, TfConverter> = {
  aws_securityhub_account: (r) => [
    own(r, 'AWS::SecurityHub::Hub', { EnableDefaultStandards: r.get('enable_default_standards'), ControlFindingGenerator: r.get('control_finding_generator'), AutoEnableControls: r.get('auto_enable_controls') }),
    regionSettings(r, { SecurityHubEnabled: true }, true),
  ],
  aws_securityhub_standards_subscription: (r) => [own(r, 'AWS::SecurityHub::Standard', { StandardsArn: r.get('standards_arn') })],
}
