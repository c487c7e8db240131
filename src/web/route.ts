/**
 * The dashboard's pages and path matching, kept free of the DOM so it is tested in node.
 */

/** A page of the dashboard: its path, the nav label (the link's accessible name) and who sees it. */
export interface PageDef {
  id: PageId
  path: string
  label: string
}

export type PageId =
  | 'overview'
  | 'inventory'
  | 'topology'
  | 'findings'
  | 'vulnerabilities'
  | 'segmentation'
  | 'alerts'
  | 'audit'
  | 'reports'
  | 'settings'

/** The navigation, in order. */
export const PAGES: readonly PageDef[] = [
  { id: 'overview', path: '/', label: 'Overview' },
  { id: 'inventory', path: '/inventory', label: 'Inventory' },
  { id: 'topology', path: '/topology', label: 'Topology' },
  { id: 'findings', path: '/findings', label: 'Findings' },
  { id: 'vulnerabilities', path: '/vulnerabilities', label: 'Vulnerabilities' },
  { id: 'segmentation', path: '/segmentation', label: 'Segmentation' },
  { id: 'alerts', path: '/alerts', label: 'Alerts' },
  { id: 'audit', path: '/audit', label: 'Audit trail' },
  { id: 'reports', path: '/reports', label: 'Reports' },
  { id: 'settings', path: '/settings', label: 'Settings' },
]

/** The page a path shows: trailing slashes ignored, `/overview` an alias of `/`, unknown paths → null. */
export function matchPage(pathname: string): PageDef | null {
  let p = pathname.replace(/\/+$/, '') || '/'
  if (p === '/overview' || p === '/index.html') p = '/'
  return PAGES.find((d) => d.path === p) ?? null
}

/** Whether a path is the sign-in page. */
export function isSignInPath(pathname: string): boolean {
  return pathname.replace(/\/+$/, '') === '/signin'
}

/**
 * Where to go after signing in: the `next` query value when it is a known dashboard path
 * (never another origin), otherwise the overview.
 */
export function safeReturnPath(search: string): string {
  const next = new URLSearchParams(search).get('next')
  if (!next || !next.startsWith('/') || next.startsWith('//')) return '/'
  const path = next.split('?')[0]!
  return matchPage(path) ? next : '/'
}
