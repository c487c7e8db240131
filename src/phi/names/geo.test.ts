import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { US_STATES, detectGeo, isStateOrCountry } from './index.js'

const testdata = (name: string) => readFileSync(fileURLToPath(new URL(`./testdata/${name}`, import.meta.url)), 'utf8')

/** The text of each GEO hit. */
function geo(text: string, field?: string): string[] {
  return detectGeo(text, field ? { field } : undefined).map((h) => text.slice(h.start, h.end))
}

describe('detectGeo street addresses', () => {
  it.each([
    ['She lives at 1234 Elm Street Apt 4B, Springfield, IL 62704.', '1234 Elm Street Apt 4B, Springfield, IL 62704'],
    ['Mail to 77 Massachusetts Ave, Cambridge, MA 02139-4307', '77 Massachusetts Ave, Cambridge, MA 02139-4307'],
    ['Visit at 500 W 5th St Ste 300 Austin TX 78701', '500 W 5th St Ste 300 Austin TX 78701'],
    ['Home: 1600 Pennsylvania Avenue NW, Washington, DC 20500', '1600 Pennsylvania Avenue NW, Washington, DC 20500'],
    ['Meet at 12 Main St. now', '12 Main St.'],
    ['Ship to 8 Oak Ln #12 please', '8 Oak Ln #12'],
    ['Drop-off: 45 Harbor View Blvd Suite 210', '45 Harbor View Blvd Suite 210'],
    ['Send it to PO Box 1234, Boston, MA 02118', 'PO Box 1234, Boston, MA 02118'],
    ['P.O. Box 77 was closed', 'P.O. Box 77'],
    ['PSC 0413, Box 8144\nAPO AA 42323', 'PSC 0413, Box 8144\nAPO AA 42323'],
    ['Our office is on Marina Fort Street now.', 'Marina Fort Street'],
    ['Rua do Arenque 1634, Goiânia', 'Rua do Arenque 1634, Goiânia'],
    ['Asiakas asuu osoitteessa Koskikatu 25', 'Koskikatu 25'],
  ])('%s', (text, expected) => {
    expect(geo(text)).toEqual([expected])
  })

  it('gives exact spans and type', () => {
    const text = 'Pt lives at 22 Pine Rd, Dayton, OH 45402.'
    expect(detectGeo(text)).toEqual([{ type: 'GEO', start: 12, end: 40, confidence: 0.9, detector: 'geo-street' }])
  })
})

describe('detectGeo cities and ZIP codes', () => {
  it.each([
    ['zip: 90210', '90210'],
    ['the ZIP code is 02139', '02139'],
    ['Postal code 3610-114', '3610-114'],
    ['She grew up in Miami.', 'Miami'],
    ['He moved to Springfield last year.', 'Springfield'],
    ['Call the Boston, MA office', 'Boston'],
    ['Shipped to Estonia 62488', '62488'],
    ['I am in Lordelo for a business trip', 'Lordelo'],
  ])('%s', (text, expected) => {
    expect(geo(text)).toEqual([expected])
  })

  it('ignores states and countries alone', () => {
    expect(geo('She moved to Canada and then to Texas.')).toEqual([])
    expect(isStateOrCountry('TX')).toBe(true)
    expect(isStateOrCountry('United Kingdom')).toBe(true)
    expect(isStateOrCountry('Springfield')).toBe(false)
    expect(Object.keys(US_STATES)).toHaveLength(56)
  })

  it('reads address and ZIP fields', () => {
    expect(geo('02139', 'zip')).toEqual(['02139'])
    expect(geo('02139-4307', 'address.postalCode')).toEqual(['02139-4307'])
    expect(geo(' 12 Oak Way ', 'street_address')).toEqual(['12 Oak Way'])
    expect(geo('Springfield', 'city')).toEqual(['Springfield'])
    expect(geo('10.0.0.12', 'ip_address')).toEqual([])
    expect(geo('hello', 'zip')).toEqual([])
  })
})

describe('detectGeo hard negatives', () => {
  it.each([
    'Order 12345 shipped',
    'Timeout after 30000 ms; retry 3 of 5',
    'Lambda invoked Kafka consumer; Jenkins build pushed to Grafana via Amazon SQS.',
    'Windows 10 update 2004 installed on 12 hosts',
    'Signed by Maria Lopez, MD',
    'Page 3 of 12',
    'HTTP 200 OK in 45 ms',
  ])('%s', (text) => {
    expect(geo(text)).toEqual([])
  })

  it('flags nothing in infrastructure logs', () => {
    expect(geo(testdata('infra.log'))).toEqual([])
  })

  it('finds the addresses of a clinical note', () => {
    expect(geo(testdata('clinical-note.txt'))).toEqual(['1234 Elm Street Apt 4B, Springfield, IL 62704', 'PO Box 881, Dayton, OH 45402-1234'])
  })
})

describe('detectGeo long inputs', () => {
  it('finds in a long text (read in chunks cut at blank lines) exactly the hits of its paragraphs', () => {
    const paragraphs = [
      'Ms. Okafor lives at 1234 Elm Street Apt 4B,\nSpringfield, IL 62704.',
      'Mailing address: PO Box 881, Dayton, OH 45402-1234',
      'She grew up in Awenne and moved to Koskikatu 25, Estonia 62488.',
      'Deploy Redis with Helm on port 6379 in us-east-1.',
    ]
    const parts: string[] = []
    for (let i = 0; parts.join('\n\n').length < 100_000; i++) parts.push(paragraphs[i % paragraphs.length]!)
    const text = parts.join('\n\n')
    const expected: Array<{ start: number; end: number }> = []
    let offset = 0
    for (const part of parts) {
      for (const h of detectGeo(part)) expected.push({ ...h, start: h.start + offset, end: h.end + offset })
      offset += part.length + 2
    }
    expect(detectGeo(text)).toEqual(expected)
  })
})

describe('detectGeo fuzz', () => {
  it('never throws and keeps every span inside the text', () => {
    const parts = fc.constantFrom(...'12 1234 Main Elm St Street Ave Apt 4B Suite # , \n IL 62704 zip: PO Box Koskikatu Rua do in lives at Boston MA é'.split(' '))
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.array(parts, { maxLength: 40 }).map((a) => a.join(' '))), (text) => {
        for (const h of detectGeo(text)) {
          expect(h.type).toBe('GEO')
          expect(h.start).toBeGreaterThanOrEqual(0)
          expect(h.end).toBeLessThanOrEqual(text.length)
          expect(h.start).toBeLessThan(h.end)
        }
      }),
      { numRuns: 300 },
    )
  })
})
