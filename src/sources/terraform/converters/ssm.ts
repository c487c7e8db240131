import { maskValue } from '../../../model/index.js'
import { nonBlank, parseJsonOrYaml } from '../reader.js'
import type { TfConverter } from '../types.js'
import { own } from './common.js'

/** SSM documents (content parsed from JSON or YAML) and parameters (a SecureString's value only masked; tags a map). */
export const SSM_CONVERTERS: Record<string, TfConverter> = {
  aws_ssm_document: (r) => {
    const content = r.isUnknown('content') ? r.json('content') : parseJsonOrYaml(r.raw('content'), true)
    return [
      own(r, 'AWS::SSM::Document', {
        Name: r.get('name'),
        DocumentType: r.get('document_type'),
        DocumentFormat: r.get('document_format'),
        Content: content,
        TargetType: nonBlank(r.get('target_type')),
        VersionName: nonBlank(r.get('version_name')),
        Tags: r.tags(),
      }),
    ]
  },
  aws_ssm_parameter: (r) => {
    const type = r.get('type')
    const value = r.get('value') ?? r.get('insecure_value')
    return [
      own(r, 'AWS::SSM::Parameter', {
        Name: r.get('name'),
        Type: type,
        Value: type === 'SecureString' && typeof value === 'string' ? maskValue(value) : value,
        Description: nonBlank(r.get('description')),
        Tier: nonBlank(r.get('tier')),
        DataType: nonBlank(r.get('data_type')),
        AllowedPattern: nonBlank(r.get('allowed_pattern')),
        Tags: r.tagMap(),
      }),
    ]
  },
}
