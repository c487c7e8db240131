/**
 * The sign-in flow: username + password, then whatever the server asks next — change the
 * one-time password, enrol TOTP (QR code, secret, code, then the recovery codes once), or the
 * 6-digit code (or a recovery code).
 */
import type { JSX } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { type ApiClient, ApiError, errorText, fieldError, type NextStep } from '../api'
import { Field, Form, Loading } from '../components'
import { useRequest } from '../session'
import { checkNewPassword, normalizeTotp, svgDataUrl } from '../format'

/** Where the flow stands. */
export type SignInStep = 'credentials' | 'password' | 'enrol' | 'recovery' | 'totp'

/** Maps the server's `next` / `pending` to a step; `done` has none. */
export function stepOf(next: NextStep | null): SignInStep | null {
  if (next === 'password') return 'password'
  if (next === 'enrol') return 'enrol'
  if (next === 'totp') return 'totp'
  if (next === 'done') return null
  return 'credentials'
}

/** The sign-in page; `onDone` is called once the session is complete. */
export function SignIn({ api, initialStep, notice, onDone }: { api: ApiClient; initialStep: SignInStep; notice?: string | undefined; onDone: () => void }): JSX.Element {
  const [step, setStep] = useState<SignInStep>(initialStep)
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>([])
  useEffect(() => setStep(initialStep), [initialStep])
  const advance = (next: NextStep): void => {
    const s = stepOf(next)
    if (s === null) onDone()
    else setStep(s)
  }
  const titles: Record<SignInStep, string> = {
    credentials: 'Sign in to PhiWall',
    password: 'Choose a new password',
    enrol: 'Set up two-factor authentication',
    recovery: 'Save your recovery codes',
    totp: 'Two-factor authentication',
  }
  useEffect(() => {
    document.title = `${titles[step]} — PhiWall`
    document.querySelector<HTMLElement>('.signin h1')?.focus()
  }, [step])
  return (
    <main id="main" class="signin" tabIndex={-1}>
      <div class="signin-card">
        <p class="brand brand-large" aria-hidden="true">
          <span class="brand-mark">Φ</span> PhiWall
        </p>
        <h1 tabIndex={-1}>{titles[step]}</h1>
        {notice && step === 'credentials' ? (
          <p class="note note-info" role="status">
            {notice}
          </p>
        ) : null}
        {step === 'credentials' ? <Credentials api={api} onNext={advance} /> : null}
        {step === 'password' ? <ChangePassword api={api} onNext={advance} /> : null}
        {step === 'enrol' ? (
          <Enrol
            api={api}
            onCodes={(codes) => {
              setRecoveryCodes(codes)
              setStep('recovery')
            }}
          />
        ) : null}
        {step === 'recovery' ? <RecoveryCodes codes={recoveryCodes} onDone={onDone} /> : null}
        {step === 'totp' ? <Totp api={api} onNext={advance} /> : null}
        {step !== 'credentials' ? (
          <p class="signin-restart">
            <button type="button" class="btn-link" onClick={() => api.logout().catch(() => undefined).then(() => setStep('credentials'))}>
              Start over with another account
            </button>
          </p>
        ) : null}
      </div>
    </main>
  )
}

function FormError({ error, fields }: { error: unknown; fields: string[] }): JSX.Element | null {
  if (!error) return null
  // an error already shown next to its field is not repeated at the top
  if (error instanceof ApiError && error.field && fields.some((f) => fieldError(error, f))) return null
  return (
    <p class="note note-error" role="alert">
      {errorText(error)}
    </p>
  )
}

function Credentials({ api, onNext }: { api: ApiClient; onNext: (n: NextStep) => void }): JSX.Element {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const { busy, error, setError, run } = useRequest()
  return (
    <Form
      onSubmit={() => {
        setError(null)
        run(api.login(username.trim(), password), (r) => {
          setPassword('')
          onNext(r.next)
        })
      }}
    >
      <FormError error={error} fields={['username', 'password']} />
      <Field label="Username" value={username} onValue={setUsername} autoComplete="username" required autoFocus error={fieldError(error, 'username')} />
      <Field label="Password" type="password" value={password} onValue={setPassword} autoComplete="current-password" required error={fieldError(error, 'password')} />
      <button type="submit" class="btn-primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </Form>
  )
}

function ChangePassword({ api, onNext }: { api: ApiClient; onNext: (n: NextStep) => void }): JSX.Element {
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [confirm, setConfirm] = useState('')
  const [local, setLocal] = useState<{ field: string; message: string } | null>(null)
  const { busy, error, setError, run } = useRequest()
  return (
    <Form
      onSubmit={() => {
        const problem = checkNewPassword(next, confirm)
        setLocal(problem)
        setError(null)
        if (problem) return
        run(api.changePassword(current, next), (r) => onNext(r.next))
      }}
    >
      <p>Your password was set by an administrator and is valid for one sign-in. Choose your own (at least 12 characters).</p>
      <FormError error={error} fields={['currentPassword', 'newPassword']} />
      <Field label="Current password" type="password" value={current} onValue={setCurrent} autoComplete="current-password" required autoFocus error={fieldError(error, 'currentPassword')} />
      <Field
        label="New password"
        type="password"
        value={next}
        onValue={setNext}
        autoComplete="new-password"
        required
        minLength={12}
        hint="At least 12 characters. A passphrase of several words works well."
        error={local?.field === 'newPassword' ? local.message : fieldError(error, 'newPassword')}
      />
      <Field label="Confirm new password" type="password" value={confirm} onValue={setConfirm} autoComplete="new-password" required error={local?.field === 'confirm' ? local.message : undefined} />
      <button type="submit" class="btn-primary" disabled={busy}>
        {busy ? 'Saving…' : 'Change password'}
      </button>
    </Form>
  )
}

function Enrol({ api, onCodes }: { api: ApiClient; onCodes: (codes: string[]) => void }): JSX.Element {
  const [enrolment, setEnrolment] = useState<{ secret: string; qrSvg: string } | null>(null)
  const [loadError, setLoadError] = useState<unknown>(null)
  const [code, setCode] = useState('')
  const { busy, error, setError, run } = useRequest()
  const [local, setLocal] = useState<string | null>(null)
  useEffect(() => {
    api.totpEnrolment().then(setEnrolment, setLoadError)
  }, [])
  if (loadError) return <FormError error={loadError} fields={[]} />
  if (!enrolment) return <Loading label="Preparing your authenticator setup…" />
  return (
    <Form
      onSubmit={() => {
        const c = normalizeTotp(code)
        setLocal(c ? null : 'Enter the 6-digit code your app shows.')
        setError(null)
        if (!c) return
        run(api.confirmEnrolment(c), (r) => onCodes(r.recoveryCodes))
      }}
    >
      <ol class="steps-text">
        <li>Open an authenticator app (for example FreeOTP, Aegis, 1Password or Google Authenticator).</li>
        <li>Scan this QR code, or type the secret below.</li>
        <li>Enter the 6-digit code the app shows.</li>
      </ol>
      <img class="qr" src={svgDataUrl(enrolment.qrSvg)} alt="QR code for your authenticator app" width={200} height={200} />
      <div class="field">
        <span class="label-like" id="totp-secret-label">
          Secret for manual entry
        </span>
        <code class="secret" aria-labelledby="totp-secret-label">
          {enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}
        </code>
      </div>
      <FormError error={error} fields={['code']} />
      <Field label="Verification code" value={code} onValue={setCode} inputMode="numeric" autoComplete="one-time-code" required maxLength={7} error={local ?? fieldError(error, 'code')} />
      <button type="submit" class="btn-primary" disabled={busy}>
        {busy ? 'Verifying…' : 'Verify'}
      </button>
    </Form>
  )
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }): JSX.Element {
  const [saved, setSaved] = useState(false)
  return (
    <div class="stack">
      <p>
        Two-factor authentication is on. These recovery codes let you sign in if you lose your phone. Each works once. <strong>They are shown only now</strong>: store them in your password manager.
      </p>
      <ul class="recovery-codes" aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <label class="checkbox">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.currentTarget.checked)} /> I have saved them
      </label>
      <button type="button" class="btn-primary" disabled={!saved} onClick={onDone}>
        Continue
      </button>
    </div>
  )
}

function Totp({ api, onNext }: { api: ApiClient; onNext: (n: NextStep) => void }): JSX.Element {
  const [useRecovery, setUseRecovery] = useState(false)
  const [code, setCode] = useState('')
  const { busy, error, setError, run } = useRequest()
  const [local, setLocal] = useState<string | null>(null)
  return (
    <Form
      onSubmit={() => {
        setError(null)
        let answer: { code: string } | { recoveryCode: string }
        if (useRecovery) {
          if (!code.trim()) return setLocal('Enter one of your recovery codes.')
          answer = { recoveryCode: code.trim() }
        } else {
          const c = normalizeTotp(code)
          if (!c) return setLocal('Enter the 6-digit code your app shows.')
          answer = { code: c }
        }
        setLocal(null)
        run(
          api.verifyTotp(answer),
          (r) => onNext(r.next),
          () => setCode(''),
        )
      }}
    >
      <FormError error={error} fields={['code', 'recoveryCode']} />
      {useRecovery ? (
        <Field key="recovery" label="Recovery code" value={code} onValue={setCode} autoComplete="off" required autoFocus error={local ?? fieldError(error, 'recoveryCode')} />
      ) : (
        <Field key="code" label="Authentication code" value={code} onValue={setCode} inputMode="numeric" autoComplete="one-time-code" required autoFocus maxLength={7} hint="The 6-digit code from your authenticator app." error={local ?? fieldError(error, 'code')} />
      )}
      <button type="submit" class="btn-primary" disabled={busy}>
        {busy ? 'Verifying…' : 'Verify'}
      </button>
      <button
        type="button"
        class="btn-link"
        onClick={() => {
          setUseRecovery(!useRecovery)
          setCode('')
          setLocal(null)
          setError(null)
        }}
      >
        {useRecovery ? 'Use an authentication code instead' : 'Use a recovery code instead'}
      </button>
    </Form>
  )
}
