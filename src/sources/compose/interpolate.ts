/**
 * Compose interpolation, statically: `${VAR:-default}` and `${VAR-default}` become their default
 * (what runs when neither the shell nor an `.env` file sets the variable); `${VAR}`, `$VAR`,
 * `${VAR:?err}`, `${VAR?err}`, `${VAR:+alt}` and `${VAR+alt}` depend on the environment of
 * whoever runs `docker compose` and stay as written. `$$` (a literal dollar) stays as written too,
 * so a `$` in a value always means an interpolation left for run time. The scanner's own
 * environment and `.env` files are never read: a scan must not depend on, or leak, the machine
 * running it.
 */

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/

/** Interpolate one string; `changed` tells whether anything was substituted. */
export function interpolate(s: string): { value: string; changed: boolean } {
  if (!s.includes('$')) return { value: s, changed: false }
  const value = run(s, 0)
  return { value, changed: value !== s }
}

function run(s: string, depth: number): string {
  let out = ''
  let i = 0
  while (i < s.length) {
    const c = s[i]!
    if (c !== '$') {
      out += c
      i++
      continue
    }
    const next = s[i + 1]
    if (next === '$') {
      out += '$$'
      i += 2
      continue
    }
    if (next !== '{') {
      out += c
      i++
      continue
    }
    let d = 0
    let j = i + 1
    for (; j < s.length; j++) {
      if (s[j] === '{') d++
      else if (s[j] === '}' && --d === 0) break
    }
    if (j >= s.length) {
      out += s.slice(i)
      break
    }
    const written = s.slice(i, j + 1)
    const inner = s.slice(i + 2, j)
    const m = NAME.exec(inner)
    const rest = m ? inner.slice(m[0].length) : ''
    if (m && (rest.startsWith(':-') || rest.startsWith('-'))) {
      const word = rest.slice(rest.startsWith(':-') ? 2 : 1)
      out += depth > 8 ? word : run(word, depth + 1)
    } else {
      out += written
    }
    i = j + 1
  }
  return out
}

/**
 * Interpolate every string value of a parsed document in place (keys are not interpolated, as in
 * Compose). Containers keep their identity, so their recorded lines stay valid.
 */
export function interpolateInPlace(node: unknown, depth = 0): void {
  if (node === null || typeof node !== 'object' || depth > 64) return
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const v = node[i]
      if (typeof v === 'string') node[i] = interpolate(v).value
      else interpolateInPlace(v, depth + 1)
    }
    return
  }
  const o = node as Record<string, unknown>
  for (const k of Object.keys(o)) {
    const v = o[k]
    if (typeof v === 'string') o[k] = interpolate(v).value
    else interpolateInPlace(v, depth + 1)
  }
}

/**
 * Names of the interpolations left in a value (`${DB_PASSWORD}`, `$HOST`, `${X:?required}`);
 * `$$` is a literal dollar, not an interpolation.
 */
export function interpolationsIn(s: string): string[] {
  const out: string[] = []
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '$') continue
    const next = s[i + 1]
    if (next === '$') {
      i++
      continue
    }
    const m = NAME.exec(s.slice(next === '{' ? i + 2 : i + 1))
    if (m) out.push(m[0])
  }
  return out
}
