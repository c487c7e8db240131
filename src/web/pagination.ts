/**
 * Cursor pagination state of the dashboard's lists ("Load more"): a pure reducer, so that a
 * slow answer to an old filter never lands in the list of a new one.
 */
import type { Page } from './api'

/** A list being paged through. `query` is the filter key the items belong to. */
export interface PagedList<T> {
  query: string
  items: T[]
  total: number
  nextCursor: string | null
  loading: boolean
  error: unknown
  /** True once the first page of this query arrived. */
  loaded: boolean
}

/** What happens to a list. */
export type PagedAction<T> =
  | { type: 'reset'; query: string }
  | { type: 'loading'; query: string }
  | { type: 'page'; query: string; page: Page<T>; append: boolean }
  | { type: 'error'; query: string; error: unknown }
  | { type: 'replace'; match: (item: T) => boolean; item: T }
  | { type: 'remove'; match: (item: T) => boolean }

/** An empty list for a query. */
export function initialList<T>(query = ''): PagedList<T> {
  return { query, items: [], total: 0, nextCursor: null, loading: false, error: null, loaded: false }
}

/** The next state of a paged list; answers for another query than the current one are ignored. */
export function pagedReducer<T>(state: PagedList<T>, action: PagedAction<T>): PagedList<T> {
  switch (action.type) {
    case 'reset':
      return { ...initialList<T>(action.query), loading: true }
    case 'loading':
      if (action.query !== state.query) return state
      return { ...state, loading: true, error: null }
    case 'page': {
      if (action.query !== state.query) return state
      const items = action.append ? [...state.items, ...action.page.items] : action.page.items
      return { ...state, items, total: action.page.total ?? items.length, nextCursor: action.page.nextCursor ?? null, loading: false, error: null, loaded: true }
    }
    case 'error':
      if (action.query !== state.query) return state
      return { ...state, loading: false, error: action.error, loaded: state.loaded }
    case 'replace':
      return { ...state, items: state.items.map((i) => (action.match(i) ? action.item : i)) }
    case 'remove': {
      const items = state.items.filter((i) => !action.match(i))
      return { ...state, items, total: Math.max(0, state.total - (state.items.length - items.length)) }
    }
  }
}

/** Whether "Load more" should be offered. */
export function canLoadMore(state: PagedList<unknown>): boolean {
  return state.loaded && state.nextCursor !== null && !state.loading
}

/** A stable key of a filter object (sorted keys, empty values dropped), used as the list's `query`. */
export function filterKey(filters: Record<string, string | number | boolean | null | undefined>): string {
  return Object.keys(filters)
    .sort()
    .filter((k) => filters[k] !== undefined && filters[k] !== null && filters[k] !== '')
    .map((k) => `${k}=${String(filters[k])}`)
    .join('&')
}
