import type { Command } from 'commander'
import Table from 'cli-table3'
import { CSF, FERPA, HIPAA, normalizeCitation } from '../../compliance/index.js'
import { ALL_CHECKS } from '../../checks/index.js'
import { PhiwallError } from '../../model/index.js'

/** `phiwall controls`: the controls catalog and which checks cover each control. */
export function registerControlsCommand(program: Command): void {
  program
    .command('controls')
    .description('list the controls catalog: NIST CSF 1.1 subcategories with HIPAA citations, HIPAA standards and specifications, FERPA practices')
    .option('--framework <framework>', 'csf, hipaa or ferpa', 'csf')
    .option('--format <format>', 'table or json', 'table')
    .action((flags: { framework: string; format: string }) => {
      if (!['csf', 'hipaa', 'ferpa'].includes(flags.framework)) throw new PhiwallError('PW_ERR_USAGE', `Unknown framework "${flags.framework}"; use csf, hipaa or ferpa.`)
      if (!['table', 'json'].includes(flags.format)) throw new PhiwallError('PW_ERR_USAGE', `Unknown format "${flags.format}"; use table or json.`)
      const covering = (fw: 'csf' | 'hipaa' | 'ferpa', id: string): string[] =>
        ALL_CHECKS.filter((c) => (fw === 'hipaa' ? c.controls.hipaa.map(normalizeCitation) : c.controls[fw]).includes(id)).map((c) => c.id)
      const rows =
        flags.framework === 'hipaa'
          ? HIPAA.map((h) => ({ id: h.id, title: h.title, type: h.type, status: h.status, checks: covering('hipaa', h.id) }))
          : flags.framework === 'ferpa'
            ? FERPA.map((p) => ({ id: p.id, title: p.title, guidance: p.guidance, checks: covering('ferpa', p.id) }))
            : CSF.map((c) => ({ id: c.id, function: c.function, title: c.title, hipaa: [...new Set(c.hipaa.map(normalizeCitation))], mapping: c.mapping, checks: covering('csf', c.id) }))
      if (flags.format === 'json') {
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n')
        return
      }
      // the id column fits the longest id (FERPA-SHUT-DOWN-UNNECESSARY-SERVICES): ids are never cut
      const idWidth = Math.max(6, ...rows.map((r) => r.id.length)) + 2
      const t = new Table({ head: ['Id', 'Title', flags.framework === 'csf' ? 'HIPAA' : flags.framework === 'hipaa' ? 'Type' : 'Guidance', 'Checks'], style: { head: [], border: [] }, colWidths: [idWidth, 50, 40, 10], wordWrap: true })
      for (const r of rows as Record<string, unknown>[]) {
        const third = flags.framework === 'csf' ? (r['hipaa'] as string[]).join(', ') : flags.framework === 'hipaa' ? `${String(r['type'])}${r['status'] ? ` (${String(r['status'])})` : ''}` : String(r['guidance'])
        const checks = r['checks'] as string[]
        t.push([String(r['id']), String(r['title']), third, checks.length ? String(checks.length) : 'manual'])
      }
      process.stdout.write(t.toString() + '\n')
    })
}
