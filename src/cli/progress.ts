import cliProgress from 'cli-progress'

/** A progress bar on stderr for interactive terminals; silent otherwise (CI, pipes, --no-progress). */
export function progressBar(enabled: boolean, stage = 'Reading'): { update(done: number, total: number, label: string): void; stop(): void } {
  if (!enabled || !process.stderr.isTTY || process.env['CI']) return { update() {}, stop() {} }
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: '{stage} [{bar}] {value}/{total} {label}', hideCursor: true, clearOnComplete: true, barsize: 30, fps: 15 },
    cliProgress.Presets.shades_classic,
  )
  let started = false
  return {
    update(done, total, label) {
      if (!started) {
        bar.start(total, 0, { stage, label: '' })
        started = true
      }
      bar.setTotal(total)
      bar.update(done, { stage, label: label.length > 40 ? '…' + label.slice(-39) : label })
    },
    stop() {
      if (started) bar.stop()
      started = false
    },
  }
}
