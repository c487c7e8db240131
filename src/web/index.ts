/**
 * @module web
 * The PhiWall dashboard (Vite + Preact), built into dist/web by
 * `vite build --config src/web/vite.config.ts` and served by `phiwall serve`. The entry point is
 * main.tsx; this index re-exports the DOM-free parts others may reuse or test against: the typed
 * API client of docs/api.md, the page list (navigation names and paths) and the pure helpers.
 */
export { ApiClient, ApiError, classifyError, errorText, fieldError, queryString, reportUrl, toApiError, EXPORT_FORMATS, MODES, REPORT_FORMATS, ROLES, TOKEN_SCOPES } from './api'
export type * from './api'
export { PAGES, matchPage, safeReturnPath } from './route'
export type { PageDef, PageId } from './route'
export { trendGeometry, niceMax } from './chart'
export { pagedReducer, initialList, canLoadMore, filterKey } from './pagination'
export { workflowStep, WORKFLOW_STEPS } from './workflow'
