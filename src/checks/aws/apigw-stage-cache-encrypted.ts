import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { restStageOf, stageWideSetting } from './lib/apigw-stages.js'
import { bool, describe } from './lib/values.js'

/** Responses API Gateway caches (which may be patient data) are encrypted at rest. */
export default defineCheck({
  id: 'aws/apigw-stage-cache-encrypted',
  title: 'API Gateway REST stage encrypts its response cache',
  severity: 'medium',
  resourceKinds: ['aws:apigateway:stage', 'aws:apigateway:deployment'],
  rationale:
    'A stage cache stores whole responses — for a records API, patient data — for their TTL; unless CacheDataEncrypted is on, that copy of ePHI sits unencrypted outside every store you encrypted. Stages without a cache cluster hold nothing and pass.',
  remediation: {
    text: 'Set CacheDataEncrypted: true in the stage-wide method setting (and in any method setting that enables caching), or turn caching off for routes that return PHI.',
    cloudformation: 'CacheClusterEnabled: true\nMethodSettings: [ { ResourcePath: "/*", HttpMethod: "*", CachingEnabled: true, CacheDataEncrypted: true, CacheTtlInSeconds: 60 } ]',
    terraform: 'resource "aws_api_gateway_method_settings" "all" { … method_path = "*/*"  settings { caching_enabled = true  cache_data_encrypted = true } }',
  },
  controls: { csf: ['PR.DS-1'], hipaa: ['164.312(a)(2)(iv)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: { cdkNag: ['HIPAA.Security-APIGWCacheEnabledAndEncrypted'], prowler: ['apigateway_restapi_cache_encrypted'] },
  appliesTo: (r, ctx) => restStageOf(r, ctx) !== undefined,
  evaluate(r, ctx) {
    const stage = restStageOf(r, ctx)!
    const clusterValue = stage.settings['CacheClusterEnabled']
    const cluster = bool(clusterValue, false)
    if (cluster === undefined) return manual(`${stage.label} takes CacheClusterEnabled from ${describe(clusterValue)}, unknown at scan time.`, { path: `${stage.pathPrefix}CacheClusterEnabled` })
    if (!cluster) return pass(`${stage.label} has no cache cluster, so no responses are cached.`, { cache: false })
    const wide = stageWideSetting(stage)
    // with a cache cluster, API Gateway caches GET methods unless caching is turned off
    const wideCaching = bool(wide?.values['CachingEnabled'], true)
    const wideEncrypted = bool(wide?.values['CacheDataEncrypted'], false)
    if (wideCaching === undefined || wideEncrypted === undefined) return manual(`${stage.label} takes its cache settings from values unknown at scan time.`, { path: wide?.path ?? `${stage.pathPrefix}MethodSettings` })
    const results: CheckResult[] = []
    if (wideCaching && !wideEncrypted) {
      results.push(fail(`${stage.label} caches responses without encrypting the cache (CacheDataEncrypted is not on for all methods).`, { path: wide?.path ?? `${stage.pathPrefix}CacheClusterEnabled`, evidence: { cacheClusterEnabled: true, cacheDataEncrypted: false } }))
    }
    for (const m of stage.methodSettings) {
      if (m === wide) continue
      const caching = bool(m.values['CachingEnabled'], wideCaching)
      const encrypted = bool(m.values['CacheDataEncrypted'], wideEncrypted)
      if (caching && encrypted === false && !(wideCaching && !wideEncrypted && m.values['CacheDataEncrypted'] === undefined)) {
        results.push(fail(`${stage.label} caches ${m.httpMethod} ${m.resourcePath} without encrypting the cache.`, { path: m.path }))
      }
    }
    return results.length ? results : pass(`${stage.label} encrypts its response cache.`, { cache: true })
  },
})
