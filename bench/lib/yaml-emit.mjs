// A small YAML emitter for CloudFormation-shaped data: block style, and the short-form
// intrinsic tags (`!Ref`, `!GetAtt A.B`, `!Sub`, `!Join`, …) that hand-written templates use,
// so the benchmark exercises the same parser paths as real templates. No dependency, so the
// generator's output does not change when a YAML library's formatting changes.

/** Long-form intrinsic key → short-form tag. `Condition` is left long: it is also a resource attribute. */
const SHORT = {
  Ref: 'Ref',
  'Fn::GetAtt': 'GetAtt',
  'Fn::Sub': 'Sub',
  'Fn::Join': 'Join',
  'Fn::If': 'If',
  'Fn::Equals': 'Equals',
  'Fn::Not': 'Not',
  'Fn::And': 'And',
  'Fn::Or': 'Or',
  'Fn::Select': 'Select',
  'Fn::Split': 'Split',
  'Fn::GetAZs': 'GetAZs',
  'Fn::ImportValue': 'ImportValue',
  'Fn::Base64': 'Base64',
  'Fn::FindInMap': 'FindInMap',
}

const RESERVED = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'null', 'y', 'n', '~'])

function isMap(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** The short-form tag of an intrinsic, or null. `!GetAtt [A, B]` is written `!GetAtt A.B`. */
function tagOf(v) {
  if (!isMap(v)) return null
  const keys = Object.keys(v)
  if (keys.length !== 1) return null
  const tag = SHORT[keys[0]]
  if (!tag) return null
  let arg = v[keys[0]]
  if (tag === 'GetAtt' && Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string' && typeof arg[1] === 'string') arg = `${arg[0]}.${arg[1]}`
  return { tag, arg }
}

function scalar(v) {
  if (v === null) return 'null'
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  const s = String(v)
  // plain when unambiguous: no ": " / " #" (a key or a comment), no trailing space or colon
  if (/^[A-Za-z_/][A-Za-z0-9_./@+=:*(), -]*$/.test(s) && !RESERVED.has(s.toLowerCase()) && !/: | #|[ :]$/.test(s)) return s
  if (/[\n\r\t\\"]/.test(s) || /[^\x20-\x7e]/.test(s)) return JSON.stringify(s)
  return `'${s.replaceAll("'", "''")}'`
}

function isScalar(v) {
  return v === null || typeof v !== 'object'
}

function writeEntry(prefix, v, indent, out) {
  const t = tagOf(v)
  if (t) {
    if (isScalar(t.arg)) out.push(`${prefix} !${t.tag} ${scalar(t.arg)}`)
    else if (Array.isArray(t.arg) && t.arg.length === 0) out.push(`${prefix} !${t.tag} []`)
    else {
      out.push(`${prefix} !${t.tag}`)
      if (Array.isArray(t.arg)) writeSeq(t.arg, indent + 2, out, null)
      else writeMap(t.arg, indent + 2, out, null)
    }
    return
  }
  if (isScalar(v)) out.push(`${prefix} ${scalar(v)}`)
  else if (Array.isArray(v)) {
    if (v.length === 0) out.push(`${prefix} []`)
    else {
      out.push(prefix)
      writeSeq(v, indent + 2, out, null)
    }
  } else if (Object.keys(v).length === 0) out.push(`${prefix} {}`)
  else {
    out.push(prefix)
    writeMap(v, indent + 2, out, null)
  }
}

// `lead0`, when given, is the text that starts the first line (e.g. "  - " of an enclosing
// sequence item) and is exactly `indent` characters long.
function writeSeq(arr, indent, out, lead0) {
  arr.forEach((item, i) => {
    const lead = i === 0 && lead0 !== null ? lead0 : ' '.repeat(indent)
    const dash = `${lead}- `
    if (!tagOf(item) && isMap(item) && Object.keys(item).length) writeMap(item, indent + 2, out, dash)
    else if (!tagOf(item) && Array.isArray(item) && item.length) writeSeq(item, indent + 2, out, dash)
    else writeEntry(`${lead}-`, item, indent, out)
  })
}

function writeMap(obj, indent, out, lead0) {
  let i = 0
  for (const [k, v] of Object.entries(obj)) {
    const lead = i === 0 && lead0 !== null ? lead0 : ' '.repeat(indent)
    writeEntry(`${lead}${scalar(k)}:`, v, indent, out)
    i++
  }
}

/** Serialise a document (a map) to block-style YAML with short-form intrinsics. */
export function toYaml(doc, headerComment) {
  const out = []
  if (headerComment) for (const l of headerComment.split('\n')) out.push(`# ${l}`)
  writeMap(doc, 0, out, null)
  return `${out.join('\n')}\n`
}
