import { maskValue } from '../../model/index.js'

/**
 * Property paths (dotted) that carry secret values, by CloudFormation type. Cloud Control does not
 * return write-only properties (passwords, secret strings), but a handler that does, or a future
 * one, must not put them in a snapshot file.
 *
 * Lambda `Environment.Variables` and ECS container `Environment` are *not* masked: the scan needs
 * the values to report plaintext secrets there (aws/lambda-env-plaintext-secrets), which is the
 * finding a user most needs. The snapshot file is therefore sensitive and written with mode 0600.
 */
export const MASKED_PROPERTIES: Record<string, readonly string[]> = {
  'AWS::SecretsManager::Secret': ['SecretString', 'GenerateSecretString'],
  'AWS::RDS::DBInstance': ['MasterUserPassword', 'TdeCredentialPassword'],
  'AWS::RDS::DBCluster': ['MasterUserPassword'],
  'AWS::Redshift::Cluster': ['MasterUserPassword'],
  'AWS::OpenSearchService::Domain': ['AdvancedSecurityOptions.MasterUserOptions.MasterUserPassword'],
  'AWS::ElastiCache::ReplicationGroup': ['AuthToken'],
  'AWS::IAM::User': ['LoginProfile.Password'],
  // free-form boot scripts: where credentials end up when nobody is looking
  'AWS::EC2::Instance': ['UserData'],
  'AWS::EC2::LaunchTemplate': ['LaunchTemplateData.UserData'],
}

/**
 * Masks the secret-carrying properties of a resource in place and returns the paths masked.
 * CodeBuild environment variables of type PLAINTEXT (the default) are masked too; those of type
 * PARAMETER_STORE / SECRETS_MANAGER hold a reference, not a secret, and are kept.
 */
export function maskSecrets(type: string, props: Record<string, unknown>): string[] {
  const masked: string[] = []
  for (const path of MASKED_PROPERTIES[type] ?? []) maskPath(props, path.split('.'), '', masked)
  if (type === 'AWS::CodeBuild::Project') {
    const env = props['Environment']
    const vars = isObj(env) ? env['EnvironmentVariables'] : undefined
    if (Array.isArray(vars)) {
      vars.forEach((v, i) => {
        if (!isObj(v) || v['Value'] === undefined || v['Value'] === null) return
        const kind = typeof v['Type'] === 'string' ? v['Type'] : 'PLAINTEXT'
        if (kind !== 'PLAINTEXT') return
        v['Value'] = masking(v['Value'])
        masked.push(`Environment.EnvironmentVariables.${i}.Value`)
      })
    }
  }
  return masked
}

function maskPath(node: unknown, parts: string[], prefix: string, masked: string[]): void {
  if (!isObj(node) || parts.length === 0) return
  const [head, ...rest] = parts as [string, ...string[]]
  const here = prefix ? `${prefix}.${head}` : head
  if (!(head in node) || node[head] === undefined || node[head] === null) return
  if (rest.length === 0) {
    node[head] = masking(node[head])
    masked.push(here)
    return
  }
  maskPath(node[head], rest, here, masked)
}

/** The masked form of any value: strings as they are, anything else as its JSON text. */
function masking(v: unknown): string {
  return maskValue(typeof v === 'string' ? v : JSON.stringify(v) ?? String(v))
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}
