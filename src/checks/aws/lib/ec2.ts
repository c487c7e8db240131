import type { Resource } from '../../../model/index.js'
import type { CheckContext } from '../../types.js'
import { regionSettingsFor, resolve } from './judge.js'
import { subnetsNamed } from './network.js'
import { at, bool, describe, isObj, list, str } from './values.js'

/** Account-level EBS encryption by default for the resource's region, when a snapshot states it. */
export function ebsDefaultEncryption(r: Resource, ctx: CheckContext): boolean | undefined {
  const s = regionSettingsFor(r, ctx)
  return s ? bool(s.props['EbsEncryptionByDefault'], undefined) : undefined
}

/** One EBS volume or block device mapping judged for encryption. */
export interface EbsJudgement {
  state: 'yes' | 'no' | 'unknown'
  what: string
  reason: string
  path?: string
}

/**
 * Encryption of an `Encrypted` flag: true is encrypted; false or absent is encrypted only when
 * the account turns on EBS encryption by default in the region (which overrides false), and
 * unknown when the scan does not show that setting.
 */
function judgeFlag(raw: unknown, r: Resource, ctx: CheckContext, what: string, path: string): EbsJudgement {
  const v = bool(raw, undefined)
  if (raw !== undefined && raw !== null && v === undefined) return { state: 'unknown', what, reason: `takes Encrypted from ${describe(raw)}, unknown at scan time`, path }
  if (v === true) return { state: 'yes', what, reason: 'is encrypted' }
  if (r.origin === 'aws-snapshot') return { state: 'no', what, reason: 'is not encrypted', path }
  const byDefault = ebsDefaultEncryption(r, ctx)
  if (byDefault === true) return { state: 'yes', what, reason: 'is encrypted by the account default (EBS encryption by default is on)' }
  if (byDefault === false) return { state: 'no', what, reason: `is not encrypted (${v === false ? 'Encrypted is false' : 'Encrypted is not set'} and EBS encryption by default is off)`, path }
  if (v === false) return { state: 'no', what, reason: 'has Encrypted set to false', path }
  return { state: 'unknown', what, reason: 'does not set Encrypted, so it is encrypted only if the account turns on EBS encryption by default, which the scan does not show', path }
}

/** Block device mappings of an instance, launch template or launch configuration. */
function mappings(r: Resource): { list: unknown[]; base: string } {
  if (r.type === 'AWS::EC2::LaunchTemplate') return { list: list(at(r.props, 'LaunchTemplateData.BlockDeviceMappings')), base: 'LaunchTemplateData.BlockDeviceMappings' }
  return { list: list(r.props['BlockDeviceMappings']), base: 'BlockDeviceMappings' }
}

/** Encryption of every EBS volume a volume, instance or launch template declares. */
export function ebsJudgements(r: Resource, ctx: CheckContext): EbsJudgement[] {
  if (r.type === 'AWS::EC2::Volume') return [judgeFlag(r.props['Encrypted'], r, ctx, `EBS volume ${r.name}`, 'Encrypted')]
  const { list: maps, base } = mappings(r)
  const out: EbsJudgement[] = []
  maps.forEach((m, i) => {
    if (!isObj(m) || !isObj(m['Ebs'])) return
    const dev = str(m['DeviceName']) ?? `#${i}`
    out.push(judgeFlag(m['Ebs']['Encrypted'], r, ctx, `volume ${dev}`, `${base}.${i}.Ebs.Encrypted`))
  })
  // an instance that declares no mappings gets its launch template's
  const lt = !out.length && r.type === 'AWS::EC2::Instance' ? launchTemplateOf(r, ctx) : undefined
  if (lt) {
    list(at(lt.props, 'LaunchTemplateData.BlockDeviceMappings')).forEach((m, i) => {
      if (!isObj(m) || !isObj(m['Ebs'])) return
      const dev = str(m['DeviceName']) ?? `#${i}`
      const j = judgeFlag(m['Ebs']['Encrypted'], lt, ctx, `volume ${dev} (from launch template ${lt.name})`, 'LaunchTemplate')
      out.push(j.path ? { ...j, path: 'LaunchTemplate' } : j)
    })
  }
  if (!out.length) {
    // the root volume comes from the AMI's snapshot: encrypted if that snapshot is, or by the account default
    const byDefault = ebsDefaultEncryption(r, ctx)
    out.push(
      byDefault === true
        ? { state: 'yes', what: 'root volume', reason: 'is encrypted by the account default (EBS encryption by default is on)' }
        : { state: 'unknown', what: 'root volume', reason: "comes from the AMI's block device mapping; it is encrypted only if the AMI snapshot is or the account encrypts EBS by default" },
    )
  }
  return out
}

/** Subnets an instance is launched into (SubnetId or its network interfaces). */
export function instanceSubnets(inst: Resource, ctx: CheckContext): { subnets: Resource[]; declared: unknown[] } {
  const declared: unknown[] = []
  if (inst.props['SubnetId'] !== undefined) declared.push(inst.props['SubnetId'])
  for (const ni of list(inst.props['NetworkInterfaces'])) if (isObj(ni) && ni['SubnetId'] !== undefined) declared.push(ni['SubnetId'])
  return { subnets: declared.flatMap((d) => subnetsNamed(d, inst, ctx)), declared }
}

/** The launch template an instance or Auto Scaling group names, when it is in the scan. */
export function launchTemplateOf(r: Resource, ctx: CheckContext): Resource | undefined {
  const lt = r.props['LaunchTemplate']
  if (!isObj(lt)) return undefined
  return resolve([lt['LaunchTemplateId'], lt['LaunchTemplateName']].filter((x) => x !== undefined), r, ctx, ['AWS::EC2::LaunchTemplate'])[0]
}

