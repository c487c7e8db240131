import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { dockerfile, instructions, stageLabel, unresolved } from './lib/dockerfile.js'

const GIT = /^(git@|git:\/\/|ssh:\/\/)|^https?:\/\/[^#]*\.git(#|$)/i
const HTTP = /^https?:\/\//i

/** ADD fetches nothing unverified from the network (CIS Docker 4.9). */
export default defineCheck({
  id: 'container/dockerfile-add-remote-url',
  title: 'Dockerfile verifies what ADD downloads from a URL',
  severity: 'medium',
  resourceKinds: ['docker:image:dockerfile'],
  rationale:
    'ADD with a URL downloads at build time and puts whatever the server returns into the image, unverified: a compromised vendor site, DNS or mirror ships code into every build of the EHR integration. ADD also unpacks local archives implicitly, which is why COPY is preferred for everything else.',
  remediation: {
    text: 'Give ADD the expected checksum (`ADD --checksum=sha256:…`, BuildKit dockerfile syntax 1.6+), pin Git sources to a full commit, or download with RUN curl and verify the checksum before use; use COPY for local files.',
    dockerfile: 'ADD --checksum=sha256:24454f830cdd571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.org/tool-1.4.2.tar.gz /tmp/',
  },
  controls: { csf: ['PR.DS-6', 'ID.SC-2'], hipaa: ['164.312(c)(1)', '164.308(a)(1)(ii)(B)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
  references: { cis: ['CIS Docker 4.9'] },
  evaluate(r) {
    const p = dockerfile(r)
    const results: CheckResult[] = []
    let remote = 0
    for (const { ins, stage, stageIndex, path } of instructions(p, ['ADD'])) {
      const checksum = ins.Flags?.['checksum']
      for (const src of ins.Sources ?? []) {
        const git = GIT.test(src)
        if (!git && !HTTP.test(src)) {
          if (unresolved(src) && /^\$\{?\w+\}?/.test(src)) results.push(manual(`Dockerfile ${r.name} ADDs a source given by a build argument (line ${ins.Line}); whether it is a URL depends on the build.`, { path }))
          continue
        }
        remote++
        if (git) {
          if (/#[0-9a-f]{40}$/i.test(src) || (checksum && /^[0-9a-f]{40}$/i.test(checksum))) continue
          results.push(fail(`Dockerfile ${r.name} ADDs a Git repository not pinned to a commit in ${stageLabel(stage, stageIndex)} (line ${ins.Line}).`, { path, evidence: { line: ins.Line, source: 'git' } }))
        } else if (!checksum || !/^sha(256|384|512):[0-9a-f]+$/i.test(checksum)) {
          results.push(fail(`Dockerfile ${r.name} ADDs a file from a URL without --checksum in ${stageLabel(stage, stageIndex)} (line ${ins.Line}).`, { path, evidence: { line: ins.Line, host: hostOf(src) } }))
        }
      }
    }
    if (results.length) return results
    return pass(remote ? `Dockerfile ${r.name} verifies the ${remote} URL${remote === 1 ? '' : 's'} it ADDs.` : `Dockerfile ${r.name} ADDs nothing from a URL.`)
  },
})

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host
  } catch {
    return undefined
  }
}
