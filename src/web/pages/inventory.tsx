/**
 * Inventory: every resource of the latest scans, searchable and filtered by environment, team,
 * PHI and kind, paged with "Load more".
 */
import type { JSX } from 'preact'
import { useState } from 'preact/hooks'
import type { ResourceRow } from '../api'
import { Empty, ErrorNote, Field, LoadMore, Loading, PageHeader, PhiBadge, Select } from '../components'
import { formatLocation } from '../format'
import { filterKey } from '../pagination'
import { usePaged } from '../session'
import { useDebounced } from './hooks'

/** Environment filter options shared by the list pages. */
export const ENV_OPTIONS = [
  ['', 'All environments'],
  ['prod', 'Production'],
  ['staging', 'Staging'],
  ['dev', 'Development'],
  ['test', 'Test'],
  ['unknown', 'Unknown'],
] as const

/** The inventory page. */
export function Inventory(): JSX.Element {
  const [q, setQ] = useState('')
  const [environment, setEnvironment] = useState('')
  const [team, setTeam] = useState('')
  const [phi, setPhi] = useState('')
  const [kind, setKind] = useState('')
  const dq = useDebounced(q.trim(), 300)
  const dteam = useDebounced(team.trim(), 300)
  const dkind = useDebounced(kind.trim(), 300)
  const filters = { q: dq, environment, team: dteam, phi, kind: dkind }
  const key = filterKey(filters)
  const { list, more, reload } = usePaged<ResourceRow>((api, cursor) => api.resources({ ...filters, limit: 50, cursor }), key)
  const filtered = Boolean(dq || environment || dteam || phi || dkind)
  return (
    <div>
      <PageHeader title="Inventory" />
      <form class="filters" role="search" aria-label="Filter resources" onSubmit={(e) => e.preventDefault()}>
        <Field label="Search" type="search" value={q} onValue={setQ} inputMode="search" class="grow" />
        <Select label="Environment" value={environment} onValue={setEnvironment} options={ENV_OPTIONS} />
        <Field label="Team" value={team} onValue={setTeam} />
        <Select
          label="PHI"
          value={phi}
          onValue={setPhi}
          options={[
            ['', 'Any'],
            ['yes', 'Holds PHI'],
            ['no', 'No PHI'],
            ['unknown', 'Unknown'],
          ]}
        />
        <Field label="Kind" value={kind} onValue={setKind} hint="e.g. aws:lambda:function" />
      </form>
      <ErrorNote error={list.error} onRetry={reload} />
      {!list.loaded && list.loading ? <Loading label="Loading resources…" /> : null}
      {list.loaded && list.items.length === 0 ? (
        filtered ? (
          <Empty title="No resource matches these filters">Clear a filter or search for part of a name.</Empty>
        ) : (
          <Empty title="No resources yet">Upload a scan with <code>npx phiwall scan ./infra --upload</code> to fill the inventory.</Empty>
        )
      ) : null}
      {list.items.length > 0 ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Resources</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Environment</th>
                <th scope="col">Owner</th>
                <th scope="col">PHI</th>
                <th scope="col" class="num">
                  Failing
                </th>
                <th scope="col">Declared in</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <span class="cell-main">{r.namespace ? `${r.namespace}/${r.name}` : r.name}</span>
                    <span class="cell-sub mono" title={r.id}>
                      {r.provider}
                    </span>
                  </th>
                  <td class="mono">{r.kind}</td>
                  <td>{r.environment}</td>
                  <td>{r.owner ?? '—'}</td>
                  <td>
                    <PhiBadge phi={r.holdsPhi} />
                  </td>
                  <td class="num">{r.failing > 0 ? <strong class="text-fail">{r.failing}</strong> : '0'}</td>
                  <td class="mono small">{formatLocation(r.location)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore list={list} onMore={more} noun="resources" />
    </div>
  )
}
