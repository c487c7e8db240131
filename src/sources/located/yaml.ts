import yaml from 'js-yaml'
import type { Diagnostic } from '../../model/index.js'
import { LineIndex, LineMap } from './line-map.js'

/** Which short-form tags a document may use. */
export type YamlTagSet = 'cloudformation' | 'none'

/** Options for {@link parseYamlLocated}. */
export interface YamlOptions {
  /** File name used in diagnostics (relative to the scan root). */
  file: string
  /** Accept CloudFormation short-form intrinsics (`!Ref`, `!Sub`, …). */
  tags?: YamlTagSet
  /**
   * Implicit typing of plain scalars. `yaml11` reads YAML 1.1 booleans (`yes`, `off`) as
   * CloudFormation and PyYAML do; `core` is YAML 1.2. Timestamps are never converted:
   * `AWSTemplateFormatVersion: 2010-09-09` stays a string.
   */
  schema?: 'yaml11' | 'core'
  /** Maximum number of nodes aliases may expand to (default 1,000,000). */
  maxAliasExpansion?: number
}

/** Documents read from a text, the line of every key, and what went wrong. */
export interface LocatedDocuments {
  documents: unknown[]
  lines: LineMap
  index: LineIndex
  diagnostics: Diagnostic[]
}

/** CloudFormation short-form tags and the long-form key each becomes. */
const CFN_TAGS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  GetAtt: 'Fn::GetAtt',
  Sub: 'Fn::Sub',
  Join: 'Fn::Join',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Not: 'Fn::Not',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  FindInMap: 'Fn::FindInMap',
  GetAZs: 'Fn::GetAZs',
  ImportValue: 'Fn::ImportValue',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  Transform: 'Fn::Transform',
  Length: 'Fn::Length',
  ToJsonString: 'Fn::ToJsonString',
  ValueOf: 'Fn::ValueOf',
  Contains: 'Fn::Contains',
  EachMemberEquals: 'Fn::EachMemberEquals',
  EachMemberIn: 'Fn::EachMemberIn',
  RefAll: 'Fn::RefAll',
  ValueOfAll: 'Fn::ValueOfAll',
}

/** YAML 1.1 booleans as PyYAML (and so cfn-lint) reads them; `y`/`n` stay strings as in PyYAML. */
const TRUE11 = new Set(['yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'])
const FALSE11 = new Set(['no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'])
const bool11 = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  // asked of every plain scalar: a length test first, then a set lookup
  resolve: (s: string | null) => s !== null && s.length >= 2 && s.length <= 5 && (TRUE11.has(s) || FALSE11.has(s)),
  construct: (s: string) => TRUE11.has(s),
  predicate: (v: unknown) => typeof v === 'boolean',
  represent: { lowercase: (v: unknown) => (v ? 'true' : 'false') },
  defaultStyle: 'lowercase',
})

function cfnTypes(): yaml.Type[] {
  const types: yaml.Type[] = []
  for (const [short, long] of Object.entries(CFN_TAGS)) {
    for (const kind of ['scalar', 'sequence', 'mapping'] as const) {
      types.push(
        new yaml.Type(`!${short}`, {
          kind,
          construct: (data: unknown) => {
            let arg = data
            if (long === 'Fn::GetAtt' && typeof data === 'string') {
              const dot = data.indexOf('.')
              arg = dot > 0 ? [data.slice(0, dot), data.slice(dot + 1)] : [data]
            }
            if (kind === 'scalar' && arg === null) arg = ''
            return { [long]: arg }
          },
        }),
      )
    }
  }
  return types
}

const t = (yaml as unknown as { types: Record<string, yaml.Type> }).types
const BASE_11 = yaml.FAILSAFE_SCHEMA.extend({ implicit: [t['null']!, bool11, t['int']!, t['float']!, t['merge']!], explicit: [t['binary']!] })
const BASE_CORE = yaml.FAILSAFE_SCHEMA.extend({ implicit: [t['null']!, t['bool']!, t['int']!, t['float']!, t['merge']!], explicit: [t['binary']!] })
const SCHEMAS = {
  'yaml11:cloudformation': BASE_11.extend(cfnTypes()),
  'yaml11:none': BASE_11,
  'core:cloudformation': BASE_CORE.extend(cfnTypes()),
  'core:none': BASE_CORE,
}

/**
 * Reads YAML (one or many documents) into plain JS values with js-yaml, recording the line of
 * every key in a {@link LineMap} through the loader's node listener. js-yaml 4 is chosen for
 * reading templates as leniently as CloudFormation and PyYAML do (flow collections indented
 * less than their parent are accepted); see docs/architecture.md. Bad YAML gives a diagnostic
 * with file and line, never a throw, and never the source text (which may hold secrets).
 *
 * @example
 * const { documents, lines } = parseYamlLocated(text, { file: 'template.yaml', tags: 'cloudformation' })
 */
export function parseYamlLocated(text: string, options: YamlOptions): LocatedDocuments {
  const lines = new LineMap()
  const diagnostics: Diagnostic[] = []
  const file = options.file
  const maxAlias = options.maxAliasExpansion ?? 1_000_000
  const schema = SCHEMAS[`${options.schema ?? 'yaml11'}:${options.tags ?? 'none'}`]
  // Node bookkeeping without an object per node: the line and the start of each open node's
  // children are kept on two number stacks (indexed by depth, never shrunk), and the children of
  // all open nodes in one flat buffer of (line, value) pairs.
  const lineStack: number[] = []
  const startStack: number[] = []
  let depth = 0
  const buf: unknown[] = []
  const scratch: (string | number)[] = []
  // alias expansion is only tracked when the text can hold an alias (`*name` where a node starts)
  // and an anchor for it (`&name`); most files cannot, and the map of every node's size is then
  // not built at all
  const mayAlias = mayHoldAlias(text)
  const sizes = new Map<object, number>()
  let aliasExpansion = 0
  let aliasBomb = false

  const listener = (event: 'open' | 'close', state: { line: number; result: unknown; kind: string | null; tag: string | null }): void => {
    if (event === 'open') {
      lineStack[depth] = state.line + 1
      startStack[depth] = buf.length
      depth++
      return
    }
    if (depth === 0) return
    depth--
    const line = lineStack[depth]!
    const start = startStack[depth]!
    const result = state.result
    // scalars, most nodes: leave (line, value) for the parent, nothing to record
    if (result === null || typeof result !== 'object') {
      if (buf.length !== start) buf.length = start
      if (depth > 0) buf.push(line, result)
      return
    }
    const n = buf.length - start
    try {
      // a wrapper around the same node (block sequence entries are composed twice)
      if (n === 2 && buf[start + 1] === result) return
      if (mayAlias && sizes.has(result)) {
        // the node was already built: this is an alias to it
        aliasExpansion += sizes.get(result)!
        if (aliasExpansion > maxAlias && !aliasBomb) {
          aliasBomb = true
          throw new AliasLimitError(line)
        }
        return
      }
      let size = 1
      // the entry is built in one reused array, which the line map copies
      const entry = scratch
      let len = 0
      entry[len++] = line
      if (Array.isArray(result)) {
        // each child left (line, value) in the buffer: the entry holds (index, line) per child
        for (let i = start, j = 0; i < buf.length; i += 2, j++) {
          entry[len++] = j
          entry[len++] = buf[i] as number
          if (mayAlias) size += sizeOf(buf[i + 1])
        }
      } else if (state.kind === 'mapping' && !(state.tag !== null && state.tag.charCodeAt(0) === 33 /* ! */ && state.tag.slice(1) in CFN_TAGS)) {
        // each pair left (key line, key, value line, value): the entry holds (key, line) per pair
        // duplicates: small mappings are scanned, large ones use a set
        const seen = n > 32 ? new Set<string>() : undefined
        for (let i = start; i + 3 < buf.length; i += 4) {
          const keyLine = buf[i] as number
          const key = buf[i + 1]
          const k = typeof key === 'string' ? key : String(key)
          if (k !== '<<') {
            let dup = false
            if (seen) dup = seen.has(k)
            else for (let j = start + 1; j < i; j += 4) if (buf[j] === k || (typeof buf[j] !== 'string' && String(buf[j]) === k)) dup = true
            if (dup) {
              diagnostics.push({
                code: 'PW_ERR_DUPLICATE_KEY',
                level: 'error',
                message: `Duplicate key "${k.length > 60 ? k.slice(0, 60) + '…' : k}" in ${file} at line ${keyLine}; the last value is used.`,
                file,
                line: keyLine,
              })
            }
            seen?.add(k)
            entry[len++] = k
            entry[len++] = keyLine
          }
          if (mayAlias) size += sizeOf(buf[i + 3])
        }
      } else {
        // a CloudFormation short-form tag wraps its argument in a one-key object
        const key = Object.keys(result)[0]
        if (key !== undefined) {
          entry[len++] = key
          entry[len++] = line
        }
        if (mayAlias) for (let i = start + 1; i < buf.length; i += 2) size += sizeOf(buf[i])
      }
      lines.setEntry(result, entry, len)
      if (mayAlias) sizes.set(result, size)
    } finally {
      if (buf.length !== start) buf.length = start
      if (depth > 0) buf.push(line, result)
    }
  }
  const sizeOf = (v: unknown): number => (mayAlias && v !== null && typeof v === 'object' ? sizes.get(v) ?? 1 : 1)

  let documents: unknown[] = []
  try {
    documents = yaml.loadAll(text, undefined, { filename: file, schema, json: true, listener } as unknown as yaml.LoadOptions)
    for (const d of documents) if (d !== null && typeof d === 'object' && !lines.has(d)) lines.setContainer(d, 1)
  } catch (err) {
    documents = []
    if (err instanceof AliasLimitError) {
      diagnostics.push({
        code: 'PW_ERR_ALIAS_LIMIT',
        level: 'error',
        message: `YAML aliases in ${file} expand to more than ${maxAlias} nodes (at line ${err.line}); the document is not read.`,
        file,
        line: err.line,
      })
    } else {
      diagnostics.push(yamlErrorDiagnostic(err, file))
    }
  }
  return { documents, lines, index: new LineIndex(text), diagnostics }
}

/**
 * Can the text hold an alias that resolves? An alias (`*name`) can only stand where a node starts
 * (js-yaml refuses a tag or anchor on it): at the start of a line after indentation, or after a
 * block indicator (`- `, `? `, `: `) or a flow indicator (`[`, `{`, `,`, `:`), each followed by
 * optional spaces or tabs. Its anchor (`&name`) stands there too or after a tag (`!!seq &x`), so
 * after any white space. Both must occur for any alias to expand. A `*` inside a quoted or plain scalar
 * (`schedule: "15 3 * * *"`, `path: /api/*`) is not preceded that way; where one is (`a - *b` in
 * a plain scalar), the answer is a harmless yes.
 */
export function mayHoldAlias(text: string): boolean {
  return text.includes('*') && text.includes('&') && ALIAS_AT_NODE.test(text) && ANCHOR_AT_NODE.test(text)
}
const ALIAS_AT_NODE = /(?:^[ \t\uFEFF]*|[-?:[{,][ \t]*)\*/m
const ANCHOR_AT_NODE = /(?:^|[\s\uFEFF\-?:[{,])&/

class AliasLimitError extends Error {
  constructor(readonly line: number) {
    super('alias limit')
  }
}

/** Turn a js-yaml exception into a diagnostic without quoting the source text. */
function yamlErrorDiagnostic(err: unknown, file: string): Diagnostic {
  const e = err as { reason?: string; mark?: { line?: number; column?: number } }
  const line = typeof e.mark?.line === 'number' ? e.mark.line + 1 : undefined
  const reason = e.reason ?? (err instanceof Error ? 'unreadable YAML' : String(err))
  const depth = /depth/i.test(reason)
  const where = line !== undefined ? ` at line ${line}${e.mark?.column !== undefined ? `, column ${e.mark.column + 1}` : ''}` : ''
  // js-yaml quotes unknown tags as !<tag>: keep only the tag name, bounded in length
  const safeReason = reason.replace(/!<([^>]{0,40})[^>]*>/g, '!<$1>')
  return {
    code: depth ? 'PW_ERR_NESTING_TOO_DEEP' : 'PW_ERR_YAML_SYNTAX',
    level: 'error',
    message: `YAML syntax error in ${file}${where}: ${safeReason}.`,
    file,
    ...(line !== undefined ? { line } : {}),
  }
}
