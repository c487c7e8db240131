import fc from 'fast-check'
import yaml from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { CFN_SCHEMA, Commented, Tagged, type YamlValue, commented, plain, renderYaml } from './yaml.js'

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

  it('refuses values it cannot write faithfully', () => {
    expect(() => renderYaml({ n: Number.NaN })).toThrow(/cannot write/)
    expect(() => renderYaml({ t: new Tagged('!Ref', 'has space') })).toThrow(/needs quoting/)
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
