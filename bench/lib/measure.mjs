// Child-process measurement: wall time from spawn to exit (process start included) and the
// child's peak RSS (GNU time's %M when /usr/bin/time exists, else a preloaded module that reports
// process.resourceUsage().maxRSS). Every figure comes from a separate process, never from the
// benchmark's own warmed-up heap.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const GNU_TIME = '/usr/bin/time'
/** How peak RSS is read: GNU time when present (it wraps the real process), else the preload. */
export const RSS_METHOD = fs.existsSync(GNU_TIME) ? 'gnu-time' : 'preload'
const PRELOAD = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), 'report-rss.mjs')).href

let seq = 0
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-bench-'))
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }))

/**
 * Run `node ARGS` once. `stdoutPath` keeps stdout (else /dev/null); `timeoutMs` kills the whole
 * process group (the child and anything it started) and marks the run as timed out.
 * Resolves { ms, rssKB, code, signal, timedOut, stderr }.
 */
export function runNode(args, { stdoutPath, timeoutMs, env, cwd } = {}) {
  const rssFile = path.join(scratch, `rss-${seq++}.txt`)
  const nodeArgs = RSS_METHOD === 'preload' ? ['--import', PRELOAD, ...args] : args
  const [cmd, argv] = RSS_METHOD === 'gnu-time' ? [GNU_TIME, ['-f', '%M', '-o', rssFile, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs]
  const out = fs.openSync(stdoutPath ?? '/dev/null', 'w')
  return new Promise((resolve) => {
    const start = process.hrtime.bigint()
    const child = spawn(cmd, argv, {
      cwd,
      stdio: ['ignore', out, 'pipe'],
      detached: true,
      env: { ...process.env, ...env, ...(RSS_METHOD === 'preload' ? { BENCH_RSS_FILE: rssFile } : {}) },
    })
    let stderr = ''
    child.stderr.on('data', (d) => {
      if (stderr.length < 16_000) stderr += d
    })
    let timedOut = false
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true
          try {
            process.kill(-child.pid, 'SIGKILL')
          } catch {
            // already gone
          }
        }, timeoutMs)
      : null
    child.on('exit', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6
      if (timer) clearTimeout(timer)
      fs.closeSync(out)
      let rssKB = null
      try {
        const nums = fs.readFileSync(rssFile, 'utf8').trim().split(/\s+/).filter((x) => /^\d+$/.test(x))
        rssKB = nums.length ? Number(nums[nums.length - 1]) : null
      } catch {
        // killed before it could write
      }
      // GNU time reports a child killed by a signal in its own exit status
      child.stderr.on('end', () => resolve({ ms, rssKB, code, signal, timedOut, stderr }))
      if (child.stderr.readableEnded) resolve({ ms, rssKB, code, signal, timedOut, stderr })
    })
  })
}

/** Median of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/**
 * Run `node ARGS` `warmup` + `runs` times; the warm-up (page cache, JIT code cache) is discarded.
 * Returns { samples, median, min, max, rssMB (peak over the measured runs), failures }.
 */
export async function measure(args, { runs, warmup = 1, timeoutMs, env, cwd, expectCode = 0 } = {}) {
  const samples = []
  const rss = []
  const failures = []
  for (let i = 0; i < warmup + runs; i++) {
    const r = await runNode(args, { timeoutMs, env, cwd })
    if (r.timedOut || r.code !== expectCode) {
      failures.push({ run: i, code: r.code, signal: r.signal, timedOut: r.timedOut, ms: r.ms, stderr: r.stderr.slice(0, 2000) })
      if (r.timedOut) break
      continue
    }
    if (i < warmup) continue
    samples.push(r.ms)
    if (r.rssKB != null) rss.push(r.rssKB / 1024)
  }
  return {
    samples,
    median: samples.length ? median(samples) : null,
    min: samples.length ? Math.min(...samples) : null,
    max: samples.length ? Math.max(...samples) : null,
    rssMB: rss.length ? Math.max(...rss) : null,
    failures,
  }
}
