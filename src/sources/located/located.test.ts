import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { parseJsonLocated, parseYamlLocated } from './index.js'
import { readJsonTokens } from './json.js'
import { parseStrictJson } from './json-strict.js'
import { LineMap } from './line-map.js'

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

  it('reads well-formed JSON the fast way with the same values and lines as token by token (property-based)', () => {
    // every container of both readings: its own line and its recorded key lines
    const entries = (root: unknown, lines: LineMap): unknown[] => {
      const out: unknown[] = []
      const walk = (v: unknown): void => {
        if (v === null || typeof v !== 'object') return
        out.push(lines.lineOf(v), lines.childPairs(v))
        for (const x of Object.values(v)) walk(x)
      }
      walk(root)
      return out
    }
    const layouts = [(t: string) => t, (t: string) => t.replace(/\n/g, '\r\n'), (t: string) => t.replace(/\n/g, '\r'), (t: string) => `\n\t ${t}\n`]
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), (v, indent, layout) => {
        const text = layouts[layout]!(JSON.stringify(v, null, indent))
        const fast = parseStrictJson(text, 100)
        const tokens = readJsonTokens(text, { file: 'f.json' })
        expect(fast).toBeDefined()
        expect(tokens.diagnostics).toEqual([])
        expect(JSON.stringify(fast!.root)).toBe(JSON.stringify(tokens.documents[0]))
        expect(entries(fast!.root, fast!.lines)).toEqual(entries(tokens.documents[0], tokens.lines))
      }),
      { numRuns: 500 },
    )
  })

  it('leaves repeated keys and deep nesting to the token reader, which reports them', () => {
    expect(parseStrictJson('{"a": 1,\n "a": {"b": 2}}', 100)).toBeUndefined()
    const dup = parseJsonLocated('{"a": 1,\n "a": {"b": 2}}', { file: 'd.json' })
    expect(dup.documents).toEqual([{ a: { b: 2 } }])
    expect(dup.diagnostics[0]).toMatchObject({ code: 'PW_ERR_DUPLICATE_KEY', line: 2 })
    const deep = '['.repeat(5) + ']'.repeat(5)
    expect(parseStrictJson(deep, 4)).toBeUndefined()
    expect(parseJsonLocated(deep, { file: 'n.json', maxDepth: 4 }).diagnostics[0]).toMatchObject({ code: 'PW_ERR_NESTING_TOO_DEEP' })
    const esc = parseJsonLocated('{"k\\"ey": {\n "__proto__": [1,\n 2]}}', { file: 'e.json' })
    const doc = esc.documents[0] as Record<string, Record<string, unknown>>
    expect(Object.keys(doc['k"ey']!)).toEqual(['__proto__'])
    expect(esc.lines.lineOfPath(doc, ['k"ey', '__proto__', 1])).toBe(3)
  })
})

describe('LineMap', () => {
  it('grows an entry recorded in one step when a key is added later', () => {
    const lines = new LineMap()
    const a = {}
    const b = { x: 1 }
    lines.setEntry(a, [3, 'k', 4])
    lines.setEntry(b, [7, 'x', 8])
    lines.setChild(a, 'm', 9)
    expect(lines.lineOf(a, 'k')).toBe(4)
    expect(lines.lineOf(a, 'm')).toBe(9)
    expect(lines.keyLine(a, 'zz')).toBeUndefined()
    expect(lines.lineOf(a, 'zz')).toBe(3)
    expect(lines.childPairs(a)).toEqual(['k', 4, 'm', 9])
    expect(lines.childPairs(b)).toEqual(['x', 8])
  })
})
