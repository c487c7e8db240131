import fs from 'node:fs'
import path from 'node:path'
import type { Diagnostic, Origin } from '../model/index.js'
import { PhiwallError } from '../model/index.js'
import { looksLikeCloudFormation, parseTemplateText, readCloudFormation } from './cloudformation/index.js'
import { parseJsonLocated, parseYamlLocated } from './located/index.js'
import { looksLikeServerless, readServerless } from './serverless/index.js'
import { looksLikeSnapshot, readSnapshot } from './aws-snapshot/index.js'
import { readTerraformPlanText } from './terraform/index.js'
import type { FileResult, SourceDocument } from './types.js'
import { decodeText, walkInputs, type WalkedFile } from './walk.js'

/** Options of {@link collect}. */
export interface CollectOptions {
  /** Largest file read, in bytes (default 32 MiB). */
  maxFileSize?: number
  /** Stage for Serverless services (`--stage`). */
  stage?: string
  /** Region for pseudo parameters and Serverless services (`--region`). */
  region?: string
  /** Template parameter overrides (`--param Name=Value`). */
  parameters?: Record<string, string>
  /** Directory names not descended into. */
  ignoredDirs?: string[]
  /** Called after each file. */
  onProgress?: (done: number, total: number, file: string) => void
}

/** Everything read from the inputs. */
export interface Collected {
  documents: SourceDocument[]
  files: FileResult[]
  /** Problems not tied to one input file (unreadable directories, symlink loops). */
  diagnostics: Diagnostic[]
}

/** What kind of input a text looks like, from a cheap look at its content. */
export type SniffedKind = 'cloudformation' | 'serverless' | 'terraform' | 'aws-snapshot' | undefined

/** Recognise an input by content, not by name: a cheap textual look before a full parse. */
export function sniff(text: string): SniffedKind {
  const head = text.length > 200_000 ? text.slice(0, 200_000) : text
  const first = head.trimStart().charAt(0)
  if (first === '{' || first === '[') {
    if (/"kind"\s*:\s*"phiwall-aws-snapshot"/.test(head)) return 'aws-snapshot'
    if (/"format_version"\s*:/.test(head) && /"(planned_values|resource_changes|terraform_version)"\s*:/.test(text)) return 'terraform'
    if (/"(AWSTemplateFormatVersion|Resources)"\s*:/.test(head)) return 'cloudformation'
    return undefined
  }
  if (/^(AWSTemplateFormatVersion|Resources|Transform)\s*:/m.test(head)) return 'cloudformation'
  if (/^service\s*:/m.test(head) && /^(provider|functions)\s*:/m.test(head)) return 'serverless'
  return undefined
}

/**
 * Reads every input: walks directories, recognises each file by content (CloudFormation / SAM,
 * serverless.yml, Terraform plan JSON, PhiWall AWS snapshot) and parses it. Bad files become
 * diagnostics with file and line and are listed as `error`; the rest goes on.
 */
export async function collect(inputs: string[], options: CollectOptions = {}): Promise<Collected> {
  for (const input of inputs) {
    if (!fs.existsSync(input)) throw new PhiwallError('PW_ERR_PATH_NOT_FOUND', `Path ${input} does not exist.`)
  }
  const diagnostics: Diagnostic[] = []
  const walked = walkInputs(inputs, diagnostics, options.ignoredDirs)
  const documents: SourceDocument[] = []
  const files: FileResult[] = []
  const maxSize = options.maxFileSize ?? 32 * 1024 * 1024
  let done = 0
  for (const f of walked) {
    const result = readOne(f, maxSize, options)
    files.push(result.file)
    if (result.document) documents.push(result.document)
    options.onProgress?.(++done, walked.length, f.rel)
    // let timers (progress bar) run on long scans
    if (done % 64 === 0) await new Promise((r) => setImmediate(r))
  }
  for (const d of diagnostics) {
    if (d.level === 'error' && !files.some((f) => f.file === d.file)) files.push({ file: d.file, status: 'error', resources: 0, diagnostics: [d] })
  }
  return { documents, files, diagnostics }
}

function fileError(f: WalkedFile, d: Diagnostic): { file: FileResult } {
  return { file: { file: f.rel, status: 'error', resources: 0, diagnostics: [d] } }
}

/** Read and parse one file. Never throws: every failure is a diagnostic. */
export function readOne(f: WalkedFile, maxSize: number, options: CollectOptions): { file: FileResult; document?: SourceDocument } {
  let buf: Buffer
  try {
    const st = fs.statSync(f.abs)
    if (st.size > maxSize) {
      return fileError(f, {
        code: 'PW_ERR_FILE_TOO_LARGE',
        level: 'error',
        message: `File ${f.rel} is ${(st.size / 1048576).toFixed(1)} MiB, over the ${(maxSize / 1048576).toFixed(0)} MiB limit; it is not read.`,
        file: f.rel,
      })
    }
    buf = fs.readFileSync(f.abs)
  } catch (err) {
    return fileError(f, { code: 'PW_ERR_SOURCE_UNREADABLE', level: 'error', message: `File ${f.rel} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, file: f.rel })
  }
  const decoded = decodeText(buf)
  if ('binary' in decoded) {
    return fileError(f, { code: 'PW_ERR_BINARY_FILE', level: 'error', message: `File ${f.rel} ${decoded.binary}; it is not a template, plan or snapshot.`, file: f.rel })
  }
  const text = decoded.text
  const kind = sniff(text)
  if (!kind) {
    const skipped: FileResult = { file: f.rel, status: 'skipped', resources: 0, diagnostics: [] }
    if (f.explicit) {
      skipped.diagnostics.push({ code: 'PW_ERR_TEMPLATE_INVALID', level: 'warning', message: `File ${f.rel} is not a CloudFormation / SAM template, serverless.yml, Terraform plan or PhiWall snapshot; it is skipped.`, file: f.rel })
    }
    return { file: skipped }
  }
  let doc: SourceDocument | undefined
  const diags: Diagnostic[] = []
  try {
    if (kind === 'cloudformation') {
      const located = parseTemplateText(text, f.rel)
      const d = located.documents[0]
      if (located.documents.length === 0 || !looksLikeCloudFormation(d)) {
        diags.push(...located.diagnostics)
        if (!located.diagnostics.some((x) => x.level === 'error')) {
          diags.push({ code: 'PW_ERR_TEMPLATE_INVALID', level: 'error', message: `File ${f.rel} looks like a CloudFormation template but has no Resources with a Type.`, file: f.rel })
        }
      } else {
        doc = readCloudFormation(d as Record<string, unknown>, located, f.rel, {
          ...(options.parameters ? { parameters: options.parameters } : {}),
          ...(options.region ? { region: options.region } : {}),
          stackName: path.basename(path.dirname(f.abs)),
        })
      }
    } else if (kind === 'serverless') {
      const located = parseYamlLocated(text, { file: f.rel, tags: 'cloudformation', schema: 'core' })
      const d = located.documents[0]
      if (!looksLikeServerless(d)) diags.push(...located.diagnostics, ...(located.diagnostics.length ? [] : [{ code: 'PW_ERR_SERVERLESS_INVALID', level: 'error' as const, message: `File ${f.rel} looks like a serverless.yml but has no service with a provider or functions.`, file: f.rel }]))
      else {
        const dir = path.dirname(f.abs)
        doc = readServerless(d as Record<string, unknown>, located, f.rel, {
          ...(options.stage ? { stage: options.stage } : {}),
          ...(options.region ? { region: options.region } : {}),
          readFile: (rel) => readIncludedFile(dir, rel, maxSize),
        })
      }
    } else if (kind === 'terraform') {
      // a plan cut short (a failed pipe, a full disk) still yields the resources written before the cut
      doc = readTerraformPlanText(text, f.rel)
      if (!doc) diags.push(...parseJsonLocated(text, { file: f.rel }).diagnostics)
    } else {
      const located = parseJsonLocated(text, { file: f.rel })
      const d = located.documents[0]
      if (!looksLikeSnapshot(d)) diags.push(...located.diagnostics)
      else doc = readSnapshot(d as Record<string, unknown>, located, f.rel)
    }
  } catch (err) {
    // a parser bug must not end the scan: report it against the file
    diags.push({ code: 'PW_ERR_TEMPLATE_INVALID', level: 'error', message: `File ${f.rel} could not be read: internal error (${err instanceof Error ? err.name : 'error'}); please report it.`, file: f.rel })
    doc = undefined
  }
  const all = [...diags, ...(doc?.diagnostics ?? [])]
  const status = all.some((d) => d.level === 'error') ? 'error' : 'ok'
  const format: Origin | undefined = doc?.origin ?? (kind === 'aws-snapshot' ? 'aws-snapshot' : kind)
  return { file: { file: f.rel, status, ...(format ? { format } : {}), resources: doc?.resources.length ?? 0, diagnostics: all }, ...(doc ? { document: doc } : {}) }
}

/** `${file(...)}` of serverless.yml: YAML or JSON files below the service directory only. */
function readIncludedFile(dir: string, rel: string, maxSize: number): unknown {
  const abs = path.resolve(dir, rel)
  const inside = path.relative(dir, abs)
  if (inside.startsWith('..') || path.isAbsolute(inside)) return undefined
  try {
    const st = fs.statSync(abs)
    if (!st.isFile() || st.size > maxSize) return undefined
    const decoded = decodeText(fs.readFileSync(abs))
    if ('binary' in decoded) return undefined
    const text = decoded.text
    const located = text.trimStart().startsWith('{') ? parseJsonLocated(text, { file: rel }) : parseYamlLocated(text, { file: rel, tags: 'cloudformation', schema: 'core' })
    return located.documents[0]
  } catch {
    return undefined
  }
}
