import fs from 'node:fs'
import path from 'node:path'
import { PhiwallError } from '../model/index.js'

/** Name of the lock file inside a PGlite data directory. */
export const LOCK_FILE = 'phiwall.lock'

/** Data directories held by this process (a second open from the same process is refused too). */
const heldHere = new Set<string>()

/** True when a process with this pid exists (signal 0 probes without sending anything). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes the lock of a data directory: `<dir>/phiwall.lock` created exclusively with this pid.
 * A lock left by a process that no longer runs is taken over; a live holder is refused with
 * `PW_ERR_STORE` naming its pid. Returns the function that releases the lock.
 */
export function acquireDirLock(dir: string): () => void {
  const abs = path.resolve(dir)
  const file = path.join(abs, LOCK_FILE)
  if (heldHere.has(abs)) throw new PhiwallError('PW_ERR_STORE', `The data directory ${abs} is already open in this process (pid ${process.pid}); open it once and share the store.`)
  try {
    fs.mkdirSync(abs, { recursive: true })
  } catch (err) {
    throw new PhiwallError('PW_ERR_STORE', `Cannot create the data directory ${abs}: ${(err as Error).message}`, { cause: err })
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' })
      heldHere.add(abs)
      let released = false
      return () => {
        if (released) return
        released = true
        heldHere.delete(abs)
        try {
          if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file)
        } catch {
          // already gone
        }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new PhiwallError('PW_ERR_STORE', `Cannot write the lock file ${file}: ${(err as Error).message}`, { cause: err })
    }
    let holder = NaN
    try {
      holder = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10)
    } catch {
      continue // removed meanwhile: try again
    }
    if (processAlive(holder) && holder !== process.pid) {
      throw new PhiwallError('PW_ERR_STORE', `The data directory ${abs} is in use by another PhiWall process (pid ${holder}); stop it or use another --data-dir. If no such process runs, delete ${file}.`)
    }
    // stale lock (its process is gone, or a previous run of this pid that did not clean up)
    try {
      fs.unlinkSync(file)
    } catch {
      // someone else removed it first
    }
  }
  throw new PhiwallError('PW_ERR_STORE', `Cannot take the lock ${file}: another process keeps taking it.`)
}
