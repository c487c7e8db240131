/**
 * Segmentation: review the baseline edges (allow / snooze / deny), set workload modes, simulate
 * the generated policy, approve it, then enforce — shown as the steps
 * review → simulate → approve → alert → enforce — and export it for real enforcers.
 */
import type { JSX } from 'preact'
import { useMemo, useState } from 'preact/hooks'
import { type Approval, type BaselineWorkload, type EdgeRow, EXPORT_FORMATS, type ExportFormat, fieldError, type Mode, MODES, type PolicyExport, type SimulateAnswer, type SimulationResult } from '../api'
import { Empty, ErrorNote, Field, Form, FormActions, LoadMore, Loading, Modal, PageHeader, PhiBadge, Progress, Select, StatusBadge, TextArea } from '../components'
import { capitalize, checkReason, endOfDayIso, dateInputValue, formatBytes, formatCount, formatTime, learningProgress, peerLabel, shortId } from '../format'
import { filterKey } from '../pagination'
import { canWrite, useLoad, usePaged, useSession, useAction } from '../session'
import { workflowStep, WORKFLOW_STEPS } from '../workflow'
import { downloadText } from './hooks'

type ReviewState = 'allowed' | 'snoozed' | 'denied'
const REVIEW_LABEL: Record<ReviewState, string> = { allowed: 'Allow', snoozed: 'Snooze', denied: 'Deny' }
const EXPORT_LABEL: Record<ExportFormat, string> = { networkpolicy: 'Kubernetes NetworkPolicy', cilium: 'Cilium', nftables: 'nftables', 'aws-sg': 'AWS security groups' }

/** The segmentation page. */
export function Segmentation(): JSX.Element {
  const { me } = useSession()
  const writer = canWrite(me.user.role)
  const [state, setState] = useState('')
  const [workload, setWorkload] = useState('')
  const key = filterKey({ state, workload })
  const [workloads, setWorkloads] = useState<BaselineWorkload[]>([])
  const paged = usePaged<EdgeRow>(
    (api, cursor) =>
      api.baseline({ state, workload, limit: 100, cursor }).then((r) => {
        // every baseline page carries the workloads list (it is not filtered by the edge filters)
        if (Array.isArray(r.workloads)) setWorkloads(r.workloads)
        return r
      }),
    key,
  )
  const { list, more, reload } = paged
  const [checked, setChecked] = useState<Set<string>>(new Set())
  const [reviewing, setReviewing] = useState<ReviewState | null>(null)
  const [simulation, setSimulation] = useState<SimulateAnswer | null>(null)
  const policy = useLoad((api) => api.policy(), [])
  const wl = workloads
  const names = useMemo(() => Object.fromEntries(wl.map((w) => [w.id, w.name])), [wl])
  const pendingReview = list.items.filter((e) => e.state === 'observed').length
  const step = workflowStep({
    pendingReview,
    simulated: simulation !== null,
    approved: Boolean(policy.data?.approval && (!simulation || policy.data.approval.digest === simulation.digest)),
    modes: wl.map((w) => w.mode),
  })
  return (
    <div>
      <PageHeader title="Segmentation" />
      <nav aria-label="Segmentation workflow" class="workflow">
        <ol>
          {WORKFLOW_STEPS.map((s, i) => {
            const idx = WORKFLOW_STEPS.findIndex((x) => x.id === step)
            const status = i < idx ? 'done' : i === idx ? 'current' : 'todo'
            return (
              <li key={s.id} class={`wf-${status}`} aria-current={status === 'current' ? 'step' : undefined}>
                <span class="wf-num" aria-hidden="true">
                  {status === 'done' ? '✓' : i + 1}
                </span>
                <span>
                  <strong>{s.label}</strong>
                  <span class="visually-hidden">{status === 'done' ? ' (done)' : status === 'current' ? ' (current step)' : ''}</span>
                  <span class="wf-hint">{s.hint}</span>
                </span>
              </li>
            )
          })}
        </ol>
      </nav>

      <section class="card" aria-labelledby="edges-h">
        <div class="section-head">
          <h2 id="edges-h">1. Baseline edges</h2>
          {writer ? (
            <div class="actions" role="group" aria-label="Review selected edges">
              <span class="muted">{checked.size} selected</span>
              {(Object.keys(REVIEW_LABEL) as ReviewState[]).map((s) => (
                <button key={s} type="button" class={s === 'denied' ? 'btn-danger' : 'btn-secondary'} disabled={checked.size === 0} onClick={() => setReviewing(s)}>
                  {REVIEW_LABEL[s]}
                </button>
              ))}
            </div>
          ) : null}
        </div>
        <form class="filters" aria-label="Filter baseline edges" onSubmit={(e) => e.preventDefault()}>
          <Select
            label="State"
            value={state}
            onValue={(v) => {
              setState(v)
              setChecked(new Set())
            }}
            options={[
              ['', 'All states'],
              ['observed', 'Observed (to review)'],
              ['allowed', 'Allowed'],
              ['snoozed', 'Snoozed'],
              ['denied', 'Denied'],
            ]}
          />
          <Select
            label="Workload"
            value={workload}
            onValue={(v) => {
              setWorkload(v)
              setChecked(new Set())
            }}
            options={[['', 'All workloads'], ...wl.map((w) => [w.id, w.name] as const)]}
          />
        </form>
        <ErrorNote error={list.error} onRetry={reload} />
        {!list.loaded && list.loading ? <Loading label="Loading baseline…" /> : null}
        {list.loaded && list.items.length === 0 ? (
          <Empty title="No baseline edges">
            Edges come from observed flows and from your IaC. Send flows with <code>npx phiwall flows upload</code> or install the agent, then review them here.
          </Empty>
        ) : null}
        {list.items.length > 0 ? <EdgeTable rows={list.items} names={names} writer={writer} checked={checked} setChecked={setChecked} /> : null}
        <LoadMore list={list} onMore={more} noun="edges" />
      </section>

      <section class="card" aria-labelledby="workloads-h">
        <h2 id="workloads-h">Workloads and modes</h2>
        <p class="muted small">learn: record flows · alert: report deviations · enforce: exported policy blocks everything not allowed (needs an approved simulation).</p>
        <WorkloadTable workloads={wl} writer={writer} onChanged={(w) => setWorkloads(wl.map((x) => (x.id === w.id ? { ...x, ...w } : x)))} />
      </section>

      <Exceptions
        workloads={wl}
        names={names}
        writer={writer}
        onAdded={() => {
          // an exception changes what the policy allows: simulate and approve again
          setSimulation(null)
          reload()
          policy.reload()
        }}
      />

      <PolicyPanel
        writer={writer}
        names={names}
        simulation={simulation}
        setSimulation={setSimulation}
        approval={policy.data?.approval ?? null}
        policyVersion={policy.data?.version}
        policyError={policy.error}
        reloadPolicy={policy.reload}
      />

      <ReviewDialog
        state={reviewing}
        keys={[...checked]}
        onClose={() => setReviewing(null)}
        onDone={() => {
          setReviewing(null)
          setChecked(new Set())
          // a review changes the generated policy: the old simulation and approval no longer apply
          setSimulation(null)
          reload()
          policy.reload()
        }}
      />
    </div>
  )
}

function EdgeTable({ rows, names, writer, checked, setChecked }: { rows: EdgeRow[]; names: Record<string, string>; writer: boolean; checked: Set<string>; setChecked: (s: Set<string>) => void }): JSX.Element {
  const all = rows.length > 0 && rows.every((r) => checked.has(r.key))
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">Baseline edges</caption>
        <thead>
          <tr>
            {writer ? (
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Select all edges shown"
                  checked={all}
                  onChange={(e) => setChecked(e.currentTarget.checked ? new Set(rows.map((r) => r.key)) : new Set())}
                />
              </th>
            ) : null}
            <th scope="col">From → to</th>
            <th scope="col">Port</th>
            <th scope="col">Origin</th>
            <th scope="col">State</th>
            <th scope="col" class="num">
              Flows
            </th>
            <th scope="col">Last seen</th>
            <th scope="col">Flags</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => {
            const label = `${peerLabel(e.from, names)} → ${peerLabel(e.to, names)} ${e.protocol}/${e.port}`
            return (
              <tr key={e.key} class={checked.has(e.key) ? 'row-selected' : undefined}>
                {writer ? (
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select ${label}`}
                      checked={checked.has(e.key)}
                      onChange={(ev) => {
                        const next = new Set(checked)
                        if (ev.currentTarget.checked) next.add(e.key)
                        else next.delete(e.key)
                        setChecked(next)
                      }}
                    />
                  </td>
                ) : null}
                <th scope="row">
                  <span class="cell-main">
                    {peerLabel(e.from, names)} <span aria-hidden="true">→</span>
                    <span class="visually-hidden"> to </span> {peerLabel(e.to, names)}
                  </span>
                  {e.review?.reason ? <span class="cell-sub">“{e.review.reason}” — {e.review.by}</span> : null}
                </th>
                <td class="mono">
                  {e.protocol}/{e.port}
                </td>
                <td>{e.origin === 'both' ? 'Observed + declared' : capitalize(e.origin)}</td>
                <td>
                  <StatusBadge status={e.state} label={e.state === 'observed' ? 'To review' : capitalize(e.state)} />
                  {e.pending ? <span class="cell-sub">new: in grace period</span> : null}
                  {e.review?.until ? <span class="cell-sub">until {formatTime(e.review.until)}</span> : null}
                </td>
                <td class="num">
                  {formatCount(e.count)}
                  <span class="cell-sub">{formatBytes(e.bytes)}</span>
                  {e.dropped > 0 ? <span class="cell-sub text-fail">{formatCount(e.dropped)} dropped</span> : null}
                </td>
                <td class="small">{formatTime(e.lastSeen)}</td>
                <td>
                  {e.fromPhi ? <span class="badge phi-yes">From PHI</span> : null} {e.toInternet ? <span class="badge status-fail">To internet</span> : null}
                  {!e.fromPhi && !e.toInternet ? <span class="muted">—</span> : null}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

function WorkloadTable({ workloads, writer, onChanged }: { workloads: BaselineWorkload[]; writer: boolean; onChanged: (w: BaselineWorkload) => void }): JSX.Element {
  const { api, now, onAuthError } = useSession()
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [warning, setWarning] = useState<string | null>(null)
  if (workloads.length === 0) return <p class="muted">No workloads have been seen in flows yet.</p>
  return (
    <>
      <ErrorNote error={error} />
      {warning ? (
        <p class="note note-forbidden" role="status">
          {warning}
        </p>
      ) : null}
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Workloads with their enforcement mode</caption>
          <thead>
            <tr>
              <th scope="col">Workload</th>
              <th scope="col">PHI</th>
              <th scope="col">Learning</th>
              <th scope="col">Mode</th>
            </tr>
          </thead>
          <tbody>
            {workloads.map((w) => (
              <tr key={w.id}>
                <th scope="row">
                  <span class="cell-main">{w.name}</span>
                  <span class="cell-sub mono" title={w.id}>
                    {shortId(w.id)}
                  </span>
                </th>
                <td>
                  <PhiBadge phi={w.holdsPhi} />
                </td>
                <td class="learning">
                  {w.learning.done ? (
                    <span>Learning complete</span>
                  ) : (
                    <>
                      <Progress value={learningProgress(w.learning.done, w.learning.endsAt, now())} label={`Learning progress of ${w.name}`} />
                      <span class="cell-sub">ends {formatTime(w.learning.endsAt)}</span>
                    </>
                  )}
                </td>
                <td>
                  {writer ? (
                    <Select
                      label={`Mode for ${w.name}`}
                      class="label-hidden"
                      value={w.mode}
                      disabled={busy === w.id}
                      onValue={(v) => {
                        setError(null)
                        setBusy(w.id)
                        api.setMode(w.id, v as Mode).then(
                          (r) => {
                            setBusy(null)
                            setWarning(r.warning ?? null)
                            onChanged({ ...w, ...r.workload })
                          },
                          (err: unknown) => {
                            setBusy(null)
                            if (!onAuthError(err)) setError(err)
                          },
                        )
                      }}
                      options={MODES.map((m) => [m, capitalize(m)] as const)}
                    />
                  ) : (
                    <StatusBadge status={`mode-${w.mode}`} label={capitalize(w.mode)} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

function PolicyPanel(p: {
  writer: boolean
  names: Record<string, string>
  simulation: SimulateAnswer | null
  setSimulation: (s: SimulateAnswer | null) => void
  approval: Approval | null
  policyVersion: number | undefined
  policyError: unknown
  reloadPolicy: () => void
}): JSX.Element {
  const { api, onAuthError } = useSession()
  const { busy: simBusy, error: simError, setError: setSimError, run: runSim } = useAction()
  const [approving, setApproving] = useState(false)
  const [exports, setExports] = useState<({ format: ExportFormat } & PolicyExport) | null>(null)
  const [exportBusy, setExportBusy] = useState<ExportFormat | null>(null)
  const [exportError, setExportError] = useState<unknown>(null)
  const names = p.names
  const sim = p.simulation
  const approvedCurrent = Boolean(p.approval && sim && p.approval.digest === sim.digest)
  return (
    <section class="card" aria-labelledby="policy-h">
      <h2 id="policy-h">Policy</h2>
      <ErrorNote error={p.policyError} onRetry={p.reloadPolicy} />
      <p>
        {p.policyVersion !== undefined ? <>Generated policy version {p.policyVersion}. </> : null}
        {p.approval ? (
          <span>
            <StatusBadge status="pass" label="Approved" /> by {p.approval.by} on {formatTime(p.approval.at)} (digest <code>{p.approval.digest.slice(0, 12)}…</code>)
          </span>
        ) : (
          <StatusBadge status="manual" label="Not approved" />
        )}
      </p>
      <div class="actions">
        <button
          type="button"
          class="btn-primary"
          disabled={simBusy}
          aria-busy={simBusy ? 'true' : undefined}
          onClick={() => {
            setSimError(null)
            runSim(api.simulate(), (r) => p.setSimulation(r))
          }}
        >
          {simBusy ? 'Simulating…' : 'Simulate'}
        </button>
        {p.writer ? (
          <button type="button" class="btn-secondary" disabled={!sim || approvedCurrent} onClick={() => setApproving(true)}>
            Approve policy
          </button>
        ) : null}
      </div>
      {simBusy ? <Loading label="Replaying stored flows against the policy…" /> : null}
      <ErrorNote error={simError} />
      {sim?.truncated ? <p class="note note-info">The replay stopped at its row limit{sim.replayedRows ? ` (${formatCount(sim.replayedRows)} rows)` : ''}: the result covers the newest flows only.</p> : null}
      {sim ? <SimulationView sim={sim.result} digest={sim.digest} names={p.names} /> : <p class="muted">Simulate replays the stored flows against the generated policy and shows what enforcing it would drop, per workload.</p>}
      {approvedCurrent ? <p class="note note-info">This simulation is approved. Move workloads to Alert, watch the Alerts page, then to Enforce.</p> : null}

      <h3 class="h3">Export</h3>
      <p class="muted small">Download the policy for the enforcer you run.</p>
      <div class="actions">
        {EXPORT_FORMATS.map((f) => (
          <button
            key={f}
            type="button"
            class="btn-secondary"
            disabled={exportBusy !== null}
            onClick={() => {
              setExportBusy(f)
              setExportError(null)
              api.exportPolicy(f).then(
                (r) => {
                  setExportBusy(null)
                  setExports({ format: f, ...r })
                  for (const file of r.files) downloadText(file.path.split('/').pop() || `${f}.txt`, file.content)
                },
                (err: unknown) => {
                  setExportBusy(null)
                  if (!onAuthError(err)) setExportError(err)
                },
              )
            }}
          >
            {exportBusy === f ? 'Exporting…' : `Export ${EXPORT_LABEL[f]}`}
          </button>
        ))}
      </div>
      <ErrorNote error={exportError} />
      {exports ? (
        <div class="export-files" role="status">
          <p>
            {exports.files.length === 0 ? 'The policy has no workloads to export in this format.' : `${EXPORT_LABEL[exports.format]}: ${exports.files.length} file${exports.files.length === 1 ? '' : 's'} downloaded.`}
          </p>
          {exports.notes && exports.notes.length ? (
            <div class="note note-info">
              <p>What {EXPORT_LABEL[exports.format]} cannot express:</p>
              <ul>
                {exports.notes.map((n, i) => (
                  <li key={i}>
                    <strong>{names[n.workload] ?? shortId(n.workload)}:</strong> {n.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <ul class="plain">
            {exports.files.map((f) => (
              <li key={f.path}>
                <button type="button" class="btn-link mono" onClick={() => downloadText(f.path.split('/').pop() || f.path, f.content)}>
                  {f.path}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <ApproveDialog
        open={approving}
        digest={sim?.digest ?? ''}
        onClose={() => setApproving(false)}
        onDone={() => {
          setApproving(false)
          p.reloadPolicy()
        }}
      />
    </section>
  )
}

function SimulationView({ sim, digest, names }: { sim: SimulationResult; digest: string; names: Record<string, string> }): JSX.Element {
  const withDrops = sim.byWorkload.filter((w) => w.drops.length > 0)
  return (
    <div class="simulation" aria-live="polite">
      <h3 class="h3">Simulation result</h3>
      <ul class="sim-totals">
        <li>
          <strong>{formatCount(sim.flows)}</strong> flows replayed
        </li>
        <li>
          <strong>{formatCount(sim.allowed)}</strong> allowed
        </li>
        <li class={sim.dropped > 0 ? 'text-fail' : undefined}>
          <strong>{formatCount(sim.dropped)}</strong> would be dropped
        </li>
        <li>
          <strong>{formatCount(sim.alerted)}</strong> would alert
        </li>
        <li>
          <strong>{formatCount(sim.uncovered)}</strong> not covered by any policy
        </li>
      </ul>
      <p class="small muted">
        Digest <code>{digest}</code>
      </p>
      {withDrops.length === 0 ? (
        <p class="note note-info">Nothing observed would be dropped: the policy admits every reviewed flow.</p>
      ) : (
        withDrops.map((w) => (
          <div key={w.workload} class="sim-workload">
            <h4>
              {names[w.workload] ?? shortId(w.workload)} <span class="muted small">mode {w.mode}</span>
            </h4>
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Flow</th>
                    <th scope="col">Direction</th>
                    <th scope="col">Port</th>
                    <th scope="col" class="num">
                      Flows
                    </th>
                    <th scope="col">Effect</th>
                  </tr>
                </thead>
                <tbody>
                  {w.drops.map((d) => (
                    <tr key={`${d.key}|${d.direction}`}>
                      <th scope="row">
                        {peerLabel(d.from, names)} → {peerLabel(d.to, names)}
                      </th>
                      <td>{d.direction}</td>
                      <td class="mono">
                        {d.protocol}/{d.port}
                      </td>
                      <td class="num">{formatCount(d.count)}</td>
                      <td>
                        <StatusBadge status={d.effect === 'drop' ? 'fail' : 'manual'} label={d.effect === 'drop' ? 'Dropped' : 'Alert only'} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        ))
      )}
    </div>
  )
}

function ReviewDialog({ state, keys, onClose, onDone }: { state: ReviewState | null; keys: string[]; onClose: () => void; onDone: () => void }): JSX.Element {
  return (
    <Modal title={state ? `${REVIEW_LABEL[state]} ${keys.length} edge${keys.length === 1 ? '' : 's'}` : 'Review edges'} open={state !== null} onClose={onClose}>
      {state ? <ReviewForm state={state} keys={keys} onClose={onClose} onDone={onDone} /> : null}
    </Modal>
  )
}

function ReviewForm({ state, keys, onClose, onDone }: { state: ReviewState; keys: string[]; onClose: () => void; onDone: () => void }): JSX.Element {
  const { api, now } = useSession()
  const [reason, setReason] = useState('')
  const [until, setUntil] = useState(dateInputValue(now(), 14))
  const [local, setLocal] = useState<string | null>(null)
  const { busy, error, setError, run } = useAction()
  return (
    <Form
      onSubmit={() => {
        const r = checkReason(reason)
        setLocal(r)
        setError(null)
        if (r) return
        const body: { keys: string[]; state: ReviewState; reason: string; until?: string } = { keys, state, reason: reason.trim() }
        if (state === 'snoozed') {
          const iso = endOfDayIso(until)
          if (iso) body.until = iso
        }
        run(api.review(body), () => {
          onDone()
        })
      }}
    >
      <p>
        {state === 'allowed'
          ? 'Allowed edges become rules of the generated policy.'
          : state === 'snoozed'
            ? 'Snoozed edges raise no alert until the date below; they are not added to the policy.'
            : 'Denied edges are left out of the policy and raise an alert whenever they are seen.'}
      </p>
      {error && !fieldError(error, 'reason') ? <ErrorNote error={error} /> : null}
      <TextArea label="Reason" value={reason} onValue={setReason} required hint="At least 10 characters. Recorded in the audit trail." error={local ?? fieldError(error, 'reason')} />
      {state === 'snoozed' ? <Field label="Snooze until" type="date" value={until} onValue={setUntil} min={dateInputValue(now(), 1)} error={fieldError(error, 'until')} /> : null}
      <FormActions busy={busy} label={`${REVIEW_LABEL[state]} ${keys.length} edge${keys.length === 1 ? '' : 's'}`} busyLabel="Saving…" danger={state === 'denied'} onCancel={onClose} />
    </Form>
  )
}

function ApproveDialog({ open, digest, onClose, onDone }: { open: boolean; digest: string; onClose: () => void; onDone: () => void }): JSX.Element {
  return (
    <Modal title="Approve policy" open={open} onClose={onClose}>
      {open ? <ApproveForm digest={digest} onClose={onClose} onDone={onDone} /> : null}
    </Modal>
  )
}

function ApproveForm({ digest, onClose, onDone }: { digest: string; onClose: () => void; onDone: () => void }): JSX.Element {
  const { api } = useSession()
  const [reason, setReason] = useState('')
  const [local, setLocal] = useState<string | null>(null)
  const { busy, error, setError, run } = useAction()
  return (
    <Form
      onSubmit={() => {
        const r = checkReason(reason)
        setLocal(r)
        setError(null)
        if (r) return
        run(api.approve(digest, reason.trim()), () => {
          onDone()
        })
      }}
    >
      <p>You approve exactly the simulation you reviewed, identified by its digest:</p>
      <p>
        <code class="secret">{digest}</code>
      </p>
      <p class="muted small">If the baseline changed since, the server refuses the approval and you simulate again.</p>
      {error && !fieldError(error, 'reason') ? <ErrorNote error={error} /> : null}
      <TextArea label="Reason" value={reason} onValue={setReason} required hint="At least 10 characters: why this policy is ready. Recorded in the audit trail." error={local ?? fieldError(error, 'reason')} />
      <FormActions busy={busy} label="Approve" busyLabel="Approving…" onCancel={onClose} />
    </Form>
  )
}

/** PHI internet-egress exceptions: the recorded ones, and (for writers) a form to record one. */
function Exceptions({ workloads, names, writer, onAdded }: { workloads: BaselineWorkload[]; names: Record<string, string>; writer: boolean; onAdded: () => void }): JSX.Element {
  const { api, now } = useSession()
  const { busy, error, setError, run } = useAction()
  const phi = workloads.filter((w) => w.holdsPhi === 'yes')
  const [workload, setWorkload] = useState('')
  const [destination, setDestination] = useState('')
  const [port, setPort] = useState('')
  const [reason, setReason] = useState('')
  const [expiry, setExpiry] = useState(dateInputValue(now(), 90))
  const [local, setLocal] = useState<{ workload?: string; destination?: string; port?: string; reason?: string | null }>({})
  const recorded = workloads.flatMap((w) => (w.exceptions ?? []).map((e) => ({ w, e })))
  return (
    <section class="card" aria-labelledby="exceptions-h">
      <h2 id="exceptions-h">PHI egress exceptions</h2>
      <p class="muted small">Workloads that hold PHI get no internet egress in the generated policy unless an exception names the destination, with who allowed it, why, and until when. Each one goes to the audit trail.</p>
      {recorded.length === 0 ? (
        <p class="muted">No exception recorded.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Workload</th>
                <th scope="col">Destination</th>
                <th scope="col">Allowed by</th>
                <th scope="col">Reason</th>
                <th scope="col">Expires</th>
              </tr>
            </thead>
            <tbody>
              {recorded.map(({ w, e }, i) => (
                <tr key={`${w.id}-${i}`}>
                  <td>{names[w.id] ?? w.name}</td>
                  <td class="mono">
                    {peerLabel(e.to, names)}
                    {e.port ? `:${e.port}` : ''}
                  </td>
                  <td>
                    {e.by} <span class="muted small">{formatTime(e.at)}</span>
                  </td>
                  <td>{e.reason}</td>
                  <td>{e.expires ? formatTime(e.expires) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {writer ? (
        <Form
          aria-label="Record an egress exception"
          onSubmit={() => {
            const dest = destination.trim()
            const checks = {
              workload: workload ? undefined : 'Choose a workload.',
              destination: /^(fqdn:[a-z0-9*][a-z0-9.*-]*|cidr:[0-9a-f.:]+\/\d{1,3})$/i.test(dest) ? undefined : 'Write fqdn:NAME or cidr:ADDRESS/PREFIX.',
              port: port === '' || (/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535) ? undefined : 'A port from 1 to 65535, or empty for any.',
              reason: checkReason(reason),
            }
            setLocal(checks)
            setError(null)
            if (checks.workload || checks.destination || checks.port || checks.reason) return
            run(api.addException({ workload, destination: dest, ...(port ? { port: Number(port) } : {}), reason: reason.trim(), expiresAt: endOfDayIso(expiry)! }), () => {
              setDestination('')
              setPort('')
              setReason('')
              onAdded()
            })
          }}
        >
          {error && !fieldError(error, 'reason') && !fieldError(error, 'destination') && !fieldError(error, 'expiresAt') ? <ErrorNote error={error} /> : null}
          <Select label="Workload" value={workload} onValue={setWorkload} options={[['', phi.length ? 'Choose a PHI workload' : 'No PHI workload in the baseline'], ...phi.map((w) => [w.id, names[w.id] ?? w.name] as const)]} error={local.workload} />
          <Field label="Destination" value={destination} onValue={setDestination} hint="fqdn:api.clearinghouse.example or cidr:203.0.113.0/24" error={local.destination ?? fieldError(error, 'destination')} />
          <Field label="Port" value={port} onValue={setPort} inputMode="numeric" hint="Empty: any port." error={local.port} />
          <TextArea label="Reason" value={reason} onValue={setReason} required hint="At least 10 characters: the business need and who agreed (BAA, ticket)." error={local.reason ?? fieldError(error, 'reason')} />
          <Field label="Expires on" type="date" value={expiry} onValue={setExpiry} required min={dateInputValue(now(), 1)} max={dateInputValue(now(), 365)} error={fieldError(error, 'expiresAt')} />
          <FormActions busy={busy} label="Record exception" busyLabel="Recording…" />
        </Form>
      ) : null}
    </section>
  )
}
