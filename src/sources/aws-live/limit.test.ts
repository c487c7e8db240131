import { describe, expect, it } from 'vitest'
import { Limiter, mapLimit } from './limit.js'

describe('Limiter', () => {
  it('never runs more tasks than its size, and uses every slot', async () => {
    const limiter = new Limiter(3)
    let active = 0
    let peak = 0
    const task = (ms: number) => async (): Promise<void> => {
      active++
      peak = Math.max(peak, active)
      await new Promise((r) => setTimeout(r, ms))
      active--
    }
    await Promise.all(Array.from({ length: 20 }, (_, i) => limiter.run(task((i * 7) % 5))))
    expect(peak).toBe(3)
  })

  it('hands a released slot to the waiting task, not to a newcomer', async () => {
    const limiter = new Limiter(1)
    let active = 0
    let peak = 0
    const task = async (): Promise<void> => {
      active++
      peak = Math.max(peak, active)
      await new Promise((r) => setTimeout(r, 1))
      active--
    }
    const first = limiter.run(task)
    const waiting = limiter.run(task)
    await first
    const newcomer = limiter.run(task)
    await Promise.all([waiting, newcomer])
    expect(peak).toBe(1)
  })

  it('releases the slot of a failing task', async () => {
    const limiter = new Limiter(1)
    await expect(limiter.run(async () => Promise.reject(new Error('x')))).rejects.toThrow('x')
    await expect(limiter.run(async () => 'ok')).resolves.toBe('ok')
  })

  it('rejects a size that is not a positive integer', () => {
    expect(() => new Limiter(0)).toThrow(RangeError)
  })
})

describe('mapLimit', () => {
  it('keeps the input order', async () => {
    const out = await mapLimit([30, 10, 20], 2, async (ms, i) => {
      await new Promise((r) => setTimeout(r, ms))
      return `${i}:${ms}`
    })
    expect(out).toEqual(['0:30', '1:10', '2:20'])
  })
})
