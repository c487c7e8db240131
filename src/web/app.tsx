/**
 * The application shell: checks the session (GET /auth/me), shows the sign-in flow or the
 * dashboard (top bar, left navigation, skip link, the page), and routes on the History API.
 */
import type { ComponentChildren, JSX } from 'preact'
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks'
import { ApiClient, classifyError, errorText, type Me } from './api'
import { matchPage, PAGES, type PageId, safeReturnPath } from './route'
import { type Session, SessionContext } from './session'
import { SignIn, type SignInStep, stepOf } from './pages/signin'
import { Overview } from './pages/overview'
import { Inventory } from './pages/inventory'
import { TopologyPage } from './pages/topology'
import { Findings } from './pages/findings'
import { Vulnerabilities } from './pages/vulnerabilities'
import { Segmentation } from './pages/segmentation'
import { Alerts } from './pages/alerts'
import { AuditTrail } from './pages/audit'
import { Reports } from './pages/reports'
import { Settings } from './pages/settings'

type AuthState = { status: 'checking' } | { status: 'signin'; step: SignInStep; notice?: string } | { status: 'ready'; me: Me } | { status: 'down'; error: unknown }

const PAGE_COMPONENTS: Record<PageId, () => JSX.Element> = {
  overview: Overview,
  inventory: Inventory,
  topology: TopologyPage,
  findings: Findings,
  vulnerabilities: Vulnerabilities,
  segmentation: Segmentation,
  alerts: Alerts,
  audit: AuditTrail,
  reports: Reports,
  settings: Settings,
}

function currentPath(): string {
  return window.location.pathname + window.location.search
}

/** The whole dashboard. */
export function App(props: { api?: ApiClient }): JSX.Element {
  // one client for the page's lifetime: it holds the session's CSRF token
  const [api] = useState(() => props.api ?? new ApiClient())
  const [auth, setAuth] = useState<AuthState>({ status: 'checking' })
  const [path, setPath] = useState(currentPath())

  const navigate = useCallback((to: string) => {
    if (to !== currentPath()) window.history.pushState(null, '', to)
    setPath(currentPath())
    window.scrollTo(0, 0)
    // move focus to the new page's heading so screen readers announce it
    requestAnimationFrame(() => document.querySelector<HTMLElement>('#main h1')?.focus())
  }, [])

  useEffect(() => {
    const onPop = (): void => setPath(currentPath())
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [])

  const checkSession = useCallback(
    (notice?: string) => {
      api.me().then(
        (me) => {
          if (me.pending) setAuth({ status: 'signin', step: stepOf(me.pending) ?? 'credentials' })
          else setAuth({ status: 'ready', me })
        },
        (err: unknown) => {
          const kind = classifyError(err)
          if (kind === 'signin') setAuth(notice ? { status: 'signin', step: 'credentials', notice } : { status: 'signin', step: 'credentials' })
          else if (kind === 'mfa') setAuth({ status: 'signin', step: 'totp' })
          else setAuth({ status: 'down', error: err })
        },
      )
    },
    [api],
  )

  useEffect(() => checkSession(), [checkSession])

  const onAuthError = useCallback(
    (err: unknown): boolean => {
      const kind = classifyError(err)
      if (kind === 'signin') {
        api.resetSession()
        setAuth({ status: 'signin', step: 'credentials', notice: 'Your session has ended. Sign in again.' })
        return true
      }
      if (kind === 'mfa') {
        // the session still needs its second factor (or a password change): ask the server which
        checkSession()
        return true
      }
      return false
    },
    [api, checkSession],
  )

  const session = useMemo<Session | null>(
    () => (auth.status === 'ready' ? { api, me: auth.me, navigate, onAuthError, now: () => new Date() } : null),
    [auth, api, navigate, onAuthError],
  )

  if (auth.status === 'checking') {
    return (
      <main id="main" class="center" tabIndex={-1}>
        <p role="status" class="loading">
          <span class="spinner" aria-hidden="true" />
          Loading PhiWall…
        </p>
      </main>
    )
  }
  if (auth.status === 'down') {
    return (
      <main id="main" class="center" tabIndex={-1}>
        <div class="signin-card">
          <h1>PhiWall is not reachable</h1>
          <p class="note note-error" role="alert">
            {errorText(auth.error)}
          </p>
          <button type="button" class="btn-primary" onClick={() => checkSession()}>
            Try again
          </button>
        </div>
      </main>
    )
  }
  if (auth.status === 'signin' || !session) {
    const step = auth.status === 'signin' ? auth.step : 'credentials'
    const notice = auth.status === 'signin' ? auth.notice : undefined
    if (window.location.pathname !== '/signin') {
      const back = currentPath()
      window.history.replaceState(null, '', back === '/' ? '/signin' : `/signin?next=${encodeURIComponent(back)}`)
    }
    return (
      <SignIn
        api={api}
        initialStep={step}
        notice={notice}
        onDone={() => {
          const to = safeReturnPath(window.location.search)
          api.me().then(
            (me) => {
              window.history.replaceState(null, '', to)
              setPath(currentPath())
              setAuth(me.pending ? { status: 'signin', step: stepOf(me.pending) ?? 'credentials' } : { status: 'ready', me })
            },
            (err: unknown) => setAuth({ status: 'down', error: err }),
          )
        }}
      />
    )
  }

  let pathname = path.split('?')[0] ?? '/'
  if (pathname === '/signin') {
    pathname = '/'
    window.history.replaceState(null, '', '/')
  }
  const page = matchPage(pathname)
  const PageComponent = page ? PAGE_COMPONENTS[page.id] : null
  return (
    <SessionContext.Provider value={session}>
      <Shell
        me={auth.me}
        active={page?.id ?? null}
        navigate={navigate}
        onSignOut={() => {
          api.logout().finally(() => {
            window.history.replaceState(null, '', '/signin')
            setAuth({ status: 'signin', step: 'credentials', notice: 'You have signed out.' })
          })
        }}
      >
        {PageComponent ? <PageComponent key={page!.id} /> : <NotFound navigate={navigate} />}
      </Shell>
    </SessionContext.Provider>
  )
}

/** A link that navigates without reloading the page (modifier-clicks open a new tab as usual). */
export function Link({ href, navigate, children, class: cls, current }: { href: string; navigate: (p: string) => void; children: ComponentChildren; class?: string; current?: boolean }): JSX.Element {
  return (
    <a
      href={href}
      class={cls}
      aria-current={current ? 'page' : undefined}
      onClick={(e) => {
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
        e.preventDefault()
        navigate(href)
      }}
    >
      {children}
    </a>
  )
}

function Shell({ me, active, navigate, onSignOut, children }: { me: Me; active: PageId | null; navigate: (p: string) => void; onSignOut: () => void; children: ComponentChildren }): JSX.Element {
  useEffect(() => {
    const label = PAGES.find((p) => p.id === active)?.label ?? 'Not found'
    document.title = `${label} — PhiWall`
  }, [active])
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <p class="brand">
          <span class="brand-mark" aria-hidden="true">
            Φ
          </span>{' '}
          PhiWall
        </p>
        <div class="topbar-user">
          <span class="user-name">
            Signed in as <strong>{me.user.username}</strong>
          </span>
          <span class="badge role-badge">{me.user.role}{me.user.team ? ` · ${me.user.team}` : ''}</span>
          <button type="button" class="btn-secondary" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <nav class="sidenav" aria-label="Main">
        <ul>
          {PAGES.map((p) => (
            <li key={p.id}>
              <Link href={p.path} navigate={navigate} current={p.id === active} class={p.id === active ? 'active' : undefined}>
                {p.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" class="content" tabIndex={-1}>
        {children}
      </main>
    </div>
  )
}

function NotFound({ navigate }: { navigate: (p: string) => void }): JSX.Element {
  return (
    <div>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        There is no dashboard page at this address.{' '}
        <Link href="/" navigate={navigate}>
          Go to the overview
        </Link>
        .
      </p>
    </div>
  )
}
