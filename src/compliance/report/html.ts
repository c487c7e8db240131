import { createHash } from 'node:crypto'
import type { ControlResult, ControlStatus, Diagnostic, Finding, Resource, ScanResult, Severity } from '../../model/index.js'
import { SEVERITIES, severityRank } from '../../model/index.js'
import { CSF_FUNCTIONS, csfSubcategory, hipaaEntry } from '../catalog/index.js'
import { alsoKnownAs } from './peers.js'

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  const s = value === undefined || value === null ? '' : String(value)
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'))
}

// The page's only style and script. Both are constants (no scan data inside them), so their
// hashes are fixed and the Content-Security-Policy can allow exactly them and nothing else.
const STYLE = `
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg-alt:#f6f8fa;--link:#0550ae;--focus:#0969da}
*{box-sizing:border-box}
[hidden]{display:none !important}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:#fff}
.wrap{max-width:1280px;margin:0 auto;padding:0 1.25rem 3rem}
a{color:var(--link)}
a:focus-visible,summary:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,.table-wrap:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-9999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{left:1rem}
header.page{border-bottom:1px solid var(--line);margin-bottom:1rem}
h1{font-size:1.7rem;margin:1.25rem 0 .5rem}
h2{font-size:1.35rem;margin:2.25rem 0 .75rem;padding-top:.5rem;border-top:2px solid var(--line)}
h3{font-size:1.1rem;margin:1.5rem 0 .5rem}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;overflow-wrap:anywhere}
.muted{color:var(--muted)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.5rem 0 1rem}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0;overflow-wrap:anywhere}
ul.plain{margin:0;padding-left:1.1rem}
nav.toc ol{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;padding-left:1.1rem;margin:.25rem 0 1rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.75rem;margin:.75rem 0}
.card{border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;background:var(--bg-alt)}
.card h3{margin:0 0 .25rem;font-size:.95rem}
.card p{margin:0}
.table-wrap{overflow-x:auto;margin:.5rem 0 1rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
caption{text-align:left;font-weight:600;padding:.25rem 0;color:var(--muted)}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
thead th{background:var(--bg-alt)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tbody th[scope=rowgroup]{background:#eef1f4}
tr.standard th[scope=row],tr.standard td:first-of-type{font-weight:600}
tr.spec th[scope=row]{padding-left:1.5rem;font-weight:400}
.badge{display:inline-block;padding:0 .45rem;border-radius:999px;font-size:.8rem;font-weight:600;border:1px solid transparent;white-space:nowrap}
.st-fail,.st-error{color:#82071e;background:#ffebe9;border-color:#ff8182}
.st-pass{color:#116329;background:#dafbe1;border-color:#4ac26b}
.st-manual{color:#6c4400;background:#fff8c5;border-color:#d4a72c}
.st-not-applicable,.sev-info{color:#424a53;background:#eaeef2;border-color:#afb8c1}
.st-suppressed{color:#3e1f79;background:#ede7ff;border-color:#a48df7}
.sev-critical{color:#fff;background:#a40e26;border-color:#a40e26}
.sev-high{color:#82071e;background:#ffebe9;border-color:#ff8182}
.sev-medium{color:#6c4400;background:#fff8c5;border-color:#d4a72c}
.sev-low{color:#0a3069;background:#ddf4ff;border-color:#54aeff}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;padding:.75rem;border:1px solid var(--line);border-radius:6px;background:var(--bg-alt);margin:.5rem 0}
form.filters label{display:flex;flex-direction:column;font-size:.85rem;font-weight:600}
form.filters select,form.filters input{font:inherit;font-weight:400;padding:.25rem .4rem;border:1px solid #6e7781;border-radius:4px;background:#fff;color:var(--fg);min-height:2rem}
form.filters input[type=search]{min-width:16rem}
form.filters button{font:inherit;padding:.3rem .8rem;border:1px solid #6e7781;border-radius:4px;background:#fff;color:var(--fg);cursor:pointer;min-height:2rem}
.filter-status{font-weight:600;margin:.25rem 0 .75rem}
ol.findings{list-style:none;padding:0;margin:0}
ol.findings>li{border:1px solid var(--line);border-radius:6px;margin:.5rem 0;background:#fff}
ol.findings summary{cursor:pointer;padding:.5rem .75rem;line-height:1.9}
ol.findings summary>span{margin-right:.35rem}
ol.findings summary .title{font-weight:600}
.finding-body{padding:.25rem .75rem .75rem;border-top:1px solid var(--line)}
.finding-body dl.facts{grid-template-columns:minmax(8rem,max-content) 1fr}
dl.evidence{display:grid;grid-template-columns:max-content 1fr;gap:0 .75rem;margin:0}
dl.evidence dt{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;font-weight:400;color:var(--muted)}
dl.evidence dd{margin:0}
footer.page{margin-top:3rem;border-top:1px solid var(--line);padding-top:.75rem;font-size:.85rem;color:var(--muted)}
@media print{.skip,form.filters,.filter-status,nav.toc{display:none !important}.table-wrap{overflow:visible}}
`

const SCRIPT = `
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form) return;
  var note = document.getElementById('filters-nojs');
  if (note) note.hidden = true;
  form.hidden = false;
  var items = Array.prototype.slice.call(document.querySelectorAll('[data-filter-item]'));
  var texts = items.map(function (el) { return (el.textContent || '').toLowerCase(); });
  var status = document.getElementById('filter-status');
  function value(name) {
    var el = form.elements.namedItem(name);
    return el && typeof el.value === 'string' ? el.value : '';
  }
  function has(el, attr, want) {
    return (' ' + (el.getAttribute(attr) || '') + ' ').indexOf(' ' + want + ' ') >= 0;
  }
  function apply() {
    var sev = value('severity'), st = value('status'), env = value('environment'), phi = value('phi');
    var q = value('q').replace(/^\\s+|\\s+$/g, '').toLowerCase();
    var shown = { finding: 0, resource: 0 }, total = { finding: 0, resource: 0 };
    items.forEach(function (el, i) {
      var kind = el.getAttribute('data-filter-item');
      var ok = (!sev || has(el, 'data-severity', sev)) &&
        (!st || has(el, 'data-status', st)) &&
        (!env || has(el, 'data-environment', env)) &&
        (!phi || has(el, 'data-phi', phi)) &&
        (!q || texts[i].indexOf(q) >= 0);
      el.hidden = !ok;
      total[kind] = (total[kind] || 0) + 1;
      if (ok) shown[kind] = (shown[kind] || 0) + 1;
    });
    ['finding', 'resource'].forEach(function (kind) {
      var empty = document.getElementById(kind + 's-empty');
      if (empty) empty.hidden = shown[kind] > 0 || total[kind] === 0;
    });
    if (status) status.textContent = 'Showing ' + shown.finding + ' of ' + total.finding + ' findings and ' + shown.resource + ' of ' + total.resource + ' resources.';
  }
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('submit', function (e) { e.preventDefault(); apply(); });
  form.addEventListener('reset', function () { setTimeout(apply, 0); });
  apply();
})();
`

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('base64')

/** The page's Content-Security-Policy: nothing but its own inline style and script, by hash. */
const CSP = [`default-src 'none'`, `script-src 'sha256-${sha256(SCRIPT)}'`, `style-src 'sha256-${sha256(STYLE)}'`, `base-uri 'none'`, `form-action 'none'`].join('; ')

type FindingKey = 'fail' | 'error' | 'suppressed' | 'manual' | 'pass'

const STATUS_LABEL: Record<FindingKey | ControlStatus, string> = {
  fail: 'Fail',
  error: 'Error',
  suppressed: 'Suppressed',
  manual: 'Manual',
  pass: 'Pass',
  'not-applicable': 'Not applicable',
}
const STATUS_ORDER: FindingKey[] = ['fail', 'error', 'suppressed', 'manual', 'pass']
const SEVERITY_LABEL: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' }
const ENVIRONMENTS = ['prod', 'staging', 'dev', 'test', 'unknown'] as const

const keyOf = (f: Finding): FindingKey => (f.status === 'fail' && f.suppressed ? 'suppressed' : f.status)
const loc = (l: { file: string; line?: number }): string => `${l.file}${l.line !== undefined ? `:${l.line}` : ''}`
const slug = (s: string): string => s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')
const controlAnchor = (framework: string, id: string): string => `c-${framework}-${slug(id)}`
const badge = (cls: string, label: string): string => `<span class="badge ${cls}">${escapeHtml(label)}</span>`
const statusBadge = (s: FindingKey | ControlStatus): string => badge(`st-${s}`, STATUS_LABEL[s])
const sevBadge = (s: Severity): string => badge(`sev-${s}`, SEVERITY_LABEL[s])
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** Evidence values as text: strings as written, everything else as compact JSON. */
function evidenceText(v: unknown): string {
  if (typeof v === 'string') return v
  if (v === undefined) return ''
  try {
    return JSON.stringify(v) ?? String(v)
  } catch {
    return String(v)
  }
}

/** A wide table in a keyboard-focusable scroll region, so it stays usable on a narrow screen. */
function table(label: string, head: string[], body: string, numeric: number[] = []): string {
  const ths = head.map((h, i) => `<th scope="col"${numeric.includes(i) ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('')
  return `<div class="table-wrap" role="region" aria-label="${escapeHtml(label)}" tabindex="0">\n<table>\n<caption>${escapeHtml(label)}</caption>\n<thead><tr>${ths}</tr></thead>\n${body}\n</table>\n</div>`
}

function countsCells(c: ControlResult): string {
  return [
    `<td class="num">${c.counts.pass}</td>`,
    `<td class="num">${c.counts.fail}${c.counts.error ? ` <span class="muted">(+${c.counts.error} error${c.counts.error === 1 ? '' : 's'})</span>` : ''}</td>`,
    `<td class="num">${c.counts.suppressed}</td>`,
    `<td class="num">${c.counts.manual}</td>`,
  ].join('')
}

const checksCell = (c: ControlResult): string => (c.checks.length ? c.checks.map((id) => `<code>${escapeHtml(id)}</code>`).join(', ') : '<span class="muted">none (manual)</span>')

function tally(controls: ControlResult[]): Record<ControlStatus, number> {
  const t: Record<ControlStatus, number> = { fail: 0, pass: 0, manual: 0, 'not-applicable': 0 }
  for (const c of controls) t[c.status]++
  return t
}

const tallyText = (t: Record<ControlStatus, number>): string => `${t.fail} fail, ${t.pass} pass, ${t.manual} manual, ${t['not-applicable']} not applicable`

function hipaaSection(result: ScanResult): string {
  const hipaa = result.controls.filter((c) => c.framework === 'hipaa')
  const out: string[] = [`<section id="hipaa" aria-labelledby="hipaa-h">`, `<h2 id="hipaa-h">HIPAA Security Rule posture</h2>`]
  if (!hipaa.length) return [...out, '<p>The scan result carries no HIPAA controls.</p>', '</section>'].join('\n')
  const standards = hipaa.filter((c) => hipaaEntry(c.id)?.type === 'standard')
  const specs = hipaa.filter((c) => hipaaEntry(c.id)?.type === 'implementation-specification')
  out.push(
    `<p>Each standard and implementation specification of 45 CFR Part 164 Subpart C with its status after this scan. A standard rolls up the checks of its implementation specifications. Controls no automated check covers are <em>manual</em>: see <a href="#manual">Manual controls</a>. Standards: ${escapeHtml(tallyText(tally(standards)))}. Implementation specifications: ${escapeHtml(tallyText(tally(specs)))}.</p>`,
  )
  const sections = hipaa.filter((c) => hipaaEntry(c.id)?.type === 'section' || !hipaaEntry(c.id))
  const sectionIds = new Set(sections.map((s) => s.id))
  const bySection = new Map<string, ControlResult[]>()
  const orphans: ControlResult[] = []
  for (const c of hipaa) {
    if (sectionIds.has(c.id)) continue
    const sec = hipaaEntry(c.id)?.section
    if (sec && sectionIds.has(sec)) (bySection.get(sec) ?? bySection.set(sec, []).get(sec)!).push(c)
    else orphans.push(c)
  }
  const rows = (list: ControlResult[]): string =>
    `<tbody>\n${list
      .map((c) => {
        const e = hipaaEntry(c.id)
        const spec = e?.type === 'implementation-specification'
        const type = spec ? 'Implementation specification' : e?.type === 'standard' ? 'Standard' : 'Section'
        const ra = c.hipaaStatus === 'required' ? 'Required' : c.hipaaStatus === 'addressable' ? 'Addressable' : '—'
        return `<tr class="${spec ? 'spec' : 'standard'}" id="${controlAnchor('hipaa', c.id)}"><th scope="row"><span class="mono">${escapeHtml(c.id)}</span></th><td>${escapeHtml(c.title)}</td><td>${type}</td><td>${ra}</td><td>${statusBadge(c.status)}</td>${countsCells(c)}<td>${checksCell(c)}</td></tr>`
      })
      .join('\n')}\n</tbody>`
  const head = ['Citation', 'Title', 'Type', 'Required / Addressable', 'Status', 'Pass', 'Fail', 'Suppressed', 'Manual', 'Checks']
  for (const s of sections) {
    const list = bySection.get(s.id) ?? []
    out.push(`<h3 id="${controlAnchor('hipaa', s.id)}">§${escapeHtml(s.id)} ${escapeHtml(s.title)} ${statusBadge(s.status)}</h3>`)
    out.push(`<p class="muted">Section totals: ${s.counts.pass} pass, ${s.counts.fail} fail, ${s.counts.suppressed} suppressed, ${s.counts.manual} manual${s.counts.error ? `, ${s.counts.error} errors` : ''}.</p>`)
    if (list.length) out.push(table(`§${s.id} ${s.title}: standards and implementation specifications`, head, rows(list), [5, 6, 7, 8]))
  }
  if (orphans.length) {
    out.push(`<h3>Other HIPAA citations</h3>`)
    out.push(table('Other HIPAA citations', head, rows(orphans), [5, 6, 7, 8]))
  }
  out.push('</section>')
  return out.join('\n')
}

function csfSection(result: ScanResult): string {
  const csf = result.controls.filter((c) => c.framework === 'csf')
  const out: string[] = [`<section id="csf" aria-labelledby="csf-h">`, `<h2 id="csf-h">NIST Cybersecurity Framework 1.1</h2>`]
  if (!csf.length) return [...out, '<p>The scan result carries no NIST CSF controls.</p>', '</section>'].join('\n')
  const known = new Set(result.controls.map((c) => `${c.framework}:${c.id}`))
  out.push(`<p>Subcategories by function, with the HIPAA Security Rule citations the HHS crosswalk maps them to. Overall: ${escapeHtml(tallyText(tally(csf)))}.</p>`)
  const groups: { fn: string; list: ControlResult[] }[] = [...CSF_FUNCTIONS.map((fn) => ({ fn: fn as string, list: [] as ControlResult[] })), { fn: 'OTHER', list: [] }]
  for (const c of csf) {
    const fn = csfSubcategory(c.id)?.function ?? 'OTHER'
    groups.find((g) => g.fn === fn)!.list.push(c)
  }
  const head = ['Subcategory', 'Title', 'HIPAA citations', 'Status', 'Pass', 'Fail', 'Suppressed', 'Manual', 'Checks']
  for (const g of groups) {
    if (!g.list.length) continue
    const name = g.fn === 'OTHER' ? 'Other subcategories' : g.fn
    out.push(`<h3 id="csf-${g.fn.toLowerCase()}">${escapeHtml(name)} <span class="muted">(${escapeHtml(tallyText(tally(g.list)))})</span></h3>`)
    const byCategory = new Map<string, ControlResult[]>()
    for (const c of g.list) {
      const sub = csfSubcategory(c.id)
      const cat = sub ? `${sub.category} ${sub.categoryTitle}` : 'Other'
      ;(byCategory.get(cat) ?? byCategory.set(cat, []).get(cat)!).push(c)
    }
    const body = [...byCategory.entries()]
      .map(
        ([cat, list]) =>
          `<tbody>\n<tr><th scope="rowgroup" colspan="9">${escapeHtml(cat)}</th></tr>\n${list
            .map(
              (c) =>
                `<tr id="${controlAnchor('csf', c.id)}"><th scope="row"><span class="mono">${escapeHtml(c.id)}</span></th><td>${escapeHtml(c.title)}</td><td>${controlLinks('hipaa', c.related, known)}</td><td>${statusBadge(c.status)}</td>${countsCells(c)}<td>${checksCell(c)}</td></tr>`,
            )
            .join('\n')}\n</tbody>`,
      )
      .join('\n')
    out.push(table(`${name}: subcategories`, head, body, [4, 5, 6, 7]))
  }
  out.push('</section>')
  return out.join('\n')
}

function ferpaSection(result: ScanResult): string {
  const ferpa = result.controls.filter((c) => c.framework === 'ferpa')
  const out: string[] = [`<section id="ferpa" aria-labelledby="ferpa-h">`, `<h2 id="ferpa-h">FERPA data-security practices</h2>`]
  if (!ferpa.length) return [...out, '<p>The scan result carries no FERPA practices.</p>', '</section>'].join('\n')
  out.push(`<p>Practices of the U.S. Department of Education PTAC Data Security Checklist. Overall: ${escapeHtml(tallyText(tally(ferpa)))}.</p>`)
  const body = `<tbody>\n${ferpa
    .map((c) => `<tr id="${controlAnchor('ferpa', c.id)}"><th scope="row"><span class="mono">${escapeHtml(c.id)}</span></th><td>${escapeHtml(c.title)}</td><td>${statusBadge(c.status)}</td>${countsCells(c)}<td>${checksCell(c)}</td></tr>`)
    .join('\n')}\n</tbody>`
  out.push(table('FERPA practices', ['Practice', 'Title', 'Status', 'Pass', 'Fail', 'Suppressed', 'Manual', 'Checks'], body, [3, 4, 5, 6]))
  out.push('</section>')
  return out.join('\n')
}

interface ResourceTally {
  fail: number
  error: number
  suppressed: number
  manual: number
  pass: number
  failingSeverities: Set<Severity>
}

function tallyByResource(findings: readonly Finding[]): Map<string, ResourceTally> {
  const m = new Map<string, ResourceTally>()
  for (const f of findings) {
    const t = m.get(f.resourceId) ?? m.set(f.resourceId, { fail: 0, error: 0, suppressed: 0, manual: 0, pass: 0, failingSeverities: new Set() }).get(f.resourceId)!
    const k = keyOf(f)
    t[k]++
    if (k === 'fail' || k === 'error') t.failingSeverities.add(f.severity)
  }
  return m
}

function filterForm(): string {
  const opt = (v: string, label: string): string => `<option value="${escapeHtml(v)}">${escapeHtml(label)}</option>`
  return [
    `<section id="filter" aria-labelledby="filter-h">`,
    `<h2 id="filter-h">Filter resources and findings</h2>`,
    `<p id="filters-nojs" class="muted">Filtering needs JavaScript; without it every resource and finding is listed below.</p>`,
    `<form id="filters" class="filters" role="search" aria-describedby="filter-help" hidden>`,
    `<label for="f-severity">Severity<select id="f-severity" name="severity">${opt('', 'Any')}${SEVERITIES.map((s) => opt(s, SEVERITY_LABEL[s])).join('')}</select></label>`,
    `<label for="f-status">Status<select id="f-status" name="status">${opt('', 'Any')}${STATUS_ORDER.map((s) => opt(s, STATUS_LABEL[s])).join('')}</select></label>`,
    `<label for="f-environment">Environment<select id="f-environment" name="environment">${opt('', 'Any')}${ENVIRONMENTS.map((e) => opt(e, e)).join('')}</select></label>`,
    `<label for="f-phi">Holds PHI<select id="f-phi" name="phi">${opt('', 'Any')}${opt('yes', 'Yes')}${opt('no', 'No')}${opt('unknown', 'Unknown')}</select></label>`,
    `<label for="f-q">Search<input id="f-q" name="q" type="search" autocomplete="off" placeholder="name, check, message, file…"></label>`,
    `<button type="reset">Clear filters</button>`,
    `</form>`,
    `<p id="filter-help" class="muted">Severity matches a finding's severity, or a resource with a failing finding of that severity. Status matches a finding's status, or a resource with a finding of that status. Search looks in all the text of a finding or resource row.</p>`,
    `<p id="filter-status" class="filter-status" role="status" aria-live="polite"></p>`,
    `</section>`,
  ].join('\n')
}

function resourcesSection(result: ScanResult, tallies: Map<string, ResourceTally>, rowId: Map<string, string>): string {
  const out: string[] = [`<section id="resources" aria-labelledby="resources-h">`, `<h2 id="resources-h">Resources</h2>`]
  const res = result.inventory.resources
  if (!res.length) return [...out, '<p>The scan found no resources.</p>', '</section>'].join('\n')
  const empty = (): ResourceTally => ({ fail: 0, error: 0, suppressed: 0, manual: 0, pass: 0, failingSeverities: new Set() })
  const sorted = res
    .map((r, i) => ({ r, i, t: tallies.get(r.id) ?? empty() }))
    .sort((a, b) => b.t.fail + b.t.error - (a.t.fail + a.t.error) || a.r.location.file.localeCompare(b.r.location.file) || (a.r.location.line ?? 0) - (b.r.location.line ?? 0) || a.i - b.i)
  out.push(`<p>${plural(res.length, 'resource')}, ${res.filter((r) => r.holdsPhi === 'yes').length} holding or handling PHI. Properties are never printed: they can hold secrets.</p>`)
  const body = `<tbody>\n${sorted
    .map(({ r, t }) => {
      const statuses = (STATUS_ORDER as FindingKey[]).filter((k) => t[k] > 0)
      const sev = SEVERITIES.filter((s) => t.failingSeverities.has(s))
      return `<tr id="${rowId.get(r.id)}" data-filter-item="resource" data-status="${escapeHtml(statuses.join(' '))}" data-severity="${escapeHtml(sev.join(' '))}" data-environment="${escapeHtml(r.environment)}" data-phi="${escapeHtml(r.holdsPhi)}"><th scope="row">${escapeHtml(r.name)}<br><span class="mono muted">${escapeHtml(r.id)}</span></th><td><span class="mono">${escapeHtml(r.kind)}</span></td><td>${escapeHtml(r.environment)}</td><td>${escapeHtml(r.holdsPhi)}</td><td>${r.owner ? escapeHtml(r.owner) : '<span class="muted">—</span>'}</td><td><span class="mono">${escapeHtml(loc(r.location))}</span></td><td class="num">${t.fail + t.error}</td><td class="num">${t.suppressed}</td><td class="num">${t.pass}</td></tr>`
    })
    .join('\n')}\n</tbody>`
  out.push(table('Resources with their findings', ['Resource', 'Kind', 'Environment', 'PHI', 'Owner', 'Location', 'Failing', 'Suppressed', 'Passing'], body, [6, 7, 8]))
  out.push(`<p id="resources-empty" class="muted" hidden>No resources match the filters.</p>`)
  out.push('</section>')
  return out.join('\n')
}

function controlLinks(framework: 'csf' | 'hipaa' | 'ferpa', ids: string[], known: Set<string>): string {
  if (!ids.length) return '<span class="muted">—</span>'
  return ids.map((id) => (known.has(`${framework}:${id}`) ? `<a href="#${controlAnchor(framework, id)}" class="mono">${escapeHtml(id)}</a>` : `<span class="mono">${escapeHtml(id)}</span>`)).join(', ')
}

function findingsSection(result: ScanResult, byId: Map<string, Resource>, rowId: Map<string, string>): string {
  const out: string[] = [`<section id="findings" aria-labelledby="findings-h">`, `<h2 id="findings-h">Findings</h2>`]
  if (!result.findings.length) return [...out, '<p>The checks produced no findings for these inputs.</p>', '</section>'].join('\n')
  const checks = new Map(result.checks.map((c) => [c.id, c]))
  const known = new Set(result.controls.map((c) => `${c.framework}:${c.id}`))
  const hipaaKnown = (id: string): string => hipaaEntry(id)?.id ?? id
  const counts: Record<FindingKey, number> = { fail: 0, error: 0, suppressed: 0, manual: 0, pass: 0 }
  for (const f of result.findings) counts[keyOf(f)]++
  out.push(`<p>${STATUS_ORDER.map((k) => `${counts[k]} ${STATUS_LABEL[k].toLowerCase()}`).join(', ')}. Failing findings and errors are expanded; open any other to read its evidence.</p>`)
  const sorted = result.findings
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        STATUS_ORDER.indexOf(keyOf(a.f)) - STATUS_ORDER.indexOf(keyOf(b.f)) ||
        severityRank(b.f.severity) - severityRank(a.f.severity) ||
        a.f.location.file.localeCompare(b.f.location.file) ||
        (a.f.location.line ?? 0) - (b.f.location.line ?? 0) ||
        a.f.checkId.localeCompare(b.f.checkId) ||
        a.i - b.i,
    )
  out.push('<ol class="findings">')
  sorted.forEach(({ f }, n) => {
    const k = keyOf(f)
    const r = byId.get(f.resourceId)
    const c = checks.get(f.checkId)
    const evidence = Object.entries(f.evidence ?? {})
    const facts: [string, string][] = [
      ['Message', escapeHtml(f.message)],
      ['Check', `<code>${escapeHtml(f.checkId)}</code> — ${escapeHtml(c?.title ?? f.title)}`],
      ...(c?.rationale ? ([['Why it matters', escapeHtml(c.rationale)]] as [string, string][]) : []),
      [
        'Resource',
        r
          ? `${rowId.has(r.id) ? `<a href="#${rowId.get(r.id)}">${escapeHtml(r.name)}</a>` : escapeHtml(r.name)} <span class="mono muted">(${escapeHtml(r.kind)})</span><br><span class="mono muted">${escapeHtml(r.id)}</span>`
          : `<span class="mono">${escapeHtml(f.resourceId)}</span>`,
      ],
      ['Location', `<span class="mono">${escapeHtml(loc(f.location))}</span>`],
      ['Evidence', evidence.length ? `<dl class="evidence">${evidence.map(([key, v]) => `<dt>${escapeHtml(key)}</dt><dd><span class="mono">${escapeHtml(evidenceText(v))}</span></dd>`).join('')}</dl>` : '<span class="muted">No structured evidence recorded.</span>'],
      ['Remediation', escapeHtml(f.remediation)],
      [
        'Controls',
        `NIST CSF: ${controlLinks('csf', f.controls.csf, known)}<br>HIPAA: ${controlLinks('hipaa', f.controls.hipaa.map(hipaaKnown), known)}<br>FERPA: ${controlLinks('ferpa', f.controls.ferpa, known)}`,
      ],
    ]
    const aka = alsoKnownAs(f.references)
    if (aka.length) facts.push(['Also known as', aka.map(([name, v]) => `${name}: ${v.map((x) => `<code>${escapeHtml(x)}</code>`).join(', ')}`).join('<br>')])
    if (f.suppressed) {
      const s = f.suppressed
      facts.push(['Suppression', `${escapeHtml(s.reason)}<br><span class="muted">Owner: ${s.owner ? escapeHtml(s.owner) : 'not stated'} · Expires: ${s.expires ? escapeHtml(s.expires) : 'never'} · Source: ${escapeHtml(s.source)}</span>`])
    }
    out.push(
      `<li id="f-${n + 1}" data-filter-item="finding" data-status="${k}" data-severity="${escapeHtml(f.severity)}" data-environment="${escapeHtml(r?.environment ?? 'unknown')}" data-phi="${escapeHtml(r?.holdsPhi ?? 'unknown')}">`,
      `<details${k === 'fail' || k === 'error' ? ' open' : ''}>`,
      `<summary>${statusBadge(k)} ${sevBadge(f.severity)} <span class="title">${escapeHtml(f.title)}</span> <span>${escapeHtml(r?.name ?? f.resourceId)}</span> <span class="mono muted">${escapeHtml(loc(f.location))}</span></summary>`,
      `<div class="finding-body"><dl class="facts">${facts.map(([dt, dd]) => `<dt>${dt}</dt><dd>${dd}</dd>`).join('')}</dl></div>`,
      `</details>`,
      `</li>`,
    )
  })
  out.push('</ol>')
  out.push(`<p id="findings-empty" class="muted" hidden>No findings match the filters.</p>`)
  out.push('</section>')
  return out.join('\n')
}

function errorsSection(result: ScanResult): string {
  const out: string[] = [`<section id="input-errors" aria-labelledby="input-errors-h">`, `<h2 id="input-errors-h">Input errors</h2>`]
  const withDiags = result.files.filter((f) => f.diagnostics.length > 0).sort((a, b) => (a.status === 'error' ? 0 : 1) - (b.status === 'error' ? 0 : 1) || a.file.localeCompare(b.file))
  const inFiles = new Set(result.files.flatMap((f) => f.diagnostics))
  const loose = result.diagnostics.filter((d) => !inFiles.has(d))
  if (!withDiags.length && !loose.length) return [...out, '<p>Every input was read without diagnostics.</p>', '</section>'].join('\n')
  const errs = result.files.filter((f) => f.status === 'error').length
  out.push(`<p>${plural(errs, 'file')} could not be read completely; ${plural(withDiags.length, 'file')} have diagnostics. The rest of the scan went on: resources from unreadable parts are missing from this report.</p>`)
  const row = (file: string, status: string, format: string | undefined, d: Diagnostic): string =>
    `<tr><th scope="row"><span class="mono">${escapeHtml(file)}</span></th><td>${escapeHtml(status)}</td><td>${format ? escapeHtml(format) : '<span class="muted">—</span>'}</td><td>${escapeHtml(d.level)}</td><td><code>${escapeHtml(d.code)}</code></td><td class="num">${d.line ?? '—'}</td><td>${escapeHtml(d.message)}${d.path ? `<br><span class="mono muted">${escapeHtml(d.path)}</span>` : ''}</td></tr>`
  const body = `<tbody>\n${[...withDiags.flatMap((f) => f.diagnostics.map((d) => row(f.file, f.status, f.format, d))), ...loose.map((d) => row(d.file, 'scan', undefined, d))].join('\n')}\n</tbody>`
  out.push(table('Files with diagnostics', ['File', 'Status', 'Format', 'Level', 'Code', 'Line', 'Message'], body, [5]))
  out.push('</section>')
  return out.join('\n')
}

function manualSection(result: ScanResult): string {
  const out: string[] = [`<section id="manual" aria-labelledby="manual-h">`, `<h2 id="manual-h">Manual controls</h2>`]
  const manual = result.controls.filter((c) => c.status === 'manual')
  if (!manual.length) return [...out, '<p>No control needs manual assessment.</p>', '</section>'].join('\n')
  out.push(`<p>${plural(manual.length, 'control')} no automated check could judge. An assessor completes them from policies, procedures, interviews and evidence outside the code.</p>`)
  const names = { hipaa: 'HIPAA Security Rule', csf: 'NIST CSF 1.1', ferpa: 'FERPA practices' } as const
  for (const fw of ['hipaa', 'csf', 'ferpa'] as const) {
    const list = manual.filter((c) => c.framework === fw)
    if (!list.length) continue
    out.push(`<h3 id="manual-${fw}">${names[fw]} <span class="muted">(${list.length})</span></h3>`)
    const body = `<tbody>\n${list
      .map((c) => {
        const guidance = c.guidance ?? (c.checks.length ? `The checks ${c.checks.join(', ')} returned only results that need review; confirm them by hand.` : 'No guidance recorded.')
        return `<tr><th scope="row"><a href="#${controlAnchor(fw, c.id)}" class="mono">${escapeHtml(c.id)}</a></th><td>${escapeHtml(c.title)}</td><td>${escapeHtml(guidance)}</td></tr>`
      })
      .join('\n')}\n</tbody>`
    out.push(table(`${names[fw]}: controls to assess manually`, ['Control', 'Title', 'Guidance'], body))
  }
  out.push('</section>')
  return out.join('\n')
}

function headerSection(result: ScanResult): { header: string; summary: string } {
  const files = { ok: 0, error: 0, skipped: 0 }
  for (const f of result.files) files[f.status]++
  const k: Record<FindingKey, number> = { fail: 0, error: 0, suppressed: 0, manual: 0, pass: 0 }
  const bySev = new Map<Severity, number>(SEVERITIES.map((s) => [s, 0]))
  for (const f of result.findings) {
    k[keyOf(f)]++
    if (keyOf(f) === 'fail') bySev.set(f.severity, (bySev.get(f.severity) ?? 0) + 1)
  }
  const res = result.inventory.resources
  const human = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(result.startedAt)
  const when = human ? `${human[1]} ${human[2]} UTC` : result.startedAt
  const hipaaStd = tally(result.controls.filter((c) => c.framework === 'hipaa' && hipaaEntry(c.id)?.type === 'standard'))
  const csf = tally(result.controls.filter((c) => c.framework === 'csf'))
  const header = [
    `<header class="page">`,
    `<h1>PhiWall compliance report</h1>`,
    `<dl class="facts">`,
    `<dt>Tool</dt><dd>PhiWall <span class="tool-version">${escapeHtml(result.tool.version)}</span></dd>`,
    `<dt>Scan started</dt><dd><time class="scan-time" datetime="${escapeHtml(result.startedAt)}">${escapeHtml(when)}</time></dd>`,
    `<dt>Duration</dt><dd><span class="scan-duration">${escapeHtml(result.durationMs)} ms</span></dd>`,
    `<dt>Inputs</dt><dd>${result.inputs.length ? `<ul class="plain">${result.inputs.map((i) => `<li><span class="mono">${escapeHtml(i)}</span></li>`).join('')}</ul>` : '<span class="muted">none</span>'}</dd>`,
    `<dt>Files</dt><dd>${files.ok} read, ${files.error} with errors, ${files.skipped} skipped</dd>`,
    `</dl>`,
    `</header>`,
    `<nav class="toc" aria-label="Contents"><ol>${[
      ['summary', 'Summary'],
      ['hipaa', 'HIPAA Security Rule'],
      ['csf', 'NIST CSF'],
      ['ferpa', 'FERPA'],
      ['resources', 'Resources'],
      ['findings', 'Findings'],
      ['input-errors', 'Input errors'],
      ['manual', 'Manual controls'],
    ]
      .map(([id, label]) => `<li><a href="#${id}">${label}</a></li>`)
      .join('')}</ol></nav>`,
  ].join('\n')
  const summary = [
    `<section id="summary" aria-labelledby="summary-h">`,
    `<h2 id="summary-h">Summary</h2>`,
    `<div class="cards">`,
    `<div class="card"><h3>Resources</h3><p>${res.length} in total, ${res.filter((r) => r.holdsPhi === 'yes').length} hold or handle PHI, ${res.filter((r) => r.holdsPhi === 'unknown').length} unclassified</p></div>`,
    `<div class="card"><h3>Findings</h3><p>${k.fail} failing, ${k.error} errors, ${k.suppressed} suppressed, ${k.manual} manual, ${k.pass} passing</p></div>`,
    `<div class="card"><h3>Failing by severity</h3><p>${SEVERITIES.map((s) => `${SEVERITY_LABEL[s]} ${bySev.get(s) ?? 0}`).join(' · ')}</p></div>`,
    `<div class="card"><h3>HIPAA standards</h3><p>${escapeHtml(tallyText(hipaaStd))}</p></div>`,
    `<div class="card"><h3>NIST CSF subcategories</h3><p>${escapeHtml(tallyText(csf))}</p></div>`,
    `<div class="card"><h3>Input errors</h3><p>${files.error} file${files.error === 1 ? '' : 's'} with errors</p></div>`,
    `</div>`,
    `</section>`,
  ].join('\n')
  return { header, summary }
}

/**
 * The HTML report: one self-contained page an auditor opens offline. Inline style and script only,
 * allowed by hash in a Content-Security-Policy that blocks everything else; every scan value is
 * escaped; resource properties are never printed. Filters need JavaScript, and without it the page
 * lists everything.
 */
export function renderHtml(result: ScanResult): string {
  const byId = new Map(result.inventory.resources.map((r) => [r.id, r]))
  const rowId = new Map(result.inventory.resources.map((r, i) => [r.id, `r-${i + 1}`]))
  const tallies = tallyByResource(result.findings)
  const { header, summary } = headerSection(result)
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CSP)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="PhiWall ${escapeHtml(result.tool.version)}">`,
    `<title>PhiWall compliance report</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<a class="skip" href="#main">Skip to main content</a>',
    '<div class="wrap">',
    header,
    '<main id="main">',
    summary,
    hipaaSection(result),
    csfSection(result),
    ferpaSection(result),
    filterForm(),
    resourcesSection(result, tallies, rowId),
    findingsSection(result, byId, rowId),
    errorsSection(result),
    manualSection(result),
    '</main>',
    `<footer class="page"><p>Generated by PhiWall ${escapeHtml(result.tool.version)} from a static scan of the inputs listed above. Automated checks judge configuration only: the manual controls, and the policies behind every control, need an assessor.</p></footer>`,
    '</div>',
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n')
}
