import { InvalidArgumentError } from 'commander'
import type { Environment, Severity } from '../../model/index.js'
import { SEVERITIES } from '../../model/index.js'

/** `--param Name=Value`, repeatable. */
export function collectKeyValue(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=')
  if (eq <= 0) throw new InvalidArgumentError(`expected Name=Value, got "${value}"`)
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) }
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

/** `--fail-on` value: a severity, or `none`. */
export function parseFailOn(value: string): Severity | 'none' {
  const v = value.toLowerCase()
  if (v === 'none' || (SEVERITIES as readonly string[]).includes(v)) return v as Severity | 'none'
  throw new InvalidArgumentError(`expected one of ${[...SEVERITIES, 'none'].join(', ')}`)
}

/** Size like `32MB`, `500k`, `1048576`. */
export function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(value.trim())
  if (!m) throw new InvalidArgumentError(`expected a size like 32MB, got "${value}"`)
  const unit = (m[2] ?? 'b').toLowerCase()
  const mult = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('g') ? 1024 ** 3 : 1
  return Math.round(Number(m[1]) * mult)
}
