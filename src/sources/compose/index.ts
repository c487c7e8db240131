// PLACEHOLDER: replaced by the Compose reader (in progress)
import type { SourceDocument } from '../types.js'
export function looksLikeCompose(_head: string, _fileName: string): boolean {
  return false
}
export function readCompose(_text: string, file: string): SourceDocument {
  return { file, origin: 'compose', resources: [], diagnostics: [], context: {} }
}
