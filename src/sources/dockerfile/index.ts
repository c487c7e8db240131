// PLACEHOLDER: replaced by the Dockerfile reader (in progress)
import type { SourceDocument } from '../types.js'
export function isDockerfileName(name: string): boolean {
  return /^(Dockerfile|Containerfile)(\..+)?$|\.(Dockerfile|dockerfile)$/.test(name)
}
export function looksLikeDockerfile(_head: string): boolean {
  return false
}
export function readDockerfile(_text: string, file: string): SourceDocument {
  return { file, origin: 'dockerfile', resources: [], diagnostics: [], context: {} }
}
