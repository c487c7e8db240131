import { describe, expect, it } from 'vitest'
import type { TrendPoint } from './api'
import { type ChartBox, niceMax, trendGeometry } from './chart'

const BOX: ChartBox = { width: 220, height: 120, padLeft: 20, padRight: 0, padTop: 10, padBottom: 10 }
const p = (at: string, pass: number, fail: number, manual: number): TrendPoint => ({ scanId: at, at, pass, fail, manual })

describe('niceMax', () => {
  it('rounds up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceMax(0)).toBe(1)
    expect(niceMax(7)).toBe(10)
    expect(niceMax(18)).toBe(20)
    expect(niceMax(218)).toBe(250)
    expect(niceMax(300)).toBe(500)
    expect(niceMax(1000)).toBe(1000)
  })
})

describe('trendGeometry', () => {
  it('spreads scans evenly along x, oldest first, with values on a shared y scale', () => {
    // given out of order: the chart sorts by time
    const g = trendGeometry([p('2026-12-07T00:00:00Z', 100, 0, 50), p('2026-11-30T00:00:00Z', 50, 100, 0)], BOX, 4)
    expect(g.max).toBe(100)
    // inner box: x 20..220, y 10..110
    expect(g.paths.pass).toBe('M20 60 L220 10')
    expect(g.paths.fail).toBe('M20 10 L220 110')
    expect(g.paths.manual).toBe('M20 110 L220 60')
    expect(g.points.fail.map((x) => x.value)).toEqual([100, 0])
    expect(g.yTicks).toEqual([
      { y: 110, value: 0 },
      { y: 85, value: 25 },
      { y: 60, value: 50 },
      { y: 35, value: 75 },
      { y: 10, value: 100 },
    ])
    expect(g.xLabels).toEqual([
      { x: 20, label: '2026-11-30', anchor: 'start' },
      { x: 220, label: '2026-12-07', anchor: 'end' },
    ])
  })
  it('draws one scan in the middle', () => {
    const g = trendGeometry([p('2026-12-07T00:00:00Z', 3, 1, 0)], BOX, 4)
    // scale 0..5 (niceMax of 3): 3 sits at 60% of the 100px inner height
    expect(g.max).toBe(5)
    expect(g.paths.pass).toBe('M120 50')
    expect(g.xLabels).toEqual([{ x: 120, label: '2026-12-07', anchor: 'middle' }])
  })
  it('draws nothing without scans, and a flat zero line on a 0..1 scale when all is zero', () => {
    expect(trendGeometry([], BOX).paths.fail).toBe('')
    const z = trendGeometry([p('2026-12-01T00:00:00Z', 0, 0, 0), p('2026-12-02T00:00:00Z', 0, 0, 0)], BOX)
    expect(z.max).toBe(1)
    expect(z.paths.pass).toBe('M20 110 L220 110')
  })
})
