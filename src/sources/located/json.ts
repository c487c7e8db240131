import { printParseErrorCode, visit } from 'jsonc-parser'
import type { Diagnostic } from '../../model/index.js'
import { parseStrictJson } from './json-strict.js'
import { LineIndex, LineMap, safeSet } from './line-map.js'
import type { LocatedDocuments } from './yaml.js'

/** Options for {@link parseJsonLocated}. */
export interface JsonOptions {
  file: string
  /** Maximum nesting depth (default 100). */
  maxDepth?: number
}

interface Frame {
  value: Record<string, unknown> | unknown[]
  key?: string
  keyLine: number
  keys?: Set<string>
}

/**
 * Reads strict JSON into plain values with the line of every key. Well-formed JSON (the usual
 * case) is read by `JSON.parse` and one pass for the lines ({@link parseStrictJson}); anything else
 * by the VS Code JSON scanner (jsonc-parser), token by token, with the same lines. Errors become
 * diagnostics naming file and line.
 */
export function parseJsonLocated(text: string, options: JsonOptions): LocatedDocuments {
  const strict = parseStrictJson(text, options.maxDepth ?? 100)
  if (strict) return { documents: [strict.root], lines: strict.lines, index: new LineIndex(text), diagnostics: [] }
  return readJsonTokens(text, options)
}

/** {@link parseJsonLocated} token by token (jsonc-parser's visitor): any text, with diagnostics. */
export function readJsonTokens(text: string, options: JsonOptions): LocatedDocuments {
  const index = new LineIndex(text)
  const maxDepth = options.maxDepth ?? 100
  const lines = new LineMap()
  const diagnostics: Diagnostic[] = []
  const file = options.file
  const stack: Frame[] = []
  let root: unknown = undefined
  let hasRoot = false
  let failed = false
  let tooDeep = false

  const put = (value: unknown, line: number): void => {
    const top = stack[stack.length - 1]
    if (!top) {
      root = value
      hasRoot = true
      return
    }
    if (Array.isArray(top.value)) {
      lines.setChild(top.value, top.value.length, line)
      top.value.push(value)
      return
    }
    const key = top.key ?? ''
    if (top.keys!.has(key)) {
      diagnostics.push({
        code: 'PW_ERR_DUPLICATE_KEY',
        level: 'error',
        message: `Duplicate key "${key.length > 60 ? key.slice(0, 60) + '…' : key}" in ${file} at line ${top.keyLine}; the last value is used.`,
        file,
        line: top.keyLine,
      })
    }
    top.keys!.add(key)
    safeSet(top.value, key, value)
    lines.setChild(top.value, key, top.keyLine)
  }

  // jsonc-parser's visitor recurses once per level even where a callback skips the children: a
  // document nested deeper than the limit is refused before it is visited
  if (nestingExceeds(text, maxDepth)) {
    diagnostics.push({ code: 'PW_ERR_NESTING_TOO_DEEP', level: 'error', message: `JSON in ${file} is nested more than ${maxDepth} levels deep; the document is not read.`, file })
    return { documents: [], lines, index, diagnostics }
  }
  visit(
    text,
    {
      onObjectBegin: (_offset, _length, startLine) => {
        if (tooDeep) return false
        if (stack.length >= maxDepth) {
          tooDeep = true
          return false
        }
        const obj: Record<string, unknown> = {}
        lines.setContainer(obj, startLine + 1)
        put(obj, startLine + 1)
        stack.push({ value: obj, keyLine: startLine + 1, keys: new Set() })
        return true
      },
      onObjectProperty: (property, _offset, _length, startLine) => {
        const top = stack[stack.length - 1]
        if (top) {
          top.key = property
          top.keyLine = startLine + 1
        }
      },
      onObjectEnd: () => {
        if (!tooDeep) stack.pop()
      },
      onArrayBegin: (_offset, _length, startLine) => {
        if (tooDeep) return false
        if (stack.length >= maxDepth) {
          tooDeep = true
          return false
        }
        const arr: unknown[] = []
        lines.setContainer(arr, startLine + 1)
        put(arr, startLine + 1)
        stack.push({ value: arr, keyLine: startLine + 1 })
        return true
      },
      onArrayEnd: () => {
        if (!tooDeep) stack.pop()
      },
      onLiteralValue: (value, _offset, _length, startLine) => {
        if (!tooDeep) put(value, startLine + 1)
      },
      onError: (error, _offset, _length, startLine, startCharacter) => {
        if (failed) return
        failed = true
        diagnostics.push({
          code: 'PW_ERR_JSON_SYNTAX',
          level: 'error',
          message: `JSON syntax error in ${file} at line ${startLine + 1}, column ${startCharacter + 1}: ${describe(printParseErrorCode(error))}.`,
          file,
          line: startLine + 1,
        })
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  )
  if (tooDeep) {
    diagnostics.push({
      code: 'PW_ERR_NESTING_TOO_DEEP',
      level: 'error',
      message: `JSON in ${file} is nested more than ${maxDepth} levels deep; the document is not read.`,
      file,
    })
    return { documents: [], lines, index, diagnostics }
  }
  if (failed || !hasRoot) {
    if (!failed) {
      diagnostics.push({ code: 'PW_ERR_JSON_SYNTAX', level: 'error', message: `JSON in ${file} is empty.`, file })
    }
    return { documents: [], lines, index, diagnostics }
  }
  return { documents: [root], lines, index, diagnostics }
}

/** Do brackets outside strings nest deeper than `max` anywhere in `text`? One pass, no parse. */
export function nestingExceeds(text: string, max: number): boolean {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      // a string: skip to its closing quote (escapes skipped whole)
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i)
        if (d === 0x5c) i++
        else if (d === 0x22) break
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true
    } else if (c === 0x7d || c === 0x5d) {
      if (depth > 0) depth--
    }
  }
  return false
}

function describe(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
}
