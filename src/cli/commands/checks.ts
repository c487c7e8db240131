import type { Command } from 'commander'
import Table from 'cli-table3'
import fs from 'node:fs'
import { ALL_CHECKS, checksMarkdown } from '../../checks/index.js'
import type { CheckInfo } from '../../model/index.js'
import { packageFile } from '../../model/index.js'

/** The vulnerability check's entry in docs/checks.md: it judges components, not resources. */
function vulnCheckMarkdown(c: CheckInfo): string {
  return [
    '## Component vulnerabilities',
    '',
    `### ${c.id}`,
    '',
    `**${c.title}** — severity per finding (that of the vulnerability; the check's default is ${c.severity}). Judges every third-party component found in lockfiles, package databases, images and zips against the offline OSV database; see [vulnerabilities.md](vulnerabilities.md).`,
    '',
    c.rationale,
    '',
    `- NIST CSF: ${c.controls.csf.join(', ')}`,
    `- HIPAA: ${c.controls.hipaa.join(', ')}`,
    `- FERPA: ${c.controls.ferpa.join(', ')}`,
    `- Prowler: ${c.references.prowler.join(', ')}`,
    '',
    `Remediation: ${c.remediation.text}`,
    '',
  ].join('\n')
}

/** `phiwall checks`: the check catalog. */
export function registerCheckCommands(program: Command): void {
  program
    .command('checks')
    .description('list the checks with severity, controls and the names peers give them')
    .option('--format <format>', 'table, json or markdown (docs/checks.md)', 'table')
    .action(async (flags: { format: string }) => {
      const { VULN_CHECK } = await import('../../vulns/index.js')
      if (flags.format === 'markdown') {
        const pack = fs.readFileSync(packageFile('data/aws-config/hipaa-conformance-pack.yaml'), 'utf8')
        const rules = [...pack.matchAll(/SourceIdentifier:\s*(\S+)/g)].map((m) => m[1]!)
        process.stdout.write(checksMarkdown(ALL_CHECKS, rules) + '\n\n' + vulnCheckMarkdown(VULN_CHECK))
        return
      }
      if (flags.format === 'json') {
        const json = ALL_CHECKS.map(({ evaluate: _e, appliesTo: _a, parameters, ...rest }) => ({
          ...rest,
          ...(parameters ? { parameters: Object.fromEntries(Object.entries(parameters).map(([name, { pattern: _p, ...p }]) => [name, p])) } : {}),
        }))
        process.stdout.write(JSON.stringify([...json, VULN_CHECK], null, 2) + '\n')
        return
      }
      const t = new Table({ head: ['Id', 'Severity', 'Title', 'CSF', 'Also known as'], style: { head: [], border: [] }, colWidths: [40, 10, 50, 22, 40], wordWrap: true })
      for (const c of ALL_CHECKS) t.push([c.id, c.severity, c.title, c.controls.csf.join(', '), [...c.references.awsConfig, ...c.references.cdkNag].join(', ')])
      t.push([VULN_CHECK.id, 'per finding', VULN_CHECK.title, VULN_CHECK.controls.csf.join(', '), VULN_CHECK.references.prowler.join(', ')])
      process.stdout.write(`${ALL_CHECKS.length} configuration checks and the component vulnerability check\n${t.toString()}\n`)
    })
}
