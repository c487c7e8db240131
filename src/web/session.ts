/**
 * The shared state every page reads: the API client, the signed-in user, navigation and the
 * handler that turns 401 answers into the sign-in page. Hooks for loading data live here too.
 */
import { createContext } from 'preact'
import { useCallback, useContext, useEffect, useReducer, useRef, useState } from 'preact/hooks'
import { type ApiClient, classifyError, type Me, type Page, type Role } from './api'
import { initialList, type PagedAction, type PagedList, pagedReducer } from './pagination'

/** What pages get from the application shell. */
export interface Session {
  api: ApiClient
  me: Me
  navigate: (path: string) => void
  /** Called with every failed request: 401s end the session (sign-in page), MFA continues sign-in. Returns true when handled. */
  onAuthError: (err: unknown) => boolean
  /** The current time (a function so pages re-read it). */
  now: () => Date
}

export const SessionContext = createContext<Session | null>(null)

/** The session of the signed-in user; only valid below the application shell. */
export function useSession(): Session {
  const s = useContext(SessionContext)
  if (!s) throw new Error('useSession outside the application shell')
  return s
}

/** Whether a role may change posture state (suppress, review, approve, modes, sources). */
export function canWrite(role: Role): boolean {
  return role === 'admin' || role === 'engineer'
}

/** Whether a role may read the audit trail. */
export function canReadAudit(role: Role): boolean {
  return role === 'admin' || role === 'auditor'
}

/** The loading state of one request. */
export interface Loaded<T> {
  data: T | undefined
  error: unknown
  loading: boolean
  reload: () => void
  setData: (d: T) => void
}

/**
 * Loads data with `fn` when `deps` change; 401 answers go to the session handler.
 * @example
 * const posture = useLoad((api) => api.posture(), [])
 */
export function useLoad<T>(fn: (api: ApiClient) => Promise<T>, deps: unknown[]): Loaded<T> {
  const session = useSession()
  const [data, setData] = useState<T | undefined>(undefined)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(true)
  const [tick, setTick] = useState(0)
  const seq = useRef(0)
  useEffect(() => {
    const mine = ++seq.current
    setLoading(true)
    setError(null)
    fn(session.api).then(
      (d) => {
        if (mine !== seq.current) return
        setData(d)
        setLoading(false)
      },
      (err: unknown) => {
        if (mine !== seq.current) return
        if (session.onAuthError(err)) return
        setError(err)
        setLoading(false)
      },
    )
  }, [...deps, tick])
  const reload = useCallback(() => setTick((t) => t + 1), [])
  return { data, error, loading, reload, setData }
}

/** A cursor-paged list bound to a filter key: loads the first page on change, `more()` appends. */
export interface Paged<T> {
  list: PagedList<T>
  more: () => void
  reload: () => void
  dispatch: (a: PagedAction<T>) => void
}

/** Pages through a list endpoint; `key` identifies the filters (see `filterKey`). */
export function usePaged<T>(fetchPage: (api: ApiClient, cursor: string | null) => Promise<Page<T>>, key: string): Paged<T> {
  const session = useSession()
  const [list, dispatch] = useReducer(pagedReducer<T>, key, (k: string) => initialList<T>(k))
  const [tick, setTick] = useState(0)
  const fetchRef = useRef(fetchPage)
  fetchRef.current = fetchPage
  const cursorRef = useRef<string | null>(null)
  cursorRef.current = list.nextCursor
  const load = useCallback(
    (append: boolean) => {
      const cursor = append ? cursorRef.current : null
      fetchRef.current(session.api, cursor).then(
        (page) => dispatch({ type: 'page', query: key, page, append }),
        (err: unknown) => {
          if (session.onAuthError(err)) return
          dispatch({ type: 'error', query: key, error: err })
        },
      )
    },
    [key, session],
  )
  useEffect(() => {
    dispatch({ type: 'reset', query: key })
    load(false)
  }, [key, tick, load])
  const more = useCallback(() => {
    dispatch({ type: 'loading', query: key })
    load(true)
  }, [key, load])
  const reload = useCallback(() => setTick((t) => t + 1), [])
  return { list, more, reload, dispatch }
}

/** Whether an error is a 401 the session handler deals with (pages then show nothing of their own). */
export function isAuthError(err: unknown): boolean {
  const k = classifyError(err)
  return k === 'signin' || k === 'mfa'
}

/** The state of one form's submission: busy while the request runs, the error it ended with. */
export interface Action {
  busy: boolean
  error: unknown
  setError: (e: unknown) => void
  /**
   * Runs `request`; `onDone` gets its answer. A failure goes to `error` (under `useAction`, a 401
   * goes to the session handler instead), after `onFail` if given.
   */
  run<T>(request: Promise<T>, onDone: (answer: T) => void, onFail?: (err: unknown) => void): void
}

/**
 * Busy and error state of a form that sends one request at a time, outside a session (the
 * sign-in steps, where a 401 is the form's own error). `handled` may claim an error first.
 */
export function useRequest(handled?: (err: unknown) => boolean): Action {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const run = useCallback(
    <T,>(request: Promise<T>, onDone: (answer: T) => void, onFail?: (err: unknown) => void): void => {
      setBusy(true)
      request.then(
        (answer) => {
          setBusy(false)
          onDone(answer)
        },
        (err: unknown) => {
          setBusy(false)
          if (handled?.(err)) return
          onFail?.(err)
          setError(err)
        },
      )
    },
    [handled],
  )
  return { busy, error, setError, run }
}

/**
 * Busy and error state of a form that sends one request at a time, inside the session: a 401
 * goes to the session handler (sign in again), any other failure to `error`.
 * @example
 * const action = useAction()
 * action.run(api.approve(digest, reason), () => onDone())
 */
export function useAction(): Action {
  const { onAuthError } = useSession()
  return useRequest(onAuthError)
}
