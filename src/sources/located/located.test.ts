import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { parseJsonLocated, parseYamlLocated } from './index.js'
import { readJsonTokens } from './json.js'
import { parseStrictJson } from './json-strict.js'
import { LineMap } from './line-map.js'
import { mayHoldAlias } from './yaml.js'
import yaml from 'js-yaml'

/** Is an object reachable twice in a value (what a YAML alias to a collection gives)? */
function shares(v: unknown, seen = new Set<object>()): boolean {
  if (v === null || typeof v !== 'object') return false
  if (seen.has(v)) return true
  seen.add(v)
  return Object.values(v).some((c) => shares(c, seen))
}

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

  it('reads every YAML 1.1 boolean as PyYAML does, and nothing else', () => {
    const words = { yes: true, Yes: true, YES: true, true: true, True: true, TRUE: true, on: true, On: true, ON: true, no: false, No: false, NO: false, false: false, False: false, FALSE: false, off: false, Off: false, OFF: false }
    for (const [w, v] of Object.entries(words)) expect(parseYamlLocated(`a: ${w}\n`, { file: 'x' }).documents[0], w).toEqual({ a: v })
    for (const w of ['y', 'n', 'Y', 'N', 'yEs', 'oN', 'tRUE', 'offf', 'yes!', 'truee']) expect(parseYamlLocated(`a: ${w}\n`, { file: 'x' }).documents[0], w).toEqual({ a: w })
    expect(parseYamlLocated('a: yes\n', { file: 'x', schema: 'core' }).documents[0]).toEqual({ a: 'yes' })
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

  it('sees every place an alias can stand (the alias-bomb guard is only skipped where none can)', () => {
    const withAlias = [
      'a: &x [1]\nb: *x\n',
      'a: &x [1]\nb:\n  *x\n',
      'a: &x [1]\nb:\n- *x\n',
      'a: &x [1]\nb: [*x]\n',
      'a: &x [1]\nb: [1,*x]\n',
      'a: &x [1]\nb: {k: *x}\n',
      'a: &x [1]\nb: {"k":*x}\n',
      'a: &x [1]\nb:\t*x\n',
      'a: &x [1]\n? *x\n: v\n',
      '- &x [1]\n-\t*x\n',
      '--- &x [1]\n--- *x\n',
      'a: !!seq &x [1]\nb: *x\n',
      '\uFEFF- &x [1]\n- *x\n',
      '[&x [1],\n*x]',
    ]
    for (const text of withAlias) expect(mayHoldAlias(text), JSON.stringify(text)).toBe(true)
    for (const text of ['schedule: "15 3 * * *"\n', 'path: /api/*\nurl: https://x/?a=1&b=2\n', "verbs: ['*']\n", 'a: b*c&d\n']) expect(mayHoldAlias(text), text).toBe(false)
  })

  it('sees an alias wherever js-yaml shares a node (property-based)', () => {
    // a shared object in what js-yaml built can only come from an alias: the guard must be on.
    // Documents: an anchored collection, then aliases at node positions of every kind, with
    // random separation (spaces, tabs, line breaks) and random noise lines around them.
    const ws = fc.constantFrom('', ' ', '  ', '\t', ' \t')
    const sp = fc.constantFrom(' ', '  ', '\t', ' \t')
    const anchor = fc.constantFrom('a: &x [1, 2]', 'a: &x {k: v}', 'a: !!seq &x [1]', 'a: &x !!map {k: v}', 'a: &x\n  k: v', 'a:\n  &x [1]')
    const use = fc.oneof(
      fc.tuple(sp).map(([s1]) => `b:${s1}*x`),
      fc.tuple(sp).map(([s1]) => `b:\n  -${s1}*x`),
      fc.tuple(ws).map(([s0]) => `b: [${s0}*x]`),
      fc.tuple(ws).map(([s0]) => `b: [1,${s0}*x]`),
      fc.tuple(ws).map(([s0]) => `b: [1,\n${s0}*x]`),
      fc.tuple(sp).map(([s1]) => `b: {k:${s1}*x}`),
      fc.tuple(ws).map(([s0]) => `b: {"k":${s0}*x}`),
      fc.tuple(ws).map(([s0]) => `b: {${s0}*x : v}`),
      fc.constant('b:\n  *x'),
      fc.constant('? *x\n: v'),
      fc.constant('*x : v'),
    )
    const noise = fc.constantFrom('c: 1', 'd: "15 3 * * *"', "e: ['*']", 'f: a-*b', '# *x &x', 'g: |\n  *x &y', 'h: a & b')
    let shared = 0
    fc.assert(
      fc.property(fc.array(noise, { maxLength: 3 }), anchor, fc.array(noise, { maxLength: 3 }), use, (pre, a, mid, u) => {
        const text = [...pre, a, ...mid, u, ''].join('\n')
        let docs: unknown[]
        try {
          docs = yaml.loadAll(text)
        } catch {
          return
        }
        if (docs.some((d) => shares(d))) {
          shared++
          expect(mayHoldAlias(text)).toBe(true)
        }
      }),
      { numRuns: 5_000 },
    )
    // the generator must produce real aliases, or the property says nothing
    expect(shared).toBeGreaterThan(2_000)
  })

  it('sees an alias in YAML-shaped random text whenever js-yaml shares a node (property-based)', () => {
    const token = fc.constantFrom('a', 'b:', '- ', '-\t', '? ', ']', '[', '{', '}', '&x ', '&x [1]', '&y {}', '*x', '*y', ' *x', '\t*x', '"q *x"', "'*x'", '\n', '  ', ': ', ':', '|\n', '#c', ',', '\t', ' ')
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (parts) => {
        const text = parts.join('')
        let docs: unknown[]
        try {
          docs = yaml.loadAll(text)
        } catch {
          return
        }
        if (docs.some((d) => shares(d))) expect(mayHoldAlias(text)).toBe(true)
      }),
      { numRuns: 20_000 },
    )
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
    // 100,000 levels: a clear diagnostic, not a stack overflow in the token visitor
    for (const open of ['[', '{"a":']) {
      const huge = `{"Resources": ${open.repeat(100_000)}1${(open === '[' ? ']' : '}').repeat(100_000)}}`
      expect(parseJsonLocated(huge, { file: 'h.json' }).diagnostics).toEqual([{ code: 'PW_ERR_NESTING_TOO_DEEP', level: 'error', message: 'JSON in h.json is nested more than 100 levels deep; the document is not read.', file: 'h.json' }])
    }
    // brackets inside strings are not nesting
    expect(parseJsonLocated(`{"a": "${'[{'.repeat(500)}\\"${'['.repeat(200)}"}`, { file: 's.json' }).diagnostics).toEqual([])
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

  it('answers as a plain list of pairs would, however entries are recorded (property-based)', () => {
    // the reference: each container's entry as an array, lookups by strict equality, last duplicate wins
    const key = fc.oneof(fc.constantFrom('name', 'kind', 'spec', '0', '__proto__', 'constructor', ''), fc.string({ maxLength: 3 }), fc.nat(40))
    const line = fc.oneof(fc.nat(5_000), fc.constantFrom(2 ** 31, 1.5, -3))
    const entry = fc.tuple(line, fc.array(fc.tuple(key, line), { maxLength: 60 }))
    const op = fc.oneof(
      fc.record({ t: fc.constant('entry' as const), c: fc.nat(7), e: entry }),
      fc.record({ t: fc.constant('child' as const), c: fc.nat(7), k: key, l: fc.nat(5_000) }),
      fc.record({ t: fc.constant('container' as const), c: fc.nat(7), l: fc.nat(5_000) }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.array(key, { minLength: 1, maxLength: 10 }), (ops, probes) => {
        const containers = Array.from({ length: 8 }, () => ({}))
        const lines = new LineMap()
        const model = new Map<object, (string | number)[]>()
        for (const o of ops) {
          const c = containers[o.c]!
          if (o.t === 'entry') {
            const flat = [o.e[0], ...o.e[1].flat()]
            // the caller may reuse its array: pass a longer one with a length
            lines.setEntry(c, [...flat, 'junk', 1], flat.length)
            model.set(c, flat)
          } else if (o.t === 'child') {
            lines.setChild(c, o.k, o.l)
            const m = model.get(c)
            if (m) m.push(o.k, o.l)
            else model.set(c, [o.l, o.k, o.l])
          } else {
            lines.setContainer(c, o.l)
            model.set(c, [o.l])
          }
        }
        for (const c of containers) {
          const m = model.get(c)
          expect(lines.has(c)).toBe(m !== undefined)
          expect(lines.childPairs(c)).toEqual(m ? (m.length > 1 ? m.slice(1) : undefined) : undefined)
          for (const k of probes) {
            let want: number | undefined
            if (m) for (let i = m.length - 2; i > 0; i -= 2) if (m[i] === k) { want = m[i + 1] as number; break }
            // large containers answer from an index, where the last duplicate also wins
            expect(lines.keyLine(c, k)).toBe(want)
            expect(lines.lineOf(c, k)).toBe(m ? (want ?? m[0]) : undefined)
          }
        }
      }),
      { numRuns: 2_000 },
    )
  })
})
