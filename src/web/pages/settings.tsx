/**
 * Settings: API tokens (create → secret shown once, revoke), users (admin only: create → one-time
 * password shown once, role/team, disable, unlock, reset) and scheduled sources (add, run now with
 * a progress bar fed by GET /jobs/{id}, remove).
 */
import type { JSX } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { fieldError, type Job, type Role, ROLES, type Source, type Token, type TokenScope, TOKEN_SCOPES, type User } from '../api'
import { CopyButton, Empty, ErrorNote, Field, Form, Loading, Modal, PageHeader, Progress, Select, StatusBadge } from '../components'
import { formatTime, toDate } from '../format'
import { canWrite, useLoad, useSession, useAction } from '../session'

/** The settings page. */
export function Settings(): JSX.Element {
  const { me } = useSession()
  return (
    <div class="stack-lg">
      <PageHeader title="Settings" />
      <Tokens />
      {me.user.role === 'admin' ? <Users /> : null}
      <Sources />
    </div>
  )
}

const SCOPE_HINT: Record<TokenScope, string> = {
  read: 'read what your role may read',
  'scans:write': 'upload scans (CLI, CI)',
  'flows:write': 'send flows (agents, flow uploads)',
  'fingerprints:write': 'upload binary fingerprints',
  'phi:write': 'upload PHI scan reports',
}

function Tokens(): JSX.Element {
  const { api, me } = useSession()
  const tokens = useLoad((a) => a.tokens(), [])
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<Set<TokenScope>>(new Set(['scans:write']))
  const [days, setDays] = useState('90')
  const [local, setLocal] = useState<{ name?: string; scopes?: string; days?: string }>({})
  const { busy, error, setError, run } = useAction()
  const [created, setCreated] = useState<{ token: Token; secret: string } | null>(null)
  const [revoking, setRevoking] = useState<Token | null>(null)
  return (
    <section class="card" aria-labelledby="tokens-h">
      <h2 id="tokens-h">API tokens</h2>
      <p class="muted">Tokens let the CLI, CI jobs and agents talk to this server: <code>PHIWALL_TOKEN=pw_… npx phiwall scan ./infra --upload {window.location.origin}</code></p>
      {created ? (
        <div class="note note-success secret-once" role="status">
          <p>
            <strong>Token “{created.token.name}” created.</strong> Copy the secret now: it is shown only once.
          </p>
          <p>
            <code class="secret" aria-label="New token secret">
              {created.secret}
            </code>{' '}
            <CopyButton text={created.secret} label="Copy token" />
          </p>
          <button type="button" class="btn-secondary" onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </div>
      ) : null}
      <ErrorNote error={tokens.error} onRetry={tokens.reload} />
      {tokens.loading && !tokens.data ? <Loading label="Loading tokens…" /> : null}
      {tokens.data && tokens.data.items.length === 0 ? <p class="muted">No tokens yet. Create one below for your CI job or agent.</p> : null}
      {tokens.data && tokens.data.items.length > 0 ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">API tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scopes</th>
                <th scope="col">Prefix</th>
                {me.user.role === 'admin' ? <th scope="col">Owner</th> : null}
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.items.map((t) => (
                <tr key={t.id}>
                  <th scope="row">{t.name}</th>
                  <td class="mono small">{t.scopes.join(', ')}</td>
                  <td class="mono">{t.prefix}…</td>
                  {me.user.role === 'admin' ? <td>{t.owner}</td> : null}
                  <td class="small">{formatTime(t.createdAt)}</td>
                  <td class="small">{formatTime(t.expiresAt)}</td>
                  <td class="small">{t.lastUsedAt ? formatTime(t.lastUsedAt) : 'never'}</td>
                  <td>
                    <button type="button" class="btn-danger" aria-label={`Revoke token ${t.name}`} onClick={() => setRevoking(t)}>
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Form
        class="inline-form"
        aria-labelledby="new-token-h"
        onSubmit={() => {
          const n = Number(days)
          const problems = {
            name: name.trim() ? undefined : 'Name the token after what uses it.',
            scopes: scopes.size ? undefined : 'Choose at least one scope.',
            days: Number.isInteger(n) && n >= 1 && n <= 365 ? undefined : 'Between 1 and 365 days.',
          }
          setLocal(problems)
          setError(null)
          if (problems.name || problems.scopes || problems.days) return
          run(api.createToken({ name: name.trim(), scopes: TOKEN_SCOPES.filter((s) => scopes.has(s)), expiresInDays: n }), (r) => {
            setCreated(r)
            setName('')
            tokens.reload()
          })
        }}
      >
        <h3 id="new-token-h" class="h3">
          Create a token
        </h3>
        {error && !['name', 'scopes', 'expiresInDays'].some((f) => fieldError(error, f)) ? <ErrorNote error={error} /> : null}
        <Field label="Token name" value={name} onValue={setName} required hint="e.g. ci-infra-scan" error={local.name ?? fieldError(error, 'name')} />
        <fieldset class="field" aria-describedby={local.scopes || fieldError(error, 'scopes') ? 'scopes-err' : undefined}>
          <legend>Scopes</legend>
          {TOKEN_SCOPES.map((s) => (
            <label key={s} class="checkbox">
              <input
                type="checkbox"
                checked={scopes.has(s)}
                onChange={(e) => {
                  const next = new Set(scopes)
                  if (e.currentTarget.checked) next.add(s)
                  else next.delete(s)
                  setScopes(next)
                }}
              />{' '}
              <span class="mono">{s}</span> <span class="muted small">— {SCOPE_HINT[s]}</span>
            </label>
          ))}
          {local.scopes || fieldError(error, 'scopes') ? (
            <p class="field-error" id="scopes-err">
              {local.scopes ?? fieldError(error, 'scopes')}
            </p>
          ) : null}
        </fieldset>
        <Field label="Expires in (days)" type="number" value={days} onValue={setDays} min={1} max={365} required error={local.days ?? fieldError(error, 'expiresInDays')} />
        <button type="submit" class="btn-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create token'}
        </button>
      </Form>
      <Modal title="Revoke token" open={revoking !== null} onClose={() => setRevoking(null)}>
        {revoking ? (
          <RevokeConfirm
            token={revoking}
            onCancel={() => setRevoking(null)}
            onDone={() => {
              setRevoking(null)
              tokens.reload()
            }}
          />
        ) : null}
      </Modal>
    </section>
  )
}

function RevokeConfirm({ token, onCancel, onDone }: { token: Token; onCancel: () => void; onDone: () => void }): JSX.Element {
  const { api } = useSession()
  const { busy, error, run } = useAction()
  return (
    <div class="stack">
      <p>
        Anything using <strong>{token.name}</strong> (<code>{token.prefix}…</code>) stops working immediately.
      </p>
      <ErrorNote error={error} />
      <div class="actions">
        <button
          type="button"
          class="btn-danger"
          disabled={busy}
          onClick={() => run(api.revokeToken(token.id), onDone)}
        >
          Revoke
        </button>
        <button type="button" class="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  )
}

const ROLE_OPTIONS = ROLES.map((r) => [r, r] as const)

function Users(): JSX.Element {
  const { api, onAuthError, now } = useSession()
  const users = useLoad((a) => a.users(), [])
  const [username, setUsername] = useState('')
  const [role, setRole] = useState<Role>('engineer')
  const [team, setTeam] = useState('')
  const { busy, error, setError, run } = useAction()
  const [rowError, setRowError] = useState<unknown>(null)
  const [secret, setSecret] = useState<{ username: string; password: string; reason: 'created' | 'reset' } | null>(null)
  const [editing, setEditing] = useState<User | null>(null)
  const update = (u: User, body: Parameters<typeof api.updateUser>[1]): void => {
    setRowError(null)
    api.updateUser(u.id, body).then(
      () => users.reload(),
      (err: unknown) => {
        if (!onAuthError(err)) setRowError(err)
      },
    )
  }
  return (
    <section class="card" aria-labelledby="users-h">
      <h2 id="users-h">Users</h2>
      {secret ? (
        <div class="note note-success secret-once" role="status">
          <p>
            <strong>{secret.reason === 'created' ? `User ${secret.username} created.` : `Password of ${secret.username} reset.`}</strong> Give them this one-time password over a separate channel; it is shown only once and must be changed at first sign-in
            {secret.reason === 'reset' ? ', and two-factor authentication is set up again' : ''}.
          </p>
          <p>
            <code class="secret" aria-label="One-time password">
              {secret.password}
            </code>{' '}
            <CopyButton text={secret.password} label="Copy password" />
          </p>
          <button type="button" class="btn-secondary" onClick={() => setSecret(null)}>
            Done
          </button>
        </div>
      ) : null}
      <ErrorNote error={users.error} onRetry={users.reload} />
      <ErrorNote error={rowError} />
      {users.loading && !users.data ? <Loading label="Loading users…" /> : null}
      {users.data ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Users</caption>
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Role</th>
                <th scope="col">Team</th>
                <th scope="col">Status</th>
                <th scope="col">Two-factor</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((u) => {
                const locked = (toDate(u.lockedUntil)?.getTime() ?? 0) > now().getTime()
                return (
                  <tr key={u.id}>
                    <th scope="row">{u.username}</th>
                    <td>{u.role}</td>
                    <td>{u.team ?? '—'}</td>
                    <td>
                      {u.disabled ? <StatusBadge status="fail" label="Disabled" /> : locked ? <StatusBadge status="manual" label={`Locked until ${formatTime(u.lockedUntil)}`} /> : <StatusBadge status="pass" label="Active" />}
                    </td>
                    <td>{u.totpEnrolled ? 'Enrolled' : 'Not set up'}</td>
                    <td class="small">{u.lastLoginAt ? formatTime(u.lastLoginAt) : 'never'}</td>
                    <td class="row-actions">
                      <button type="button" class="btn-secondary" aria-label={`Edit ${u.username}`} onClick={() => setEditing(u)}>
                        Edit
                      </button>
                      <button type="button" class="btn-secondary" aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.username}`} onClick={() => update(u, { disabled: !u.disabled })}>
                        {u.disabled ? 'Enable' : 'Disable'}
                      </button>
                      {locked ? (
                        <button type="button" class="btn-secondary" aria-label={`Unlock ${u.username}`} onClick={() => update(u, { unlock: true })}>
                          Unlock
                        </button>
                      ) : null}
                      <button
                        type="button"
                        class="btn-secondary"
                        aria-label={`Reset password of ${u.username}`}
                        onClick={() => {
                          setRowError(null)
                          api.resetUser(u.id).then(
                            (r) => {
                              setSecret({ username: u.username, password: r.oneTimePassword, reason: 'reset' })
                              users.reload()
                            },
                            (err: unknown) => {
                              if (!onAuthError(err)) setRowError(err)
                            },
                          )
                        }}
                      >
                        Reset
                      </button>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <Form
        class="inline-form"
        aria-labelledby="new-user-h"
        onSubmit={() => {
          setError(null)
          const body: { username: string; role: Role; team?: string } = { username: username.trim(), role }
          if (team.trim()) body.team = team.trim()
          run(api.createUser(body), (r) => {
            setSecret({ username: r.user.username, password: r.oneTimePassword, reason: 'created' })
            setUsername('')
            setTeam('')
            users.reload()
          })
        }}
      >
        <h3 id="new-user-h" class="h3">
          Add a user
        </h3>
        {error && !['username', 'role', 'team'].some((f) => fieldError(error, f)) ? <ErrorNote error={error} /> : null}
        <Field label="New username" value={username} onValue={setUsername} required autoComplete="off" error={fieldError(error, 'username')} />
        <Select label="Role" value={role} onValue={(v) => setRole(v as Role)} options={ROLE_OPTIONS} error={fieldError(error, 'role')} />
        <Field label="Team" value={team} onValue={setTeam} hint="Required for app-team users: they see only resources owned by this team." error={fieldError(error, 'team')} />
        <button type="submit" class="btn-primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add user'}
        </button>
      </Form>
      <Modal title={editing ? `Edit ${editing.username}` : 'Edit user'} open={editing !== null} onClose={() => setEditing(null)}>
        {editing ? (
          <EditUser
            user={editing}
            onCancel={() => setEditing(null)}
            onDone={() => {
              setEditing(null)
              users.reload()
            }}
          />
        ) : null}
      </Modal>
    </section>
  )
}

function EditUser({ user, onCancel, onDone }: { user: User; onCancel: () => void; onDone: () => void }): JSX.Element {
  const { api } = useSession()
  const [role, setRole] = useState<Role>(user.role)
  const [team, setTeam] = useState(user.team ?? '')
  const { busy, error, setError, run } = useAction()
  return (
    <Form
      onSubmit={() => {
        setError(null)
        run(api.updateUser(user.id, { role, team: team.trim() || null }), onDone)
      }}
    >
      {error && !fieldError(error, 'role') && !fieldError(error, 'team') ? <ErrorNote error={error} /> : null}
      <Select label="Role" value={role} onValue={(v) => setRole(v as Role)} options={ROLE_OPTIONS} error={fieldError(error, 'role')} />
      <Field label="Team" value={team} onValue={setTeam} error={fieldError(error, 'team')} />
      <div class="actions">
        <button type="submit" class="btn-primary" disabled={busy}>
          Save
        </button>
        <button type="button" class="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Form>
  )
}

function Sources(): JSX.Element {
  const { api, onAuthError, me } = useSession()
  const writer = canWrite(me.user.role)
  const sources = useLoad((a) => a.sources(), [])
  const [name, setName] = useState('')
  const [path, setPath] = useState('')
  const [interval, setInterval_] = useState('1440')
  const { busy, error, setError, run } = useAction()
  const [rowError, setRowError] = useState<unknown>(null)
  const [jobs, setJobs] = useState<Record<string, Job>>({})
  const timers = useRef<Record<string, ReturnType<typeof setTimeout>>>({})
  useEffect(() => () => Object.values(timers.current).forEach(clearTimeout), [])
  const poll = (sourceId: string, jobId: string): void => {
    api.job(jobId).then(
      (j) => {
        setJobs((prev) => ({ ...prev, [sourceId]: j }))
        if (j.state === 'queued' || j.state === 'running') timers.current[sourceId] = setTimeout(() => poll(sourceId, jobId), 1000)
        else sources.reload()
      },
      (err: unknown) => {
        if (!onAuthError(err)) setRowError(err)
      },
    )
  }
  const items: Source[] = sources.data?.items ?? []
  return (
    <section class="card" aria-labelledby="sources-h">
      <h2 id="sources-h">Scheduled sources</h2>
      <p class="muted">Directories on the server that are rescanned on a schedule (for example a checkout of your infrastructure repository).</p>
      <ErrorNote error={sources.error} onRetry={sources.reload} />
      <ErrorNote error={rowError} />
      {sources.loading && !sources.data ? <Loading label="Loading sources…" /> : null}
      {sources.data && items.length === 0 ? <Empty title="No scheduled sources">{writer ? 'Add a path on the server below to rescan it regularly.' : 'An engineer can add paths to rescan regularly.'}</Empty> : null}
      {items.length > 0 ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Scheduled sources</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Path</th>
                <th scope="col">Every</th>
                <th scope="col">Last run</th>
                <th scope="col">Next run</th>
                {writer ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {items.map((s) => {
                const job = jobs[s.id]
                const running = job && (job.state === 'queued' || job.state === 'running')
                return (
                  <tr key={s.id}>
                    <th scope="row">{s.name}</th>
                    <td class="mono small">{s.path}</td>
                    <td>{formatInterval(s.intervalMinutes)}</td>
                    <td class="small">
                      {s.lastRunAt ? formatTime(s.lastRunAt) : 'never'}
                      {s.lastStatus ? <span class="cell-sub">{s.lastStatus}</span> : null}
                    </td>
                    <td class="small">{formatTime(s.nextRunAt)}</td>
                    {writer ? (
                      <td class="row-actions">
                        {job ? (
                          <div class="job">
                            <Progress value={job.state === 'done' ? 1 : job.progress} label={`Scan of ${s.name}`} />
                            <span class="cell-sub" role="status">
                              {job.state === 'done' ? 'Done. ' : job.state === 'failed' ? 'Failed: ' : ''}
                              {job.message}
                            </span>
                          </div>
                        ) : null}
                        <button
                          type="button"
                          class="btn-secondary"
                          disabled={Boolean(running)}
                          aria-label={`Run ${s.name} now`}
                          onClick={() => {
                            setRowError(null)
                            api.runSource(s.id).then(
                              (r) => {
                                setJobs((prev) => ({ ...prev, [s.id]: { id: r.jobId, state: 'queued', progress: 0, message: 'Queued' } }))
                                poll(s.id, r.jobId)
                              },
                              (err: unknown) => {
                                if (!onAuthError(err)) setRowError(err)
                              },
                            )
                          }}
                        >
                          {running ? 'Running…' : 'Run now'}
                        </button>
                        <button
                          type="button"
                          class="btn-ghost"
                          aria-label={`Remove ${s.name}`}
                          onClick={() =>
                            api.deleteSource(s.id).then(
                              () => sources.reload(),
                              (err: unknown) => {
                                if (!onAuthError(err)) setRowError(err)
                              },
                            )
                          }
                        >
                          Remove
                        </button>
                      </td>
                    ) : null}
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {writer ? (
        <Form
          class="inline-form"
          aria-labelledby="new-source-h"
          onSubmit={() => {
            setError(null)
            run(api.createSource({ name: name.trim(), path: path.trim(), intervalMinutes: Number(interval) }), () => {
              setName('')
              setPath('')
              sources.reload()
            })
          }}
        >
          <h3 id="new-source-h" class="h3">
            Add a source
          </h3>
          {error && !['name', 'path', 'intervalMinutes'].some((f) => fieldError(error, f)) ? <ErrorNote error={error} /> : null}
          <Field label="Source name" value={name} onValue={setName} required hint="e.g. clinic-infra" error={fieldError(error, 'name')} />
          <Field label="Path on the server" value={path} onValue={setPath} required hint="e.g. /srv/repos/clinic-infra" error={fieldError(error, 'path')} />
          <Select
            label="Rescan every"
            value={interval}
            onValue={setInterval_}
            options={[
              ['60', 'Hour'],
              ['360', '6 hours'],
              ['1440', 'Day'],
              ['10080', 'Week'],
            ]}
            error={fieldError(error, 'intervalMinutes')}
          />
          <button type="submit" class="btn-primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add source'}
          </button>
        </Form>
      ) : null}
    </section>
  )
}

/** `every 6 h`, `every day`. */
function formatInterval(min: number): string {
  if (min % 10080 === 0) return min === 10080 ? 'week' : `${min / 10080} weeks`
  if (min % 1440 === 0) return min === 1440 ? 'day' : `${min / 1440} days`
  if (min % 60 === 0) return min === 60 ? 'hour' : `${min / 60} hours`
  return `${min} min`
}
