import fc from 'fast-check'
import yaml from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { CFN_SCHEMA, CFN_TAGS, Commented, Tagged, type YamlValue, commented, plain, renderYaml } from './yaml.js'

describe('renderYaml', () => {
  it('quotes what YAML 1.1 readers (kubectl, CloudFormation) would read as something else', () => {
    const words = ['on', 'off', 'yes', 'No', 'y', 'N', 'true', 'null', '~', '8080', '1:20', '0o17', '0x1F', '2010-09-09', '', ' padded', '*', '-1', '.inf', 'a: b', '#x', 'key:']
    const text = renderYaml(Object.fromEntries(words.map((w, i) => [`k${i}`, w])))
    for (const [i, w] of words.entries()) expect(text, w).toContain(`k${i}: ${JSON.stringify(w)}`)
    expect(yaml.load(text, { schema: yaml.FAILSAFE_SCHEMA })).toEqual(Object.fromEntries(words.map((w, i) => [`k${i}`, w])))
  })

  it('writes plain scalars when they are unambiguous', () => {
    expect(renderYaml({ name: 'intake-api', key: 'app.kubernetes.io/name', id: 'k8s:clinic/intake-api', port: 5432, ok: true })).toBe('name: intake-api\nkey: app.kubernetes.io/name\nid: k8s:clinic/intake-api\nport: 5432\nok: true\n')
  })

  it('puts comments before keys, list items and the document', () => {
    const text = renderYaml(
      {
        spec: {
          ingress: commented(['nothing may connect in'], []),
          egress: [commented(['to the resolver', 'second line'], { to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 53 }] }), { to: [] }],
        },
      },
      ['header line'],
    )
    expect(text).toBe(
      [
        '# header line',
        'spec:',
        '  # nothing may connect in',
        '  ingress: []',
        '  egress:',
        '    # to the resolver',
        '    # second line',
        '    - to:',
        '        - ipBlock:',
        '            cidr: "10.0.0.0/8"',
        '      ports:',
        '        - port: 53',
        '    - to: []',
        '',
      ].join('\n'),
    )
  })

  it('writes comments on the first key of a list item above its dash', () => {
    const text = renderYaml({ list: [{ a: new Commented(['about a'], 1), b: 2 }] })
    expect(text).toBe('list:\n  # about a\n  - a: 1\n    b: 2\n')
  })

  it('keeps comment text on comment lines, whatever it contains', () => {
    const text = renderYaml({ a: commented(['line one\nline two: {x}', '"quoted" # hash'], 'v') })
    expect(yaml.load(text)).toEqual({ a: 'v' })
    expect(text.split('\n').filter((l) => l.startsWith('#')).length).toBe(3)
  })

  it('writes CloudFormation short-form tags and reads them back as the long form', () => {
    const text = renderYaml({ GroupId: new Tagged('!Ref', 'SgIntake'), Arn: new Tagged('!GetAtt', 'SgIntake.GroupId') })
    expect(text).toBe('GroupId: !Ref SgIntake\nArn: !GetAtt SgIntake.GroupId\n')
    expect(yaml.load(text, { schema: CFN_SCHEMA })).toEqual({ GroupId: { Ref: 'SgIntake' }, Arn: { 'Fn::GetAtt': ['SgIntake', 'GroupId'] } })
  })

  it('quotes tag values as it would untagged strings', () => {
    const text = renderYaml({ a: new Tagged('!Ref', 'has space'), b: new Tagged('!Ref', 'on'), c: new Tagged('!Sub', '${AWS::Region} #1') })
    expect(text).toBe('a: !Ref has space\nb: !Ref "on"\nc: !Sub "${AWS::Region} #1"\n')
    expect(yaml.load(text, { schema: CFN_SCHEMA })).toEqual({ a: { Ref: 'has space' }, b: { Ref: 'on' }, c: { 'Fn::Sub': '${AWS::Region} #1' } })
  })

  it('refuses values it cannot write faithfully', () => {
    expect(() => renderYaml({ n: Number.NaN })).toThrow(/cannot write/)
    expect(() => renderYaml({ n: [Number.NEGATIVE_INFINITY] })).toThrow(/cannot write/)
  })

  it('quotes what go-yaml and PyYAML resolve beyond the YAML 1.1 schema', () => {
    const words = ['-0o17', '0O17', '0X1F', '0o1_7', '1e_3', '1_000', '=', '<<', '10.0.0.0/8', '2001:db8::/32']
    const text = renderYaml({ ...Object.fromEntries(words.map((w, i) => [`k${i}`, w])), '<<': 'merge?', '=': 'value?' })
    for (const [i, w] of words.entries()) expect(text, w).toContain(`k${i}: ${JSON.stringify(w)}`)
    expect(text).toContain('"<<": merge?\n"=": value?\n')
  })

  it('reads back the same as YAML 1.1', () => {
    const doc = { on: 'yes', list: ['y', 'N', '1:20', '190:20:30', '2010-09-09', '0b101', '017', '1_0', '.5', '+12', '~', ''], GroupId: new Tagged('!GetAtt', 'Sg.GroupId') }
    expect(parse(renderYaml(doc), { version: '1.1', customTags: CFN_TAGS })).toEqual(plain(doc))
  })

  it('splits comments on every YAML 1.1 line break and writes blank lines as a bare #', () => {
    const text = renderYaml({ a: 1 }, ['one\u0085two\u2028three\r\nfour', '', '  indented  '])
    expect(text).toBe('# one\n# two\n# three\n# four\n#\n#   indented\na: 1\n')
  })

  it('reads back as exactly the data written, for any document', () => {
    const key = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('on', 'yes', '8080', 'k8s:io.kubernetes.pod.namespace', 'a b', '- x', '? q', '<<'))
    const scalar = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 8 }), fc.integer({ min: -70000, max: 70000 }), fc.boolean(), fc.constant(null), fc.constantFrom('on', 'No', '1:20', '0o7', '.5', '-', '*', 'a #b', '"', "'", '\\', '\t'))
    const { value } = fc.letrec<{ value: YamlValue }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 4 }),
        fc.tuple(fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 2 }), tie('value')).map(([c, v]) => new Commented(c, v) as YamlValue),
      ),
    }))
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 5 }), fc.array(fc.string({ maxLength: 40 }), { maxLength: 3 }), (doc, header) => {
        const text = renderYaml(doc, header)
        expect(yaml.load(text, { schema: CFN_SCHEMA })).toEqual(plain(doc))
      }),
      { numRuns: 300 },
    )
  })
})
