/**
 * Rules of the AWS Config HIPAA conformance pack that no PhiWall check judges, and why. Every
 * other rule of the pack names at least one check in `references.awsConfig`; the catalog test
 * keeps the two lists complete together, and docs/checks.md prints both.
 */
export const NOT_COVERED_CONFIG_RULES: Record<string, string> = {
  AWS_CONFIG_PROCESS_CHECK: 'A process check (an annual risk assessment), not a resource configuration; AWS Config itself marks it manual. PhiWall reports the controls it maps to as manual with guidance.',
}
