import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { dockerfile, finalChain, instructions, runText, stageLabel } from './lib/dockerfile.js'
import { installsSudo, runsSudo } from './lib/shell.js'

/** Build steps do not use sudo, and the final image does not ship it (hadolint DL3004). */
export default defineCheck({
  id: 'container/dockerfile-sudo',
  title: 'Dockerfile neither uses nor installs sudo',
  severity: 'medium',
  resourceKinds: ['docker:image:dockerfile'],
  rationale:
    'sudo in an image is a ready-made path from the application user to root: an attacker with code execution in the service escalates through a sudoers entry or a sudo vulnerability (Baron Samedit, CVE-2021-3156) and then reads every secret and PHI volume mounted into the container. Build steps already run as root unless USER changed, so sudo in a RUN only means the image carries the tool and a user allowed to use it.',
  remediation: {
    text: 'Run privileged build steps before switching USER (or switch back with USER root for the step), do not install sudo in the final image, and use gosu / su-exec only in an entrypoint that drops privileges.',
    dockerfile: 'USER root\nRUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*\nUSER 10001',
  },
  controls: { csf: ['PR.AC-4', 'PR.PT-3'], hipaa: ['164.312(a)(1)', '164.308(a)(4)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  evaluate(r) {
    const p = dockerfile(r)
    const chain = finalChain(p)
    const results: CheckResult[] = []
    const runs = instructions(p, ['RUN'])
    for (const { ins, stage, stageIndex, path } of runs) {
      const text = runText(ins)
      if (runsSudo(text)) results.push(fail(`Dockerfile ${r.name} runs sudo in ${stageLabel(stage, stageIndex)} (RUN at line ${ins.Line}).`, { path, evidence: { line: ins.Line } }))
      else if (chain.has(stageIndex) && installsSudo(text)) results.push(fail(`Dockerfile ${r.name} installs sudo into its final image (RUN at line ${ins.Line}).`, { path, evidence: { line: ins.Line } }))
    }
    return results.length ? results : pass(`Dockerfile ${r.name} neither runs nor installs sudo.`)
  },
})
