import { defineCheck, fail, manual, pass } from '../define-check.js'
import { LAMBDA_RUNTIME_TABLE_CHECKED, runtimeDeprecation } from './lib/lambda-runtimes.js'
import { at, describe, isUnknown } from './lib/values.js'

const DAY = 86_400_000

/** Functions run on a runtime that still receives security patches. */
export default defineCheck({
  id: 'aws/lambda-function-deprecated-runtime',
  title: 'Lambda function uses a runtime that is not deprecated',
  severity: 'medium',
  resourceKinds: ['aws:lambda:function'],
  rationale:
    'After a runtime\'s deprecation date AWS stops patching its language runtime and OS libraries; known vulnerabilities stay in every function that handles patient data on it, and later AWS blocks creating and then updating such functions, so an urgent fix cannot be deployed. Container-image functions bring their own runtime and are judged by image scanning instead.',
  remediation: {
    text: 'Move the function to a supported runtime of the same language (for example nodejs22.x / nodejs24.x, python3.13, java21) and run its tests; plan upgrades before the published deprecation dates.',
    cloudformation: 'Runtime: python3.13',
    terraform: 'resource "aws_lambda_function" "f" { … runtime = "python3.13" }',
  },
  controls: { csf: ['PR.IP-12', 'ID.RA-1', 'PR.MA-1'], hipaa: ['164.308(a)(1)(ii)(B)', '164.308(a)(5)(ii)(B)'], ferpa: ['FERPA-PATCH-MANAGEMENT', 'FERPA-VULNERABILITY-SCANNING'] },
  references: { prowler: ['awslambda_function_using_supported_runtimes'] },
  evaluate(fn, ctx) {
    const runtime = fn.props['Runtime']
    const image = fn.props['PackageType'] === 'Image' || at(fn.props, 'Code.ImageUri') !== undefined
    if (runtime === undefined) {
      if (image) return pass(`Lambda function ${fn.name} is a container image; its runtime comes with the image.`, { packageType: 'Image' })
      return manual(`Lambda function ${fn.name} declares no runtime; check which runtime it uses.`, { path: 'Runtime' })
    }
    if (typeof runtime !== 'string' || isUnknown(runtime)) return manual(`Lambda function ${fn.name} takes its runtime from ${describe(runtime)}, unknown at scan time.`, { path: 'Runtime' })
    const date = runtimeDeprecation(runtime)
    const day = date?.toISOString().slice(0, 10)
    if (!date) return pass(`Lambda function ${fn.name} uses runtime ${runtime}, which is not on the deprecation schedule PhiWall knows (checked ${LAMBDA_RUNTIME_TABLE_CHECKED}).`, { runtime })
    if (date.getTime() <= ctx.now.getTime()) {
      return fail(`Lambda function ${fn.name} uses runtime ${runtime}, deprecated since ${day} and no longer patched.`, { path: 'Runtime', evidence: { runtime, deprecated: day } })
    }
    const days = Math.ceil((date.getTime() - ctx.now.getTime()) / DAY)
    return pass(`Lambda function ${fn.name} uses runtime ${runtime}, supported until ${day}${days <= 180 ? ` (${days} days left: plan the upgrade)` : ''}.`, { runtime, deprecates: day, daysLeft: days })
  },
})
