import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { jsonKeyLines } from './json-lines.js'

describe('jsonKeyLines', () => {
  it('records the lines of keys under the wanted objects only, through arrays and escapes', () => {
    const text = ['{', '  "list": [{ "packages": 1 }],', '  "packages": {', '    "a\\"b": { "x": "}" },', '    "node_modules/c": {', '      "nested": {}', '    }', '  }', '}'].join('\n')
    const lines = jsonKeyLines(text, (p) => p.length === 2 && p[1] === 'packages')
    expect([...lines]).toEqual([
      ['$\npackages\na"b', 4],
      ['$\npackages\nnode_modules/c', 5],
    ])
  })

  it('never throws on garbage', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        jsonKeyLines(text, () => true)
      }),
      { numRuns: 300 },
    )
  })
})
