import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { parseJsonLocated, parseYamlLocated } from './index.js'

describe('parseYamlLocated', () => {
  it('reads CloudFormation short-form intrinsics into long form with lines', () => {
    const text = [
      'Resources:',
      '  Bucket:',
      '    Type: AWS::S3::Bucket',
      '    Properties:',
      '      BucketName: !Sub "${AWS::StackName}-data"',
      '      Tags:',
      '        - Key: owner',
      '          Value: !Ref Team',
      '  Fn:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      '      Role: !GetAtt Role.Arn',
      '      Env: !If [IsProd, !Ref A, !Ref "AWS::NoValue"]',
      '      Az: !Select [0, !GetAZs ""]',
    ].join('\n')
    const { documents, lines, diagnostics } = parseYamlLocated(text, { file: 't.yaml', tags: 'cloudformation' })
    expect(diagnostics).toEqual([])
    const doc = documents[0] as any
    expect(doc.Resources.Bucket.Properties.BucketName).toEqual({ 'Fn::Sub': '${AWS::StackName}-data' })
    expect(doc.Resources.Bucket.Properties.Tags[0].Value).toEqual({ Ref: 'Team' })
    expect(doc.Resources.Fn.Properties.Role).toEqual({ 'Fn::GetAtt': ['Role', 'Arn'] })
    expect(doc.Resources.Fn.Properties.Env).toEqual({ 'Fn::If': ['IsProd', { Ref: 'A' }, { Ref: 'AWS::NoValue' }] })
    expect(doc.Resources.Fn.Properties.Az).toEqual({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] })
    expect(lines.lineOf(doc.Resources, 'Fn')).toBe(9)
    expect(lines.lineOfPath(doc, ['Resources', 'Bucket', 'Properties', 'Tags', 0, 'Value'])).toBe(8)
    expect(lines.lineOfPath(doc, ['Resources', 'Fn', 'Properties', 'Az'])).toBe(14)
  })

  it('keeps AWSTemplateFormatVersion a string and reads YAML 1.1 booleans', () => {
    const { documents } = parseYamlLocated('AWSTemplateFormatVersion: 2010-09-09\na: yes\nb: "yes"\nc: 010\nd: ~\n', { file: 'x' })
    expect(documents[0]).toEqual({ AWSTemplateFormatVersion: '2010-09-09', a: true, b: 'yes', c: 10, d: null })
  })

  it('reports syntax errors with the line and without quoting the source', () => {
    const secret = 'AKIAABCDEFGHIJKLMNOP'
    const { documents, diagnostics } = parseYamlLocated(`a: 1\nkey: ${secret}\n  b: [1,\n`, { file: 'bad.yaml' })
    expect(documents).toEqual([])
    expect(diagnostics[0]).toMatchObject({ code: 'PW_ERR_YAML_SYNTAX', level: 'error', file: 'bad.yaml' })
    expect(diagnostics[0]!.line).toBeGreaterThan(1)
    expect(diagnostics[0]!.message).not.toContain(secret)
  })

  it('flags duplicate keys and keeps the last value', () => {
    const { documents, diagnostics } = parseYamlLocated('a: 1\nb: 2\na: 3\n', { file: 'd.yaml' })
    expect(documents[0]).toEqual({ a: 3, b: 2 })
    expect(diagnostics).toMatchObject([{ code: 'PW_ERR_DUPLICATE_KEY', line: 3 }])
  })

  it('applies merge keys, explicit keys winning', () => {
    const { documents } = parseYamlLocated('base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n', { file: 'm.yaml' })
    expect((documents[0] as any).c).toEqual({ x: 1, y: 3 })
  })

  it('stops an alias bomb', () => {
    const rows = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i)
      const cur = String.fromCharCode(97 + i)
      rows.push(`${cur}: &${cur} [${Array(10).fill('*' + prev).join(',')}]`)
    }
    const { documents, diagnostics } = parseYamlLocated(rows.join('\n'), { file: 'bomb.yaml' })
    expect(documents).toEqual([])
    expect(diagnostics[0]!.code).toBe('PW_ERR_ALIAS_LIMIT')
  })

  it('never lets a __proto__ key change an object prototype', () => {
    const { documents } = parseYamlLocated('__proto__: {polluted: true}\n', { file: 'p.yaml' })
    const doc = documents[0] as any
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype)
    expect(({} as any).polluted).toBeUndefined()
  })

  it('reads multiple documents', () => {
    const { documents } = parseYamlLocated('a: 1\n---\nb: 2\n', { file: 'k.yaml' })
    expect(documents).toEqual([{ a: 1 }, { b: 2 }])
  })

  it('rejects documents nested too deeply', () => {
    const { diagnostics } = parseYamlLocated('['.repeat(500) + ']'.repeat(500), { file: 'deep.yaml' })
    expect(diagnostics[0]!.code).toBe('PW_ERR_NESTING_TOO_DEEP')
  })

  it('never throws on arbitrary input (property-based)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        const r = parseYamlLocated(s, { file: 'fuzz.yaml', tags: 'cloudformation' })
        expect(Array.isArray(r.documents)).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })

  it('never throws on YAML-shaped random documents (property-based)', () => {
    const token = fc.constantFrom('a', 'b:', '- ', '!Ref x', '!If [', ']', '{', '}', '&x ', '*x', '<<: ', '"q"', '\n', '  ', ': ', '|\n', '#c', '---\n', ',', '!GetAtt A.B', '\t')
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (parts) => {
        const r = parseYamlLocated(parts.join(''), { file: 'fuzz.yaml', tags: 'cloudformation' })
        expect(r.diagnostics.every((d) => d.file === 'fuzz.yaml')).toBe(true)
      }),
      { numRuns: 3000 },
    )
  })
})

describe('parseJsonLocated', () => {
  it('reads JSON with the line of every key', () => {
    const text = '{\n  "Resources": {\n    "Q": {\n      "Type": "AWS::SQS::Queue",\n      "Properties": {"KmsMasterKeyId": "k"}\n    }\n  }\n}'
    const { documents, lines, diagnostics } = parseJsonLocated(text, { file: 't.json' })
    expect(diagnostics).toEqual([])
    const doc = documents[0] as any
    expect(doc.Resources.Q.Type).toBe('AWS::SQS::Queue')
    expect(lines.lineOfPath(doc, ['Resources', 'Q', 'Type'])).toBe(4)
    expect(lines.lineOfPath(doc, ['Resources', 'Q', 'Properties', 'KmsMasterKeyId'])).toBe(5)
  })

  it('reports the first syntax error with its line', () => {
    const { documents, diagnostics } = parseJsonLocated('{\n "a": 1,\n "b": \n}', { file: 'b.json' })
    expect(documents).toEqual([])
    expect(diagnostics[0]).toMatchObject({ code: 'PW_ERR_JSON_SYNTAX', line: 4 })
  })

  it('never throws and agrees with JSON.parse on valid JSON (property-based)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        const text = JSON.stringify(v, null, 1)
        const r = parseJsonLocated(text, { file: 'f.json' })
        expect(r.diagnostics).toEqual([])
        expect(JSON.stringify(r.documents[0])).toBe(JSON.stringify(JSON.parse(text)))
      }),
      { numRuns: 1000 },
    )
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        parseJsonLocated(s, { file: 'f.json' })
      }),
      { numRuns: 2000 },
    )
  })
})
