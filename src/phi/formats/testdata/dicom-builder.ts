/** Builds small DICOM Part 10 files for tests (PS3.5 §7.1 data element encoding, PS3.10 §7.1 file meta). */

const LONG = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV'])

/** One element: tag, VR and value (string padded to even length; Buffer as is; `undefined` length for SQ when `items` given). */
export interface El {
  group: number
  element: number
  vr: string
  value?: string | Buffer
  items?: El[][]
}

function pad(v: string, vr: string): Buffer {
  const b = Buffer.from(v, 'latin1')
  if (b.length % 2 === 0) return b
  return Buffer.concat([b, Buffer.from(vr === 'UI' ? [0] : [0x20])])
}

/** Encodes elements in explicit (default) or implicit VR little endian; sequences with undefined length. */
export function encode(els: El[], explicit = true): Buffer {
  const parts: Buffer[] = []
  for (const e of els) {
    const tag = Buffer.alloc(4)
    tag.writeUInt16LE(e.group, 0)
    tag.writeUInt16LE(e.element, 2)
    let value: Buffer
    let undefinedLength = false
    if (e.items) {
      const items = e.items.map((it) => {
        const body = encode(it, explicit)
        const h = Buffer.alloc(8)
        h.writeUInt16LE(0xfffe, 0)
        h.writeUInt16LE(0xe000, 2)
        h.writeUInt32LE(body.length, 4)
        return Buffer.concat([h, body])
      })
      const end = Buffer.alloc(8)
      end.writeUInt16LE(0xfffe, 0)
      end.writeUInt16LE(0xe0dd, 2)
      value = Buffer.concat([...items, end])
      undefinedLength = true
    } else value = Buffer.isBuffer(e.value) ? e.value : pad(e.value ?? '', e.vr)
    const len = undefinedLength ? 0xffffffff : value.length
    if (explicit || e.group === 0x0002) {
      if (LONG.has(e.vr)) {
        const h = Buffer.alloc(8)
        h.write(e.vr, 0, 'latin1')
        h.writeUInt32LE(len, 4)
        parts.push(tag, h, value)
      } else {
        const h = Buffer.alloc(4)
        h.write(e.vr, 0, 'latin1')
        h.writeUInt16LE(len, 2)
        parts.push(tag, h, value)
      }
    } else {
      const h = Buffer.alloc(4)
      h.writeUInt32LE(len, 0)
      parts.push(tag, h, value)
    }
  }
  return Buffer.concat(parts)
}

/** A Part 10 file: preamble, `DICM`, file meta (with group length) and the dataset. */
export function dicomFile(dataset: El[], explicit = true): Buffer {
  const ts = explicit ? '1.2.840.10008.1.2.1' : '1.2.840.10008.1.2'
  const metaBody = encode([
    { group: 2, element: 1, vr: 'OB', value: Buffer.from([0, 1]) },
    { group: 2, element: 2, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
    { group: 2, element: 3, vr: 'UI', value: '1.2.826.0.1.3680043.8.498.1' },
    { group: 2, element: 0x10, vr: 'UI', value: ts },
  ])
  const gl = Buffer.alloc(4)
  gl.writeUInt32LE(metaBody.length, 0)
  const meta = Buffer.concat([encode([{ group: 2, element: 0, vr: 'UL', value: gl }]), metaBody])
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), meta, encode(dataset, explicit)])
}
