/**
 * A rough reading of shell command lines, enough to find which program each simple command
 * runs: statements split at newlines, `;`, `&&`, `||`; pipelines at `|`; command substitutions and
 * `sh -c "…"` strings opened. It does not parse quoting exactly; it errs towards seeing a
 * command, and checks phrase their findings accordingly.
 */

/** Programs that run what they read on stdin (or a file) as code. */
const INTERPRETER = /^(sh|bash|zsh|dash|ksh|ash|mksh|fish|python[0-9.]*|perl|ruby|node|php|pwsh|powershell)$/
/** Prefixes that run the command after them. */
const PREFIX = /^(sudo|env|exec|command|nohup|time|builtin)$/

/** Split a command line into statements, then each into pipeline stages. */
export function pipelines(text: string): string[][] {
  const cmd = text.replace(/\\\r?\n/g, ' ')
  // open sh -c "…" / $( … ) / `…` so the inner commands are seen too
  const opened = cmd.replace(/\$\(|`|\(/g, '\n').replace(/\s-c\s+(["'])/g, '\n')
  return opened
    .split(/\n|;|&&|\|\|/)
    .map((s) => s.split('|'))
    .filter((p) => p.some((x) => x.trim() !== ''))
}

/** The program a simple command runs, after `sudo`, `env VAR=x` and similar prefixes; basename, no quotes. */
export function programOf(stage: string, skipPrefixes = true): string | undefined {
  const words = stage.trim().split(/\s+/).map((w) => w.replace(/^["'{(]+|["'})]+$/g, ''))
  let i = 0
  while (i < words.length) {
    const w = words[i]!
    if (w === '' || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) {
      i++
      continue
    }
    if (skipPrefixes && PREFIX.test(w)) {
      i++
      // options of the prefix (`sudo -E`, `sudo -u app`)
      while (i < words.length && words[i]!.startsWith('-')) i += /^-[ugCD]$/.test(words[i]!) ? 2 : 1
      continue
    }
    return w.slice(w.lastIndexOf('/') + 1)
  }
  return undefined
}

/** Does a stage fetch from the network (curl, wget)? */
const FETCH = /(^|[\s"'(/])(curl|wget)(\s|$)/

/** Is something downloaded and piped into an interpreter (`curl … | sh`, `wget -O- … | python3`, `bash <(curl …)`, `sh -c "$(curl …)"`)? */
export function pipesDownloadToShell(text: string): boolean {
  // shell line continuations (inside heredoc scripts) join lines
  const cmd = text.replace(/\\\r?\n/g, ' ')
  for (const stmt of cmd.split(/\n|;|&&|\|\|/)) {
    const stages = stmt.split('|')
    for (let i = 0; i < stages.length - 1; i++) {
      if (!FETCH.test(stages[i]!)) continue
      for (let j = i + 1; j < stages.length; j++) {
        const prog = programOf(stages[j]!)
        if (prog && INTERPRETER.test(prog)) return true
      }
    }
  }
  if (/(^|[\s;&|(])(ba|z|da|k)?sh\s+(-\S+\s+)*<\(\s*(curl|wget)\s/.test(cmd)) return true
  if (/(^|[\s;&|(])((ba|z|da|k)?sh\s+-c|eval)\s+["']?\$\(\s*(curl|wget)\s/.test(cmd)) return true
  return false
}

/** Does the command run `sudo` as a program? (`apt-get install sudo` does not.) */
export function runsSudo(cmd: string): boolean {
  return pipelines(cmd).some((p) => p.some((stage) => programOf(stage, false) === 'sudo'))
}

/** Does the command install the sudo package with a package manager? */
export function installsSudo(cmd: string): boolean {
  return pipelines(cmd).some((p) =>
    p.some((stage) => {
      const words = stage.trim().split(/\s+/)
      const prog = programOf(stage)
      if (!prog || !/^(apt-get|apt|apk|yum|dnf|microdnf|zypper|tdnf)$/.test(prog)) return false
      const idx = words.findIndex((w) => /^(install|add)$/.test(w))
      return idx !== -1 && words.slice(idx + 1).some((w) => w.replace(/["']/g, '') === 'sudo')
    }),
  )
}
