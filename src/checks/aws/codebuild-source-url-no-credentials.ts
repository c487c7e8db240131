import { maskValue } from '../../model/index.js'
import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { subject } from './lib/judge.js'
import { isObj, list, str } from './lib/values.js'

/** Tokens that identify a personal access token or app password in the user part of a URL. */
const TOKEN = /^(ghp_|gho_|ghs_|github_pat_|glpat-|x-token-auth|x-access-token)|^[A-Za-z0-9_-]{30,}$/

/** Credentials embedded in `https://user:secret@host/...`, if any. */
function urlCredentials(location: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/@\s]+)@/i.exec(location)
  if (!m) return undefined
  const userinfo = m[1]!
  return userinfo.includes(':') || TOKEN.test(userinfo) ? userinfo : undefined
}

/** Repository tokens are never written into build project source URLs. */
export default defineCheck({
  id: 'aws/codebuild-source-url-no-credentials',
  title: 'CodeBuild source URLs contain no credentials',
  severity: 'critical',
  resourceKinds: ['aws:codebuild:project'],
  rationale:
    'A personal access token or user:password in a GitHub or Bitbucket source URL is stored in the project configuration, the template and its history, and shown to anyone who can describe the project. Whoever reads it can push code into the pipeline that deploys to systems holding PHI.',
  remediation: {
    text: 'Remove the credentials from the URL, revoke the token, and connect the repository through AWS CodeConnections (Source.Auth type CODECONNECTIONS) or OAuth.',
    cloudformation: 'Source: { Type: GITHUB, Location: https://github.com/clinic/portal.git, Auth: { Type: CODECONNECTIONS, Resource: !Ref GitHubConnection } }',
  },
  controls: { csf: ['PR.AC-1', 'PR.DS-5'], hipaa: ['164.312(a)(1)', '164.308(a)(5)(ii)(D)', '164.312(d)'], ferpa: ['FERPA-AUTHENTICATION', 'FERPA-SECURE-CONFIGURATIONS'] },
  references: { awsConfig: ['CODEBUILD_PROJECT_SOURCE_REPO_URL_CHECK'], cdkNag: ['HIPAA.Security-CodeBuildProjectSourceRepoUrl'], prowler: ['codebuild_project_source_repo_url_no_sensitive_credentials'] },
  evaluate(project) {
    const results: CheckResult[] = []
    const sources: [unknown, string][] = [[project.props['Source'], 'Source'], ...list(project.props['SecondarySources']).map((s, i): [unknown, string] => [s, `SecondarySources.${i}`])]
    for (const [src, path] of sources) {
      const loc = isObj(src) ? str(src['Location']) : undefined
      const cred = loc ? urlCredentials(loc) : undefined
      if (cred) results.push(fail(`${subject(project)} has credentials in the URL of ${path === 'Source' ? 'its source' : `secondary source ${path.split('.')[1]}`}.`, { path: `${path}.Location`, evidence: { credentials: maskValue(cred) } }))
    }
    return results.length ? results : pass(`${subject(project)} has no credentials in its source URLs.`)
  },
})
