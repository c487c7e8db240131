import { InvalidArgumentError } from 'commander'
import type { Environment, Severity } from '../../model/index.js'
import { SEVERITIES } from '../../model/index.js'

/** `--param Name=Value`, repeatable. */
export function collectKeyValue(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=')
  if (eq <= 0) throw new InvalidArgumentError(`expected Name=Value, got "${value}"`)
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) }
}

/**
 * `--check-param aws/igw-authorized-vpc.authorizedVpcIds=vpc-0a1b,vpc-2c3d`, repeatable: a check
 * parameter by check id and name (the name is what follows the last dot before `=`). Whether the
 * check and parameter exist, and the value's form, are judged against the catalog before the scan.
 */
export function collectCheckParam(value: string, previous: Record<string, Record<string, string>> = {}): Record<string, Record<string, string>> {
  const eq = value.indexOf('=')
  const key = eq > 0 ? value.slice(0, eq) : ''
  const dot = key.lastIndexOf('.')
  if (eq <= 0 || dot <= 0 || dot === key.length - 1) throw new InvalidArgumentError(`expected <check id>.<parameter>=<value>, got "${value.length > 80 ? `${value.slice(0, 77)}...` : value}"`)
  const id = key.slice(0, dot)
  const name = key.slice(dot + 1)
  // a second value would silently replace the first (a list parameter takes one comma-separated value)
  if (previous[id] && Object.hasOwn(previous[id], name)) throw new InvalidArgumentError(`${key} is given twice; give it once (a list parameter takes one comma-separated value)`)
  return { ...previous, [id]: { ...previous[id], [name]: value.slice(eq + 1) } }
}

/** `--account-env 123456789012=prod`, repeatable. */
export function collectAccountEnv(value: string, previous: Record<string, Environment> = {}): Record<string, Environment> {
  const kv = collectKeyValue(value)
  const [account, env] = Object.entries(kv)[0]!
  if (!/^\d{12}$/.test(account)) throw new InvalidArgumentError(`expected a 12-digit account id, got "${account}"`)
  if (!['prod', 'staging', 'dev', 'test'].includes(env)) throw new InvalidArgumentError(`environment must be prod, staging, dev or test, got "${env}"`)
  return { ...previous, [account]: env as Environment }
}

/** Comma-separated list option. */
export function commaList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)]
}

/** `--fail-on` gate: a severity, `none`, or a CVSS base score. */
export type FailOn = Severity | 'none' | { cvss: number }

/** `--fail-on` value: a severity, `none`, or a CVSS base score from 0.1 to 10 (`7`, `7.0`, `cvss:7.5`). */
export function parseFailOn(value: string): FailOn {
  const v = value.toLowerCase().trim()
  if (v === 'none' || (SEVERITIES as readonly string[]).includes(v)) return v as Severity | 'none'
  const m = /^(?:cvss[:=])?(\d+(?:\.\d+)?)$/.exec(v)
  if (m) {
    const score = Number(m[1])
    if (score > 0 && score <= 10) return { cvss: score }
    throw new InvalidArgumentError(`a CVSS score must be between 0.1 and 10, got "${value}"`)
  }
  throw new InvalidArgumentError(`expected one of ${[...SEVERITIES, 'none'].join(', ')}, or a CVSS score such as 7.0`)
}

/** The CVSS qualitative band of a score (CVSS v3.1 specification, table 14): 9.0 critical, 7.0 high, 4.0 medium, 0.1 low. */
export function cvssBand(score: number): Severity {
  return score >= 9 ? 'critical' : score >= 7 ? 'high' : score >= 4 ? 'medium' : 'low'
}

/** Size like `32MB`, `500k`, `1048576`. */
export function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(value.trim())
  if (!m) throw new InvalidArgumentError(`expected a size like 32MB, got "${value}"`)
  const unit = (m[2] ?? 'b').toLowerCase()
  const mult = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('g') ? 1024 ** 3 : 1
  return Math.round(Number(m[1]) * mult)
}
