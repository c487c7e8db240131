// dockerfile-ast (the parser of the VS Code Docker language server) reads the grammar: line
// continuations, the escape directive, heredocs, JSON (exec) form, flags and parser directives.
// A hand-written regex parser gets these wrong in ways that matter for a security scan (a
// continuation that hides `| sh`, a heredoc script, a backtick escape on Windows images), so this
// file only walks the parser's instructions and applies Docker's stage and variable rules.
import path from 'node:path'
import { createRequire } from 'node:module'
import type { Arg as ArgInstruction, ModifiableInstruction as Modifiable, Argument, Heredoc, Instruction } from 'dockerfile-ast'

/** dockerfile-ast, loaded on the first Dockerfile: a scan without Dockerfiles does not pay its start-up. */
let AST: typeof import('dockerfile-ast') | undefined
function ast(): typeof import('dockerfile-ast') {
  AST ??= createRequire(import.meta.url)('dockerfile-ast') as typeof import('dockerfile-ast')
  return AST
}
import type { Diagnostic } from '../../model/index.js'
import { LineMap, registerPropertyLines, safeSet } from '../located/index.js'
import type { SourceDocument, SourceResource } from '../types.js'
import { expandWord, splitImageReference, type Lookup } from './expand.js'
import type { DockerExposedPort, DockerHealthcheck, DockerInstruction, DockerStage, DockerVariable, DockerfileProps } from './types.js'

/** The CloudFormation-style type of a Dockerfile resource (inventory kind `docker:image:dockerfile`). */
export const DOCKERFILE_TYPE = 'Docker::Image::Dockerfile'

/** Instructions Docker knows. */
const KEYWORDS = new Set(['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'])
/** Instructions whose arguments Docker expands with ARG / ENV values (docs: "Environment replacement"). */
const EXPANDED = new Set(['ADD', 'COPY', 'ENV', 'ARG', 'EXPOSE', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'])
/** Instructions that need at least one argument. */
const NEEDS_ARGUMENTS = new Set(['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'])
/** ARGs BuildKit sets itself: available in FROM lines, and in a stage once declared. Their values depend on the build. */
const PREDEFINED_ARGS = new Set([
  'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT',
  'HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy',
])

/**
 * Is this file name a Dockerfile by convention? `Dockerfile`, `Containerfile`, `Dockerfile.<x>`,
 * `<x>.Dockerfile` / `<x>.dockerfile` (not `Dockerfile.dockerignore`, the per-Dockerfile ignore file,
 * nor Markdown about Dockerfiles).
 */
export function isDockerfileName(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1)
  if (/\.(dockerignore|md|markdown)$/i.test(base)) return false
  return /^(Dockerfile|dockerfile|Containerfile)(\.[^/]+)?$/.test(base) || /.\.(Dockerfile|dockerfile|Containerfile)$/.test(base)
}

/**
 * Does a text look like a Dockerfile? A cheap textual look before parsing: after blank lines,
 * comments and parser directives, the first instruction is `FROM <image> [AS <name>]`, or ARG with
 * a FROM later. `from x import y` (Python) and SQL are not taken for it.
 */
export function looksLikeDockerfile(head: string): boolean {
  for (const raw of head.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const m = /^([A-Za-z]+)(?:\s+(.*))?$/.exec(line)
    if (!m) return false
    const keyword = m[1]!.toUpperCase()
    if (keyword === 'FROM') return fromLooksValid(m[2] ?? '')
    // global ARGs may come before the first FROM
    if (keyword === 'ARG' && /^[A-Za-z_][A-Za-z0-9_]*(=.*)?$/.test(m[2] ?? '')) continue
    return false
  }
  return false
}

function fromLooksValid(rest: string): boolean {
  const words = rest.split(/\s+/).filter((w) => w && w !== '\\' && w !== '`' && !w.startsWith('--'))
  if (words.length === 1) return /^[\w${}.\-/:@]+$/.test(words[0]!)
  return words.length === 3 && /^as$/i.test(words[1]!) && /^[\w${}.\-/:@]+$/.test(words[0]!)
}

/** Source id of a Dockerfile: its directory name; `<dir>:<variant>` for `Dockerfile.<variant>` / `<variant>.Dockerfile`. */
export function dockerfileSourceId(file: string): string {
  const norm = file.replace(/\\/g, '/')
  const base = norm.slice(norm.lastIndexOf('/') + 1)
  const dir = path.posix.basename(path.posix.dirname(norm))
  const variant = /^(?:Dockerfile|dockerfile|Containerfile)\.(.+)$/.exec(base)?.[1] ?? /^(.+)\.(?:Dockerfile|dockerfile|Containerfile)$/.exec(base)?.[1]
  const plain = /^(Dockerfile|dockerfile|Containerfile)$/.test(base)
  if (!dir || dir === '.' || dir === '/') return base
  if (plain) return dir
  return variant ? `${dir}:${variant}` : `${dir}:${base}`
}

/**
 * The exec (JSON) form of RUN / CMD / ENTRYPOINT / HEALTHCHECK CMD. The parser splits the JSON
 * strings at whitespace (its own JSON values drop the spaces); its words joined back with one
 * space are the array as written, up to runs of spaces, and JSON.parse decodes the escapes as
 * Docker does. Text that is not a JSON array of strings is the shell form, as in Docker.
 */
function parseExec(joined: string): string[] | undefined {
  try {
    const v: unknown = JSON.parse(joined)
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[]
  } catch {
    // not JSON: shell form
  }
  return undefined
}

/** Line starts of a text, to turn the parser's (line, character) positions into offsets. */
function lineStarts(text: string): number[] {
  const starts = [0]
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return starts
}

interface StageScope {
  /** Variables visible in the stage: ENV (inherited from the stage it builds on) and declared ARGs. */
  vars: Map<string, { value: string | null; kind: 'arg' | 'env' }>
}

/**
 * Reads a Dockerfile into one `Docker::Image::Dockerfile` resource (see {@link DockerfileProps}).
 * Bad input — an empty or binary file, no FROM, instructions before the first FROM, unknown
 * instructions, instructions missing their arguments, duplicate stage names — becomes
 * `PW_ERR_DOCKERFILE_INVALID` diagnostics with the line; the rest of the file is read. Messages
 * never quote the source (ENV and ARG values may be secrets).
 */
export function readDockerfile(text: string, file: string): SourceDocument {
  const diagnostics: Diagnostic[] = []
  const doc: SourceDocument = { file, origin: 'dockerfile', resources: [], diagnostics, context: {} }
  const diag = (message: string, line?: number, level: Diagnostic['level'] = 'error'): void => {
    diagnostics.push({ code: 'PW_ERR_DOCKERFILE_INVALID', level, message, file, ...(line !== undefined ? { line } : {}) })
  }
  if (text.includes('\u0000')) {
    diag(`File ${file} is binary, not a Dockerfile; it is not read.`)
    return doc
  }
  const { DockerfileParser, Arg, Copy, Healthcheck, JSONInstruction, ModifiableInstruction, Onbuild, PropertyInstruction, Run } = ast()
  const parsed = DockerfileParser.parse(text)
  const escape = parsed.getEscapeCharacter()
  const starts = lineStarts(text)
  const offset = (p: { line: number; character: number }): number => (starts[p.line] ?? text.length) + p.character
  const lines = new LineMap()
  const syntax = parsed.getDirectives().find((d) => d.getName().toLowerCase() === 'syntax')?.getValue()

  const instructions = parsed.getInstructions()
  if (instructions.length === 0) {
    diag(`Dockerfile ${file} has no instructions; a Dockerfile needs at least a FROM.`, 1)
    return doc
  }

  const globalArgs = new Map<string, string | null>()
  const globalLookup: Lookup = (name) => (globalArgs.has(name) ? globalArgs.get(name)! : PREDEFINED_ARGS.has(name) ? null : undefined)
  const stages: DockerStage[] = []
  const scopes: StageScope[] = []
  const args: DockerfileProps['Args'] = []
  const names = new Map<string, number>()
  let current: DockerStage | undefined
  let scope: StageScope | undefined
  // instructions after a FROM that could not be read belong to no stage
  let skipping = false

  const lookupIn =
    (s: StageScope): Lookup =>
    (name) => {
      const v = s.vars.get(name)
      if (v) return v.value
      return PREDEFINED_ARGS.has(name) && globalArgs.has(name) ? null : undefined
    }

  for (const ins of instructions) {
    const keyword = ins.getKeyword()
    const line = ins.getRange().start.line + 1
    if (!KEYWORDS.has(keyword)) {
      const shown = /^[A-Za-z]{1,24}$/.test(keyword) ? ` ${keyword}` : ''
      diag(`Dockerfile ${file} has an unknown instruction${shown} at line ${line}; it is ignored.`, line)
      continue
    }
    if (keyword === 'FROM') {
      const stage = readFrom(ins, line)
      if (!stage) {
        skipping = true
        current = undefined
        continue
      }
      skipping = false
      const index = stages.length
      stages.push(stage)
      scope = { vars: new Map() }
      if (stage.FromStage !== undefined) {
        // ENV carries over to a stage built on an earlier one; ARGs do not
        for (const [k, v] of scopes[stage.FromStage]!.vars) if (v.kind === 'env') scope.vars.set(k, v)
      }
      scopes.push(scope)
      if (stage.Name) {
        const key = stage.Name.toLowerCase()
        if (names.has(key)) diag(`Dockerfile ${file} names two stages ${safeName(stage.Name)} (line ${line}); Docker rejects duplicate stage names.`, line)
        names.set(key, index)
      }
      current = stage
      continue
    }
    if (!current || !scope) {
      if (skipping) continue
      if (keyword === 'ARG') {
        // global ARGs: usable in FROM lines only
        const a = ins as ArgInstruction
        const p = a.getProperty()
        if (!p) {
          diag(`Dockerfile ${file} has an ARG without a name at line ${line}.`, line)
          continue
        }
        const written = p.getUnescapedValue()
        const value = written === null ? (globalArgs.get(p.getName()) ?? null) : expandWord(written, globalLookup, escape).value
        globalArgs.set(p.getName(), value)
        args.push({ Name: p.getName(), Stage: -1, HasDefault: written !== null, Line: p.getRange().start.line + 1 })
        continue
      }
      diag(`Dockerfile ${file} has ${keyword} at line ${line} before any FROM; only ARG may come before the first FROM. It is ignored.`, line)
      continue
    }
    const built = buildInstruction(ins, lookupIn(scope), true)
    if (!built) continue
    const stageIndex = stages.length - 1
    if (keyword === 'ARG' || keyword === 'ENV') {
      for (const v of built.Variables ?? []) {
        if (keyword === 'ENV') scope.vars.set(v.Name, { value: v.Unresolved?.length ? null : (v.Value ?? null), kind: 'env' })
        else {
          const existing = scope.vars.get(v.Name)
          // ENV beats ARG of the same name; ARG without default inherits the global default
          if (existing?.kind !== 'env') {
            const value = v.Value !== undefined ? (v.Unresolved?.length ? null : v.Value) : globalArgs.has(v.Name) ? globalArgs.get(v.Name)! : null
            scope.vars.set(v.Name, { value, kind: 'arg' })
          }
          args.push({ Name: v.Name, Stage: stageIndex, HasDefault: v.Value !== undefined, Line: v.Line })
        }
      }
    }
    current.Instructions.push(built)
  }

  if (stages.length === 0) {
    diag(`Dockerfile ${file} has no valid FROM instruction; there is no image to judge.`, instructions[0]!.getRange().start.line + 1)
    return doc
  }

  const { props, userLine } = summarise(stages, args, syntax)
  const resourceLine = stages[0]!.Line
  recordLines(props, lines, resourceLine, userLine)
  registerPropertyLines(props, lines)
  const propLines: Record<string, number> = {}
  for (const k of Object.keys(props)) {
    const l = lines.keyLine(props, k)
    if (l !== undefined) propLines[k] = l
  }
  stages.forEach((s, i) => {
    propLines[`Stages.${i}`] = s.Line
  })
  const resource: SourceResource = {
    sourceId: dockerfileSourceId(file),
    type: DOCKERFILE_TYPE,
    properties: props as unknown as Record<string, unknown>,
    line: resourceLine,
    propLines,
    dependsOn: [],
  }
  doc.resources.push(resource)
  return doc

  function readFrom(ins: Instruction, line: number): DockerStage | undefined {
    const words = ins.getArguments().map((a) => a.getValue())
    if (words.length === 0) {
      diag(`Dockerfile ${file} has a FROM without an image at line ${line}; the instructions up to the next FROM are not read.`, line)
      return undefined
    }
    if (!(words.length === 1 || (words.length === 3 && words[1]!.toLowerCase() === 'as'))) {
      diag(`Dockerfile ${file} has a FROM at line ${line} that is not "FROM <image> [AS <name>]"; only the image is read.`, line)
    }
    const written = words[0]!
    const exp = expandWord(written, globalLookup, escape)
    const image = exp.value
    const ref = splitImageReference(image)
    const platform = (ins as Modifiable).getFlags().find((f) => f.getName() === 'platform')?.getValue()
    const earlier = names.get(image.toLowerCase())
    return {
      ...(words.length === 3 && words[1]!.toLowerCase() === 'as' ? { Name: words[2]! } : {}),
      Image: image,
      ...(image !== written ? { ImageWritten: written } : {}),
      BaseImage: ref.name,
      ...(ref.tag !== undefined ? { BaseTag: ref.tag } : {}),
      ...(ref.digest !== undefined ? { BaseDigest: ref.digest } : {}),
      // the platform does not decide any check: left as written when it uses a variable
      ...(platform ? { Platform: expandWord(platform, globalLookup, escape).value } : {}),
      ...(earlier !== undefined ? { FromStage: earlier } : {}),
      ...(exp.unresolved.length ? { Unresolved: exp.unresolved } : {}),
      Line: line,
      Instructions: [],
    }
  }

  function buildInstruction(ins: Instruction, lookup: Lookup, top: boolean): DockerInstruction | undefined {
    const keyword = ins.getKeyword()
    const line = ins.getRange().start.line + 1
    const out: DockerInstruction = {
      Keyword: keyword,
      Arguments: [],
      Raw: ins.getRawArgumentsContent() ?? '',
      Line: line,
      EndLine: ins.getRange().end.line + 1,
    }
    const unresolved = new Set<string>()
    const expand = (w: string): string => {
      if (!EXPANDED.has(keyword)) return w
      const e = expandWord(w, lookup, escape)
      for (const u of e.unresolved) unresolved.add(u)
      return e.value
    }
    // heredoc bodies are not arguments of the instruction line
    const heredocs: Heredoc[] = ins instanceof Run || ins instanceof Copy ? ins.getHeredocs() : []
    const bodyLines = new Set<number>()
    if (heredocs.length) {
      out.Heredocs = []
      for (const h of heredocs) {
        const startLine = h.getStartRange().start.line
        const end = h.getDelimiterRange()?.end.line ?? h.getContentRange()?.end.line ?? startLine
        for (let l = startLine + 1; l <= end; l++) bodyLines.add(l)
        const cr = h.getContentRange()
        out.Heredocs.push({ Name: h.getName(), Line: startLine + 1, Content: cr ? text.slice(offset(cr.start), offset(cr.end)) : '' })
      }
    }
    const argsOf = (list: Argument[]): Argument[] => (bodyLines.size ? list.filter((a) => !bodyLines.has(a.getRange().start.line)) : list)
    const rawArgs = argsOf(ins.getArguments())

    if (ins instanceof ModifiableInstruction) {
      const flags: Record<string, string | null> = {}
      const mounts: Record<string, string>[] = []
      for (const f of ins.getFlags()) {
        const v = f.getValue()
        safeSet(flags, f.getName(), v === null ? null : expand(v))
        if (f.getName() === 'mount' && keyword === 'RUN') {
          const m: Record<string, string> = {}
          for (const o of f.getOptions()) safeSet(m, o.getName(), o.getValue() ?? '')
          mounts.push(m)
        }
      }
      if (Object.keys(flags).length) out.Flags = flags
      if (mounts.length) out.Mounts = mounts
    }

    let exec: string[] | undefined
    if (ins instanceof JSONInstruction && ins.getOpeningBracket() && ins.getClosingBracket()) exec = parseExec(rawArgs.map((a) => a.getValue()).join(' '))

    if (ins instanceof PropertyInstruction) {
      const props = ins instanceof Arg ? [ins.getProperty()].filter((p) => p !== null) : ins.getProperties()
      const vars: DockerVariable[] = []
      // all values of one ENV are expanded with the variables set before it
      for (const p of props) {
        const written = p.getUnescapedValue()
        const v: DockerVariable = { Name: p.getName(), Line: p.getRange().start.line + 1 }
        if (written !== null) {
          const e = expandWord(written, lookup, escape)
          v.Value = e.value
          if (e.value !== written) v.Written = written
          if (e.unresolved.length) {
            v.Unresolved = e.unresolved
            for (const u of e.unresolved) unresolved.add(u)
          }
        } else if (keyword !== 'ARG') {
          v.Value = ''
        }
        vars.push(v)
      }
      out.Variables = vars
      out.Arguments = rawArgs.map((a) => a.getValue())
    } else if (exec) {
      out.Arguments = exec.map(expand)
    } else {
      out.Arguments = rawArgs.map((a) => expand(a.getValue()))
    }

    if (keyword === 'RUN' || keyword === 'CMD' || keyword === 'ENTRYPOINT') {
      if (exec) {
        out.Form = 'exec'
        out.Exec = exec
      } else {
        out.Form = 'shell'
        out.Command = heredocs.length ? out.Raw : rawArgs.map((a) => a.getValue()).join(' ')
      }
    } else if (keyword === 'HEALTHCHECK' && ins instanceof Healthcheck) {
      const sub = ins.getSubcommand()?.getValue().toUpperCase()
      if (sub) out.Subcommand = sub
      if (sub === 'CMD') {
        const rest = rawArgs.slice(1).map((a) => a.getValue())
        const joined = rest.join(' ')
        const parsedExec = joined.startsWith('[') ? parseExec(joined) : undefined
        if (parsedExec) {
          out.Form = 'exec'
          out.Exec = parsedExec
        } else {
          out.Form = 'shell'
          out.Command = joined
        }
      }
    } else if (keyword === 'COPY' || keyword === 'ADD') {
      const words = out.Arguments.filter((w) => !w.startsWith('<<'))
      const all = out.Arguments
      if (all.length >= 2 || (all.length >= 1 && heredocs.length)) {
        out.Destination = all[all.length - 1]!
        out.Sources = words.slice(0, words[words.length - 1] === out.Destination ? -1 : undefined)
      }
    } else if (keyword === 'ONBUILD' && ins instanceof Onbuild) {
      const trig = ins.getTriggerInstruction()
      if (trig) {
        const t = buildInstruction(trig, () => null, false)
        if (t) out.Trigger = t
      }
    }
    if (unresolved.size) out.Unresolved = [...unresolved]

    if (top) {
      const hasArgs = out.Arguments.length > 0 || (out.Variables?.length ?? 0) > 0 || (out.Exec !== undefined) || heredocs.length > 0
      if (NEEDS_ARGUMENTS.has(keyword) && !hasArgs) diag(`Dockerfile ${file} has ${keyword} without arguments at line ${line}.`, line)
      else if ((keyword === 'COPY' || keyword === 'ADD') && out.Destination === undefined) diag(`Dockerfile ${file} has ${keyword} at line ${line} without a source and a destination.`, line)
      else if (keyword === 'HEALTHCHECK' && out.Subcommand !== 'CMD' && out.Subcommand !== 'NONE') diag(`Dockerfile ${file} has a HEALTHCHECK at line ${line} that is neither "HEALTHCHECK NONE" nor "HEALTHCHECK [options] CMD …".`, line)
    }
    return out
  }


  function safeName(n: string): string {
    return /^[\w.-]{1,64}$/.test(n) ? n : '(unprintable)'
  }
}

/** The final image's effective settings, following the chain of stages it builds on. */
function summarise(stages: DockerStage[], args: DockerfileProps['Args'], syntax: string | undefined): { props: DockerfileProps; userLine?: number } {
  const finalIndex = stages.length - 1
  const chain: number[] = []
  for (let i: number | undefined = finalIndex; i !== undefined && !chain.includes(i); i = stages[i]!.FromStage) chain.unshift(i)
  let user: { value: string; line: number } | undefined
  let health: DockerHealthcheck | undefined
  const ports: DockerExposedPort[] = []
  const env = new Map<string, { Name: string; Stage: number; Line: number }>()
  const labels: Record<string, string> = {}
  for (const si of chain) {
    for (const ins of stages[si]!.Instructions) {
      if (ins.Keyword === 'USER' && ins.Arguments.length) user = { value: ins.Arguments[0]!, line: ins.Line }
      else if (ins.Keyword === 'HEALTHCHECK' && (ins.Subcommand === 'CMD' || ins.Subcommand === 'NONE')) {
        health = { Disabled: ins.Subcommand === 'NONE', Stage: si, Line: ins.Line }
        if (ins.Form) health.Form = ins.Form
        if (ins.Command !== undefined) health.Command = ins.Command
        if (ins.Exec) health.Exec = ins.Exec
        if (ins.Flags) health.Flags = ins.Flags
      } else if (ins.Keyword === 'EXPOSE') {
        for (const a of ins.Arguments) ports.push(exposedPort(a, si, ins.Line))
      } else if (ins.Keyword === 'ENV') {
        for (const v of ins.Variables ?? []) env.set(v.Name, { Name: v.Name, Stage: si, Line: v.Line })
      } else if (ins.Keyword === 'LABEL') {
        for (const v of ins.Variables ?? []) safeSet(labels, v.Name, v.Value ?? '')
      }
    }
  }
  const props: DockerfileProps = {
    Stages: stages,
    FinalStage: finalIndex,
    ExposedPorts: ports,
    Args: args,
    Env: [...env.values()],
    Labels: labels,
  }
  if (user) props.User = user.value
  if (health) props.Healthcheck = health
  if (syntax) props.Syntax = syntax
  return user ? { props, userLine: user.line } : { props }
}

function exposedPort(value: string, stage: number, line: number): DockerExposedPort {
  const slash = value.indexOf('/')
  const portPart = slash === -1 ? value : value.slice(0, slash)
  const protocol = slash === -1 ? 'tcp' : value.slice(slash + 1).toLowerCase()
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(portPart)
  const p: DockerExposedPort = { Value: value, Protocol: protocol, Stage: stage, Line: line }
  if (m) {
    p.Port = Number(m[1])
    if (m[2] !== undefined) p.EndPort = Number(m[2])
  }
  return p
}

/** Record the line of every object and array of the props, so `Stages.1.Instructions.4` resolves to its instruction. */
function recordLines(props: DockerfileProps, lines: LineMap, resourceLine: number, userLine: number | undefined): void {
  const obj = (o: object, line: number): void => {
    lines.setContainer(o, line)
    for (const k of Object.keys(o)) lines.setChild(o, k, line)
  }
  lines.setContainer(props, resourceLine)
  lines.setChild(props, 'Stages', resourceLine)
  lines.setContainer(props.Stages, resourceLine)
  props.Stages.forEach((s, i) => {
    lines.setChild(props.Stages, i, s.Line)
    obj(s, s.Line)
    lines.setContainer(s.Instructions, s.Line)
    s.Instructions.forEach((ins, j) => {
      lines.setChild(s.Instructions, j, ins.Line)
      instruction(ins)
    })
  })
  function instruction(ins: DockerInstruction): void {
    obj(ins, ins.Line)
    lines.setContainer(ins.Arguments, ins.Line)
    if (ins.Variables) {
      lines.setContainer(ins.Variables, ins.Line)
      ins.Variables.forEach((v, k) => {
        lines.setChild(ins.Variables!, k, v.Line)
        obj(v, v.Line)
      })
    }
    if (ins.Heredocs) {
      lines.setContainer(ins.Heredocs, ins.Line)
      ins.Heredocs.forEach((h, k) => {
        lines.setChild(ins.Heredocs!, k, h.Line)
        obj(h, h.Line)
      })
    }
    if (ins.Trigger) instruction(ins.Trigger)
  }
  const final = props.Stages[props.FinalStage]
  lines.setChild(props, 'FinalStage', final?.Line ?? resourceLine)
  if (userLine !== undefined) lines.setChild(props, 'User', userLine)
  if (props.Healthcheck) {
    lines.setChild(props, 'Healthcheck', props.Healthcheck.Line)
    obj(props.Healthcheck, props.Healthcheck.Line)
  }
  lines.setContainer(props.ExposedPorts, resourceLine)
  if (props.ExposedPorts.length) lines.setChild(props, 'ExposedPorts', props.ExposedPorts[0]!.Line)
  props.ExposedPorts.forEach((p, i) => {
    lines.setChild(props.ExposedPorts, i, p.Line)
    obj(p, p.Line)
  })
  lines.setContainer(props.Args, resourceLine)
  if (props.Args.length) lines.setChild(props, 'Args', props.Args[0]!.Line)
  props.Args.forEach((a, i) => {
    lines.setChild(props.Args, i, a.Line)
    obj(a, a.Line)
  })
  lines.setContainer(props.Env, resourceLine)
  if (props.Env.length) lines.setChild(props, 'Env', props.Env[0]!.Line)
  props.Env.forEach((e, i) => {
    lines.setChild(props.Env, i, e.Line)
    obj(e, e.Line)
  })
  if (props.Syntax !== undefined) lines.setChild(props, 'Syntax', 1)
}
