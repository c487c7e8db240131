/**
 * YAML output for the exporters, written by the `yaml` package (eemeli/yaml): a YamlValue is
 * turned into a `yaml` Document, with `#` comment lines before map entries and list items
 * (`commentBefore`) and CloudFormation short-form tags (`!Ref X`) as tagged scalars, and written
 * block style, 2-space indent, without line folding.
 *
 * Plain scalars are written only when they are unambiguous under YAML 1.1 as well as 1.2 (what
 * kubectl's go-yaml and CloudFormation read): the document uses the 1.2 core schema with the
 * 1.1 schema, plus the few things 1.1 readers resolve beyond it, as `compat` tags, so `on`,
 * `yes`, `1:20`, `0o17`, `2010-09-09`, `<<` and `8080` are quoted.
 *
 * Every document is parsed back, by js-yaml and by `yaml` as YAML 1.1, and compared with its
 * input before it is returned, so a writer or quoting bug throws instead of shipping a file that
 * means something else.
 */
import { isDeepStrictEqual } from 'node:util'
import jsYaml from 'js-yaml'
import { Document, type DocumentOptions, Pair, Scalar, Schema, type SchemaOptions, type ScalarTag, type ToStringOptions, YAMLMap, YAMLSeq, parse } from 'yaml'
import { stringifyString } from 'yaml/util'

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

/** What CloudFormation reads a short-form tag as (its long form). */
const LONG_FORM: Record<Tagged['tag'], (value: string) => unknown> = {
  '!Ref': (v) => ({ Ref: v }),
  '!GetAtt': (v) => ({ 'Fn::GetAtt': v.split('.') }),
  '!Sub': (v) => ({ 'Fn::Sub': v }),
}
const TAG_NAMES = Object.keys(LONG_FORM) as Tagged['tag'][]

/** js-yaml types that read the short-form tags back as CloudFormation's long form. */
export const CFN_SCHEMA = jsYaml.DEFAULT_SCHEMA.extend(TAG_NAMES.map((tag) => new jsYaml.Type(tag, { kind: 'scalar', construct: (d: string) => LONG_FORM[tag](d) })))

/**
 * `yaml` tags for the short forms: written with the value quoted exactly as an untagged string
 * would be (`!Ref "on"`), read back as the long form.
 */
export const CFN_TAGS: ScalarTag[] = TAG_NAMES.map((tag) => ({
  tag,
  resolve: (value: string) => LONG_FORM[tag](value),
  stringify: (item, ctx, onComment, onChompKeep) => stringifyString(item, { ...ctx, actualString: true }, onComment, onChompKeep),
}))

/**
 * Plain scalars YAML 1.1 readers resolve beyond `yaml`'s yaml-1.1 schema, as compat tags so
 * they are quoted: go-yaml (kubectl) reads as a number whatever Go's strconv parses once `_`
 * are dropped (`0o1_7`, `-0o17`, `0X1F`), so every string starting with a digit (after a sign
 * or dot) is quoted; PyYAML (cfn-lint) resolves a lone `=` as the 1.1 value key and then fails.
 */
const YAML11_READER_EXTRAS: ScalarTag[] = [
  { tag: 'tag:yaml.org,2002:int', default: true, test: /^[-+]?\.?[0-9]/, resolve: (s: string) => s },
  { tag: 'tag:yaml.org,2002:value', default: true, test: /^=$/, resolve: (s: string) => s },
]

const DOCUMENT_OPTIONS: DocumentOptions & SchemaOptions = {
  version: '1.2',
  schema: 'core',
  compat: [...new Schema({ schema: 'yaml-1.1' }).tags, ...YAML11_READER_EXTRAS],
  customTags: CFN_TAGS,
}

const TO_STRING_OPTIONS: ToStringOptions = {
  indent: 2,
  indentSeq: true,
  lineWidth: 0,
  directives: false,
  // strings that need quotes get double quotes, escapes on one line: no `|` blocks, no folding
  blockQuote: false,
  singleQuote: false,
  doubleQuotedMinMultiLineLength: Number.POSITIVE_INFINITY,
}

/** Line breaks in YAML 1.1 or 1.2: a comment line must not contain one. */
const LINE_BREAK = /\r\n|[\n\r\u0085\u2028\u2029]/

/**
 * Comment lines as `yaml` keeps them: it writes `#` before each line, so ` text` becomes
 * `# text` and a lone space a bare `#`.
 */
function commentText(comments: string[]): string | undefined {
  if (comments.length === 0) return undefined
  return comments
    .flatMap((c) => c.split(LINE_BREAK))
    .map((line) => ` ${line.replace(/\s+$/, '')}`)
    .join('\n')
}

const joinComments = (...parts: (string | null | undefined)[]): string | undefined => parts.filter((p) => p !== undefined && p !== null).join('\n') || undefined

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

type YamlNode = Scalar | YAMLMap<Scalar, YamlNode> | YAMLSeq<YamlNode>

function mapNode(map: { [key: string]: YamlValue }): YAMLMap<Scalar, YamlNode> {
  const node = new YAMLMap<Scalar, YamlNode>()
  for (const [k, raw] of Object.entries(map)) {
    const { comments, value } = unwrap(raw)
    const key = new Scalar(k)
    const text = commentText(comments)
    if (text !== undefined) key.commentBefore = text
    node.items.push(new Pair(key, toNode(value)))
  }
  return node
}

function seqNode(list: YamlValue[]): YAMLSeq<YamlNode> {
  const node = new YAMLSeq<YamlNode>()
  for (const raw of list) {
    const { comments, value } = unwrap(raw)
    const item = toNode(value)
    // comments on the first key of a map in a list go just above its `- `
    const firstKey = item instanceof YAMLMap ? item.items[0]?.key : undefined
    const text = joinComments(commentText(comments), firstKey?.commentBefore)
    if (firstKey) delete firstKey.commentBefore
    if (text !== undefined) item.commentBefore = text
    node.items.push(item)
  }
  return node
}

function toNode(v: YamlValue): YamlNode {
  if (v instanceof Commented) throw new Error('yaml writer: a comment must be on a map entry or a list item')
  if (v instanceof Tagged) {
    const node = new Scalar(v.value)
    node.tag = v.tag
    return node
  }
  if (Array.isArray(v)) return seqNode(v)
  if (isMap(v)) return mapNode(v)
  if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`yaml writer: cannot write the number ${v}`)
  return new Scalar(v)
}

/** The plain data a YAML value stands for (tags in CloudFormation's long form). */
export function plain(v: YamlValue): unknown {
  if (v instanceof Commented) return plain(v.value)
  if (v instanceof Tagged) return LONG_FORM[v.tag](v.value)
  if (Array.isArray(v)) return v.map(plain)
  if (isMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
  return v
}

/**
 * Writes one YAML document (a map) with optional header comments. Throws when the text does
 * not read back as the same data, as YAML 1.2 (js-yaml) or as YAML 1.1 (`yaml`).
 */
export function renderYaml(doc: { [key: string]: YamlValue }, header: string[] = []): string {
  const root = mapNode(doc)
  const text = commentText(header)
  if (text !== undefined) root.commentBefore = text
  const out = new Document(root, DOCUMENT_OPTIONS).toString(TO_STRING_OPTIONS)
  const data = plain(doc)
  const as12 = jsYaml.load(out, { schema: CFN_SCHEMA })
  const as11: unknown = parse(out, { version: '1.1', customTags: CFN_TAGS, logLevel: 'error' })
  if (!isDeepStrictEqual(as12, data) || !isDeepStrictEqual(as11, data)) throw new Error('yaml writer: the document does not read back as written')
  return out
}
