import { parseTree, type Node, type ParseError } from 'jsonc-parser'
import { LineIndex, LineMap, parseJsonLocated, safeSet } from '../located/index.js'
import type { SourceDocument } from '../types.js'
import { looksLikeTerraformPlan, readTerraformPlan } from './plan.js'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Nesting beyond which a recovered document is not read (as for well-formed JSON). */
const MAX_DEPTH = 100

/**
 * Reads the text of a plan. A plan cut off part-way (a CI log limit, a full disk) or broken at
 * one point is still read up to the fault: every resource written completely before it is
 * judged, the one it cuts through is not, and a `PW_ERR_TERRAFORM_PLAN_INVALID` error names the
 * line. Sections the fault cuts through (often `configuration`) are not used, so values whose
 * references cannot be followed stay unknown. Returns undefined when the text is not a plan.
 */
export function readTerraformPlanText(text: string, file: string): SourceDocument | undefined {
  const located = parseJsonLocated(text, { file })
  const d = located.documents[0]
  if (d !== undefined) return looksLikeTerraformPlan(d) ? readTerraformPlan(d as Obj, located, file) : undefined
  if (located.diagnostics.some((x) => x.code === 'PW_ERR_NESTING_TOO_DEEP')) return { file, origin: 'terraform', resources: [], diagnostics: located.diagnostics, context: {} }
  const errors: ParseError[] = []
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false })
  const faultAt = errors.length ? Math.min(...errors.map((e) => e.offset)) : text.length
  const index = new LineIndex(text)
  const lines = new LineMap()
  const incomplete = new WeakSet<object>()
  const value = tree ? build(tree, index, lines, incomplete, faultAt, 0) : undefined
  if (!isObj(value) || !looksLikeTerraformPlan(value)) return undefined
  prune(value, incomplete)
  const doc = readTerraformPlan(value, { documents: [value], lines, index, diagnostics: located.diagnostics }, file)
  const line = index.line(Math.min(faultAt, Math.max(0, text.length - 1)))
  doc.diagnostics.push({
    code: 'PW_ERR_TERRAFORM_PLAN_INVALID',
    level: 'error',
    message: `Terraform plan ${file} is cut off or malformed at line ${line}; the ${doc.resources.length} resource${doc.resources.length === 1 ? '' : 's'} written completely before that point ${doc.resources.length === 1 ? 'was' : 'were'} read.`,
    file,
    line,
  })
  return doc
}

/**
 * Plain values of a tolerant parse tree, with lines, marking containers the fault cuts through:
 * those reaching the fault (an unclosed one ends exactly there).
 */
function build(node: Node, index: LineIndex, lines: LineMap, incomplete: WeakSet<object>, faultAt: number, depth: number): unknown {
  if (depth > MAX_DEPTH) return undefined
  if (node.type === 'object') {
    const obj: Obj = {}
    lines.setContainer(obj, index.line(node.offset))
    if (node.offset + node.length >= faultAt) incomplete.add(obj)
    for (const p of node.children ?? []) {
      const [k, v] = p.children ?? []
      if (!k || typeof k.value !== 'string') continue
      if (!v) {
        incomplete.add(obj)
        continue
      }
      safeSet(obj, k.value, build(v, index, lines, incomplete, faultAt, depth + 1))
      lines.setChild(obj, k.value, index.line(p.offset))
    }
    return obj
  }
  if (node.type === 'array') {
    const arr: unknown[] = []
    lines.setContainer(arr, index.line(node.offset))
    if (node.offset + node.length >= faultAt) incomplete.add(arr)
    for (const c of node.children ?? []) {
      lines.setChild(arr, arr.length, index.line(c.offset))
      arr.push(build(c, index, lines, incomplete, faultAt, depth + 1))
    }
    return arr
  }
  return node.value
}

/**
 * Drops what the fault cut through: resources and changes not written completely, and the
 * `configuration` if it is incomplete (a partial configuration would make configured values look
 * unset).
 */
function prune(doc: Obj, incomplete: WeakSet<object>): void {
  const pruneModule = (m: unknown, depth: number): void => {
    if (!isObj(m) || depth > 32) return
    if (Array.isArray(m['resources'])) m['resources'] = m['resources'].filter((r) => isObj(r) && !incomplete.has(r))
    if (Array.isArray(m['child_modules'])) for (const c of m['child_modules']) pruneModule(c, depth + 1)
  }
  for (const key of ['planned_values', 'values']) if (isObj(doc[key])) pruneModule((doc[key] as Obj)['root_module'], 0)
  if (isObj(doc['prior_state']) && isObj(doc['prior_state']['values'])) pruneModule(doc['prior_state']['values']['root_module'], 0)
  if (Array.isArray(doc['resource_changes'])) doc['resource_changes'] = doc['resource_changes'].filter((r) => isObj(r) && !incomplete.has(r))
  if (isObj(doc['configuration']) && incomplete.has(doc['configuration'])) delete doc['configuration']
}
