/**
 * A small block-style YAML writer that can put `#` comments before map entries and list items
 * and write CloudFormation short-form tags (`!Ref X`). It exists because js-yaml (the YAML
 * library this project depends on) cannot write comments. Every document is parsed back with
 * js-yaml and compared with its input before it is returned, so a writer bug throws instead of
 * shipping a file that means something else.
 *
 * Plain scalars are written only when they are unambiguous under YAML 1.1 as well as 1.2 (what
 * kubectl's go-yaml and CloudFormation read): `on`, `yes`, `1:20`, `0o17`, `8080` are quoted.
 */
import { isDeepStrictEqual } from 'node:util'
import yaml from 'js-yaml'

export type YamlScalar = string | number | boolean | null
export type YamlValue = YamlScalar | Tagged | Commented | YamlValue[] | { [key: string]: YamlValue }

/** A short-form tag on a scalar: `!Ref MyGroup`, `!GetAtt MyGroup.GroupId`. */
export class Tagged {
  constructor(
    readonly tag: '!Ref' | '!GetAtt' | '!Sub',
    readonly value: string,
  ) {}
}

/** A value with comment lines written just before it (before the key in a map, the `-` in a list). */
export class Commented {
  constructor(
    readonly comments: string[],
    readonly value: YamlValue,
  ) {}
}

export const commented = (comments: string[], value: YamlValue): YamlValue => (comments.length > 0 ? new Commented(comments, value) : value)

const TAG_KEY: Record<Tagged['tag'], string> = { '!Ref': 'Ref', '!GetAtt': 'Fn::GetAtt', '!Sub': 'Fn::Sub' }

/** js-yaml types that read the short-form tags back as CloudFormation's long form. */
export const CFN_SCHEMA = yaml.DEFAULT_SCHEMA.extend([
  new yaml.Type('!Ref', { kind: 'scalar', construct: (d: string) => ({ Ref: d }) }),
  new yaml.Type('!GetAtt', { kind: 'scalar', construct: (d: string) => ({ 'Fn::GetAtt': d.split('.') }) }),
  new yaml.Type('!Sub', { kind: 'scalar', construct: (d: string) => ({ 'Fn::Sub': d }) }),
])

const YAML11_WORDS = new Set(['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null', '~'])

function isPlainSafe(s: string): boolean {
  if (!/^[A-Za-z_/][A-Za-z0-9_./:@+-]*$/.test(s)) return false
  if (YAML11_WORDS.has(s.toLowerCase())) return false
  if (s.endsWith(':')) return false
  return true
}

function scalarText(v: YamlScalar): string {
  if (v === null) return 'null'
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`yaml writer: cannot write the number ${v}`)
    return String(v)
  }
  return isPlainSafe(v) ? v : JSON.stringify(v)
}

function keyText(k: string): string {
  return isPlainSafe(k) ? k : JSON.stringify(k)
}

function commentLines(comments: string[], indent: string): string[] {
  return comments.flatMap((c) => c.split(/\r?\n|\r|\u2028|\u2029/)).map((c) => (c.trim().length > 0 ? `${indent}# ${c.replace(/\s+$/, '')}` : `${indent}#`))
}

function isMap(v: YamlValue): v is { [key: string]: YamlValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Tagged) && !(v instanceof Commented)
}

function unwrap(v: YamlValue): { comments: string[]; value: YamlValue } {
  const comments: string[] = []
  let value = v
  while (value instanceof Commented) {
    comments.push(...value.comments)
    value = value.value
  }
  return { comments, value }
}

/** Text after `key:` or `-` when the value fits on the same line, or undefined for a block. */
function inline(v: YamlValue): string | undefined {
  if (v instanceof Tagged) {
    if (!isPlainSafe(v.value)) throw new Error(`yaml writer: tag value ${JSON.stringify(v.value)} needs quoting`)
    return `${v.tag} ${v.value}`
  }
  if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined
  if (isMap(v)) return Object.keys(v).length === 0 ? '{}' : undefined
  return scalarText(v as YamlScalar)
}

function writeMap(map: { [key: string]: YamlValue }, indent: string, out: string[], firstPrefix?: string): void {
  let first = true
  for (const [k, raw] of Object.entries(map)) {
    const { comments, value } = unwrap(raw)
    const lead = first && firstPrefix !== undefined ? firstPrefix : indent
    // comments on the first key of a list item go just above its `- ` line
    out.push(...commentLines(comments, first && firstPrefix !== undefined ? firstPrefix.replace(/- $/, '') : indent))
    const text = inline(value)
    if (text !== undefined) out.push(`${lead}${keyText(k)}: ${text}`)
    else {
      out.push(`${lead}${keyText(k)}:`)
      writeBlock(value, `${indent}  `, out)
    }
    first = false
  }
}

function writeList(list: YamlValue[], indent: string, out: string[]): void {
  for (const raw of list) {
    const { comments, value } = unwrap(raw)
    out.push(...commentLines(comments, indent))
    const text = inline(value)
    if (text !== undefined) out.push(`${indent}- ${text}`)
    else if (isMap(value)) writeMap(value, `${indent}  `, out, `${indent}- `)
    else {
      out.push(`${indent}-`)
      writeBlock(value, `${indent}  `, out)
    }
  }
}

function writeBlock(v: YamlValue, indent: string, out: string[]): void {
  if (Array.isArray(v)) writeList(v, indent, out)
  else if (isMap(v)) writeMap(v, indent, out)
  else throw new Error('yaml writer: a scalar cannot be written as a block')
}

/** The plain data a YAML value stands for (tags in CloudFormation's long form). */
export function plain(v: YamlValue): unknown {
  if (v instanceof Commented) return plain(v.value)
  if (v instanceof Tagged) return v.tag === '!GetAtt' ? { [TAG_KEY[v.tag]]: v.value.split('.') } : { [TAG_KEY[v.tag]]: v.value }
  if (Array.isArray(v)) return v.map(plain)
  if (isMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
  return v
}

/**
 * Writes one YAML document (a map) with optional header comments. Throws when the text does
 * not read back as the same data.
 */
export function renderYaml(doc: { [key: string]: YamlValue }, header: string[] = []): string {
  const out: string[] = [...commentLines(header, '')]
  if (Object.keys(doc).length === 0) out.push('{}')
  else writeMap(doc, '', out)
  const text = `${out.join('\n')}\n`
  const back = yaml.load(text, { schema: CFN_SCHEMA })
  if (!isDeepStrictEqual(back, plain(doc))) throw new Error('yaml writer: the document does not read back as written')
  return text
}
