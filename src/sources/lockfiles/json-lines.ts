/**
 * Lines of object keys in a JSON text, found by one pass over the characters (no value is built):
 * JSON.parse reads the values and this answers "where is this key", many times faster than a
 * general located parser on multi-megabyte lockfiles.
 *
 * @param wanted tells from the path of a containing object (`['$', 'packages']`) whether its keys are recorded
 * @returns line of each recorded key, by its full path joined with `\n` (`$\npackages\nnode_modules/a`)
 */
export function jsonKeyLines(text: string, wanted: (parentPath: readonly string[]) => boolean): Map<string, number> {
  const out = new Map<string, number>()
  // per open container: the key it is the value of ('$' for the root, '[]' in arrays), its kind, whether its keys are recorded
  const path: string[] = []
  const kinds: ('o' | 'a')[] = []
  const want: boolean[] = []
  let line = 1
  let pendingKey: string | undefined
  const n = text.length
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === 10) {
      line++
    } else if (c === 34) {
      // string
      const start = i + 1
      let j = start
      let escaped = false
      while (j < n) {
        const d = text.charCodeAt(j)
        if (d === 92) {
          escaped = true
          j += 2
          continue
        }
        if (d === 34) break
        if (d === 10) break
        j++
      }
      const raw = text.slice(start, j)
      // an unterminated string stops at the line end, which is counted by the outer loop
      i = j < n && text.charCodeAt(j) === 10 ? j - 1 : j
      if (kinds[kinds.length - 1] === 'o' && pendingKey === undefined) {
        // is it a key? the next non-space character is ':'
        let k = j + 1
        while (k < n && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9 || text.charCodeAt(k) === 13 || text.charCodeAt(k) === 10)) k++
        if (text.charCodeAt(k) === 58) {
          let key = raw
          if (escaped) {
            try {
              key = JSON.parse(`"${raw}"`) as string
            } catch {
              key = raw
            }
          }
          pendingKey = key
          if (want[want.length - 1]) out.set([...path, key].join('\n'), line)
        }
      }
      continue
    } else if (c === 123 || c === 91) {
      // { or [: a child container of the current key (or array element)
      const top = kinds[kinds.length - 1]
      path.push(top === undefined ? '$' : top === 'o' ? (pendingKey ?? '') : '[]')
      kinds.push(c === 123 ? 'o' : 'a')
      want.push(c === 123 && wanted(path))
      pendingKey = undefined
    } else if (c === 125 || c === 93) {
      path.pop()
      kinds.pop()
      want.pop()
      pendingKey = undefined
    } else if (c === 44) {
      pendingKey = undefined
    }
  }
  return out
}
