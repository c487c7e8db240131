/**
 * The geometry of the overview's trend chart: scan results over time as SVG paths, computed
 * here so the component only draws them (and so the maths is tested without a DOM).
 */
import type { TrendPoint } from './api'

/** The series a trend chart draws. */
export type TrendSeries = 'pass' | 'fail' | 'manual'

/** Size of the chart and the room kept for axis labels. */
export interface ChartBox {
  width: number
  height: number
  padLeft: number
  padRight: number
  padTop: number
  padBottom: number
}

/** The default chart box (fits the overview card at 1366×768). */
export const DEFAULT_BOX: ChartBox = { width: 560, height: 180, padLeft: 40, padRight: 12, padTop: 10, padBottom: 24 }

/** Everything the trend chart draws. */
export interface TrendGeometry {
  /** `M x y L x y …` per series; empty string when there are no points. */
  paths: Record<TrendSeries, string>
  /** The dots of every series (for hover titles and a single-scan chart). */
  points: Record<TrendSeries, { x: number; y: number; value: number; at: string }[]>
  /** Horizontal grid lines with their value labels. */
  yTicks: { y: number; value: number }[]
  /** First and last scan labels on the x axis. */
  xLabels: { x: number; label: string; anchor: 'start' | 'end' | 'middle' }[]
  max: number
}

/** A "nice" upper bound for the y axis (1, 2, 2.5, 5 × 10ⁿ) at or above `max`. */
export function niceMax(max: number): number {
  if (!Number.isFinite(max) || max <= 0) return 1
  const exp = Math.pow(10, Math.floor(Math.log10(max)))
  for (const m of [1, 2, 2.5, 5, 10]) if (m * exp >= max) return m * exp
  return 10 * exp
}

const round = (n: number): number => Math.round(n * 10) / 10

/**
 * Lays out trend points (oldest first after sorting by time) evenly along x, values on a shared
 * y scale from 0 to a nice maximum. One point is drawn in the middle.
 * @example
 * const g = trendGeometry(posture.trend)
 * // <path d={g.paths.fail} />
 */
export function trendGeometry(trend: readonly TrendPoint[], box: ChartBox = DEFAULT_BOX, ticks = 5): TrendGeometry {
  const sorted = [...trend].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
  const series: TrendSeries[] = ['pass', 'fail', 'manual']
  const max = niceMax(Math.max(0, ...sorted.flatMap((p) => [p.pass, p.fail, p.manual])))
  const innerW = box.width - box.padLeft - box.padRight
  const innerH = box.height - box.padTop - box.padBottom
  const xAt = (i: number): number => (sorted.length <= 1 ? box.padLeft + innerW / 2 : box.padLeft + (innerW * i) / (sorted.length - 1))
  const yAt = (v: number): number => box.padTop + innerH - (innerH * v) / max
  const paths = {} as Record<TrendSeries, string>
  const points = {} as TrendGeometry['points']
  for (const s of series) {
    points[s] = sorted.map((p, i) => ({ x: round(xAt(i)), y: round(yAt(p[s])), value: p[s], at: p.at }))
    paths[s] = points[s].map((pt, i) => `${i === 0 ? 'M' : 'L'}${pt.x} ${pt.y}`).join(' ')
  }
  const yTicks = Array.from({ length: ticks + 1 }, (_, i) => {
    const value = (max * i) / ticks
    return { y: round(yAt(value)), value: Number.isInteger(value) ? value : round(value) }
  })
  const day = (iso: string): string => (iso.length >= 10 ? iso.slice(0, 10) : iso)
  const xLabels: TrendGeometry['xLabels'] = []
  if (sorted.length === 1) xLabels.push({ x: round(xAt(0)), label: day(sorted[0]!.at), anchor: 'middle' })
  else if (sorted.length > 1) {
    xLabels.push({ x: round(xAt(0)), label: day(sorted[0]!.at), anchor: 'start' })
    xLabels.push({ x: round(xAt(sorted.length - 1)), label: day(sorted[sorted.length - 1]!.at), anchor: 'end' })
  }
  return { paths, points, yTicks, xLabels, max }
}
