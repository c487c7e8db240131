import { nonBlank, nonEmpty } from '../reader.js'
import type { TfConverter } from '../types.js'
import { own } from './common.js'

/** ACM certificates (never an imported private key). */
export const ACM_CONVERTERS: Record<string, TfConverter> = {
  aws_acm_certificate: (r) => {
    const options = r.block('options')
    const sans = r.get('subject_alternative_names')
    const domain = r.get('domain_name')
    return [
      own(r, 'AWS::CertificateManager::Certificate', {
        DomainName: domain,
        SubjectAlternativeNames: nonEmpty(Array.isArray(sans) ? sans.filter((s) => s !== domain) : sans),
        ValidationMethod: nonBlank(r.get('validation_method')),
        KeyAlgorithm: nonBlank(r.get('key_algorithm')),
        CertificateAuthorityArn: nonBlank(r.ref('certificate_authority_arn')),
        CertificateTransparencyLoggingPreference: nonBlank(options?.get('certificate_transparency_logging_preference')),
        Tags: r.tags(),
      }),
    ]
  },
}
