import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { dockerfile, instructions, runText, stageLabel } from './lib/dockerfile.js'
import { pipesDownloadToShell } from './lib/shell.js'

/** No build step runs a script straight from the network. */
export default defineCheck({
  id: 'container/dockerfile-curl-pipe-shell',
  title: 'Dockerfile runs no downloaded script without verifying it',
  severity: 'high',
  resourceKinds: ['docker:image:dockerfile'],
  rationale:
    '`curl … | sh` executes whatever the server sends at build time, as root, with no checksum and no record of what ran: a compromised install script (as in the Codecov bash-uploader breach) plants a backdoor in every image of the service and can read the build secrets mounted for that step.',
  remediation: {
    text: 'Download the script or binary to a file, verify its published SHA-256 (or signature) and only then run it; better, install a pinned package version or copy the tool from a pinned image.',
    dockerfile:
      'RUN curl -fsSLo /tmp/install.sh https://example.org/install-1.4.2.sh \\\n && echo "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c  /tmp/install.sh" | sha256sum -c - \\\n && sh /tmp/install.sh && rm /tmp/install.sh',
  },
  controls: { csf: ['PR.DS-6', 'ID.SC-2'], hipaa: ['164.312(c)(1)', '164.308(a)(1)(ii)(B)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
  evaluate(r) {
    const p = dockerfile(r)
    const results: CheckResult[] = []
    const runs = instructions(p, ['RUN'])
    for (const { ins, stage, stageIndex, path } of runs) {
      if (pipesDownloadToShell(runText(ins))) results.push(fail(`Dockerfile ${r.name} pipes a download into a shell or interpreter in ${stageLabel(stage, stageIndex)} (RUN at line ${ins.Line}).`, { path, evidence: { line: ins.Line } }))
    }
    return results.length ? results : pass(`Dockerfile ${r.name} pipes no download into a shell in its ${runs.length} RUN instruction${runs.length === 1 ? '' : 's'}.`)
  },
})
