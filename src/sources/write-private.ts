import fs from 'node:fs'
import path from 'node:path'
import { PhiwallError } from '../model/index.js'

/**
 * Writes a snapshot as indented JSON (so findings point at lines), readable by its owner only
 * (mode 0600): snapshots hold configuration that must be handled like the account's or cluster's
 * own. The file is written beside the target and renamed into place, so a reader never sees half
 * a snapshot and an existing file with looser permissions is replaced, not reused.
 */
export function writePrivateJson(file: string, value: unknown): void {
  const dir = path.dirname(path.resolve(file))
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`)
  try {
    fs.mkdirSync(dir, { recursive: true })
    const fd = fs.openSync(tmp, 'wx', 0o600)
    try {
      fs.writeSync(fd, `${JSON.stringify(value, null, 2)}\n`)
      fs.fchmodSync(fd, 0o600)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, file)
  } catch (err) {
    try {
      fs.rmSync(tmp, { force: true })
    } catch {
      // nothing was created
    }
    throw new PhiwallError('PW_ERR_OUTPUT_UNWRITABLE', `${path.basename(file)} cannot be written to ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, { cause: err })
  }
}
