import type { ComponentLocation } from '../../model/index.js'
import type { ParseContext } from './types.js'

/** The location of an entry of a parsed file. */
export function locationOf(c: ParseContext, line?: number): ComponentLocation {
  const out: ComponentLocation = { file: c.file }
  if (line !== undefined) out.line = line
  if (c.layer !== undefined) out.layer = c.layer
  return out
}
