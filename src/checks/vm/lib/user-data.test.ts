import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { maskValue } from '../../../model/index.js'
import { secretsIn, userDataText } from './user-data.js'

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64')

describe('userDataText', () => {
  it('decodes base64 (CloudFormation literal, Terraform user_data_base64, launch templates) and gzip inside it', () => {
    expect(userDataText(b64('#!/bin/bash\necho hi\n'))).toEqual({ text: '#!/bin/bash\necho hi\n', partial: false, unreadable: false })
    expect(userDataText(gzipSync(Buffer.from('#cloud-config\nruncmd: [ ls ]\n')).toString('base64')).text).toBe('#cloud-config\nruncmd: [ ls ]\n')
    // not base64: read as written
    expect(userDataText('#!/bin/sh\nexit 0\n').text).toBe('#!/bin/sh\nexit 0\n')
  })

  it('reads Fn::Base64 of a string, a Sub template and a Join; unknown parts become placeholders', () => {
    expect(userDataText({ 'Fn::Base64': 'echo a' })).toEqual({ text: 'echo a', partial: false, unreadable: false })
    expect(userDataText({ 'Fn::Base64': { 'Fn::Sub': 'echo ${DbHost}' } })).toEqual({ text: 'echo ${DbHost}', partial: true, unreadable: false })
    expect(userDataText({ 'Fn::Base64': { 'Fn::Join': ['', ['export A=', { Ref: 'Param' }, '\n']] } }).text).toBe('export A=${unknown}\n')
  })

  it('cannot read a value known only after apply, a parameter or a masked snapshot value', () => {
    expect(userDataText({ 'Fn::Base64': { 'Fn::GetAtt': ['aws_instance.x', 'UserData'] } }).unreadable).toBe(true)
    expect(userDataText({ Ref: 'UserDataParam' }).unreadable).toBe(true)
    expect(userDataText(maskValue('#!/bin/bash')).unreadable).toBe(true)
  })
})

describe('secretsIn', () => {
  it.each([
    ['export DB_PASSWORD=Sup3rS3cret!', 'a secret assigned to a variable or setting', 'Sup3rS3cret!'],
    ["export REPORT_DB_PASSWORD='Rep0rt1ng-Pr0d-2024'", 'a secret assigned to a variable or setting', 'Rep0rt1ng-Pr0d-2024'],
    ['PGPASSWORD="clinic-pg-2024" psql -h db', 'a secret assigned to a variable or setting', 'clinic-pg-2024'],
    ['database.password = M1rth-Pr0d-Db', 'a secret assigned to a variable or setting', 'M1rth-Pr0d-Db'],
    ['  api_token: 9f8e7d6c5b4a', 'a secret assigned to a variable or setting', '9f8e7d6c5b4a'],
    ['$env:SA_PASSWORD = "W1ndows-Sa-Pw"', 'a secret assigned to a variable or setting', 'W1ndows-Sa-Pw'],
    ['mysql -u admin -pBillingExp0rt! claims', 'a password on a mysql command line', 'BillingExp0rt!'],
    ["mysqldump -h db -u export -p'Qu0ted pass' claims", 'a password on a mysql command line', 'Qu0ted pass'],
    ['pg_dump --password=Dump3r-2024 clinic', 'a --password option on a command line', 'Dump3r-2024'],
    ['curl -fsS -u integration:Int3gr4tion! https://ehr.example.org', 'credentials in a curl command', 'Int3gr4tion!'],
    ['DATABASE_URL=postgres://app:Pg-App-2024@db.internal:5432/app', 'a password in a URL', 'Pg-App-2024'],
    ['aws configure set aws_access_key_id AKIAZ3EXAMPLE7QWERTY', 'an AWS access key id', 'AKIAZ3EXAMPLE7QWERTY'],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'an AWS secret access key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['cat > /root/.ssh/id_rsa <<EOF\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n', 'a private key', '-----BEGIN OPENSSH PRIVATE KEY-----'],
  ])('finds %j', (script, kind, secret) => {
    const found = secretsIn(script)
    expect(found.map((f) => f.kind)).toContain(kind)
    expect(found.find((f) => f.kind === kind)?.secret).toBe(secret)
  })

  it.each([
    'DB_PASSWORD="$(aws secretsmanager get-secret-value --secret-id clinic/db --query SecretString --output text)"',
    'export DB_PASSWORD',
    'export DB_PASSWORD=${DB_PASSWORD_FROM_SSM}',
    'DB_PASSWORD_FILE=/run/secrets/db',
    'TOKEN_PARAM=/clinic/worker/token',
    'export API_KEY=arn:aws:secretsmanager:us-east-1:111122223333:secret:clinic/api-AbCdEf',
    "password: '{{resolve:secretsmanager:clinic/db:SecretString:password}}'",
    'REQUIRE_TOKEN=true',
    'docker login --password-stdin < /run/token',
    'mysql -u app -p clinic',
    'curl -u "$API_USER:$API_PASS" https://ehr.example.org',
    'postgres://reporting@reports.clinic.internal:5432/reports',
    'OLDPWD=/home/ec2-user',
    'database.password = ${!DB_PASSWORD}',
  ])('leaves alone %j', (script) => {
    expect(secretsIn(script)).toEqual([])
  })

  it('reports the line of each secret within the script', () => {
    expect(secretsIn('#!/bin/bash\nset -e\nexport DB_PASSWORD=hunter22\n').map((f) => f.line)).toEqual([3])
  })
})
