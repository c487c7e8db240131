import { describe, expect, it } from 'vitest'
import { transitionTime } from './runtime.js'

describe('transitionTime', () => {
  it('reads the time EC2 gives for a state change, and nothing else', () => {
    expect(transitionTime('User initiated (2024-10-02 17:45:12 GMT)')).toBe('2024-10-02T17:45:12.000Z')
    expect(transitionTime('Server.SpotInstanceTermination: Spot instance termination')).toBeUndefined()
    expect(transitionTime('User initiated (2024-13-45 99:99:99 GMT)')).toBeUndefined()
    expect(transitionTime('')).toBeUndefined()
    expect(transitionTime(undefined)).toBeUndefined()
  })
})
