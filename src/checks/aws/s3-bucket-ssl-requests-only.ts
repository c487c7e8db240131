import { defineCheck, fail, pass } from '../define-check.js'
import { bucketPolicyStatements } from './lib/s3.js'
import { deniesInsecureTransport } from './lib/policy-docs.js'

/** PHI in transit to and from S3 is always encrypted: requests over plain HTTP are refused. */
export default defineCheck({
  id: 'aws/s3-bucket-ssl-requests-only',
  title: 'S3 bucket policy denies requests that do not use TLS',
  severity: 'high',
  resourceKinds: ['aws:s3:bucket'],
  rationale: 'S3 accepts plain-HTTP requests unless the bucket policy refuses them; a misconfigured client then sends PHI unencrypted over the network.',
  remediation: {
    text: 'Add a bucket policy statement that denies s3:* to every principal when aws:SecureTransport is false.',
    cloudformation: '{ Effect: Deny, Principal: "*", Action: "s3:*", Resource: [!GetAtt B.Arn, !Sub "${B.Arn}/*"], Condition: { Bool: { "aws:SecureTransport": false } } }',
  },
  controls: { csf: ['PR.DS-2'], hipaa: ['164.312(e)(1)', '164.312(e)(2)(i)', '164.312(e)(2)(ii)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: { awsConfig: ['S3_BUCKET_SSL_REQUESTS_ONLY'], cdkNag: ['HIPAA.Security-S3BucketSSLRequestsOnly'], prowler: ['s3_bucket_secure_transport_policy'] },
  evaluate(bucket, ctx) {
    const statements = bucketPolicyStatements(bucket, ctx)
    const deny = statements.find(({ statement }) => deniesInsecureTransport(statement, 's3'))
    if (deny) return pass(`S3 bucket ${bucket.name} denies requests without TLS (policy ${deny.policy.name}).`)
    return fail(
      statements.length
        ? `S3 bucket ${bucket.name} has a bucket policy, but none of its statements denies requests without TLS.`
        : `S3 bucket ${bucket.name} has no bucket policy denying requests without TLS.`,
      { evidence: { policies: [...new Set(statements.map((s) => s.policy.id))] } },
    )
  },
})
