import { PackageURL } from 'packageurl-js'
import type { Ecosystem } from '../../model/index.js'
import type { OsInfo } from './types.js'

/**
 * A purl string, or undefined when packageurl-js rejects the parts. Undefined qualifiers are left out.
 */
export function makePurl(type: string, namespace: string | undefined, name: string, version: string | undefined, qualifiers?: Record<string, string | undefined>, subpath?: string): string | undefined {
  const q: Record<string, string> = {}
  for (const [k, v] of Object.entries(qualifiers ?? {})) if (v !== undefined && v !== '') q[k] = v
  try {
    return new PackageURL(type, namespace, name, version, Object.keys(q).length ? q : undefined, subpath).toString()
  } catch {
    return undefined
  }
}

/** Ecosystem, release and purl parts of an OS package, with a fallback when the OS is unknown. */
export function osFields(os: OsInfo | undefined, fallback: Ecosystem, fallbackNamespace: string): { ecosystem: Ecosystem; release?: string; namespace: string; distro?: string } {
  const out: { ecosystem: Ecosystem; release?: string; namespace: string; distro?: string } = {
    ecosystem: os?.ecosystem ?? fallback,
    namespace: os?.id ?? fallbackNamespace,
  }
  if (os?.ecosystem && os.release) out.release = os.release
  if (os?.versionId) out.distro = `${os.id}-${os.versionId}`
  return out
}
