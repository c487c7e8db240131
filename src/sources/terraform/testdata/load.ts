/** Test helper: reads a plan fixture of this folder as `collect` would. */
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseJsonLocated } from '../../located/index.js'
import type { SourceDocument } from '../../types.js'
import { readTerraformPlan } from '../plan.js'

/** Text of a fixture. */
export function fixtureText(name: string): string {
  return fs.readFileSync(fileURLToPath(new URL(name, import.meta.url)), 'utf8')
}

/** A fixture read by {@link readTerraformPlan}. */
export function readFixture(name: string, text = fixtureText(name)): SourceDocument {
  const located = parseJsonLocated(text, { file: name })
  return readTerraformPlan(located.documents[0] as Record<string, unknown>, located, name)
}

/** Line of the object that starts a resource (`{` before its `"address"`), first occurrence. */
export function resourceLine(text: string, address: string): number {
  const lines = text.split('\n')
  const i = lines.findIndex((l) => l.includes(`"address": ${JSON.stringify(address)}`))
  if (i < 0) throw new Error(`no ${address} in fixture`)
  return i
}
