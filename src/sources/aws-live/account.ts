import {
  GenerateCredentialReportCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  ListAccountAliasesCommand,
  ListVirtualMFADevicesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam'
import { GetPublicAccessBlockCommand, type S3ControlClient } from '@aws-sdk/client-s3-control'
import { parseCredentialReport, reportText, type CredentialReport } from './credential-report.js'
import { errorCode, type ErrorLog } from './errors.js'

/** An account-level setting as a snapshot resource (region `global`). */
export interface AccountResource {
  type: string
  identifier: string
  arn?: string
  properties: Record<string, unknown>
}

const NO_ENTITY = /^NoSuchEntity(Exception)?$/

/** IAM account alias, or undefined when the account has none or it cannot be read (logged). */
export async function accountAlias(iam: IAMClient, errors: ErrorLog): Promise<string | undefined> {
  try {
    const out = await iam.send(new ListAccountAliasesCommand({}))
    return out.AccountAliases?.[0]
  } catch (err) {
    errors.add({ service: 'iam', region: 'global', operation: 'ListAccountAliases' }, err)
    return undefined
  }
}

/**
 * `PhiWall::AWS::PasswordPolicy`: the account's IAM password policy. An account without one
 * (NoSuchEntity) gets `Configured: false`, which the checks judge as IAM's defaults.
 */
export async function passwordPolicy(iam: IAMClient, account: string, errors: ErrorLog): Promise<AccountResource | undefined> {
  try {
    const out = await iam.send(new GetAccountPasswordPolicyCommand({}))
    const p = out.PasswordPolicy ?? {}
    const props: Record<string, unknown> = { Configured: true }
    for (const key of ['MinimumPasswordLength', 'RequireSymbols', 'RequireNumbers', 'RequireUppercaseCharacters', 'RequireLowercaseCharacters', 'AllowUsersToChangePassword', 'MaxPasswordAge', 'PasswordReusePrevention', 'HardExpiry'] as const) {
      if (p[key] !== undefined) props[key] = p[key]
    }
    return { type: 'PhiWall::AWS::PasswordPolicy', identifier: account, properties: props }
  } catch (err) {
    if (NO_ENTITY.test(errorCode(err))) return { type: 'PhiWall::AWS::PasswordPolicy', identifier: account, properties: { Configured: false } }
    errors.add({ service: 'iam', region: 'global', operation: 'GetAccountPasswordPolicy' }, err)
    return undefined
  }
}

/**
 * `PhiWall::AWS::RootUser`: MFA and access keys of the root user, from the account summary. The
 * MFA is hardware when it is on and no virtual MFA device is assigned to the root user.
 */
export async function rootUser(iam: IAMClient, account: string, partition: string, errors: ErrorLog): Promise<AccountResource | undefined> {
  let summary: Record<string, number>
  try {
    summary = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap ?? {}
  } catch (err) {
    errors.add({ service: 'iam', region: 'global', operation: 'GetAccountSummary' }, err)
    return undefined
  }
  const mfa = summary['AccountMFAEnabled'] === 1
  const props: Record<string, unknown> = { MfaEnabled: mfa, AccessKeysPresent: (summary['AccountAccessKeysPresent'] ?? 0) > 0 }
  if (!mfa) props['HardwareMfaEnabled'] = false
  else {
    const rootArn = `arn:${partition}:iam::${account}:root`
    try {
      let virtualOnRoot = false
      let marker: string | undefined
      do {
        const page = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned', ...(marker ? { Marker: marker } : {}) }))
        if ((page.VirtualMFADevices ?? []).some((d) => d.User?.Arn === rootArn || /:mfa\/root-account-mfa-device$/.test(d.SerialNumber ?? ''))) virtualOnRoot = true
        marker = page.IsTruncated ? page.Marker : undefined
      } while (marker && !virtualOnRoot)
      props['HardwareMfaEnabled'] = !virtualOnRoot
    } catch (err) {
      // left out: a check then says it cannot tell, rather than guessing
      errors.add({ service: 'iam', region: 'global', operation: 'ListVirtualMFADevices' }, err)
    }
  }
  return { type: 'PhiWall::AWS::RootUser', identifier: 'root', arn: `arn:${partition}:iam::${account}:root`, properties: props }
}

/** `PhiWall::AWS::S3PublicAccessBlock`: the account-level S3 Block Public Access settings. */
export async function s3AccountPublicAccessBlock(s3control: S3ControlClient, account: string, errors: ErrorLog): Promise<AccountResource | undefined> {
  try {
    const out = await s3control.send(new GetPublicAccessBlockCommand({ AccountId: account }))
    const c = out.PublicAccessBlockConfiguration ?? {}
    return {
      type: 'PhiWall::AWS::S3PublicAccessBlock',
      identifier: account,
      properties: { Configured: true, BlockPublicAcls: c.BlockPublicAcls === true, IgnorePublicAcls: c.IgnorePublicAcls === true, BlockPublicPolicy: c.BlockPublicPolicy === true, RestrictPublicBuckets: c.RestrictPublicBuckets === true },
    }
  } catch (err) {
    if (errorCode(err) === 'NoSuchPublicAccessBlockConfiguration') {
      return { type: 'PhiWall::AWS::S3PublicAccessBlock', identifier: account, properties: { Configured: false, BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false } }
    }
    errors.add({ service: 's3control', region: 'global', operation: 'GetPublicAccessBlock' }, err)
    return undefined
  }
}

/**
 * The IAM credential report: generated, polled until COMPLETE (bounded by `timeoutMs`), then
 * read and parsed. Undefined when it cannot be had in time (logged).
 */
export async function credentialReport(iam: IAMClient, errors: ErrorLog, opts: { timeoutMs: number; sleep: (ms: number) => Promise<void>; now: () => number }): Promise<CredentialReport | undefined> {
  const deadline = opts.now() + opts.timeoutMs
  let wait = 1000
  for (;;) {
    let operation = 'GenerateCredentialReport'
    try {
      const gen = await iam.send(new GenerateCredentialReportCommand({}))
      if (gen.State === 'COMPLETE') {
        operation = 'GetCredentialReport'
        const out = await iam.send(new GetCredentialReportCommand({}))
        return parseCredentialReport(reportText(out.Content))
      }
    } catch (err) {
      // a report being regenerated between the two calls: try again within the deadline
      if (!/CredentialReport(NotReady|Expired|NotPresent)/.test(errorCode(err))) {
        errors.add({ service: 'iam', region: 'global', operation }, err)
        return undefined
      }
    }
    if (opts.now() + wait > deadline) {
      const err = new Error(`The IAM credential report was not ready within ${Math.round(opts.timeoutMs / 1000)} s.`)
      err.name = 'CredentialReportTimeout'
      errors.add({ service: 'iam', region: 'global', operation: 'GetCredentialReport' }, err)
      return undefined
    }
    await opts.sleep(wait)
    wait = Math.min(wait * 2, 8000)
  }
}
