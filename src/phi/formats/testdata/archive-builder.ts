import { zipBuffer } from '../../../../test/support/zip.js'

/** A zip of stored (uncompressed) entries: the shared test zip writer, without deflate. */
export function storedZip(entries: { name: string; data: Buffer | string }[]): Buffer {
  return zipBuffer(entries.map((e) => ({ name: e.name, content: e.data })))
}
