import { describe, expect, it } from 'vitest'
import {
  checkExpiry,
  checkNewPassword,
  checkReason,
  dateInputValue,
  endOfDayIso,
  formatBytes,
  formatLocation,
  formatTime,
  learningProgress,
  normalizeTotp,
  peerLabel,
  percent,
  relativeTime,
  severityRank,
  shortId,
  svgDataUrl,
} from './format'

const NOW = new Date('2026-12-07T09:00:00.000Z')

describe('formatting', () => {
  it('prints times in UTC, from ISO strings or epoch ms', () => {
    expect(formatTime('2026-12-07T08:15:42.120Z')).toBe('2026-12-07 08:15 UTC')
    expect(formatTime(Date.parse('2026-01-02T03:04:00Z'))).toBe('2026-01-02 03:04 UTC')
    expect(formatTime(null)).toBe('—')
    expect(formatTime('not a date')).toBe('—')
  })
  it('says how long ago', () => {
    expect(relativeTime('2026-12-07T08:57:00Z', NOW)).toBe('3 min ago')
    expect(relativeTime('2026-12-09T10:00:00Z', NOW)).toBe('in 2 d')
    expect(relativeTime(NOW.toISOString(), NOW)).toBe('just now')
  })
  it('prints sizes in binary units', () => {
    expect(formatBytes(820)).toBe('820 B')
    expect(formatBytes(1536)).toBe('1.5 KiB')
    expect(formatBytes(94 * 1024 * 1024 + 10)).toBe('94 MiB')
    expect(formatBytes(-1)).toBe('—')
  })
  it('computes whole percentages without dividing by zero', () => {
    expect(percent(1, 3)).toBe(33)
    expect(percent(5, 0)).toBe(0)
  })
  it('orders severities worst first', () => {
    expect(['low', 'critical', 'bogus', 'medium'].sort((a, b) => severityRank(a) - severityRank(b))).toEqual(['critical', 'medium', 'low', 'bogus'])
  })
  it('shortens resource ids to their last meaningful part', () => {
    expect(shortId('aws:lambda:us-east-1:123456789012:function/intake-api')).toBe('intake-api')
    expect(shortId('aws:dynamodb:us-east-1:123456789012:table/patients')).toBe('patients')
    expect(shortId('k8s:apps/v1:Deployment:clinic/scheduler-api')).toBe('clinic/scheduler-api')
  })
  it('labels flow peers by workload name, FQDN or CIDR', () => {
    const names = { 'k8s:clinic/api': 'clinic/api' }
    expect(peerLabel({ kind: 'identity', id: 'k8s:clinic/api' }, names)).toBe('clinic/api')
    expect(peerLabel({ kind: 'fqdn', fqdn: 'api.twilio.com' })).toBe('api.twilio.com')
    expect(peerLabel({ kind: 'cidr', cidr: '203.0.113.40/32', scope: 'public' })).toBe('203.0.113.40/32 (internet)')
    expect(peerLabel({ kind: 'cidr', cidr: '10.0.2.9/32', scope: 'private' })).toBe('10.0.2.9/32')
  })
  it('prints file locations', () => {
    expect(formatLocation({ file: 'infra/s3.tf', line: 3 })).toBe('infra/s3.tf:3')
    expect(formatLocation({ file: 'phiwall.yaml' })).toBe('phiwall.yaml')
    expect(formatLocation(null)).toBe('—')
  })
  it('encodes any SVG (also non-ASCII) as a base64 data URL', () => {
    const url = svgDataUrl('<svg xmlns="http://www.w3.org/2000/svg"><title>Φ</title></svg>')
    expect(url.startsWith('data:image/svg+xml;base64,')).toBe(true)
    const decoded = Buffer.from(url.slice('data:image/svg+xml;base64,'.length), 'base64').toString('utf8')
    expect(decoded).toContain('<title>Φ</title>')
  })
})

describe('form checks', () => {
  it('requires reasons of at least 10 characters after trimming', () => {
    expect(checkReason('')).toBe('Enter a reason.')
    expect(checkReason('   short   ')).toBe('The reason must be at least 10 characters (5 so far).')
    expect(checkReason('Accepted risk: RISK-12')).toBeNull()
  })
  it('defaults suppression expiry 90 days ahead and turns a day into its end', () => {
    expect(dateInputValue(NOW, 90)).toBe('2027-03-07')
    expect(endOfDayIso('2027-03-07')).toBe('2027-03-07T23:59:59.000Z')
    expect(endOfDayIso('2027-02-30')).toBeNull()
    expect(endOfDayIso('07/03/2027')).toBeNull()
  })
  it('accepts expiries in the future and within a year only', () => {
    expect(checkExpiry('2027-03-07', NOW)).toBeNull()
    expect(checkExpiry('2026-12-06', NOW)).toBe('The expiry must be in the future.')
    expect(checkExpiry('2028-01-01', NOW)).toBe('The expiry can be at most one year ahead.')
    expect(checkExpiry('', NOW)).toBe('Enter a date as YYYY-MM-DD.')
  })
  it('checks new passwords: 12+ characters and confirmed', () => {
    expect(checkNewPassword('short', 'short')).toEqual({ field: 'newPassword', message: 'Use at least 12 characters (5 so far).' })
    expect(checkNewPassword('granite-kettle-sunrise', 'granite-kettle-sunset')).toEqual({ field: 'confirm', message: 'The two passwords differ.' })
    expect(checkNewPassword('granite-kettle-sunrise', 'granite-kettle-sunrise')).toBeNull()
  })
  it('normalizes TOTP codes', () => {
    expect(normalizeTotp(' 123 456 ')).toBe('123456')
    expect(normalizeTotp('12345')).toBeNull()
    expect(normalizeTotp('abcdef')).toBeNull()
  })
  it('measures learning progress over the window', () => {
    expect(learningProgress(true, null, NOW)).toBe(1)
    expect(learningProgress(false, null, NOW)).toBe(0)
    // 7-day window ending in 2 days: 5 of 7 days done
    expect(learningProgress(false, '2026-12-09T09:00:00Z', NOW)).toBeCloseTo(5 / 7, 5)
    expect(learningProgress(false, '2026-12-01T00:00:00Z', NOW)).toBe(1)
  })
})
