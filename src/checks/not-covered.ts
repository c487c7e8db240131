/**
 * Rules of the AWS Config HIPAA conformance pack that no PhiWall check judges, and why. Every
 * other rule of the pack names at least one check in `references.awsConfig`; the catalog test
 * keeps the two lists complete together, and docs/checks.md prints both.
 */
export const NOT_COVERED_CONFIG_RULES: Record<string, string> = {
  AWS_CONFIG_PROCESS_CHECK: 'A process check (an annual risk assessment), not a resource configuration; AWS Config itself marks it manual. PhiWall reports the controls it maps to as manual with guidance.',
  DYNAMODB_THROUGHPUT_LIMIT_CHECK: 'Judges consumption of the account\'s provisioned-throughput quota at run time, which is service-quota telemetry, not configuration.',
  EC2_INSTANCE_MANAGED_BY_SSM: 'Whether the SSM agent registered is run-time state. vm/ssm-managed judges the configuration that lets it register (an instance profile whose role grants the agent\'s permissions, or Default Host Management Configuration in the scan), which is a precondition, not the rule\'s own condition.',
  EC2_MANAGEDINSTANCE_ASSOCIATION_COMPLIANCE_STATUS_CHECK: 'SSM association compliance is run-time state reported by the agent.',
  EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK: 'SSM patch compliance is run-time state reported by the agent; PhiWall\'s vulnerability scanning of images and filesystems addresses the same control, and vm/patch-group-tag judges that each instance is in a patch group a baseline or maintenance window covers.',
  EC2_STOPPED_INSTANCE: 'The live shape says an instance is stopped but not since when, so "stopped for more than 30 days" cannot be judged.',
  VPC_VPN_2_TUNNELS_UP: 'Tunnel status is run-time telemetry, not configuration.',
}
