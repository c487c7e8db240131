/**
 * Alerts: deviations from the baseline and other runtime alerts, grouped by key, sortable by
 * count or last seen, acknowledged by engineers and admins.
 */
import type { JSX } from 'preact'
import { useState } from 'preact/hooks'
import type { AlertRow } from '../api'
import { Empty, ErrorNote, LoadMore, Loading, PageHeader, Select, SeverityBadge, StatusBadge } from '../components'
import { formatCount, formatTime, shortId } from '../format'
import { filterKey } from '../pagination'
import { sortAlerts, type AlertSort } from '../sort'
import { canWrite, usePaged, useSession } from '../session'

/** The alerts page. */
export function Alerts(): JSX.Element {
  const { api, me, onAuthError } = useSession()
  const writer = canWrite(me.user.role)
  const [state, setState] = useState('open')
  const [sort, setSort] = useState<AlertSort>('lastSeen')
  const key = filterKey({ state })
  const { list, more, reload, dispatch } = usePaged<AlertRow>((a, cursor) => a.alerts({ state, limit: 100, cursor }), key)
  const [error, setError] = useState<unknown>(null)
  const rows = sortAlerts(list.items, sort)
  return (
    <div>
      <PageHeader title="Alerts" />
      <form class="filters" aria-label="Filter and sort alerts" onSubmit={(e) => e.preventDefault()}>
        <Select
          label="State"
          value={state}
          onValue={setState}
          options={[
            ['open', 'Open'],
            ['acknowledged', 'Acknowledged'],
            ['resolved', 'Resolved'],
            ['', 'All states'],
          ]}
        />
        <Select
          label="Sort by"
          value={sort}
          onValue={(v) => setSort(v as AlertSort)}
          options={[
            ['lastSeen', 'Last seen (newest first)'],
            ['count', 'Count (most first)'],
          ]}
        />
      </form>
      <ErrorNote error={list.error} onRetry={reload} />
      <ErrorNote error={error} />
      {!list.loaded && list.loading ? <Loading label="Loading alerts…" /> : null}
      {list.loaded && rows.length === 0 ? (
        <Empty title={state === 'open' ? 'No open alerts' : 'No alerts'}>Alerts appear when workloads in alert or enforce mode deviate from their reviewed baseline. Set modes on the Segmentation page.</Empty>
      ) : null}
      {rows.length > 0 ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Alerts grouped by key</caption>
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Alert</th>
                <th scope="col">Workload</th>
                <th scope="col" class="num">
                  Count
                </th>
                <th scope="col">First seen</th>
                <th scope="col">Last seen</th>
                <th scope="col">State</th>
                {writer ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr key={a.id}>
                  <td>
                    <SeverityBadge severity={a.severity} />
                  </td>
                  <th scope="row">
                    <span class="cell-main">{a.message}</span>
                    <span class="cell-sub mono">{a.type}</span>
                    {a.suggestion ? <span class="cell-sub">Suggestion: {a.suggestion}</span> : null}
                  </th>
                  <td class="mono" title={a.workload}>
                    {shortId(a.workload)}
                  </td>
                  <td class="num">{formatCount(a.count)}</td>
                  <td class="small">{formatTime(a.firstSeen)}</td>
                  <td class="small">{formatTime(a.lastSeen)}</td>
                  <td>
                    <StatusBadge status={a.state} />
                  </td>
                  {writer ? (
                    <td>
                      {a.state === 'open' ? (
                        <button
                          type="button"
                          class="btn-secondary"
                          aria-label={`Acknowledge ${a.message}`}
                          onClick={() => {
                            setError(null)
                            api.ack(a.id).then(
                              (r) => dispatch({ type: 'replace', match: (x) => x.id === a.id, item: { ...a, ...r.alert } }),
                              (err: unknown) => {
                                if (!onAuthError(err)) setError(err)
                              },
                            )
                          }}
                        >
                          Acknowledge
                        </button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore list={list} onMore={more} noun="alerts" />
    </div>
  )
}
