// Speed of detectStructured (src/phi/detect, issue #7): builds a deterministic mixed log/clinical
// text (one identifier per ~90 bytes) and prints MB/s, once over 64 KB chunks (kind text) and once
// line by line (kind log). MB/s per core is measured on CPU time (process.cpuUsage), so that it
// holds on a shared, loaded machine; wall-clock MB/s is printed too. Not a unit test.
//
// Usage: node bench/phi-detect-speed.mjs [path/to/phi/detect/index.js] [MB]
//   default module: dist/phi/detect/index.js (after `npm run build`). To measure a private build:
//   npx tsc src/phi/detect/index.ts --outDir /tmp/phi-detect-build --module nodenext \
//     --moduleResolution nodenext --target es2022 --skipLibCheck --rootDir src
//   node bench/phi-detect-speed.mjs /tmp/phi-detect-build/phi/detect/index.js 50
// Environment: LOG_SHARE (share of log lines, default 0.6), DUMP=<file> writes the generated text.
import { performance } from 'node:perf_hooks'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const modPath = process.argv[2] ? pathToFileURL(resolve(process.argv[2])).href : new URL('../dist/phi/detect/index.js', import.meta.url).href
const mb = Number(process.argv[3] ?? 50)
const { detectStructured } = await import(modPath)

// deterministic PRNG
let seed = 42
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff)
const pick = (a) => a[Math.floor(rnd() * a.length)]
const num = (n) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('')
const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rnd() * 16)]).join('')

const logLine = () => {
  const ts = `2024-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)}T1${Math.floor(rnd() * 9)}:2${Math.floor(rnd() * 9)}:0${Math.floor(rnd() * 9)}.${num(3)}Z`
  return pick([
    () => `${ts} INFO  [api-7d4b9c8f6-x2x9z] GET /v1/patients/${num(6)} 200 ${num(3)}ms bytes=${num(5)} trace_id=${hex(32)} span_id=${hex(16)}`,
    () => `${ts} WARN  [worker] retry ${num(1)}/5 for job ${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)} from 10.0.${num(1)}.${num(2)}:${num(4)}`,
    () => `${ts} INFO  deploy build 4512 commit ${hex(40)} image sha256:${hex(64)} version 1.${num(1)}.${num(2)}`,
    () => `${ts} ERROR arn:aws:lambda:us-east-1:${num(12)}:function:intake-${hex(6)} timed out after ${num(4)} ms epoch=${num(13)}`,
    () => `${ts} INFO  patient lookup mrn=MRN${num(7)} dob=19${num(2)}-0${1 + Math.floor(rnd() * 9)}-1${num(1)} phone=(212) 555-0${num(3)} email=j.doe${num(2)}@example.org`,
  ])()
}
const noteLine = () =>
  pick([
    () => `Patient is a 9${num(1)}-year-old seen on March ${1 + Math.floor(rnd() * 27)}, 2023 for follow-up of CHF. BP 128/78, HR 72.`,
    () => `DOB: 0${1 + Math.floor(rnd() * 9)}/1${num(1)}/19${num(2)}  MRN: ${num(8)}  Phone: 617-555-01${num(2)}  Fax: 617-555-0199`,
    () => `Insurance: Medicare MBI 1EG4-TE5-MK73, member ID XYZ${num(9)}; SSN 536-22-${num(4)}. Contact jane${num(2)}@mail.example.com.`,
    () => `Assessment: type 2 diabetes mellitus (E11.9), hypertension (I10). Continue metformin 500 mg twice daily; recheck A1c in 3 months.`,
    () => `Discussed the plan with the patient and daughter; all questions answered. Follow up in clinic in two weeks or sooner if symptoms worsen.`,
  ])()

const lines = []
let size = 0
while (size < mb * 1024 * 1024) {
  const l = rnd() < Number(process.env.LOG_SHARE ?? 0.6) ? logLine() : noteLine()
  lines.push(l)
  size += l.length + 1
}
if (process.env.DUMP) (await import("node:fs")).writeFileSync(process.env.DUMP, lines.join("\n"))
const text = lines.join('\n')
const chunks = []
for (let i = 0; i < text.length; i += 65536) {
  let j = Math.min(text.length, i + 65536)
  chunks.push(text.slice(i, j))
}
const run = (label, fn) => {
  fn() // warm-up on the same data
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const n = fn()
  const s = (performance.now() - t0) / 1000
  const cu = process.cpuUsage(c0)
  const cpu = (cu.user + cu.system) / 1e6
  const MB = size / 1024 / 1024
  // CPU time of this (single-threaded) process: MB per core-second, robust to other load on the box
  console.log(`${label}: ${MB.toFixed(1)} MB, wall ${s.toFixed(2)} s = ${(MB / s).toFixed(1)} MB/s, cpu ${cpu.toFixed(2)} s = ${(MB / cpu).toFixed(1)} MB/s per core, ${n} hits`)
}
run('64 KB chunks, kind text', () => chunks.reduce((n, c) => n + detectStructured(c).length, 0))
run('per line, kind log     ', () => lines.reduce((n, l) => n + detectStructured(l, { kind: 'log' }).length, 0))
