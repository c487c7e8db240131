/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as Google Cloud Storage reports it. */
const TABLE = (() => {
  const t = new Uint32Array(256)
  for (let i = 0; i < 256; i++) {
    let c = i
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1
    t[i] = c >>> 0
  }
  return t
})()

/**
 * Updates a running CRC-32C with `data` (start with 0). Table-driven, one byte at a time.
 *
 * @example
 * crc32c(Buffer.from('123456789')) // 0xe3069283
 */
export function crc32c(data: Uint8Array, previous = 0): number {
  let c = ~previous >>> 0
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8)
  return ~c >>> 0
}

/** A CRC-32C in GCS's `x-goog-hash` form: the 4 bytes big-endian, base64. */
export function crc32cBase64(crc: number): string {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(crc >>> 0)
  return b.toString('base64')
}
