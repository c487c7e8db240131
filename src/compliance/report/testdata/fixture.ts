import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ALL_CHECKS } from '../../../checks/index.js'
import type { ScanResult } from '../../../model/index.js'
import { scan } from '../../../scan/index.js'

/** The fixtures of the report renderers' tests. */
export const testdata = path.dirname(fileURLToPath(import.meta.url))

/** The checks the renderer tests pin, so checks added later do not change golden files and expectations. */
export const REPORT_CHECKS = ALL_CHECKS.filter((c) =>
  [
    'aws/apigw-route-authorization',
    'aws/dynamodb-table-pitr',
    'aws/iam-policy-no-admin-access',
    'aws/lambda-env-plaintext-secrets',
    'aws/lambda-function-public-access',
    'aws/lambda-function-url-auth',
    'aws/s3-bucket-block-public-access',
    'aws/s3-bucket-default-encryption-kms',
    'aws/s3-bucket-public-read',
    'aws/s3-bucket-ssl-requests-only',
    'aws/vpc-sg-no-public-admin-ports',
  ].includes(c.id),
)

/** A fixed scan time, so reports are reproducible. */
export const NOW = new Date('2026-01-15T00:00:00Z')

/** Scans fixture folders (or files) below `testdata/` with the pinned checks at the fixed time. */
export const scanFixture = (...paths: string[]): Promise<ScanResult> => scan(paths.map((p) => path.join(testdata, p)), { checks: REPORT_CHECKS, now: NOW })
