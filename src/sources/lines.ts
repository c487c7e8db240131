/** Longest line read (bytes); a longer one is reported malformed instead of growing memory without bound. */
export const MAX_LINE_BYTES = 4 << 20

/** One physical line: its 1-based number and its text (undefined when it exceeded `MAX_LINE_BYTES`). */
export interface NumberedLine {
  line: number
  text: string | undefined
}

/**
 * Split a byte stream into lines, whatever the chunk boundaries: a line is cut only at `\n`
 * (a byte that never occurs inside a multi-byte UTF-8 sequence, so bytes are decoded a whole
 * line at a time), a trailing `\r` and a leading byte-order mark are dropped, and a last line
 * without a newline is still yielded.
 */
export async function* numberedLines(chunks: AsyncIterable<Buffer>, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<NumberedLine> {
  let pending: Buffer[] = []
  let pendingBytes = 0
  let tooLong = false
  let line = 0

  const take = (part: Buffer): void => {
    if (tooLong || part.length === 0) return
    if (pendingBytes + part.length > maxLineBytes) {
      tooLong = true
      pending = []
      pendingBytes = 0
      return
    }
    // a copy: the chunk's memory may be reused by the stream once the next chunk is read
    pending.push(Buffer.from(part))
    pendingBytes += part.length
  }

  const finish = (last: Buffer): NumberedLine => {
    line++
    let text: string | undefined
    if (tooLong || pendingBytes + last.length > maxLineBytes) text = undefined
    else if (pending.length === 0) text = last.toString('utf8')
    else text = Buffer.concat([...pending, last]).toString('utf8')
    pending = []
    pendingBytes = 0
    tooLong = false
    if (text !== undefined) {
      if (text.endsWith('\r')) text = text.slice(0, -1)
      if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    }
    return { line, text }
  }

  for await (const chunk of chunks) {
    let start = 0
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start)
      if (nl < 0) {
        take(chunk.subarray(start))
        break
      }
      yield finish(chunk.subarray(start, nl))
      start = nl + 1
    }
  }
  if (pendingBytes > 0 || tooLong) yield finish(Buffer.alloc(0))
}
