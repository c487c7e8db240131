/**
 * The overview: posture totals, HIPAA controls, NIST CSF functions as pass/fail bars and the
 * trend over scans as a small SVG line chart.
 */
import type { JSX } from 'preact'
import type { Posture, ScanSummary, TrendPoint } from '../api'
import { trendGeometry, DEFAULT_BOX, type TrendSeries } from '../chart'
import { Empty, ErrorNote, Loading, PageHeader, SeverityBadge, StatusBadge } from '../components'
import { formatCount, formatTime, percent, SEVERITIES } from '../format'
import { useLoad, useSession } from '../session'

/** The overview page. */
export function Overview(): JSX.Element {
  const posture = useLoad((api) => api.posture(), [])
  const p = posture.data
  return (
    <div>
      <PageHeader title="Overview">{p?.latestScanAt ? <span class="muted">Latest scan {formatTime(p.latestScanAt)}</span> : null}</PageHeader>
      {posture.loading && !p ? <Loading label="Loading posture…" /> : null}
      <ErrorNote error={posture.error} onRetry={posture.reload} />
      {p && !p.latestScanAt && p.totals.resources === 0 ? <NoScan /> : null}
      {p && (p.latestScanAt || p.totals.resources > 0) ? <PostureView p={p} /> : null}
    </div>
  )
}

function NoScan(): JSX.Element {
  const origin = typeof window !== 'undefined' ? window.location.origin : 'https://<this server>'
  const { navigate } = useSession()
  return (
    <Empty title="No scan yet">
      <p>
        No scan yet — run <code>npx phiwall scan ./infra --upload {origin}</code> with a token from{' '}
        <a
          href="/settings"
          onClick={(e) => {
            e.preventDefault()
            navigate('/settings')
          }}
        >
          Settings → API tokens
        </a>
        .
      </p>
      <p class="muted">Set the token in the PHIWALL_TOKEN environment variable of the machine (or CI job) that runs the scan.</p>
    </Empty>
  )
}

function PostureView({ p }: { p: Posture }): JSX.Element {
  return (
    <div class="stack-lg">
      <section aria-labelledby="totals-h">
        <h2 id="totals-h" class="visually-hidden">
          Totals
        </h2>
        <div class="cards">
          <div class="card stat">
            <p class="stat-label">Resources</p>
            <p class="stat-value">{formatCount(p.totals.resources)}</p>
          </div>
          <div class="card stat">
            <p class="stat-label">PHI resources</p>
            <p class="stat-value">{formatCount(p.totals.phiResources)}</p>
          </div>
          <div class="card stat">
            <p class="stat-label">Failing findings</p>
            <p class="stat-value">{formatCount(p.totals.failing)}</p>
          </div>
          <div class="card stat stat-wide">
            <p class="stat-label">Failing by severity</p>
            <ul class="sev-counts">
              {SEVERITIES.map((s) => (
                <li key={s}>
                  <SeverityBadge severity={s} /> <strong>{formatCount(p.totals.bySeverity[s] ?? 0)}</strong>
                </li>
              ))}
            </ul>
          </div>
        </div>
      </section>
      <div class="two-col">
        <section class="card" aria-labelledby="csf-h">
          <h2 id="csf-h">NIST CSF functions</h2>
          <CsfBars rows={p.csfFunctions} />
        </section>
        <section class="card" aria-labelledby="trend-h">
          <h2 id="trend-h">Trend over scans</h2>
          <TrendChart trend={p.trend} />
        </section>
      </div>
      <ScanHistory />
      <section class="card" aria-labelledby="hipaa-h">
        <h2 id="hipaa-h">HIPAA Security Rule controls</h2>
        {p.hipaa.length === 0 ? (
          <p class="muted">No HIPAA controls are covered by the latest scan.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">HIPAA controls with their status and finding counts</caption>
              <thead>
                <tr>
                  <th scope="col">Control</th>
                  <th scope="col">Title</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="num">
                    Pass
                  </th>
                  <th scope="col" class="num">
                    Fail
                  </th>
                  <th scope="col" class="num">
                    Manual
                  </th>
                  <th scope="col" class="num">
                    Suppressed
                  </th>
                </tr>
              </thead>
              <tbody>
                {p.hipaa.map((c) => (
                  <tr key={c.id}>
                    <th scope="row" class="mono">
                      {c.id}
                    </th>
                    <td>{c.title}</td>
                    <td>
                      <StatusBadge status={c.status} />
                    </td>
                    <td class="num">{c.pass}</td>
                    <td class="num">{c.fail}</td>
                    <td class="num">{c.manual}</td>
                    <td class="num">{c.suppressed}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  )
}

function CsfBars({ rows }: { rows: Posture['csfFunctions'] }): JSX.Element {
  if (rows.length === 0) return <p class="muted">No CSF results yet.</p>
  return (
    <ul class="csf-bars">
      {rows.map((r) => {
        const total = r.pass + r.fail + r.manual
        return (
          <li key={r.id}>
            <div class="csf-head">
              <span>
                <strong>{r.id}</strong> {r.name}
              </span>
              <span class="muted">
                {r.pass} pass · {r.fail} fail · {r.manual} manual
              </span>
            </div>
            <div class="bar" aria-hidden="true">
              <div class={`bar-seg bar-pass w-${percent(r.pass, total)}`} />
              <div class={`bar-seg bar-fail w-${percent(r.fail, total)}`} />
              <div class={`bar-seg bar-manual w-${percent(r.manual, total)}`} />
            </div>
          </li>
        )
      })}
    </ul>
  )
}

const SERIES: { key: TrendSeries; label: string }[] = [
  { key: 'pass', label: 'Pass' },
  { key: 'fail', label: 'Fail' },
  { key: 'manual', label: 'Manual' },
]

/** The trend of pass/fail/manual over scans as an inline SVG, with a text summary for screen readers. */
export function TrendChart({ trend }: { trend: TrendPoint[] }): JSX.Element {
  if (trend.length === 0) return <p class="muted">The trend appears after the first scan.</p>
  const g = trendGeometry(trend)
  const last = [...trend].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)).at(-1)!
  const first = [...trend].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0]!
  const summary = `${trend.length} scans. Failing findings went from ${first.fail} to ${last.fail}; passing from ${first.pass} to ${last.pass}.`
  return (
    <figure class="trend">
      <svg viewBox={`0 0 ${DEFAULT_BOX.width} ${DEFAULT_BOX.height}`} role="img" aria-label={summary} class="trend-svg">
        {g.yTicks.map((t) => (
          <g key={t.y}>
            <line x1={DEFAULT_BOX.padLeft} x2={DEFAULT_BOX.width - DEFAULT_BOX.padRight} y1={t.y} y2={t.y} class="grid" />
            <text x={DEFAULT_BOX.padLeft - 6} y={t.y + 4} text-anchor="end" class="axis">
              {t.value}
            </text>
          </g>
        ))}
        {g.xLabels.map((l) => (
          <text key={l.label + l.anchor} x={l.x} y={DEFAULT_BOX.height - 6} text-anchor={l.anchor} class="axis">
            {l.label}
          </text>
        ))}
        {SERIES.map((s) => (
          <g key={s.key} class={`series series-${s.key}`}>
            <path d={g.paths[s.key]} fill="none" />
            {g.points[s.key].map((pt) => (
              <circle key={pt.at} cx={pt.x} cy={pt.y} r={3}>
                <title>
                  {s.label}: {pt.value} ({formatTime(pt.at)})
                </title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <figcaption class="legend">
        {SERIES.map((s) => (
          <span key={s.key} class={`legend-item legend-${s.key}`}>
            <span class="legend-swatch" aria-hidden="true" /> {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  )
}

/** The latest scans received, newest first: what each source sent, and how it compares to the one before. */
function ScanHistory(): JSX.Element {
  const scans = useLoad((api) => api.scans({ limit: 10 }), [])
  const rows: ScanSummary[] = scans.data?.items ?? []
  return (
    <section class="card" aria-labelledby="scans-h">
      <h2 id="scans-h">Recent scans</h2>
      <ErrorNote error={scans.error} />
      {scans.loading && !scans.data ? <Loading label="Loading scans…" /> : null}
      {rows.length ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Source</th>
                <th scope="col">Resources</th>
                <th scope="col">Failing</th>
                <th scope="col">Change</th>
                <th scope="col">Passing</th>
                <th scope="col">Suppressed</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                // the previous scan of the same source, among those shown
                const before = rows.find((x) => x.source.name === r.source.name && x.receivedAt < r.receivedAt)
                const delta = before ? r.findings.fail - before.findings.fail : null
                return (
                  <tr key={r.id}>
                    <td>{formatTime(r.receivedAt)}</td>
                    <td>
                      {r.source.name}
                      {r.source.host ? <span class="muted small"> from {r.source.host}</span> : null}
                    </td>
                    <td class="num">{formatCount(r.resources)}</td>
                    <td class="num">{formatCount(r.findings.fail)}</td>
                    <td class="num">{delta === null ? '—' : delta === 0 ? 'no change' : delta > 0 ? `+${formatCount(delta)} failing` : `${formatCount(-delta)} fewer failing`}</td>
                    <td class="num">{formatCount(r.findings.pass)}</td>
                    <td class="num">{formatCount(r.findings.suppressed)}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      ) : scans.data ? (
        <p class="muted">No scan received yet.</p>
      ) : null}
    </section>
  )
}
