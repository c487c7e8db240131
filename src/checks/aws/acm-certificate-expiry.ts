import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { describe, isObj, isUnknown, str } from './lib/values.js'

/** Days before expiry at which a certificate fails by default (AWS Config's `daysToExpiration` default). */
export const ACM_EXPIRY_DAYS = 14

const DAY = 86_400_000

/**
 * ACM certificates are not about to expire: a live certificate (an account snapshot, a Terraform
 * plan of an existing one) by its expiry date; a template's certificate by whether ACM can renew it
 * on its own (DNS validation, or a private CA) or needs someone to approve an email.
 */
export default defineCheck({
  id: 'aws/acm-certificate-expiry',
  title: 'ACM certificate is not about to expire',
  severity: 'high',
  resourceKinds: ['aws:certificatemanager:certificate'],
  rationale:
    `When the certificate of a patient portal, an API or a partner's HL7/FHIR endpoint expires, clients refuse the connection; the usual emergency fixes — turning certificate verification off, falling back to plain HTTP — send PHI unprotected. ACM renews the certificates it issued with DNS validation by itself, from 60 days before expiry; imported certificates and email-validated ones need a person, so a certificate within ${ACM_EXPIRY_DAYS} days of expiry means the renewal has failed or was forgotten.`,
  remediation: {
    text: 'Renew now: for an imported certificate, import the renewed one over it (same ARN); for an ACM certificate, fix what blocks renewal (the DNS validation CNAME, or approve the validation email) — ACM reports it in the certificate\'s renewal summary. Prefer DNS validation, which renews without anyone.',
    cloudformation: 'ValidationMethod: DNS\nDomainValidationOptions:\n  - DomainName: portal.clinic.example\n    HostedZoneId: !Ref ClinicZone',
    terraform: 'validation_method = "DNS"',
    cli: 'aws acm describe-certificate --certificate-arn <arn> --query Certificate.RenewalSummary',
  },
  controls: { csf: ['PR.DS-2', 'PR.IP-1'], hipaa: ['164.312(e)(1)', '164.312(e)(2)(ii)', '164.308(a)(4)(ii)(A)'], ferpa: ['FERPA-DATA-ENCRYPTION', 'FERPA-SECURE-CONFIGURATIONS'] },
  references: { awsConfig: ['ACM_CERTIFICATE_EXPIRATION_CHECK'], prowler: ['acm_certificates_expiration_check'] },
  parameters: {
    daysToExpiration: { description: 'A certificate that expires in fewer days than this fails (AWS Config\'s daysToExpiration).', default: String(ACM_EXPIRY_DAYS), pattern: /^[1-9]\d{0,3}$/, form: 'a whole number of days, 1 to 9999' },
  },
  evaluate(cert, ctx) {
    const threshold = Number(ctx.params['daysToExpiration'] ?? ACM_EXPIRY_DAYS)
    const live = isObj(cert.props['PhiWallCertificate']) ? cert.props['PhiWallCertificate'] : undefined
    const notAfter = str(live?.['NotAfter'])
    const type = str(live?.['Type'])
    const inUse = live?.['InUse'] === true ? ' It is in use.' : ''
    if (notAfter !== undefined) {
      const t = Date.parse(notAfter)
      if (Number.isNaN(t)) return manual(`${subject(cert)} states an expiry date that is not a date (${describe(notAfter)}).`, { path: 'PhiWallCertificate.NotAfter' })
      const day = notAfter.slice(0, 10)
      const days = Math.floor((t - ctx.now.getTime()) / DAY)
      const evidence = { notAfter, daysLeft: days, threshold, ...(type ? { type } : {}), ...(live?.['RenewalEligibility'] ? { renewalEligibility: live['RenewalEligibility'] } : {}) }
      if (t <= ctx.now.getTime()) return fail(`${subject(cert)} expired on ${day}.${inUse}`, { path: 'PhiWallCertificate.NotAfter', evidence })
      if (days < threshold) {
        const why = type === 'IMPORTED' ? 'an imported certificate, which only a new import renews' : type === 'AMAZON_ISSUED' ? 'ACM has not managed to renew it (see its renewal summary)' : 'not renewed yet'
        return fail(`${subject(cert)} expires on ${day}, in ${days} day${days === 1 ? '' : 's'}: ${why}.${inUse}`, { path: 'PhiWallCertificate.NotAfter', evidence })
      }
      const eligible = live?.['RenewalEligibility']
      const renewal =
        type === 'IMPORTED'
          ? '; imported: someone must import its renewal before then'
          : (type === 'AMAZON_ISSUED' || type === 'PRIVATE') && eligible === 'INELIGIBLE'
            ? '; ACM will not renew it (not eligible: not in use, or its validation no longer holds)'
            : type === 'AMAZON_ISSUED' || type === 'PRIVATE'
              ? '; ACM renews it'
              : ''
      return pass(`${subject(cert)} expires on ${day}, in ${days} days${renewal}.`, evidence)
    }
    if (live) {
      // an account's certificate with no expiry date: one that was never issued
      const status = str(live['Status'])
      if (status && !['ISSUED', 'EXPIRED', 'INACTIVE'].includes(status)) return pass(`${subject(cert)} is ${status.toLowerCase().replace(/_/g, ' ')}: it was never issued, so nothing can expire.`)
      return manual(`${subject(cert)} is ${status ? status.toLowerCase() : 'of unknown status'} but its expiry date is not recorded.`, { path: 'PhiWallCertificate' })
    }
    // a certificate the template requests: can ACM renew it on its own?
    if (cert.props['CertificateAuthorityArn'] !== undefined) return pass(`${subject(cert)} is issued by a private CA; ACM renews it on its own.`)
    const method = cert.props['ValidationMethod']
    if (isUnknown(method)) return manual(`${subject(cert)} takes its validation method from ${describe(method)}, unknown at scan time.`, { path: 'ValidationMethod' })
    const m = str(method)?.toUpperCase()
    if (m === 'DNS') return pass(`${subject(cert)} is validated by DNS: ACM renews it on its own while the validation record stays in place.`)
    return manual(`${subject(cert)} is validated by email${m === undefined ? ' (the default when ValidationMethod is not set)' : ''}: it renews only when someone approves the renewal email; its expiry date is not in the scan.`, m === undefined ? {} : { path: 'ValidationMethod' })
  },
})
