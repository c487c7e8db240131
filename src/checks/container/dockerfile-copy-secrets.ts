import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { dockerfile, finalChain, instructions, stageLabel } from './lib/dockerfile.js'

/** File names (last path segment) of credentials and private keys. */
const SECRET_FILES: [RegExp, string][] = [
  [/^id_(rsa|dsa|ecdsa|ed25519)$/, 'SSH private key'],
  [/^\.env(\.(?!(example|sample|template|dist|defaults?)$)[\w.-]+)?$/i, 'dotenv file'],
  [/\.(key|p12|pfx|keystore)$/i, 'private key or keystore'],
  [/^(?!.*trust).*\.jks$/i, 'Java keystore'],
  [/^credentials(\.json)?$|^service[-_]?account.*\.json$|^gcp[-_]?(sa[-_]?)?key.*\.json$/i, 'cloud credentials'],
  [/^\.(npmrc|yarnrc\.yml|pypirc|netrc|git-credentials|dockercfg|pgpass|my\.cnf|htpasswd)$/i, 'credentials file'],
]
/** Directories of credentials. */
const SECRET_DIRS: [RegExp, string][] = [
  [/(^|\/)\.aws(\/|$)/, 'AWS credentials directory'],
  [/(^|\/)\.ssh(\/|$)/, 'SSH directory'],
  [/(^|\/)\.gnupg(\/|$)/, 'GnuPG keyring'],
  [/(^|\/)\.docker\/config\.json$/, 'Docker registry credentials'],
  [/(^|\/)\.kube\/config$/, 'kubeconfig'],
]
/** `.pem` files are certificates as often as keys: names that say certificate are not flagged. */
const CERT_NAME = /(^|[-_.])(ca|cacert|cert|certs|certificate|chain|fullchain|bundle|root|trust|pub|public)([-_.]|$)/i

function secretKind(source: string): string | undefined {
  const path = source.replace(/\/+$/, '')
  const base = path.slice(path.lastIndexOf('/') + 1)
  const dir = SECRET_DIRS.find(([re]) => re.test(path))
  if (dir) return dir[1]
  const file = SECRET_FILES.find(([re]) => re.test(base))
  if (file) return file[1]
  if (/\.pem$/i.test(base) && !CERT_NAME.test(base)) return 'PEM file that may hold a private key'
  return undefined
}

/** No credential files are copied into an image layer (CIS Docker 4.10). */
export default defineCheck({
  id: 'container/dockerfile-copy-secrets',
  title: 'Dockerfile copies no credential files into the image',
  severity: 'high',
  resourceKinds: ['docker:image:dockerfile'],
  rationale:
    'A file copied into a layer stays in the image even if a later step deletes it: whoever pulls the image extracts the layer and gets the .env with the database password, the SSH key to the hospital SFTP drop or the keystore of the HL7 TLS listener. Multi-stage builds keep builder layers out of the final image, but not out of the build cache and registries they are pushed to.',
  remediation: {
    text: 'Keep credentials out of the build context (.dockerignore `.env`, `*.key`, `.npmrc`, `.aws/`), mount build-time secrets with `RUN --mount=type=secret`, and give run-time secrets and keystores to the container from a secret store or a Compose / Kubernetes secret.',
    dockerfile: 'RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n# .dockerignore:\n# .env*\n# *.key\n# .npmrc',
  },
  controls: { csf: ['PR.AC-1', 'PR.DS-5'], hipaa: ['164.312(a)(1)', '164.312(a)(2)(iv)', '164.308(a)(5)(ii)(D)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS', 'FERPA-AUTHENTICATION'] },
  references: { cis: ['CIS Docker 4.10'] },
  evaluate(r) {
    const p = dockerfile(r)
    const chain = finalChain(p)
    const results: CheckResult[] = []
    let copies = 0
    for (const { ins, stage, stageIndex, path } of instructions(p, ['COPY', 'ADD'])) {
      copies++
      for (const src of ins.Sources ?? []) {
        const kind = secretKind(src)
        if (!kind) continue
        const into = chain.has(stageIndex) ? 'the final image' : `build ${stageLabel(stage, stageIndex)}, whose layers keep it`
        const trimmed = src.replace(/\/+$/, '')
        const name = trimmed.slice(trimmed.lastIndexOf('/') + 1) || trimmed
        results.push(fail(`Dockerfile ${r.name} copies ${name} (${kind}) into ${into} (${ins.Keyword} at line ${ins.Line}).`, { path, evidence: { line: ins.Line, kind, file: name } }))
      }
    }
    return results.length ? results : pass(`Dockerfile ${r.name} copies no credential files in its ${copies} COPY and ADD instruction${copies === 1 ? '' : 's'}.`)
  },
})
