import { maskValue } from '../../../model/index.js'
import { compact, nested, nonBlank, nonEmpty } from '../reader.js'
import type { TfConverter, TfReader } from '../types.js'
import { own } from './common.js'

function group(g: TfReader | undefined): Record<string, unknown> | undefined {
  return g ? nested({ InstanceType: g.get('instance_type'), InstanceCount: g.get('instance_count') ?? 1, Name: nonBlank(g.get('name')) }) : undefined
}

/** A comma-separated list of security groups (how the EMR resource takes them) as a list. */
function commaList(v: unknown): unknown {
  return typeof v === 'string' ? nonEmpty(v.split(',').map((s) => s.trim()).filter(Boolean)) : v
}

/** A secret the checks only need to know is set: its masked form. */
function masked(v: unknown): unknown {
  return typeof v === 'string' ? (v ? maskValue(v) : undefined) : v
}

/** EMR clusters (Kerberos, security configuration, network placement) and security configurations. */
export const EMR_CONVERTERS: Record<string, TfConverter> = {
  aws_emr_cluster: (r) => {
    const ec2 = r.block('ec2_attributes')
    const kerberos = r.block('kerberos_attributes')
    return [
      own(
        r,
        'AWS::EMR::Cluster',
        {
          Name: r.get('name'),
          ReleaseLabel: nonBlank(r.get('release_label')),
          Applications: nonEmpty((Array.isArray(r.get('applications')) ? (r.get('applications') as unknown[]) : []).map((Name) => ({ Name }))),
          ServiceRole: r.ref('service_role'),
          JobFlowRole: ec2?.ref('instance_profile'),
          AutoScalingRole: nonBlank(r.ref('autoscaling_role')),
          SecurityConfiguration: nonBlank(r.ref('security_configuration')),
          LogUri: nonBlank(r.get('log_uri')),
          VisibleToAllUsers: r.get('visible_to_all_users'),
          EbsRootVolumeSize: r.get('ebs_root_volume_size') || undefined,
          CustomAmiId: nonBlank(r.get('custom_ami_id')),
          KerberosAttributes: kerberos
            ? compact({
                Realm: kerberos.get('realm'),
                KdcAdminPassword: masked(kerberos.get('kdc_admin_password')),
                CrossRealmTrustPrincipalPassword: masked(kerberos.get('cross_realm_trust_principal_password')),
                ADDomainJoinUser: nonBlank(kerberos.get('ad_domain_join_user')),
                ADDomainJoinPassword: masked(kerberos.get('ad_domain_join_password')),
              })
            : undefined,
          Instances: compact({
            Ec2SubnetId: nonBlank(ec2?.ref('subnet_id')),
            Ec2KeyName: nonBlank(ec2?.get('key_name')),
            EmrManagedMasterSecurityGroup: nonBlank(ec2?.ref('emr_managed_master_security_group')),
            EmrManagedSlaveSecurityGroup: nonBlank(ec2?.ref('emr_managed_slave_security_group')),
            ServiceAccessSecurityGroup: nonBlank(ec2?.ref('service_access_security_group')),
            AdditionalMasterSecurityGroups: commaList(ec2?.get('additional_master_security_groups')),
            AdditionalSlaveSecurityGroups: commaList(ec2?.get('additional_slave_security_groups')),
            TerminationProtected: r.get('termination_protection'),
            KeepJobFlowAliveWhenNoSteps: r.get('keep_job_flow_alive_when_no_steps'),
            MasterInstanceGroup: group(r.block('master_instance_group')),
            CoreInstanceGroup: group(r.block('core_instance_group')),
          }),
          Tags: r.tags(),
        },
        { lines: { Instances: 'ec2_attributes', KerberosAttributes: 'kerberos_attributes', JobFlowRole: 'ec2_attributes' } },
      ),
    ]
  },
  aws_emr_security_configuration: (r) => [own(r, 'AWS::EMR::SecurityConfiguration', { Name: r.get('name'), SecurityConfiguration: r.json('configuration') }, { lines: { SecurityConfiguration: 'configuration' } })],
}
