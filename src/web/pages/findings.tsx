/**
 * Findings: filterable table with severity badges; each row expands to message, remediation,
 * controls and location; engineers and admins suppress (reason + expiry) and unsuppress.
 */
import type { JSX } from 'preact'
import { Fragment } from 'preact'
import { useState } from 'preact/hooks'
import { type FindingRow, fieldError } from '../api'
import { Empty, ErrorNote, Field, Form, FormActions, LoadMore, Loading, Modal, PageHeader, Select, SeverityBadge, StatusBadge, TextArea } from '../components'
import { capitalize, checkExpiry, checkReason, dateInputValue, endOfDayIso, formatDay, formatLocation, SEVERITIES } from '../format'
import { filterKey } from '../pagination'
import { canWrite, usePaged, useSession, useAction } from '../session'
import { useDebounced } from './hooks'
import { ENV_OPTIONS } from './inventory'

/** The findings page. */
export function Findings(): JSX.Element {
  const { me } = useSession()
  const writer = canWrite(me.user.role)
  const [severity, setSeverity] = useState('')
  const [status, setStatus] = useState('fail')
  const [checkId, setCheckId] = useState('')
  const [environment, setEnvironment] = useState('')
  const [q, setQ] = useState('')
  const dq = useDebounced(q.trim(), 300)
  const dcheck = useDebounced(checkId.trim(), 300)
  const filters = { severity, status, checkId: dcheck, environment, q: dq }
  const key = filterKey(filters)
  const { list, more, reload, dispatch } = usePaged<FindingRow>((api, cursor) => api.findings({ ...filters, limit: 50, cursor }), key)
  const [open, setOpen] = useState<Set<string>>(new Set())
  const [suppressing, setSuppressing] = useState<FindingRow | null>(null)
  const [rowError, setRowError] = useState<unknown>(null)
  const { api, onAuthError } = useSession()
  const toggle = (id: string): void => {
    const next = new Set(open)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    setOpen(next)
  }
  const replace = (f: FindingRow): void => dispatch({ type: 'replace', match: (x) => x.id === f.id, item: f })
  return (
    <div>
      <PageHeader title="Findings" />
      <form class="filters" role="search" aria-label="Filter findings" onSubmit={(e) => e.preventDefault()}>
        <Field label="Search" type="search" value={q} onValue={setQ} class="grow" />
        <Select label="Severity" value={severity} onValue={setSeverity} options={[['', 'All severities'], ...SEVERITIES.map((s) => [s, capitalize(s)] as const)]} />
        <Select
          label="Status"
          value={status}
          onValue={setStatus}
          options={[
            ['', 'All statuses'],
            ['fail', 'Fail'],
            ['pass', 'Pass'],
            ['manual', 'Manual'],
            ['error', 'Error'],
          ]}
        />
        <Field label="Check" value={checkId} onValue={setCheckId} hint="e.g. aws/s3-bucket-public-read" />
        <Select label="Environment" value={environment} onValue={setEnvironment} options={ENV_OPTIONS} />
      </form>
      <ErrorNote error={list.error} onRetry={reload} />
      <ErrorNote error={rowError} />
      {!list.loaded && list.loading ? <Loading label="Loading findings…" /> : null}
      {list.loaded && list.items.length === 0 ? (
        key === 'status=fail' ? (
          <Empty title="No failing findings">Nothing fails in the latest scans. Upload a new scan after changing your infrastructure, or look at all statuses.</Empty>
        ) : (
          <Empty title="No finding matches these filters">Clear a filter to see more.</Empty>
        )
      ) : null}
      {list.items.length > 0 ? (
        <div class="table-wrap">
          <table class="expandable">
            <caption class="visually-hidden">Findings; expand a row for details</caption>
            <thead>
              <tr>
                <th scope="col">
                  <span class="visually-hidden">Details</span>
                </th>
                <th scope="col">Severity</th>
                <th scope="col">Finding</th>
                <th scope="col">Resource</th>
                <th scope="col">Environment</th>
                <th scope="col">Status</th>
                {writer ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {list.items.map((f) => {
                const expanded = open.has(f.id)
                const detailsId = `finding-${f.id.replace(/[^a-zA-Z0-9_-]/g, '_')}`
                return (
                  <Fragment key={f.id}>
                    <tr class={f.suppression ? 'row-suppressed' : undefined}>
                      <td>
                        <button type="button" class="btn-ghost expander" aria-expanded={expanded} aria-controls={detailsId} onClick={() => toggle(f.id)}>
                          <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
                          <span class="visually-hidden">Details of {f.title} on {f.resourceName}</span>
                        </button>
                      </td>
                      <td>
                        <SeverityBadge severity={f.severity} />
                      </td>
                      <th scope="row">
                        <span class="cell-main">{f.title}</span>
                        <span class="cell-sub mono">{f.checkId}</span>
                      </th>
                      <td>
                        <span class="cell-main">{f.resourceName}</span>
                        <span class="cell-sub mono">{f.resourceKind}</span>
                      </td>
                      <td>{f.environment}</td>
                      <td>
                        <StatusBadge status={f.status} />
                        {f.suppression ? (
                          <span class="suppressed-note">
                            <StatusBadge status="suppressed" label={`Suppressed until ${formatDay(f.suppression.expiresAt)}`} />
                          </span>
                        ) : null}
                      </td>
                      {writer ? (
                        <td>
                          {f.suppression ? (
                            <button
                              type="button"
                              class="btn-secondary"
                              aria-label={`Unsuppress ${f.title} on ${f.resourceName}`}
                              onClick={() => {
                                setRowError(null)
                                api.unsuppress(f.id).then(
                                  (r) => replace(r.finding),
                                  (err: unknown) => {
                                    if (!onAuthError(err)) setRowError(err)
                                  },
                                )
                              }}
                            >
                              Unsuppress
                            </button>
                          ) : f.status === 'fail' ? (
                            <button type="button" class="btn-secondary" aria-label={`Suppress ${f.title} on ${f.resourceName}`} onClick={() => setSuppressing(f)}>
                              Suppress
                            </button>
                          ) : null}
                        </td>
                      ) : null}
                    </tr>
                    {expanded ? (
                      <tr class="details-row" id={detailsId}>
                        <td colSpan={writer ? 7 : 6}>
                          <FindingDetails f={f} />
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                )
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore list={list} onMore={more} noun="findings" />
      <SuppressDialog
        finding={suppressing}
        onClose={() => setSuppressing(null)}
        onDone={(f) => {
          replace(f)
          setSuppressing(null)
        }}
      />
    </div>
  )
}

function FindingDetails({ f }: { f: FindingRow }): JSX.Element {
  const remediation = f.remediation
  return (
    <dl class="details">
      <dt>Message</dt>
      <dd>{f.message}</dd>
      <dt>Remediation</dt>
      <dd>
        {remediation === null || remediation === undefined || remediation === '' ? (
          '—'
        ) : typeof remediation === 'string' ? (
          remediation
        ) : (
          <ul class="plain">
            {Object.entries(remediation).map(([k, v]) => (
              <li key={k}>
                <strong>{k}:</strong> <code class="pre">{v}</code>
              </li>
            ))}
          </ul>
        )}
      </dd>
      <dt>Controls</dt>
      <dd>
        <ul class="plain">
          <li>
            <strong>NIST CSF:</strong> {f.controls.csf.join(', ') || '—'}
          </li>
          <li>
            <strong>HIPAA:</strong> {f.controls.hipaa.join(', ') || '—'}
          </li>
          <li>
            <strong>FERPA:</strong> {f.controls.ferpa.join(', ') || '—'}
          </li>
        </ul>
      </dd>
      <dt>Location</dt>
      <dd class="mono">{formatLocation(f.location)}</dd>
      <dt>Resource</dt>
      <dd class="mono">{f.resourceId}</dd>
      <dt>Owner</dt>
      <dd>{f.owner ?? '—'}</dd>
      {f.suppression ? (
        <>
          <dt>Suppression</dt>
          <dd>
            “{f.suppression.reason}” — by {f.suppression.by} on {formatDay(f.suppression.at)}, expires {formatDay(f.suppression.expiresAt)}
          </dd>
        </>
      ) : null}
    </dl>
  )
}

function SuppressDialog({ finding, onClose, onDone }: { finding: FindingRow | null; onClose: () => void; onDone: (f: FindingRow) => void }): JSX.Element {
  const { api, now } = useSession()
  return (
    <Modal title="Suppress finding" open={finding !== null} onClose={onClose}>
      {finding ? <SuppressForm key={finding.id} finding={finding} api={api} now={now()} onClose={onClose} onDone={onDone} /> : null}
    </Modal>
  )
}

function SuppressForm({
  finding,
  api,
  now,
  onClose,
  onDone,
}: {
  finding: FindingRow
  api: ReturnType<typeof useSession>['api']
  now: Date
  onClose: () => void
  onDone: (f: FindingRow) => void
}): JSX.Element {
  const [reason, setReason] = useState('')
  const [expiry, setExpiry] = useState(dateInputValue(now, 90))
  const [local, setLocal] = useState<{ reason?: string | null; expiry?: string | null }>({})
  const { busy, error, setError, run } = useAction()
  return (
    <Form
      onSubmit={() => {
        const r = checkReason(reason)
        const x = checkExpiry(expiry, now)
        setLocal({ reason: r, expiry: x })
        setError(null)
        if (r || x) return
        run(api.suppress(finding.id, reason.trim(), endOfDayIso(expiry)!), (res) => {
          onDone(res.finding)
        })
      }}
    >
      <p>
        <SeverityBadge severity={finding.severity} /> <strong>{finding.title}</strong> on {finding.resourceName}
      </p>
      <p class="muted">Suppressed findings stop counting as failures until the expiry date. The reason goes to the audit trail.</p>
      {error && !fieldError(error, 'reason') && !fieldError(error, 'expiresAt') ? <ErrorNote error={error} /> : null}
      <TextArea label="Reason" value={reason} onValue={setReason} required hint="At least 10 characters: why this is acceptable, and who agreed." error={local.reason ?? fieldError(error, 'reason')} />
      <Field label="Expires on" type="date" value={expiry} onValue={setExpiry} required min={dateInputValue(now, 1)} max={dateInputValue(now, 365)} hint="Default: 90 days. At most one year." error={local.expiry ?? fieldError(error, 'expiresAt')} />
      <FormActions busy={busy} label="Suppress" busyLabel="Suppressing…" onCancel={onClose} />
    </Form>
  )
}
