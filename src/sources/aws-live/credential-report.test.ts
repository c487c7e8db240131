import { describe, expect, it } from 'vitest'
import { parseCredentialReport, parseCsv, reportText, ROOT_ROW } from './credential-report.js'

const HEADER = 'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated'

describe('parseCredentialReport', () => {
  it('reads passwords, MFA and access keys; N/A and no_information become null', () => {
    const csv = [
      HEADER,
      '<root_account>,arn:aws:iam::123456789012:root,2019-04-02T16:11:52+00:00,not_supported,2024-11-03T09:12:44+00:00,not_supported,not_supported,true,true,2019-05-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
      'nurse.kim,arn:aws:iam::123456789012:user/nurse.kim,2023-01-10T09:00:00+00:00,true,no_information,2023-01-10T09:01:00+00:00,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
    ].join('\r\n')
    const report = parseCredentialReport(csv)
    expect(report.get('nurse.kim')).toEqual({ PasswordEnabled: true, PasswordLastUsed: null, PasswordLastChanged: '2023-01-10T09:01:00.000Z', MfaActive: true, AccessKeys: [] })
    expect(report.get(ROOT_ROW)).toMatchObject({ PasswordEnabled: false, MfaActive: true, AccessKeys: [{ Active: true, LastRotated: '2019-05-01T00:00:00.000Z', LastUsed: null }] })
  })

  it('tolerates missing columns and an empty report', () => {
    expect(parseCredentialReport('').size).toBe(0)
    expect(parseCredentialReport('user,password_enabled\nops,true\n').get('ops')).toEqual({ PasswordEnabled: true, PasswordLastUsed: null, PasswordLastChanged: null, MfaActive: false, AccessKeys: [] })
  })

  it('decodes the API base64 text and the SDK bytes alike', () => {
    const csv = `${HEADER}\n`
    expect(reportText(Buffer.from(csv).toString('base64'))).toBe(csv)
    expect(reportText(new Uint8Array(Buffer.from(csv)))).toBe(csv)
    expect(reportText(undefined)).toBe('')
  })
})

describe('parseCsv', () => {
  it('handles quotes, doubled quotes and blank lines', () => {
    expect(parseCsv('a,"b,c","d ""e"""\n\n1,2,3\n')).toEqual([
      ['a', 'b,c', 'd "e"'],
      ['1', '2', '3'],
    ])
  })
})
