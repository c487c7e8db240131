/**
 * Reports: download links for the latest scan's reports in every format and the evidence bundle.
 */
import type { JSX } from 'preact'
import { REPORT_FORMATS, reportUrl } from '../api'
import { PageHeader } from '../components'

/** The reports page. */
export function Reports(): JSX.Element {
  return (
    <div>
      <PageHeader title="Reports" />
      <p>Reports are built from the latest scan of every source. Each download is recorded in the audit trail.</p>
      <ul class="report-list">
        {REPORT_FORMATS.map((r) => (
          <li key={r.format} class="card report">
            <div>
              <h2 class="h3">{r.label}</h2>
              <p class="muted">{r.description}</p>
            </div>
            <a class="btn-primary btn-link-button" href={reportUrl(r.format)} download>
              Download {r.label}
            </a>
          </li>
        ))}
      </ul>
    </div>
  )
}
