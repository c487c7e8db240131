import { GetResourceCommand, ListResourcesCommand, type CloudControlClient } from '@aws-sdk/client-cloudcontrol'
import { errorCode, isHandlerThrottling, isTypeLevelError, type ErrorLog } from './errors.js'
import type { Limiter } from './limit.js'
import type { TypeSpec } from './resource-types.js'

/** A resource as Cloud Control described it: its identifier and CloudFormation properties. */
export interface CloudControlResource {
  type: string
  identifier: string
  properties: Record<string, unknown>
}

/** What a reader needs besides its client. */
export interface ReaderContext {
  errors: ErrorLog
  sleep: (ms: number) => Promise<void>
}

/** Longest run of list pages for one type and model; a handler that keeps returning a token is cut off here. */
const MAX_PAGES = 1000
/** Retries of a handler failure that is really throttling (on top of the SDK's own retries). */
const HANDLER_RETRIES = 4

/**
 * Reads resources of one region through the Cloud Control API. Every call goes through the
 * region's limiter (a few calls in flight), and a handler failure that is really throttling is
 * retried with backoff; the SDK's adaptive retry handles Cloud Control's own throttling.
 */
export class CloudControlReader {
  /** Types found unlistable in this region (unsupported, not registered, needs a parent, denied): not tried again. */
  private readonly unlistable = new Set<string>()

  constructor(
    readonly region: string,
    private readonly client: CloudControlClient,
    private readonly limiter: Limiter,
    private readonly ctx: ReaderContext,
  ) {}

  private async call<T>(send: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.limiter.run(send)
      } catch (err) {
        if (attempt >= HANDLER_RETRIES || !isHandlerThrottling(err)) throw err
        await this.ctx.sleep(Math.min(20_000, 1000 * 2 ** attempt))
      }
    }
  }

  /**
   * Identifiers (and any properties) of a type, all pages. A model narrows the list to a parent
   * (`{"RestApiId": "…"}`). Undefined when the type cannot be listed here; the error is logged.
   */
  async list(type: string, model?: Record<string, unknown>): Promise<{ identifier: string; properties?: Record<string, unknown> }[] | undefined> {
    if (this.unlistable.has(type)) return undefined
    const out: { identifier: string; properties?: Record<string, unknown> }[] = []
    let token: string | undefined
    let pages = 0
    do {
      let page
      try {
        page = await this.call(() =>
          this.client.send(
            new ListResourcesCommand({
              TypeName: type,
              ...(model ? { ResourceModel: JSON.stringify(model) } : {}),
              ...(token ? { NextToken: token } : {}),
            }),
          ),
        )
      } catch (err) {
        this.ctx.errors.add({ service: 'cloudcontrol', region: this.region, operation: 'ListResources', resourceType: type }, err)
        if (isTypeLevelError(err)) this.unlistable.add(type)
        return undefined
      }
      for (const d of page.ResourceDescriptions ?? []) {
        if (!d.Identifier) continue
        const properties = parseObject(d.Properties)
        out.push(properties ? { identifier: d.Identifier, properties } : { identifier: d.Identifier })
      }
      token = page.NextToken
    } while (token && ++pages < MAX_PAGES)
    return out
  }

  /**
   * Current state of one resource, as CloudFormation properties. Undefined when it is gone (deleted
   * since it was listed) or cannot be read; a failure other than "gone" is logged.
   */
  async get(type: string, identifier: string): Promise<Record<string, unknown> | undefined> {
    let out
    try {
      out = await this.call(() => this.client.send(new GetResourceCommand({ TypeName: type, Identifier: identifier })))
    } catch (err) {
      if (errorCode(err) !== 'ResourceNotFoundException') this.ctx.errors.add({ service: 'cloudcontrol', region: this.region, operation: 'GetResource', resourceType: type }, err)
      return undefined
    }
    const text = out.ResourceDescription?.Properties
    if (!text) return {}
    const props = parseObject(text)
    if (props) return props
    const err = new Error(`Cloud Control returned properties of ${type} that are not a JSON object.`)
    err.name = 'MalformedProperties'
    this.ctx.errors.add({ service: 'cloudcontrol', region: this.region, operation: 'GetResource', resourceType: type }, err)
    return undefined
  }

  /**
   * Every resource of a type (with each model of the spec, or none), each read with GetResource:
   * ListResources returns, depending on the handler, only the primary identifier or a subset of
   * the properties (tags are typically left out), and a judged property that is merely absent
   * would read as "not configured". Types marked `preferList` keep the listed properties unless
   * they are the bare identifier. Reads run concurrently, bounded by the limiter.
   */
  async readType(spec: TypeSpec, model?: Record<string, unknown>): Promise<CloudControlResource[]> {
    const models = model ? [model] : spec.models ? spec.models(this.region) : [undefined]
    const listed = new Map<string, Record<string, unknown> | undefined>()
    for (const m of models) {
      for (const { identifier, properties } of (await this.list(spec.type, m)) ?? []) if (!listed.has(identifier)) listed.set(identifier, properties)
    }
    const fromList: CloudControlResource[] = []
    const toGet: string[] = []
    for (const [identifier, properties] of listed) {
      if (spec.preferList && properties && !identifierOnly(properties, identifier)) fromList.push({ type: spec.type, identifier, properties })
      else toGet.push(identifier)
    }
    return [...fromList, ...(await this.readAll(spec.type, toGet))]
  }

  /** Reads the given identifiers of a type with GetResource, concurrently within the limiter. */
  async readAll(type: string, identifiers: string[]): Promise<CloudControlResource[]> {
    const got = await Promise.all(identifiers.map(async (identifier) => ({ identifier, properties: await this.get(type, identifier) })))
    return got.filter((g): g is { identifier: string; properties: Record<string, unknown> } => g.properties !== undefined).map((g) => ({ type, ...g }))
  }

  /**
   * Reads a set of types in this region: types without a parent first, then each child type
   * once per parent resource (with the ResourceModel the parent gives). Types run concurrently.
   */
  async readTypes(specs: readonly TypeSpec[], onType?: (type: string, count: number) => void): Promise<CloudControlResource[]> {
    const inSet = new Set(specs.map((s) => s.type))
    const children = (type: string): TypeSpec[] => specs.filter((s) => s.parent?.type === type)
    const readWithChildren = async (spec: TypeSpec, found: CloudControlResource[]): Promise<CloudControlResource[]> => {
      onType?.(spec.type, found.length)
      const nested = await Promise.all(
        children(spec.type).map(async (child) => {
          const perParent = await Promise.all(
            found.map(async (p) => {
              const m = child.parent!.model(p.properties)
              return m ? this.readType(child, m) : []
            }),
          )
          return readWithChildren(child, perParent.flat())
        }),
      )
      return [...found, ...nested.flat()]
    }
    const roots = specs.filter((s) => !s.parent || !inSet.has(s.parent.type))
    const all = await Promise.all(roots.map(async (s) => readWithChildren(s, await this.readType(s))))
    return all.flat()
  }
}

/** A JSON object from Cloud Control's Properties text; undefined for anything else. */
function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined
  try {
    const v = JSON.parse(text) as unknown
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** Do list properties hold nothing but the primary identifier (one value per `|`-separated part)? */
export function identifierOnly(properties: Record<string, unknown>, identifier: string): boolean {
  const parts = new Set(identifier.split('|'))
  return Object.values(properties).every((v) => (typeof v === 'string' || typeof v === 'number') && parts.has(String(v)))
}
