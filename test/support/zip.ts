import zlib from 'node:zlib'

/*
 * Test support: archives built in memory, in their real formats, for the readers' tests
 * (filesystems, PHI scans). Not part of the package.
 */

/** One zip entry to write. */
export interface ZipSpec {
  name: string
  content: string | Buffer
  deflate?: boolean
  /** Unix mode (`0o120777` makes a symlink whose content is the target). */
  mode?: number
}

/** A zip archive (PKZIP APPNOTE: local headers, central directory, end record; UTF-8 names). */
export function zipBuffer(entries: readonly ZipSpec[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const e of entries) {
    const data = Buffer.from(e.content)
    const body = e.deflate ? zlib.deflateRawSync(data) : data
    const name = Buffer.from(e.name, 'utf8')
    const crc = zlib.crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x800, 6)
    local.writeUInt16LE(e.deflate ? 8 : 0, 8)
    local.writeUInt16LE(0x6000, 10)
    local.writeUInt16LE(0x5861, 12)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(body.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(name.length, 26)
    local.writeUInt16LE(0, 28)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(0x031e, 4) // made by Unix, spec 3.0
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x800, 8)
    central.writeUInt16LE(e.deflate ? 8 : 0, 10)
    central.writeUInt16LE(0x6000, 12)
    central.writeUInt16LE(0x5861, 14)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(body.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(((e.mode ?? (e.name.endsWith('/') ? 0o40755 : 0o100644)) << 16) >>> 0, 38)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, body)
    centrals.push(central, name)
    offset += local.length + name.length + body.length
  }
  const cd = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, end])
}
