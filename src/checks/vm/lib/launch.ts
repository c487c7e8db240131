import type { Resource } from '../../../model/index.js'
import { launchTemplateOf } from '../../aws/lib/ec2.js'
import { pointsAt, resolve, subject } from '../../aws/lib/judge.js'
import { at, bool, describe, isObj, isUnknown, list, str } from '../../aws/lib/values.js'
import type { CheckContext } from '../../types.js'

/** Where launch settings of a virtual machine are written: the instance, a launch template, a launch configuration. */
export interface LaunchLayer {
  res: Resource
  kind: 'instance' | 'launch-template' | 'launch-configuration'
}

/**
 * The settings instances are launched with, most specific first: an instance's own properties,
 * then its launch template's; an Auto Scaling group's launch template (or mixed instances policy
 * template) or launch configuration. `missing` names a template or configuration that is not in
 * the scan, whose settings are then unknown.
 */
export interface LaunchSettings {
  layers: LaunchLayer[]
  missing?: string
  /** Property path on the judged resource that leads to the layers below it (`LaunchTemplate`). */
  via?: string
}

/** Launch settings of an instance, Auto Scaling group, launch template or launch configuration. */
export function launchSettings(r: Resource, ctx: CheckContext): LaunchSettings {
  if (r.type === 'AWS::EC2::LaunchTemplate') return { layers: [{ res: r, kind: 'launch-template' }] }
  if (r.type === 'AWS::AutoScaling::LaunchConfiguration') return { layers: [{ res: r, kind: 'launch-configuration' }] }
  if (r.type === 'AWS::EC2::Instance') {
    const layers: LaunchLayer[] = [{ res: r, kind: 'instance' }]
    if (r.props['LaunchTemplate'] === undefined) return { layers }
    const lt = launchTemplateOf(r, ctx)
    if (lt) return { layers: [...layers, { res: lt, kind: 'launch-template' }], via: 'LaunchTemplate' }
    return { layers, missing: `launch template ${templateName(r.props['LaunchTemplate'])}`, via: 'LaunchTemplate' }
  }
  // an Auto Scaling group
  const spec = r.props['LaunchTemplate'] ?? at(r.props, 'MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification')
  const via = r.props['LaunchTemplate'] !== undefined ? 'LaunchTemplate' : spec !== undefined ? 'MixedInstancesPolicy' : 'LaunchConfigurationName'
  if (isObj(spec)) {
    const lt = resolve([spec['LaunchTemplateId'], spec['LaunchTemplateName']].filter((x) => x !== undefined), r, ctx, ['AWS::EC2::LaunchTemplate'])[0] ?? byTemplateName(spec['LaunchTemplateName'], ctx)
    return lt ? { layers: [{ res: lt, kind: 'launch-template' }], via } : { layers: [], missing: `launch template ${templateName(spec)}`, via }
  }
  const lcName = r.props['LaunchConfigurationName']
  if (lcName !== undefined) {
    const lc = ctx.view.ofType('AWS::AutoScaling::LaunchConfiguration').find((c) => pointsAt(lcName, r, c, ctx) || str(c.props['LaunchConfigurationName']) === lcName)
    return lc ? { layers: [{ res: lc, kind: 'launch-configuration' }], via } : { layers: [], missing: `launch configuration ${describe(lcName)}`, via }
  }
  return { layers: [], missing: 'a launch template or configuration it does not name', via }
}

function templateName(spec: unknown): string {
  if (!isObj(spec)) return describe(spec)
  return describe(spec['LaunchTemplateName'] ?? spec['LaunchTemplateId'])
}

function byTemplateName(name: unknown, ctx: CheckContext): Resource | undefined {
  return typeof name === 'string' ? ctx.view.ofType('AWS::EC2::LaunchTemplate').find((t) => t.props['LaunchTemplateName'] === name) : undefined
}

/** Launch settings PhiWall judges, and where each kind of layer writes them. */
export type LaunchField = 'profile' | 'monitoring' | 'keyName' | 'userData' | 'terminationProtection' | 'metadataOptions' | 'networkInterfaces'

const PATHS: Record<LaunchField, Partial<Record<LaunchLayer['kind'], string>>> = {
  profile: { instance: 'IamInstanceProfile', 'launch-template': 'LaunchTemplateData.IamInstanceProfile', 'launch-configuration': 'IamInstanceProfile' },
  monitoring: { instance: 'Monitoring', 'launch-template': 'LaunchTemplateData.Monitoring.Enabled', 'launch-configuration': 'InstanceMonitoring' },
  keyName: { instance: 'KeyName', 'launch-template': 'LaunchTemplateData.KeyName', 'launch-configuration': 'KeyName' },
  userData: { instance: 'UserData', 'launch-template': 'LaunchTemplateData.UserData', 'launch-configuration': 'UserData' },
  terminationProtection: { instance: 'DisableApiTermination', 'launch-template': 'LaunchTemplateData.DisableApiTermination' },
  metadataOptions: { instance: 'MetadataOptions', 'launch-template': 'LaunchTemplateData.MetadataOptions', 'launch-configuration': 'MetadataOptions' },
  networkInterfaces: { instance: 'NetworkInterfaces', 'launch-template': 'LaunchTemplateData.NetworkInterfaces' },
}

/** A launch setting as written, the layer that writes it and its path there. */
export interface LaunchValue {
  value: unknown
  layer: LaunchLayer
  path: string
}

/** The first layer that writes a setting (an instance's own value overrides its launch template's). */
export function launchField(s: LaunchSettings, field: LaunchField): LaunchValue | undefined {
  for (const layer of s.layers) {
    const path = PATHS[field][layer.kind]
    if (!path) continue
    const value = at(layer.res.props, path)
    if (value !== undefined && value !== null && value !== '') return { value, layer, path }
  }
  return undefined
}

/** Path on the judged resource for a value found in a layer: its own path, or the property leading to the layer. */
export function pathOn(r: Resource, s: LaunchSettings, v: LaunchValue | undefined): string | undefined {
  if (v && v.layer.res === r) return v.path
  return s.via
}

/** "… (through launch template X)" for messages about a value written below the judged resource. */
export function through(r: Resource, v: LaunchValue | undefined): string {
  return v && v.layer.res !== r ? ` (through ${subject(v.layer.res).replace(/^EC2 launch template/, 'launch template').replace(/^Launch configuration/, 'launch configuration')})` : ''
}

/**
 * Tags the instances get: an instance's own tags and those its launch template gives instances
 * (`TagSpecifications` of `ResourceType: instance`); for an Auto Scaling group, its tags that
 * propagate at launch and its launch template's. An instance's own tags win.
 */
export function instanceTags(r: Resource, s: LaunchSettings): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const layer of [...s.layers].reverse()) {
    if (layer.kind !== 'launch-template') continue
    for (const spec of list(at(layer.res.props, 'LaunchTemplateData.TagSpecifications'))) {
      if (!isObj(spec) || str(spec['ResourceType']) !== 'instance') continue
      for (const t of list(spec['Tags'])) if (isObj(t) && typeof t['Key'] === 'string') out[t['Key']] = t['Value']
    }
  }
  if (r.type === 'AWS::AutoScaling::AutoScalingGroup') {
    for (const t of list(r.props['Tags'])) if (isObj(t) && typeof t['Key'] === 'string' && bool(t['PropagateAtLaunch'], true) !== false) out[t['Key']] = t['Value']
  } else if (r.type === 'AWS::EC2::Instance') {
    Object.assign(out, r.labels)
    for (const t of list(r.props['Tags'])) if (isObj(t) && typeof t['Key'] === 'string' && isUnknown(t['Value'])) out[t['Key']] = t['Value']
  }
  return out
}

/** Instance profiles a profile setting names: references, ARNs, names (`InstanceProfileName`), LT `{ Arn, Name }`. */
export function profilesNamed(value: unknown, from: Resource, ctx: CheckContext): Resource[] {
  const parts = isObj(value) && !isUnknown(value) ? [value['Arn'], value['Name']].filter((x) => x !== undefined) : [value]
  const out = new Set(resolve(parts, from, ctx, ['AWS::IAM::InstanceProfile']))
  for (const p of parts) {
    if (typeof p !== 'string') continue
    const name = p.startsWith('arn:') ? p.split('/').pop() : p
    for (const x of ctx.view.ofType('AWS::IAM::InstanceProfile')) if (x.props['InstanceProfileName'] === name) out.add(x)
  }
  return [...out]
}

/** Roles an instance profile holds, when they are in the scan; `names` are those that are not. */
export function rolesOfProfile(profile: Resource, ctx: CheckContext): { roles: Resource[]; outside: unknown[] } {
  const roles: Resource[] = []
  const outside: unknown[] = []
  for (const entry of list(profile.props['Roles'])) {
    const found = resolve(entry, profile, ctx, ['AWS::IAM::Role'])
    if (!found.length && typeof entry === 'string') found.push(...ctx.view.ofType('AWS::IAM::Role').filter((x) => x.props['RoleName'] === entry || x.arn === entry))
    if (found.length) roles.push(...found.filter((x) => !roles.includes(x)))
    else outside.push(entry)
  }
  return { roles, outside }
}
