/**
 * A stand-in Kubernetes API server for tests: serves recorded API responses from a directory on
 * 127.0.0.1 (ephemeral port, plain HTTP), the way the real server answers:
 *
 * - `/version` → `version.json`; a list path (`/api/v1/pods`, `/apis/apps/v1/deployments`) →
 *   the file of the same path with `.json`; a recorded `Status` object is sent with its `code`.
 * - Pagination: `pods.json` is the first page, `pods.2.json` the next, …; a request with
 *   `continue=T` gets the page after the one whose `metadata.continue` is T, an unknown token
 *   410 Gone (as an expired token).
 * - Namespaced paths (`/api/v1/namespaces/clinic-prod/pods`) are answered from the cluster-wide
 *   recording, filtered to the namespace; `/api/v1/namespaces/N` from `namespaces.json`.
 * - A path with no recording: `404 page not found` (text/plain), as for a group that is not
 *   served (a CRD that is not installed).
 * - Without `Authorization: Bearer <token>`: 401 Unauthorized for every path.
 */
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'

/** One request the server saw. */
export interface SeenRequest {
  method: string
  path: string
  query: Record<string, string>
  authorization: string | undefined
}

/** A recorded answer. */
export interface Answer {
  status: number
  body: unknown
}

export interface FakeApiServer {
  /** `http://127.0.0.1:PORT` */
  url: string
  requests: SeenRequest[]
  close(): Promise<void>
}

export interface FakeApiOptions {
  /** Directory of the recording (`testdata/clinic`). */
  dir: string
  /** The bearer token the server accepts. */
  token: string
  /** An answer that replaces the recording for a request (undefined: use the recording). */
  override?: (req: SeenRequest) => Answer | undefined
}

const status = (code: number, reason: string, message: string): Answer => ({
  status: code,
  body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code },
})

type Obj = Record<string, unknown>

/** The pages of a recorded list: `x.json`, `x.2.json`, `x.3.json`, … */
function pages(dir: string, rel: string): Obj[] | undefined {
  const first = path.join(dir, `${rel}.json`)
  if (!path.resolve(first).startsWith(path.resolve(dir) + path.sep) || !fs.existsSync(first)) return undefined
  const out = [JSON.parse(fs.readFileSync(first, 'utf8')) as Obj]
  for (let n = 2; fs.existsSync(path.join(dir, `${rel}.${n}.json`)); n++) out.push(JSON.parse(fs.readFileSync(path.join(dir, `${rel}.${n}.json`), 'utf8')) as Obj)
  return out
}

const metaOf = (o: Obj): Obj => (o['metadata'] && typeof o['metadata'] === 'object' ? (o['metadata'] as Obj) : {})

/** The recorded answer to a request. */
export function recordedAnswer(dir: string, req: SeenRequest): Answer {
  if (req.path === '/version') return { status: 200, body: JSON.parse(fs.readFileSync(path.join(dir, 'version.json'), 'utf8')) }

  const one = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(req.path)
  if (one) {
    const list = pages(dir, 'api/v1/namespaces')?.[0]
    const found = ((list?.['items'] as Obj[] | undefined) ?? []).find((n) => metaOf(n)['name'] === one[1])
    return found ? { status: 200, body: { kind: 'Namespace', apiVersion: 'v1', ...found } } : status(404, 'NotFound', `namespaces "${one[1]}" not found`)
  }

  const namespaced = /^(\/api\/v1|\/apis\/[^/]+\/[^/]+)\/namespaces\/([^/]+)\/([^/]+)$/.exec(req.path)
  const rel = namespaced ? `${namespaced[1]!.slice(1)}/${namespaced[3]}` : req.path.slice(1)
  const recorded = pages(dir, rel)
  if (!recorded) return { status: 404, body: '404 page not found\n' }
  const first = recorded[0]!
  if (first['kind'] === 'Status') return { status: Number(first['code']), body: first }

  if (namespaced) {
    // one page with the namespace's items, as the server answers a small namespaced list
    const ns = decodeURIComponent(namespaced[2]!)
    const items = recorded.flatMap((p) => (p['items'] as Obj[]).filter((i) => metaOf(i)['namespace'] === ns))
    return { status: 200, body: { ...first, metadata: { resourceVersion: metaOf(first)['resourceVersion'] }, items } }
  }
  const token = req.query['continue']
  if (token === undefined) return { status: 200, body: first }
  const at = recorded.findIndex((p) => metaOf(p)['continue'] === token)
  if (at === -1 || at + 1 >= recorded.length) return status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.')
  return { status: 200, body: recorded[at + 1] }
}

/** Starts the server on 127.0.0.1 with an ephemeral port. */
export async function startFakeApiServer(options: FakeApiOptions): Promise<FakeApiServer> {
  const requests: SeenRequest[] = []
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const seen: SeenRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization }
    requests.push(seen)
    let answer = options.override?.(seen)
    if (!answer) {
      if (seen.authorization !== `Bearer ${options.token}`) answer = status(401, 'Unauthorized', 'Unauthorized')
      else if (seen.method !== 'GET') answer = status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`)
      else answer = recordedAnswer(options.dir, seen)
    }
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)
    res.writeHead(answer.status, { 'Content-Type': typeof answer.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json', 'Content-Length': Buffer.byteLength(text) })
    res.end(text)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve()
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

/** A kubeconfig file with token auth for one or more contexts; returns its path. */
export function writeKubeconfig(dir: string, entries: { context: string; cluster: string; server: string; token: string }[], currentContext = entries[0]?.context ?? ''): string {
  const yaml = [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${JSON.stringify(currentContext)}`,
    'clusters:',
    ...entries.flatMap((e) => [`- name: ${JSON.stringify(e.cluster)}`, '  cluster:', `    server: ${JSON.stringify(e.server)}`, '    insecure-skip-tls-verify: true']),
    'users:',
    ...entries.flatMap((e) => [`- name: ${JSON.stringify(`${e.context}-user`)}`, '  user:', `    token: ${JSON.stringify(e.token)}`]),
    'contexts:',
    ...entries.flatMap((e) => [`- name: ${JSON.stringify(e.context)}`, '  context:', `    cluster: ${JSON.stringify(e.cluster)}`, `    user: ${JSON.stringify(`${e.context}-user`)}`]),
    'preferences: {}',
    '',
  ].join('\n')
  const file = path.join(dir, 'kubeconfig')
  fs.writeFileSync(file, yaml, { mode: 0o600 })
  return file
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'phiwall-k8s-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}
