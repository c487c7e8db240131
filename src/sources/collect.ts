import fs from 'node:fs'
import path from 'node:path'
import type { Component, Diagnostic, Origin } from '../model/index.js'
import { PhiwallError, pushAll } from '../model/index.js'
import { looksLikeCloudFormation, parseTemplateText, readCloudFormation } from './cloudformation/index.js'
import { parseJsonLocated, parseYamlLocated } from './located/index.js'
import { detectLockfile, parseLockfile } from './lockfiles/index.js'
import { mergeComponents } from './components.js'
import { looksLikeServerless, readServerless } from './serverless/index.js'
import { looksLikeSnapshot, readSnapshot } from './aws-snapshot/index.js'
import { readTerraformPlanText } from './terraform/index.js'
import { looksLikeKubernetesText, readKubernetes } from './kubernetes/index.js'
import { isDockerfileName, looksLikeDockerfile, readDockerfile } from './dockerfile/index.js'
import { looksLikeCompose, readCompose } from './compose/index.js'
import type { FileResult, SourceDocument } from './types.js'
import { decodeText, displayPath, walkInputs, type WalkedFile } from './walk.js'

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
  /** Read lockfiles and manifests into components (default true). */
  components?: boolean
  /** Called after each file. */
  onProgress?: (done: number, total: number, file: string) => void
}

/** Everything read from the inputs. */
export interface Collected {
  documents: SourceDocument[]
  /** Third-party components from lockfiles, package databases and images, merged by purl. */
  components: Component[]
  files: FileResult[]
  /** Problems not tied to one input file (unreadable directories, symlink loops). */
  diagnostics: Diagnostic[]
}

/** What kind of input a text looks like, from a cheap look at its content. */
export type SniffedKind = 'cloudformation' | 'serverless' | 'terraform' | 'aws-snapshot' | 'kubernetes' | 'compose' | 'dockerfile' | undefined

/**
 * Recognise an input by content, not by name: a cheap textual look before a full parse. The file
 * name only helps for Dockerfiles, whose instructions (`FROM`, `RUN`) are also recognised alone.
 */
export function sniff(text: string, fileName = ''): SniffedKind {
  const head = text.length > 200_000 ? text.slice(0, 200_000) : text
  const first = head.trimStart().charAt(0)
  if (first === '{' || first === '[') {
    if (/"kind"\s*:\s*"phiwall-aws-snapshot"/.test(head)) return 'aws-snapshot'
    if (/"kind"\s*:\s*"phiwall-k8s-snapshot"/.test(head)) return 'kubernetes'
    if (/"format_version"\s*:/.test(head) && /"(planned_values|resource_changes|terraform_version)"\s*:/.test(text)) return 'terraform'
    if (/"(AWSTemplateFormatVersion|Resources)"\s*:/.test(head)) return 'cloudformation'
    if (looksLikeKubernetesText(head)) return 'kubernetes'
    return undefined
  }
  if (/^(AWSTemplateFormatVersion|Resources|Transform)\s*:/m.test(head)) return 'cloudformation'
  if (/^service\s*:/m.test(head) && /^(provider|functions)\s*:/m.test(head)) return 'serverless'
  if (looksLikeKubernetesText(head)) return 'kubernetes'
  if (looksLikeCompose(head, fileName)) return 'compose'
  if ((fileName && isDockerfileName(fileName)) || looksLikeDockerfile(head)) return 'dockerfile'
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
  const wantComponents = options.components !== false
  const documents: SourceDocument[] = []
  const components: Component[] = []
  const files: FileResult[] = []
  // images, archives and root filesystems are read as filesystems, not walked for templates
  const walkedInputs: string[] = []
  for (const input of inputs) {
    const kind = wantComponents ? await filesystemInput(input) : undefined
    if (!kind) {
      walkedInputs.push(input)
      continue
    }
    const read = await readFilesystemInput(input, kind)
    files.push(read.file)
    pushAll(components, read.components)
  }
  const walked = walkInputs(walkedInputs, diagnostics, options.ignoredDirs, (name, relDir) => isDockerfileName(name) || (wantComponents && detectLockfile(relDir ? `${relDir}/${name}` : name) !== undefined))
  const maxSize = options.maxFileSize ?? 32 * 1024 * 1024
  let done = 0
  for (const f of walked) {
    const result = readOne(f, maxSize, options)
    files.push(result.file)
    if (result.document) documents.push(result.document)
    if (result.components) pushAll(components, result.components)
    options.onProgress?.(++done, walked.length, f.rel)
    // let timers (progress bar) run on long scans
    if (done % 64 === 0) await new Promise((r) => setImmediate(r))
  }
  for (const d of diagnostics) {
    if (d.level === 'error' && !files.some((f) => f.file === d.file)) files.push({ file: d.file, status: 'error', resources: 0, diagnostics: [d] })
  }
  // a `--param` no scanned template declares is a typo or a template left out: say so
  if (options.parameters) {
    const declared = new Set(documents.flatMap((d) => d.context.parameters ?? []))
    const templates = documents.some((d) => d.origin === 'cloudformation' || d.origin === 'sam')
    for (const name of Object.keys(options.parameters)) {
      if (templates && !declared.has(name)) diagnostics.push({ code: 'PW_ERR_USAGE', level: 'warning', message: `--param ${name} is not a parameter of any scanned CloudFormation template; it is not used.`, file: '(command line)' })
    }
  }
  return { documents, components: mergeComponents(components), files, diagnostics }
}

function fileError(f: WalkedFile, d: Diagnostic): { file: FileResult } {
  return { file: { file: f.rel, status: 'error', resources: 0, diagnostics: [d] } }
}

/** Read and parse one file. Never throws: every failure is a diagnostic. */
export function readOne(f: WalkedFile, maxSize: number, options: CollectOptions): { file: FileResult; document?: SourceDocument; components?: Component[] } {
  let buf: Buffer
  let fd: number | undefined
  try {
    // one open and one fstat: the size is checked on the open file, then exactly that much is read
    fd = fs.openSync(f.abs, 'r')
    const size = fs.fstatSync(fd).size
    if (size > maxSize) {
      return fileError(f, {
        code: 'PW_ERR_FILE_TOO_LARGE',
        level: 'error',
        message: `File ${f.rel} is ${(size / 1048576).toFixed(1)} MiB, over the ${(maxSize / 1048576).toFixed(0)} MiB limit; it is not read.`,
        file: f.rel,
      })
    }
    buf = Buffer.allocUnsafe(size)
    let off = 0
    while (off < size) {
      const n = fs.readSync(fd, buf, off, size - off, off)
      if (n === 0) break
      off += n
    }
    if (off < size) buf = buf.subarray(0, off)
  } catch (err) {
    return fileError(f, { code: 'PW_ERR_SOURCE_UNREADABLE', level: 'error', message: `File ${f.rel} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, file: f.rel })
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
  const decoded = decodeText(buf)
  if ('binary' in decoded) {
    return fileError(f, { code: 'PW_ERR_BINARY_FILE', level: 'error', message: `File ${f.rel} ${decoded.binary}; it is not a template, plan or snapshot.`, file: f.rel })
  }
  const text = decoded.text
  if (options.components !== false) {
    const lockfile = detectLockfile(f.rel, text)
    if (lockfile) return readLockfile(f, text, lockfile, maxSize)
  }
  const kind = sniff(text, path.basename(f.abs))
  if (!kind) {
    const skipped: FileResult = { file: f.rel, status: 'skipped', resources: 0, diagnostics: [] }
    if (f.explicit) {
      skipped.diagnostics.push({ code: 'PW_ERR_TEMPLATE_INVALID', level: 'warning', message: `File ${f.rel} is not a CloudFormation / SAM template, serverless.yml, Terraform plan, Kubernetes manifest, Dockerfile, Compose file or PhiWall snapshot; it is skipped.`, file: f.rel })
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
    } else if (kind === 'kubernetes') {
      doc = readKubernetes(text, f.rel)
    } else if (kind === 'compose') {
      doc = readCompose(text, f.rel)
    } else if (kind === 'dockerfile') {
      doc = readDockerfile(text, f.rel)
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

/** A lockfile or manifest: its components, with the manifest beside it for direct dependencies. */
function readLockfile(f: WalkedFile, text: string, format: NonNullable<ReturnType<typeof detectLockfile>>, maxSize: number): { file: FileResult; components: Component[] } {
  const dir = path.dirname(f.abs)
  let parsed: ReturnType<typeof parseLockfile>
  try {
    parsed = parseLockfile(f.rel, text, { format, readSibling: (name) => readSiblingText(dir, name, maxSize) })
  } catch (err) {
    // a parser bug must not end the scan: report it against the file
    const d: Diagnostic = { code: 'PW_ERR_LOCKFILE_INVALID', level: 'error', message: `File ${f.rel} could not be read: internal error (${err instanceof Error ? err.name : 'error'}); please report it.`, file: f.rel }
    return { file: { file: f.rel, status: 'error', format, resources: 0, components: 0, diagnostics: [d] }, components: [] }
  }
  const status = parsed.diagnostics.some((d) => d.level === 'error') ? 'error' : 'ok'
  return { file: { file: f.rel, status, format: parsed.format, resources: 0, components: parsed.components.length, diagnostics: parsed.diagnostics }, components: parsed.components }
}

/** A manifest next to a lockfile (`package.json`, `pyproject.toml`, `Gemfile`), by plain name only. */
function readSiblingText(dir: string, name: string, maxSize: number): string | undefined {
  if (name.includes('/') || name.includes('\\') || name.startsWith('.')) return undefined
  try {
    const abs = path.join(dir, name)
    const st = fs.statSync(abs)
    if (!st.isFile() || st.size > maxSize) return undefined
    const decoded = decodeText(fs.readFileSync(abs))
    return 'text' in decoded ? decoded.text : undefined
  } catch {
    return undefined
  }
}

/** Paths whose presence marks a directory as a root filesystem (an unpacked image or VM disk). */
const ROOTFS_MARKERS = ['var/lib/dpkg/status', 'lib/apk/db/installed', 'var/lib/rpm/rpmdb.sqlite', 'var/lib/rpm/Packages', 'usr/lib/sysimage/rpm/rpmdb.sqlite']

/**
 * Whether an input is read as a filesystem: an image or archive file (`docker save`, OCI
 * layout, rootfs tarball, Lambda zip, jar), an OCI layout directory, or a directory holding a
 * root filesystem (an OS package database). Other directories are walked for templates and
 * lockfiles.
 */
async function filesystemInput(input: string): Promise<string | undefined> {
  let st: fs.Stats
  try {
    st = fs.statSync(input)
  } catch {
    return undefined
  }
  if (st.isDirectory()) {
    if (fs.existsSync(path.join(input, 'oci-layout')) && fs.existsSync(path.join(input, 'index.json'))) return 'oci-layout'
    return ROOTFS_MARKERS.some((m) => fs.existsSync(path.join(input, m))) ? 'rootfs' : undefined
  }
  if (!st.isFile()) return undefined
  // templates and plans are text: only a file that starts like a tar, gzip or zip can be a filesystem
  if (!looksLikeArchive(input)) return undefined
  const { detectFilesystemKind } = await import('./filesystem/index.js')
  return detectFilesystemKind(input)
}

/** Zip (`PK\x03\x04`, `PK\x05\x06`), gzip (`1f 8b`) or a ustar header at byte 257. */
function looksLikeArchive(file: string): boolean {
  let fd: number | undefined
  try {
    fd = fs.openSync(file, 'r')
    const b = Buffer.alloc(262)
    const n = fs.readSync(fd, b, 0, 262, 0)
    if (n >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5)) return true
    if (n >= 2 && b[0] === 0x1f && b[1] === 0x8b) return true
    return n >= 262 && b.toString('latin1', 257, 262) === 'ustar'
  } catch {
    return false
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}

/** Reads an image, archive or root filesystem: its package databases, language packages and lockfiles. */
async function readFilesystemInput(input: string, kind: string): Promise<{ file: FileResult; components: Component[] }> {
  const rel = displayPath(path.resolve(input))
  const lockComponents: Component[] = []
  const lockDiagnostics: Diagnostic[] = []
  try {
    const { readFilesystem } = await import('./filesystem/index.js')
    const result = await readFilesystem(input, {
      extraFileFilter: (inner) => detectLockfile(inner) !== undefined,
      onFile: (f) => {
        const format = detectLockfile(f.path, f.text)
        if (!format) return
        try {
          const parsed = parseLockfile(f.file, f.text, { format })
          lockComponents.push(...parsed.components.map((c) => (f.layer ? { ...c, locations: c.locations.map((l) => ({ ...l, layer: f.layer! })) } : c)))
          lockDiagnostics.push(...parsed.diagnostics)
        } catch (err) {
          lockDiagnostics.push({ code: 'PW_ERR_LOCKFILE_INVALID', level: 'error', message: `File ${f.file} could not be read: internal error (${err instanceof Error ? err.name : 'error'}); please report it.`, file: f.file })
        }
      },
    })
    const diagnostics = [...result.diagnostics, ...lockDiagnostics]
    const all = [...result.components, ...lockComponents]
    const status = diagnostics.some((d) => d.level === 'error') ? 'error' : 'ok'
    const format = kind === 'rootfs' ? 'root filesystem' : result.kind
    return { file: { file: rel, status, format, resources: 0, components: all.length, diagnostics }, components: all }
  } catch (err) {
    const code = err instanceof PhiwallError ? err.code : 'PW_ERR_ARCHIVE_INVALID'
    const message = err instanceof PhiwallError ? err.message : `${rel} could not be read: internal error (${err instanceof Error ? err.name : 'error'}); please report it.`
    return { file: { file: rel, status: 'error', format: kind, resources: 0, components: 0, diagnostics: [{ code, level: 'error', message, file: rel }] }, components: [] }
  }
}
