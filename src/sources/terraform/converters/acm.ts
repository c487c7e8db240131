import { nonBlank, nonEmpty } from '../reader.js'
import type { TfConverter, TfReader } from '../types.js'
import { own } from './common.js'

/**
 * What a plan knows of an existing certificate — its expiry (`not_after`), status and renewal
 * eligibility — in the shape the collector records (`PhiWallCertificate`); undefined for a
 * certificate the plan creates. `certificate_body` means imported.
 */
function liveCertificate(r: TfReader): Record<string, unknown> | undefined {
  const notAfter = nonBlank(r.get('not_after'))
  if (typeof notAfter !== 'string') return undefined
  const type = r.get('certificate_body') !== undefined && r.get('certificate_body') !== null ? 'IMPORTED' : nonBlank(r.ref('certificate_authority_arn')) !== undefined ? 'PRIVATE' : 'AMAZON_ISSUED'
  const out: Record<string, unknown> = { Type: type, NotAfter: notAfter }
  const status = nonBlank(r.get('status'))
  if (typeof status === 'string') out['Status'] = status
  const renewal = nonBlank(r.get('renewal_eligibility'))
  if (typeof renewal === 'string') out['RenewalEligibility'] = renewal
  return out
}

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
        PhiWallCertificate: liveCertificate(r),
      }),
    ]
  },
}
