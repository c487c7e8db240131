import os from 'node:os'
import path from 'node:path'
import type { ConfigOptions, IsomorphicFetchHttpLibrary, KubeConfig, ServerConfiguration } from '@kubernetes/client-node'
import { PhiwallError, phiwallVersion } from '../../model/index.js'
import { redactMessage, transportFailure } from './errors.js'

/** Where the kubeconfig comes from, and which context to use. */
export interface KubeConfigOptions {
  /** A kubeconfig file (default: `$KUBECONFIG`, else `~/.kube/config`, else the in-cluster service account). */
  kubeconfig?: string
  /** A context of the kubeconfig (default: its current context). */
  context?: string
}

/** The cluster a {@link KubeApi} talks to, as the snapshot records it. */
export interface KubeTarget {
  context: string
  cluster: string
  /** The API server URL without user info, query or fragment. */
  server: string
}

/** An HTTP answer of the API server. */
export interface ApiAnswer {
  status: number
  /** The parsed JSON body, or undefined when the body is not JSON (`404 page not found`). */
  body: unknown
  text: string
}

/** No HTTP answer came: connection refused, DNS, TLS, timeout. */
export class NoAnswerError extends Error {
  constructor(
    readonly reason: string,
    readonly tls: boolean,
  ) {
    super(reason)
    this.name = 'NoAnswerError'
  }
}

/** The kubeconfig's user gave no usable credentials (an exec plugin failed, a token file is missing). */
export class CredentialError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CredentialError'
  }
}

/**
 * `@kubernetes/client-node` is an ES module only, loaded when a cluster is first opened (the CLI
 * bundle is CommonJS, which cannot `require` it; and only `collect k8s` needs it).
 */
type KubeLib = typeof import('@kubernetes/client-node')
let kubeLib: Promise<KubeLib> | undefined
const loadKubeLib = (): Promise<KubeLib> => (kubeLib ??= import('@kubernetes/client-node'))

/** Entries a kubeconfig cannot use are dropped, as kubectl ignores them, rather than failing the whole file. */
const LOAD_OPTIONS: Partial<ConfigOptions> = { onInvalidEntry: 'filter' }

/**
 * Read-only access to one cluster through `@kubernetes/client-node`: the library reads the
 * kubeconfig, authenticates every request (bearer tokens, client certificates, exec plugins such
 * as `aws eks get-token`, OIDC, `tls-server-name`, `proxy-url`) and sends it with its own HTTP
 * layer. Responses are kept as the JSON the server sent: the library's typed models would drop
 * fields they do not know (newer API fields, custom resources) and rewrite timestamps.
 */
export class KubeApi {
  private readonly http: IsomorphicFetchHttpLibrary
  private readonly base: ServerConfiguration<Record<string, string>>
  private readonly secrets = new Set<string>()

  private constructor(
    private readonly lib: KubeLib,
    private readonly kc: KubeConfig,
    readonly target: KubeTarget,
    private readonly timeoutMs: number,
  ) {
    const cluster = kc.getCurrentCluster()!
    this.http = new lib.IsomorphicFetchHttpLibrary()
    this.base = new lib.ServerConfiguration(cluster.server.replace(/\/+$/, ''), {})
    const user = kc.getCurrentUser()
    if (user?.token) this.secrets.add(user.token)
    if (user?.password) this.secrets.add(user.password)
  }

  /** Loads the kubeconfig and selects the context; a context that cannot be used throws `PW_ERR_K8S_CONTEXT`. */
  static async open(options: KubeConfigOptions & { timeoutMs?: number } = {}): Promise<KubeApi> {
    const lib = await loadKubeLib()
    const { kc, source } = loadKubeConfig(lib, options)
    const names = kc.getContexts().map((c) => c.name)
    const listed = names.length ? `contexts: ${names.join(', ')}` : 'it has no contexts'
    if (options.context !== undefined) {
      if (!kc.getContextObject(options.context)) throw new PhiwallError('PW_ERR_K8S_CONTEXT', `Context ${options.context} is not in the kubeconfig ${source} (${listed}).`)
      kc.setCurrentContext(options.context)
    }
    const contextName = kc.getCurrentContext()
    const context = contextName ? kc.getContextObject(contextName) : null
    if (!contextName || !context) throw new PhiwallError('PW_ERR_K8S_CONTEXT', `The kubeconfig ${source} has no usable current context${contextName ? ` (${contextName} is not defined)` : ''}; pass --context (${listed}).`)
    const cluster = kc.getCurrentCluster()
    if (!cluster) throw new PhiwallError('PW_ERR_K8S_CONTEXT', `Context ${contextName} names cluster ${context.cluster}, which the kubeconfig ${source} does not define (or defines without a server).`)
    const server = displayServer(cluster.server)
    if (!server) throw new PhiwallError('PW_ERR_K8S_CONTEXT', `Cluster ${cluster.name} of context ${contextName} has a server that is not a URL.`)
    if (server.startsWith('http:') && !cluster.skipTLSVerify && !cluster.proxyUrl) {
      throw new PhiwallError('PW_ERR_K8S_CONTEXT', `Cluster ${cluster.name} of context ${contextName} has a plain-HTTP server (${server}) without insecure-skip-tls-verify; the Kubernetes client refuses it.`)
    }
    return new KubeApi(lib, kc, { context: contextName, cluster: cluster.name, server }, options.timeoutMs ?? 30_000)
  }

  /**
   * GET a path with query parameters. Resolves with any HTTP answer (the caller decides what a
   * 403 or 404 means); rejects with {@link NoAnswerError} or {@link CredentialError}.
   */
  async get(urlPath: string, query: Record<string, string> = {}): Promise<ApiAnswer> {
    const ctx = this.base.makeRequestContext(urlPath, this.lib.HttpMethod.GET)
    for (const [k, v] of Object.entries(query)) ctx.setQueryParam(k, v)
    ctx.setHeaderParam('Accept', 'application/json')
    ctx.setHeaderParam('User-Agent', `phiwall/${phiwallVersion()}`)
    try {
      await this.kc.applySecurityAuthentication(ctx)
    } catch (err) {
      throw new CredentialError(this.redact(err instanceof Error ? err.message : String(err)))
    }
    const auth = ctx.getHeaders()['Authorization']
    if (auth) {
      this.secrets.add(auth)
      const credential = auth.replace(/^\S+\s+/, '')
      if (credential) this.secrets.add(credential)
    }
    ctx.setSignal(AbortSignal.timeout(this.timeoutMs))
    let status: number
    let text: string
    try {
      const res = await this.http.send(ctx).toPromise()
      status = res.httpStatusCode
      text = await res.body.text()
    } catch (err) {
      const { reason, tls } = transportFailure(err, this.timeoutMs)
      throw new NoAnswerError(this.redact(reason), tls)
    }
    let body: unknown
    try {
      body = JSON.parse(text) as unknown
    } catch {
      body = undefined
    }
    return { status, body, text }
  }

  /** A message without the credentials this client sent, nor anything shaped like a credential. */
  redact(message: string): string {
    return redactMessage(message, this.secrets)
  }
}

/** `https://host:6443/prefix` from a server URL, without user info, query or fragment; undefined when it is not a URL. */
export function displayServer(server: string): string | undefined {
  let url: URL
  try {
    url = new URL(server)
  } catch {
    return undefined
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`
}

/** Loads the kubeconfig the options name, with the library's own loaders. */
function loadKubeConfig(lib: KubeLib, options: KubeConfigOptions): { kc: KubeConfig; source: string } {
  const kc = new lib.KubeConfig()
  if (options.kubeconfig !== undefined) {
    const file = path.resolve(options.kubeconfig)
    loadGuarded(() => kc.loadFromFile(file, LOAD_OPTIONS), options.kubeconfig)
    return { kc, source: options.kubeconfig }
  }
  const env = process.env['KUBECONFIG']
  const source = env ? `$KUBECONFIG (${env})` : path.join('~', '.kube', 'config')
  loadGuarded(() => kc.loadFromDefault(LOAD_OPTIONS), source)
  // with no kubeconfig and no service account, the library falls back to http://localhost:8080
  const clusters = kc.getClusters()
  if (kc.getCurrentContext() === 'loaded-context' && clusters.length === 1 && clusters[0]!.server === 'http://localhost:8080') {
    throw new PhiwallError('PW_ERR_K8S_CONTEXT', `No kubeconfig was found: KUBECONFIG is not set, ${path.join(os.homedir(), '.kube', 'config')} does not exist and this is not a pod with a service account. Pass --kubeconfig FILE.`)
  }
  return { kc, source }
}

function loadGuarded(load: () => void, source: string): void {
  try {
    load()
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { reason?: string; mark?: { line?: number } }
    if (e.code === 'ENOENT') throw new PhiwallError('PW_ERR_PATH_NOT_FOUND', `The kubeconfig ${source} does not exist (${e.path ?? 'a file it names'}).`, { cause: err })
    if (e.code === 'EACCES' || e.code === 'EISDIR') throw new PhiwallError('PW_ERR_K8S_CONTEXT', `The kubeconfig ${source} cannot be read (${e.code}).`, { cause: err })
    // a YAML error's message quotes the lines around it, which may hold a token: give the reason and line only
    if (e.name === 'YAMLException') throw new PhiwallError('PW_ERR_K8S_CONTEXT', `The kubeconfig ${source} is not valid YAML${e.mark?.line !== undefined ? ` (line ${e.mark.line + 1})` : ''}: ${e.reason ?? 'syntax error'}.`, { cause: err })
    if (err instanceof TypeError) throw new PhiwallError('PW_ERR_K8S_CONTEXT', `The kubeconfig ${source} is not a kubeconfig (no clusters, users or contexts).`, { cause: err })
    throw new PhiwallError('PW_ERR_K8S_CONTEXT', `The kubeconfig ${source} cannot be used: ${redactMessage(e.message ?? String(err))}.`, { cause: err })
  }
}
