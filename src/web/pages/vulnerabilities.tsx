/**
 * Vulnerabilities: known-vulnerable components of the latest scans with CVSS and the fixed version.
 */
import type { JSX } from 'preact'
import { useState } from 'preact/hooks'
import type { Vulnerability } from '../api'
import { Empty, ErrorNote, LoadMore, Loading, PageHeader, Select, SeverityBadge } from '../components'
import { capitalize, SEVERITIES, shortId } from '../format'
import { filterKey } from '../pagination'
import { usePaged } from '../session'

/** The vulnerabilities page. */
export function Vulnerabilities(): JSX.Element {
  const [severity, setSeverity] = useState('')
  const key = filterKey({ severity })
  const { list, more, reload } = usePaged<Vulnerability>((api, cursor) => api.vulnerabilities({ severity, limit: 50, cursor }), key)
  return (
    <div>
      <PageHeader title="Vulnerabilities" />
      <form class="filters" aria-label="Filter vulnerabilities" onSubmit={(e) => e.preventDefault()}>
        <Select label="Severity" value={severity} onValue={setSeverity} options={[['', 'All severities'], ...SEVERITIES.map((s) => [s, capitalize(s)] as const)]} />
      </form>
      <ErrorNote error={list.error} onRetry={reload} />
      {!list.loaded && list.loading ? <Loading label="Loading vulnerabilities…" /> : null}
      {list.loaded && list.items.length === 0 ? (
        <Empty title={severity ? 'No vulnerability of this severity' : 'No known vulnerabilities'}>
          Vulnerabilities come from the SBOMs and lock files a scan finds. Scan with <code>npx phiwall scan ./ --upload</code> from the repository root to include them.
        </Empty>
      ) : null}
      {list.items.length > 0 ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Vulnerabilities</caption>
            <thead>
              <tr>
                <th scope="col">ID</th>
                <th scope="col">Component</th>
                <th scope="col">Version</th>
                <th scope="col">Severity</th>
                <th scope="col" class="num">
                  CVSS
                </th>
                <th scope="col">Fixed in</th>
                <th scope="col">Resources</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((v) => (
                <tr key={`${v.id}|${v.component}|${v.version}`}>
                  <th scope="row" class="mono">
                    {v.id}
                  </th>
                  <td>
                    <span class="cell-main">{v.component}</span>
                    <span class="cell-sub">{v.ecosystem}</span>
                  </td>
                  <td class="mono">{v.version}</td>
                  <td>
                    <SeverityBadge severity={v.severity} />
                  </td>
                  <td class="num">{v.cvss === null || v.cvss === undefined ? '—' : v.cvss.toFixed(1)}</td>
                  <td class="mono">{v.fixedIn ?? <span class="muted">no fix yet</span>}</td>
                  <td>
                    {v.resourceIds.length === 0 ? (
                      '—'
                    ) : (
                      <ul class="plain small">
                        {v.resourceIds.slice(0, 3).map((r) => (
                          <li key={r} class="mono" title={r}>
                            {shortId(r)}
                          </li>
                        ))}
                        {v.resourceIds.length > 3 ? <li class="muted">and {v.resourceIds.length - 3} more</li> : null}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore list={list} onMore={more} noun="vulnerabilities" />
    </div>
  )
}
