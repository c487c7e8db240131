import path from 'node:path'
import { lineOfProperty, safeSet } from '../located/index.js'
import { interpolationsIn } from './interpolate.js'

/**
 * Normalised views of a Compose service's properties (the mapping as written). Each accepts the
 * short and the long syntax, never throws on a shape the schema rejected (it skips the entry), and
 * gives the property path of every entry (`ports.2`, `environment.DB_HOST`) so a finding can point
 * at its line. Values with an interpolation left for run time (`${DB_PASSWORD}`) are reported as
 * written with `interpolated: true`.
 */

type Service = Record<string, unknown>

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
const scalarText = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined)
const lineOf = (service: Service, p: string): number | undefined => lineOfProperty(service, p)

/** Compose's boolean conversion after interpolation (`true`, `yes`, `on`, `y`; `false`, `no`, `off`, `n`); undefined when unknown. */
export function composeBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v
  if (typeof v !== 'string') return undefined
  const s = v.trim().toLowerCase()
  if (/^(true|yes|y|on)$/.test(s)) return true
  if (/^(false|no|n|off)$/.test(s)) return false
  return undefined
}

/** A published or exposed port of a service. */
export interface ComposePort {
  /** Host address the port binds to; undefined = every interface (0.0.0.0 and ::). */
  hostIp?: string
  /** Host port or range as written (`8080`, `5000-5010`); undefined = an ephemeral host port Docker picks (still published). */
  published?: string
  /** Container port or range (`80`, `3000-3005`). */
  target: string
  /** First container port, when numeric. */
  targetPort?: number
  /** First host port, when numeric. */
  publishedPort?: number
  /** `tcp` unless written otherwise. */
  protocol: string
  /** Long syntax `mode` (`host`, `ingress`). */
  mode?: string
  /** Property path (`ports.2`). */
  path: string
  line?: number
  /** Some part is an interpolation left for run time. */
  interpolated: boolean
}

const firstPort = (s: string | undefined): number | undefined => {
  const m = s !== undefined ? /^(\d{1,5})(-\d{1,5})?$/.exec(s) : null
  return m ? Number(m[1]) : undefined
}

/** Parse the short syntax `[[HOST_IP:]HOST_PORT[-RANGE]:]CONTAINER_PORT[-RANGE][/PROTOCOL]` (IPv6 hosts in brackets). */
export function parsePortSpec(spec: string): { hostIp?: string; published?: string; target: string; protocol: string } {
  let s = spec.trim()
  let protocol = 'tcp'
  const slash = s.lastIndexOf('/')
  if (slash !== -1) {
    protocol = s.slice(slash + 1).toLowerCase() || 'tcp'
    s = s.slice(0, slash)
  }
  let hostIp: string | undefined
  if (s.startsWith('[')) {
    const close = s.indexOf(']')
    if (close !== -1) {
      hostIp = s.slice(1, close)
      s = s.slice(close + 1).replace(/^:/, '')
    }
  }
  const parts = s.split(':')
  let published: string | undefined
  let target: string
  if (parts.length === 1) target = parts[0]!
  else if (parts.length === 2) {
    published = parts[0]
    target = parts[1]!
  } else {
    target = parts[parts.length - 1]!
    published = parts[parts.length - 2]
    hostIp = parts.slice(0, -2).join(':')
  }
  return { ...(hostIp ? { hostIp } : {}), ...(published ? { published } : {}), target, protocol }
}

/** Published ports (`ports:`), short and long syntax. */
export function composePorts(service: Service): ComposePort[] {
  const ports = service['ports']
  if (!Array.isArray(ports)) return []
  const out: ComposePort[] = []
  ports.forEach((p, i) => {
    const at = `ports.${i}`
    let entry: Omit<ComposePort, 'path' | 'interpolated' | 'targetPort' | 'publishedPort'> | undefined
    if (typeof p === 'number') entry = { target: String(p), protocol: 'tcp' }
    else if (typeof p === 'string') entry = parsePortSpec(p)
    else if (isObj(p)) {
      const target = scalarText(p['target'])
      if (target === undefined) return
      const published = scalarText(p['published'])
      const hostIp = typeof p['host_ip'] === 'string' ? p['host_ip'] : undefined
      entry = {
        target,
        protocol: typeof p['protocol'] === 'string' ? p['protocol'].toLowerCase() : 'tcp',
        ...(published ? { published } : {}),
        ...(hostIp ? { hostIp } : {}),
        ...(typeof p['mode'] === 'string' ? { mode: p['mode'] } : {}),
      }
    }
    if (!entry) return
    const texts = [entry.hostIp, entry.published, entry.target].filter((x): x is string => x !== undefined)
    const line = lineOf(service, at)
    const targetPort = firstPort(entry.target)
    const publishedPort = firstPort(entry.published)
    out.push({
      ...entry,
      ...(targetPort !== undefined ? { targetPort } : {}),
      ...(publishedPort !== undefined ? { publishedPort } : {}),
      path: at,
      ...(line !== undefined ? { line } : {}),
      interpolated: texts.some((t) => interpolationsIn(t).length > 0),
    })
  })
  return out
}

/** Is a host address a loopback one (reachable from the host only)? */
export function isLoopback(hostIp: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostIp) || hostIp === '::1' || hostIp.toLowerCase() === 'localhost'
}

/** Does a host address mean every interface? */
export function isAllInterfaces(hostIp: string | undefined): boolean {
  return hostIp === undefined || hostIp === '' || hostIp === '0.0.0.0' || hostIp === '::' || hostIp === '[::]'
}

/** One environment variable of a service. */
export interface ComposeEnvVar {
  name: string
  /** The value as written (after static interpolation); undefined = taken from the shell running Compose (`- DB_HOST` / `DB_HOST:`). */
  value?: string
  /** The value is (or contains) an interpolation left for run time (`${DB_PASSWORD}`). */
  interpolated: boolean
  /** Property path (`environment.DB_HOST` or `environment.3`). */
  path: string
  line?: number
}

/** `["K=V", "K"]` / `{ K: V }` as name / value pairs with their paths. */
function listOrDictEntries(v: unknown, base: string): { name: string; value?: string; path: string }[] {
  const out: { name: string; value?: string; path: string }[] = []
  if (Array.isArray(v)) {
    v.forEach((e, i) => {
      const s = scalarText(e)
      if (s === undefined) return
      const eq = s.indexOf('=')
      out.push(eq === -1 ? { name: s, path: `${base}.${i}` } : { name: s.slice(0, eq), value: s.slice(eq + 1), path: `${base}.${i}` })
    })
  } else if (isObj(v)) {
    for (const [k, val] of Object.entries(v)) {
      const s = scalarText(val)
      out.push(s === undefined ? { name: k, path: `${base}.${k}` } : { name: k, value: s, path: `${base}.${k}` })
    }
  }
  return out
}

/** Environment variables (`environment:`, list or map). `env_file` files are not read. */
export function composeEnvironment(service: Service): ComposeEnvVar[] {
  return envEntries(service, service['environment'], 'environment')
}

function envEntries(service: Service, v: unknown, base: string): ComposeEnvVar[] {
  return listOrDictEntries(v, base).map((e) => {
    const line = lineOf(service, e.path)
    return { ...e, interpolated: e.value !== undefined && interpolationsIn(e.value).length > 0, ...(line !== undefined ? { line } : {}) }
  })
}

/** A mount of a service. */
export interface ComposeVolume {
  /** `bind` (host path), `volume` (named or anonymous), `tmpfs`, `npipe`, `image`, `cluster`. */
  type: string
  /** Host path or volume name; undefined for an anonymous volume or tmpfs. */
  source?: string
  target?: string
  readOnly: boolean
  /** Short-syntax access mode as written (`ro`, `rw,z`). */
  mode?: string
  path: string
  line?: number
  interpolated: boolean
}

/** Does a short-syntax volume source name a host path (rather than a named volume)? */
function isHostPath(s: string): boolean {
  return /^(\/|\.|~|\$|[A-Za-z]:[\\/]|\\\\)/.test(s)
}

/** Mounts (`volumes:`), short `SOURCE:TARGET[:MODE]` and long syntax. */
export function composeVolumes(service: Service): ComposeVolume[] {
  const vols = service['volumes']
  if (!Array.isArray(vols)) return []
  const out: ComposeVolume[] = []
  vols.forEach((v, i) => {
    const at = `volumes.${i}`
    const line = lineOf(service, at)
    const base = { path: at, ...(line !== undefined ? { line } : {}) }
    if (typeof v === 'string') {
      // a Windows drive letter is part of the source, not a separator
      const drive = /^[A-Za-z]:[\\/]/.test(v) ? v.slice(0, 2) : ''
      const parts = v.slice(drive.length).split(':')
      parts[0] = drive + parts[0]
      if (parts.length === 1) {
        out.push({ type: 'volume', target: parts[0], readOnly: false, ...base, interpolated: interpolationsIn(v).length > 0 })
        return
      }
      const [source, target, mode] = parts as [string, string, string | undefined]
      const readOnly = mode !== undefined && mode.split(',').includes('ro')
      out.push({ type: isHostPath(source) ? 'bind' : 'volume', source, target, readOnly, ...(mode !== undefined ? { mode } : {}), ...base, interpolated: interpolationsIn(v).length > 0 })
    } else if (isObj(v) && typeof v['type'] === 'string') {
      const source = typeof v['source'] === 'string' ? v['source'] : undefined
      const target = typeof v['target'] === 'string' ? v['target'] : undefined
      out.push({
        type: v['type'],
        ...(source !== undefined ? { source } : {}),
        ...(target !== undefined ? { target } : {}),
        readOnly: composeBoolean(v['read_only']) === true,
        ...base,
        interpolated: [source, target].some((t) => t !== undefined && interpolationsIn(t).length > 0),
      })
    }
  })
  return out
}

/** A network a service joins. */
export interface ComposeServiceNetwork {
  name: string
  aliases?: string[]
  ipv4Address?: string
  /** The service lists no networks and no network_mode: Compose attaches it to the project's `default` network. */
  implicit?: true
  path: string
  line?: number
}

/** Networks a service joins; `[]` when `network_mode` replaces them (host, none, service:x, container:x). */
export function composeNetworks(service: Service): ComposeServiceNetwork[] {
  const nets = service['networks']
  if (nets === undefined || nets === null) {
    if (typeof service['network_mode'] === 'string') return []
    return [{ name: 'default', implicit: true, path: 'networks' }]
  }
  const out: ComposeServiceNetwork[] = []
  if (Array.isArray(nets)) {
    nets.forEach((n, i) => {
      if (typeof n !== 'string') return
      const line = lineOf(service, `networks.${i}`)
      out.push({ name: n, path: `networks.${i}`, ...(line !== undefined ? { line } : {}) })
    })
  } else if (isObj(nets)) {
    for (const [n, cfg] of Object.entries(nets)) {
      const at = `networks.${n}`
      const line = lineOf(service, at)
      const e: ComposeServiceNetwork = { name: n, path: at, ...(line !== undefined ? { line } : {}) }
      if (isObj(cfg)) {
        if (Array.isArray(cfg['aliases'])) e.aliases = cfg['aliases'].filter((a): a is string => typeof a === 'string')
        if (typeof cfg['ipv4_address'] === 'string') e.ipv4Address = cfg['ipv4_address']
      }
      out.push(e)
    }
  }
  return out
}

/** A service this one starts after. */
export interface ComposeDependency {
  service: string
  /** `service_started` (default), `service_healthy`, `service_completed_successfully`. */
  condition: string
  required: boolean
  path: string
  line?: number
}

/** `depends_on:`, list or map. */
export function composeDependsOn(service: Service): ComposeDependency[] {
  const d = service['depends_on']
  const out: ComposeDependency[] = []
  const push = (name: string, at: string, cfg: unknown): void => {
    const line = lineOf(service, at)
    const condition = isObj(cfg) && typeof cfg['condition'] === 'string' ? cfg['condition'] : 'service_started'
    const required = isObj(cfg) ? composeBoolean(cfg['required']) !== false : true
    out.push({ service: name, condition, required, path: at, ...(line !== undefined ? { line } : {}) })
  }
  if (Array.isArray(d)) d.forEach((n, i) => typeof n === 'string' && push(n, `depends_on.${i}`, undefined))
  else if (isObj(d)) for (const [n, cfg] of Object.entries(d)) push(n, `depends_on.${n}`, cfg)
  return out
}

/** `links:` (`db` or `db:alias`), the legacy way to reach another service. */
export function composeLinks(service: Service): { service: string; alias?: string; path: string; line?: number }[] {
  const l = service['links']
  if (!Array.isArray(l)) return []
  const out: { service: string; alias?: string; path: string; line?: number }[] = []
  l.forEach((e, i) => {
    if (typeof e !== 'string') return
    const [name, alias] = e.split(':') as [string, string | undefined]
    const line = lineOf(service, `links.${i}`)
    out.push({ service: name, ...(alias ? { alias } : {}), path: `links.${i}`, ...(line !== undefined ? { line } : {}) })
  })
  return out
}

/** `labels:`, list or map, as a record. */
export function composeLabels(service: Service): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of listOrDictEntries(service['labels'], 'labels')) safeSet(out, e.name, e.value ?? '')
  return out
}

/** Secrets a service mounts (`secrets:`, short name or long `{ source, target }`). */
export function composeServiceSecrets(service: Service): { source: string; target?: string; path: string; line?: number }[] {
  const s = service['secrets']
  if (!Array.isArray(s)) return []
  const out: { source: string; target?: string; path: string; line?: number }[] = []
  s.forEach((e, i) => {
    const at = `secrets.${i}`
    const line = lineOf(service, at)
    if (typeof e === 'string') out.push({ source: e, path: at, ...(line !== undefined ? { line } : {}) })
    else if (isObj(e) && typeof e['source'] === 'string') out.push({ source: e['source'], ...(typeof e['target'] === 'string' ? { target: e['target'] } : {}), path: at, ...(line !== undefined ? { line } : {}) })
  })
  return out
}

/** How a service's image is built. */
export interface ComposeBuild {
  /** Build context as written (a directory relative to the Compose file, or a Git / HTTP URL). */
  context: string
  /** Dockerfile path as written, relative to the context (default `Dockerfile`). */
  dockerfile: string
  /** The Dockerfile is written inline (`dockerfile_inline`). */
  inline: boolean
  /**
   * The Dockerfile's path relative to the scan root (`services/intake-api/Dockerfile`), for matching
   * the `Docker::Image::Dockerfile` resource whose location file it is; undefined for remote or
   * inline builds and paths with interpolations.
   */
  dockerfilePath?: string
  /** Build arguments (`build.args`), like environment variables (paths `build.args.NAME`). */
  args: ComposeEnvVar[]
  target?: string
  path: string
  line?: number
}

/**
 * `build:` of a service (string context or mapping). `composeFile` is the Compose file's path
 * relative to the scan root (the document's `file`).
 */
export function composeBuild(service: Service, composeFile: string): ComposeBuild | undefined {
  const b = service['build']
  if (b === undefined || b === null) return undefined
  const line = lineOf(service, 'build')
  let context = '.'
  let dockerfile = 'Dockerfile'
  let inline = false
  let target: string | undefined
  let args: ComposeEnvVar[] = []
  if (typeof b === 'string') context = b
  else if (isObj(b)) {
    if (typeof b['context'] === 'string') context = b['context']
    if (typeof b['dockerfile'] === 'string') dockerfile = b['dockerfile']
    if (typeof b['dockerfile_inline'] === 'string') inline = true
    if (typeof b['target'] === 'string') target = b['target']
    args = envEntries(service, b['args'], 'build.args')
  } else return undefined
  const remote = /^([a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/)/i.test(context)
  let dockerfilePath: string | undefined
  if (!remote && !inline && interpolationsIn(context + dockerfile).length === 0) {
    const dir = path.posix.dirname(composeFile.replace(/\\/g, '/'))
    const joined = dockerfile.startsWith('/') ? dockerfile : path.posix.join(dir, context.replace(/\\/g, '/'), dockerfile.replace(/\\/g, '/'))
    dockerfilePath = path.posix.normalize(joined)
  }
  return { context, dockerfile, inline, ...(dockerfilePath ? { dockerfilePath } : {}), args, ...(target ? { target } : {}), path: 'build', ...(line !== undefined ? { line } : {}) }
}
