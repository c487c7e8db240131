/**
 * Audit trail: the tamper-evident event log, newest first, with the hash-chain verification
 * badge ("Chain verified: N entries" or "Broken at #seq").
 */
import type { JSX } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import type { AuditEvent } from '../api'
import { Empty, ErrorNote, Field, Loading, PageHeader } from '../components'
import { formatTime } from '../format'
import { canReadAudit, useSession, useLoad } from '../session'
import { useDebounced } from './hooks'

/** The audit trail page (admins and auditors; other roles get the role message without asking the server). */
export function AuditTrail(): JSX.Element {
  const { me } = useSession()
  if (!canReadAudit(me.user.role)) {
    return (
      <div>
        <PageHeader title="Audit trail" />
        <div class="note note-error note-forbidden" role="alert">
          Your role does not allow this. The audit trail is open to admins and auditors.
        </div>
      </div>
    )
  }
  return <AuditLog />
}

function AuditLog(): JSX.Element {
  const { api, onAuthError } = useSession()
  const verify = useLoad((a) => a.verifyAudit(), [])
  const [actor, setActor] = useState('')
  const [action, setAction] = useState('')
  const dActor = useDebounced(actor.trim(), 300)
  const dAction = useDebounced(action.trim(), 300)
  const [items, setItems] = useState<AuditEvent[]>([])
  const [hasMore, setHasMore] = useState(false)
  const [loading, setLoading] = useState(true)
  const [loaded, setLoaded] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const genRef = useRef(0)

  const load = (beforeSeq: number | undefined, append: boolean, mine: number): void => {
    setLoading(true)
    setError(null)
    api.audit({ limit: 50, beforeSeq, actor: dActor || undefined, action: dAction || undefined }).then(
      (r) => {
        if (mine !== genRef.current) return
        setItems((prev) => (append ? [...prev, ...r.items] : r.items))
        setHasMore(r.nextCursor !== null && r.items.length > 0)
        setLoading(false)
        setLoaded(true)
      },
      (err: unknown) => {
        if (mine !== genRef.current) return
        setLoading(false)
        if (!onAuthError(err)) setError(err)
      },
    )
  }
  useEffect(() => {
    genRef.current++
    setItems([])
    setLoaded(false)
    load(undefined, false, genRef.current)
  }, [dActor, dAction])
  const oldest = items.length ? Math.min(...items.map((e) => e.seq)) : undefined
  return (
    <div>
      <PageHeader title="Audit trail">
        <VerifyBadge loading={verify.loading} data={verify.data} error={verify.error} />
      </PageHeader>
      <p class="muted">Every sign-in, change and export, chained by SHA-256: each entry holds the hash of the one before it.</p>
      <form class="filters" role="search" aria-label="Filter audit events" onSubmit={(e) => e.preventDefault()}>
        <Field label="Actor" value={actor} onValue={setActor} hint="e.g. user:alice or token:ci" />
        <Field label="Action" value={action} onValue={setAction} hint="e.g. finding.suppress" />
      </form>
      <ErrorNote error={error} />
      {!loaded && loading ? <Loading label="Loading audit events…" /> : null}
      {loaded && items.length === 0 ? <Empty title="No audit events match">Events are written as people sign in, review and export.</Empty> : null}
      {items.length > 0 ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Audit events, newest first</caption>
            <thead>
              <tr>
                <th scope="col" class="num">
                  Seq
                </th>
                <th scope="col">Time</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Hash</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.seq}>
                  <th scope="row" class="num mono">
                    {e.seq}
                  </th>
                  <td class="small">{formatTime(e.at)}</td>
                  <td>{e.actor}</td>
                  <td class="mono">{e.action}</td>
                  <td class="mono small">{e.target}</td>
                  <td class="mono small" title={e.hash}>
                    {e.hash.slice(0, 12)}…
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {loaded ? (
        <div class="load-more">
          <p class="muted">Showing {items.length} events</p>
          {hasMore ? (
            <button type="button" class="btn-secondary" disabled={loading} onClick={() => load(oldest, true, genRef.current)}>
              {loading ? 'Loading…' : 'Load more'}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  )
}

/** The chain verification badge: green text "Chain verified: N entries", red "Broken at #seq: reason". */
export function VerifyBadge({ loading, data, error }: { loading: boolean; data: { ok: boolean; count: number; brokenAt?: { seq: number; reason: string } } | undefined; error: unknown }): JSX.Element {
  if (loading && !data)
    return (
      <span class="badge" role="status">
        Verifying chain…
      </span>
    )
  if (error || !data)
    return (
      <span class="badge status-error" role="status">
        Chain not verified
      </span>
    )
  if (data.ok)
    return (
      <span class="badge status-pass verify-badge" role="status">
        ✓ Chain verified: {data.count} entries
      </span>
    )
  return (
    <span class="badge status-broken verify-badge" role="alert">
      ✗ Broken at #{data.brokenAt?.seq ?? '?'}: {data.brokenAt?.reason ?? 'hash mismatch'}
    </span>
  )
}
