import { describe, expect, it } from 'vitest'
import { maskValue } from '../../model/index.js'
import { MASKED_PROPERTIES, maskSecrets } from './mask.js'

const SECRET = 'Pr0d-Db-P@ssw0rd-7731'

/** A value for a dotted path, with the secret at the end. */
function withSecretAt(path: string): Record<string, unknown> {
  const root: Record<string, unknown> = {}
  let node = root
  const parts = path.split('.')
  parts.forEach((p, i) => {
    if (i === parts.length - 1) node[p] = SECRET
    else node = (node[p] = {}) as Record<string, unknown>
  })
  return root
}

describe('maskSecrets', () => {
  for (const [type, paths] of Object.entries(MASKED_PROPERTIES)) {
    for (const path of paths) {
      it(`masks ${type} ${path}`, () => {
        const props = withSecretAt(path)
        expect(maskSecrets(type, props)).toEqual([path])
        expect(JSON.stringify(props)).not.toContain(SECRET)
        expect(JSON.stringify(props)).toContain(maskValue(SECRET))
      })
    }
  }

  it('masks structured values by their JSON text', () => {
    const props: Record<string, unknown> = { Name: 'prod/intake/db', GenerateSecretString: { SecretStringTemplate: '{"username":"intake_admin"}', GenerateStringKey: 'password', PasswordLength: 32 } }
    expect(maskSecrets('AWS::SecretsManager::Secret', props)).toEqual(['GenerateSecretString'])
    expect(props['Name']).toBe('prod/intake/db')
    expect(JSON.stringify(props)).not.toContain('intake_admin')
  })

  it('masks CodeBuild PLAINTEXT variables only', () => {
    const props: Record<string, unknown> = {
      Environment: {
        EnvironmentVariables: [
          { Name: 'API_KEY', Type: 'PLAINTEXT', Value: SECRET },
          { Name: 'DEFAULTED', Value: SECRET },
          { Name: 'FROM_SSM', Type: 'PARAMETER_STORE', Value: '/intake/api-key' },
        ],
      },
    }
    expect(maskSecrets('AWS::CodeBuild::Project', props)).toEqual(['Environment.EnvironmentVariables.0.Value', 'Environment.EnvironmentVariables.1.Value'])
    expect(JSON.stringify(props)).not.toContain(SECRET)
    expect(JSON.stringify(props)).toContain('/intake/api-key')
  })

  it('leaves absent properties, other types and the Lambda environment alone', () => {
    const db = { DBInstanceIdentifier: 'intake-db', StorageEncrypted: true }
    expect(maskSecrets('AWS::RDS::DBInstance', db)).toEqual([])
    expect(db).toEqual({ DBInstanceIdentifier: 'intake-db', StorageEncrypted: true })
    const fn = { Environment: { Variables: { DB_PASSWORD: SECRET } } }
    expect(maskSecrets('AWS::Lambda::Function', fn)).toEqual([])
    expect(fn.Environment.Variables.DB_PASSWORD).toBe(SECRET)
  })
})
