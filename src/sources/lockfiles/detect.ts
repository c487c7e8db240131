import type { LockfileFormat } from './types.js'

/** Every format with the file names its tool writes. */
export const LOCKFILE_FORMATS: readonly { format: LockfileFormat; fileNames: string[] }[] = [
  { format: 'package-lock', fileNames: ['package-lock.json'] },
  { format: 'npm-shrinkwrap', fileNames: ['npm-shrinkwrap.json'] },
  { format: 'yarn-lock', fileNames: ['yarn.lock'] },
  { format: 'pnpm-lock', fileNames: ['pnpm-lock.yaml'] },
  { format: 'requirements', fileNames: ['requirements.txt'] },
  { format: 'pipfile-lock', fileNames: ['Pipfile.lock'] },
  { format: 'poetry-lock', fileNames: ['poetry.lock'] },
  { format: 'uv-lock', fileNames: ['uv.lock'] },
  { format: 'go-mod', fileNames: ['go.mod'] },
  { format: 'go-sum', fileNames: ['go.sum'] },
  { format: 'cargo-lock', fileNames: ['Cargo.lock'] },
  { format: 'gemfile-lock', fileNames: ['Gemfile.lock', 'gems.locked'] },
  { format: 'composer-lock', fileNames: ['composer.lock'] },
  { format: 'pom', fileNames: ['pom.xml'] },
  { format: 'gradle-lockfile', fileNames: ['gradle.lockfile'] },
]

const BY_NAME = new Map<string, LockfileFormat>(LOCKFILE_FORMATS.flatMap((f) => f.fileNames.map((n) => [n, f.format] as const)))

/** The first characters of a text, enough to recognise a format by its header. */
function head(text: string): string {
  return text.slice(0, 4096)
}

/** Recognise a lockfile by what it says rather than by its name. */
function byContent(text: string): LockfileFormat | undefined {
  const h = head(text)
  // every file of a scan is asked: each line pattern runs only where its fixed words occur
  // (a plain substring search), so most files cost a few searches rather than the regexes
  const json = /^\s*\{/.test(h)
  if (json && /"lockfileVersion"\s*:\s*\d/.test(h) && /"(packages|dependencies|requires|name)"\s*:/.test(h)) return 'package-lock'
  if ((h.includes('# yarn lockfile v1') && /^# yarn lockfile v1\s*$/m.test(h)) || (h.includes('__metadata:') && /^__metadata:\s*$/m.test(h) && /^\s+resolution: /m.test(text))) return 'yarn-lock'
  if (h.includes('lockfileVersion: ') && /^lockfileVersion: ['"]?\d/m.test(h) && /^(packages|importers|dependencies|settings):/m.test(text)) return 'pnpm-lock'
  if (h.includes('# This is a Gradle generated file for dependency locking.') && /^# This is a Gradle generated file for dependency locking\./m.test(h)) return 'gradle-lockfile'
  if (json && /"_meta"\s*:/.test(h) && /"pipfile-spec"/.test(h)) return 'pipfile-lock'
  if (json && /"content-hash"\s*:/.test(h) && /"packages"\s*:/.test(text)) return 'composer-lock'
  return undefined
}

/** Lines of a text look like gradle lock entries. */
function looksLikeGradle(text: string): boolean {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
  return lines.length > 0 && lines.every((l) => /^([^:=\s]+:[^:=\s]+:[^:=\s]+=.*|empty=.*)$/.test(l))
}

/**
 * The format of a file, by name (`package-lock.json`, `requirements-dev.txt`,
 * `requirements/test.txt`, `*.lockfile`) and, when the text is given, by content (a renamed
 * package-lock still has `lockfileVersion`). Undefined when it is no lockfile PhiWall reads.
 */
export function detectLockfile(relPath: string, text?: string): LockfileFormat | undefined {
  const path = relPath.replace(/\\/g, '/')
  const base = path.slice(path.lastIndexOf('/') + 1)
  const exact = BY_NAME.get(base)
  if (exact) return exact
  const lower = base.toLowerCase()
  if (lower.endsWith('.txt') && (/^requirements([-_.].*)?\.txt$/.test(lower) || /[-_.]requirements\.txt$/.test(lower) || /(^|\/)requirements\/[^/]+\.txt$/i.test(path))) return 'requirements'
  if (lower.endsWith('.lockfile') && (text === undefined || looksLikeGradle(text))) return 'gradle-lockfile'
  if (text === undefined) return undefined
  return byContent(text)
}
