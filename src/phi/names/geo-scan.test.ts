import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { execAt, foldCode, mergeSorted, scanStarts, wordBitsAt, wordTable } from './geo-scan.js'

/** A global scan of `re`'s pattern: the reference that {@link execAt} must reproduce. */
function globalMatches(re: RegExp, text: string): Array<[number, string]> {
  const g = new RegExp(re.source, re.flags.replace('y', '') + 'g')
  return [...text.matchAll(g)].map((m) => [m.index, m[0]])
}

describe('geo-scan', () => {
  it('folds codes as case-insensitive Unicode regexes do', () => {
    expect(foldCode('A'.charCodeAt(0))).toBe('a'.charCodeAt(0))
    expect(foldCode('ſ'.charCodeAt(0))).toBe('s'.charCodeAt(0))
    expect(foldCode('\u212a'.charCodeAt(0))).toBe('k'.charCodeAt(0))
    expect(foldCode('é'.charCodeAt(0))).toBe(-1)
  })

  it('rejects cue words it cannot key', () => {
    expect(() => wordTable([{ words: ['a'] }])).toThrow()
    expect(() => wordTable([{ words: ['éa'] }])).toThrow()
  })

  it('finds digit-run starts and keyed word starts', () => {
    const table = wordTable([{ words: ['lives', 'at'] }, { words: ['zip'] }])
    const text = 'She lives at 12-34 Oak; zip:02139 Zip x5 LIVES'
    const { words, digits } = scanStarts(text, table)
    expect(digits).toEqual([13, 16, 28, 39])
    expect(words[0]).toEqual([4, 10, 41])
    expect(words[1]).toEqual([24, 34])
    expect(wordBitsAt(text, 4, table)).toBe(1)
    expect(wordBitsAt(text, 0, table)).toBe(0)
  })

  it('keeps only whole words of a whole family, and runs that non-ASCII letters continue', () => {
    const table = wordTable([{ words: ['on', 'at'], whole: true }, { words: ['address'], whole: true, anyLongerThan: 7 }])
    const text = 'on one at atom onñ addressline address adds'
    const { words } = scanStarts(text, table)
    expect(words[0]).toEqual([0, 7, 15])
    expect(words[1]).toEqual([19, 31])
  })

  it('execAt skips candidates inside the previous match, like a global scan', () => {
    const re = /\d{3}/y
    expect(execAt(re, '1234567', [0, 1, 2, 3, 4, 5, 6]).map((m) => m.index)).toEqual([0, 3])
    expect(re.lastIndex).toBe(0)
    expect(() => execAt(/\d/g, '1', [0])).toThrow()
  })

  it('merges sorted lists', () => {
    expect(mergeSorted([1, 5, 9], [2, 5, 10])).toEqual([1, 2, 5, 9, 10])
    expect(mergeSorted([], [3])).toEqual([3])
  })

  it('keyed candidates give the matches of a global scan', () => {
    const re = /(?<![\p{L}])(?:lives?[ \t]+(?:at|in)|on[ \t]+\p{Lu}\p{L}*|I['’]m[ \t]+in|ship[ \t]+to)[ \t]*/iuy
    const table = wordTable([{ words: ['lives', 'live', 'on', "I'", 'I’', 'ship'], whole: true }])
    const parts = fc.constantFrom(...'lives LIVES liveſ ſhip ship shipping \u212aon on On one at in I’m I\'m to Main élan x 12 , . \n  \t'.split(' '))
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.array(parts, { maxLength: 30 }).map((a) => a.join(''))), (text) => {
        const got = execAt(re, text, scanStarts(text, table).words[0]!).map((m): [number, string] => [m.index, m[0]])
        expect(got).toEqual(globalMatches(re, text))
      }),
      { numRuns: 500 },
    )
  })
})
