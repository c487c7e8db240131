#!/usr/bin/env node
// Vulnerability benchmark (`npm run bench`, or `node bench/vulns.mjs`; build first:
// `npx tsc -p tsconfig.build.json`). Targets from the issue, checked here:
//   · import of 200,000 OSV records under 60 s (fresh PGlite data directory, initdb excluded);
//   · matching a 3,000-package lockfile plus a 700-package Debian root filesystem under 1 s after
//     the database is loaded: reading both inputs into components, the lookup, version evaluation
//     and findings, measured in-process on an open store (median of BENCH_RUNS, default 5).
// Each figure is printed with a baseline measured in the same run, as a ratio: for the import,
// reading + JSON.parse + zod validation of the same zips without a database; for the match,
// reading + JSON.parse of the lockfile and reading + splitting the dpkg status file.
//
// The records are the real ones in ../shared/vulndb (Go, crates.io, PyPI, npm), copied with new
// ids to 200,000 (package names suffixed after the first copy, so lookups stay realistic), plus
// three Debian:12 records per source package of the Debian status file (shaped like osv.dev's
// Debian records), written as deflated zips like the OSV export. The Debian filesystem is this
// machine's /var/lib/dpkg/status when present (Debian 12 here: ~760 packages), else the
// test fixture. Options: --records N, --record (write bench/RESULTS-vulns.md).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(here, '..')
const dist = path.resolve(process.env.PHIWALL_DIST ?? path.join(ROOT, 'dist'))
if (!fs.existsSync(path.join(dist, 'index.js'))) {
  console.log('FAIL: dist/ is missing. Build first: npx tsc -p tsconfig.build.json')
  process.exit(2)
}
const load = (p) => import(pathToFileURL(path.join(dist, p)).href)
const { openStore } = await load('store/index.js')
const { importOsv } = await load('vulns/db/index.js')
const { readOsvInputs } = await load('vulns/db/read.js')
const { osvRecordSchema } = await load('vulns/osv.js')
const { collect } = await load('sources/index.js')
const { assessComponents } = await load('vulns/index.js')

const argv = process.argv.slice(2)
const argIndex = argv.indexOf('--records')
const TOTAL = argIndex >= 0 ? Number(argv[argIndex + 1]) : 200_000
const RECORD = argv.includes('--record')
const RUNS = process.env.BENCH_RUNS && /^\d+$/.test(process.env.BENCH_RUNS) ? Number(process.env.BENCH_RUNS) : 5
const TARGET = { importS: 60, matchMs: 1000 }
const SHARDS = 4 // a zip without ZIP64 holds at most 65,535 entries
const vulndb = [process.env.PHIWALL_VULNDB, path.join(ROOT, '..', 'shared', 'vulndb'), '/work/shared/vulndb'].find((d) => d && fs.existsSync(path.join(d, 'npm', 'all.zip')))
if (!vulndb) {
  console.log('FAIL: the OSV test data (../shared/vulndb) was not found; set PHIWALL_VULNDB')
  process.exit(2)
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-bench-vulns-'))
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }))
const out = []
const say = (s = '') => {
  out.push(s)
  process.stdout.write(`${s}\n`)
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
let failed = false
const verdict = (ok) => {
  if (!ok) failed = true
  return ok ? 'PASS' : 'FAIL'
}

/** A minimal zip writer (deflate, no ZIP64): enough for the OSV export shape. */
function writeZip(file, entries) {
  const fd = fs.openSync(file, 'w')
  const central = []
  let offset = 0
  const crc32 = zlib.crc32
  for (const [name, text] of entries) {
    const nameBuf = Buffer.from(name)
    const data = Buffer.from(text)
    const comp = zlib.deflateRawSync(data)
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0, 6); local.writeUInt16LE(8, 8)
    local.writeUInt32LE(0, 10); local.writeUInt32LE(crc, 14); local.writeUInt32LE(comp.length, 18); local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(nameBuf.length, 26); local.writeUInt16LE(0, 28)
    fs.writeSync(fd, local); fs.writeSync(fd, nameBuf); fs.writeSync(fd, comp)
    const cd = Buffer.alloc(46)
    cd.writeUInt32LE(0x02014b50, 0); cd.writeUInt16LE(20, 4); cd.writeUInt16LE(20, 6); cd.writeUInt16LE(0, 8); cd.writeUInt16LE(8, 10)
    cd.writeUInt32LE(0, 12); cd.writeUInt32LE(crc, 16); cd.writeUInt32LE(comp.length, 20); cd.writeUInt32LE(data.length, 24)
    cd.writeUInt16LE(nameBuf.length, 28); cd.writeUInt32LE(offset, 42)
    central.push(cd, nameBuf)
    offset += 30 + nameBuf.length + comp.length
  }
  const cdBuf = Buffer.concat(central)
  fs.writeSync(fd, cdBuf)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(cdBuf.length, 12); end.writeUInt32LE(offset, 16)
  fs.writeSync(fd, end)
  fs.closeSync(fd)
}


// ------------------------------------------------------------------ inputs
// the Debian root filesystem: os-release + dpkg status
const hostStatus = '/var/lib/dpkg/status'
const osRelease = fs.existsSync('/etc/os-release') ? fs.readFileSync('/etc/os-release', 'utf8') : ''
const useHost = fs.existsSync(hostStatus) && /^ID=debian$/m.test(osRelease) && /^VERSION_ID="?12"?$/m.test(osRelease)
const statusText = useHost ? fs.readFileSync(hostStatus, 'utf8') : fs.readFileSync(path.join(ROOT, 'test/e2e/testdata/vulns/debian-rootfs/var/lib/dpkg/status'), 'utf8')
const rootfs = path.join(tmp, 'rootfs')
fs.mkdirSync(path.join(rootfs, 'etc'), { recursive: true })
fs.mkdirSync(path.join(rootfs, 'var/lib/dpkg'), { recursive: true })
fs.writeFileSync(path.join(rootfs, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')
fs.writeFileSync(path.join(rootfs, 'var/lib/dpkg/status'), statusText)
const sources = new Map() // source package → version
for (const stanza of statusText.split(/\n\n+/)) {
  const pkg = /^Package: (.+)$/m.exec(stanza)?.[1]
  const ver = /^Version: (.+)$/m.exec(stanza)?.[1]
  if (!pkg || !ver || !/^Status: .* installed$/m.test(stanza)) continue
  const src = /^Source: (\S+)(?: \((.+)\))?$/m.exec(stanza)
  sources.set(src?.[1] ?? pkg, src?.[2] ?? ver)
}
const installed = statusText.split(/\n\n+/).filter((s) => /^Status: .* installed$/m.test(s)).length

// the real records, and the npm package names they name
const real = []
await readOsvInputs(['Go', 'crates.io', 'PyPI', 'npm'].map((e) => path.join(vulndb, e, 'all.zip')), [], async (raw) => {
  real.push(JSON.parse(raw.text))
})
const npmNames = [...new Set(real.flatMap((r) => (r.affected ?? []).filter((a) => a.package?.ecosystem === 'npm').map((a) => a.package.name)))].sort()

// a 3,000-package npm lockfile v3: every npm package an advisory names, at an old version, and
// generated packages, in a dependency graph three levels deep
const lockDir = path.join(tmp, 'app')
fs.mkdirSync(lockDir)
const N = 3000
const names = [...npmNames, ...Array.from({ length: N - npmNames.length }, (_, i) => `bench-pkg-${i}`)].slice(0, N)
const packages = { '': { name: 'clinic-portal', version: '1.0.0', dependencies: Object.fromEntries(names.slice(0, 60).map((n) => [n, '*'])) } }
names.forEach((n, i) => {
  const deps = {}
  for (let k = 1; k <= 3; k++) {
    const j = i * 3 + k
    if (j < N) deps[names[j]] = '*'
  }
  packages[`node_modules/${n}`] = { version: i < npmNames.length ? '0.0.1' : `1.${i % 10}.${i % 7}`, resolved: `https://registry.npmjs.org/${n}/-/${n.replace(/^@[^/]+\//, '')}-1.0.0.tgz`, integrity: 'sha512-AAAA', ...(Object.keys(deps).length ? { dependencies: deps } : {}) }
})
const lockText = JSON.stringify({ name: 'clinic-portal', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)
fs.writeFileSync(path.join(lockDir, 'package-lock.json'), lockText)
fs.writeFileSync(path.join(lockDir, 'package.json'), JSON.stringify({ name: 'clinic-portal', version: '1.0.0', dependencies: packages[''].dependencies }, null, 2))

// ------------------------------------------------------------------ records
const shards = Array.from({ length: SHARDS }, () => [])
let bytes = 0
let n = 0
const add = (record) => {
  const text = JSON.stringify(record, null, 2)
  bytes += text.length
  shards[n++ % SHARDS].push([`${record.id}.json`, text])
}
// Debian:12, three per source package: fixed above the installed version (affected), fixed at it
// (not affected), and a Debian 11 record (other release)
let d = 0
for (const [src, ver] of [...sources].sort()) {
  for (const [rel, fixed] of [['12', `${ver}+deb12u99`], ['12', ver], ['11', `${ver}+deb11u1`]]) {
    add({ schema_version: '1.6.0', id: `DEBIAN-CVE-2099-${String(++d).padStart(5, '0')}`, modified: '2026-12-01T00:00:00Z', upstream: [`CVE-2099-${d}`], summary: `synthetic ${src} advisory`, affected: [{ package: { ecosystem: `Debian:${rel}`, name: src, purl: `pkg:deb/debian/${src}?arch=source` }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }], versions: [] }] })
  }
}
const debianRecords = d
for (let i = 0; n < TOTAL; i++) {
  const base = real[i % real.length]
  const copy = Math.floor(i / real.length) // copy 0 keeps the real package names
  const affected = base.affected?.map((a) => (a.package && copy > 0 ? { ...a, package: { ...a.package, name: `${a.package.name}-syn${copy}` } } : a))
  add({ ...base, id: `SYN-${String(i).padStart(6, '0')}-${base.id}`, aliases: (base.aliases ?? []).map((a) => `${a}-${i}`), ...(affected ? { affected } : {}) })
}
const zips = shards.map((entries, i) => {
  const file = path.join(tmp, `synthetic-${i}.zip`)
  writeZip(file, entries)
  return file
})
shards.length = 0

say(`# PhiWall vulnerability benchmark`)
say()
say(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ${new Date().toISOString()}`)
say(`records: ${n.toLocaleString('en')} (${real.length.toLocaleString('en')} real, copied with new ids; ${debianRecords.toLocaleString('en')} Debian:12/11), ${(bytes / 1e6).toFixed(0)} MB of JSON in ${SHARDS} zips`)
say(`inputs: npm package-lock.json v3 with ${N.toLocaleString('en')} packages (${npmNames.length} named by npm advisories); Debian 12 root filesystem with ${installed} installed packages from ${sources.size} source packages (${useHost ? 'this machine\'s dpkg status' : 'the test fixture: this is not Debian 12'})`)
say()

// ------------------------------------------------------------------ import
let t = performance.now()
let valid = 0
await readOsvInputs(zips, [], async (raw) => {
  if (osvRecordSchema.safeParse(JSON.parse(raw.text)).success) valid++
})
const baselineMs = performance.now() - t
t = performance.now()
const store = await openStore({ dataDir: path.join(tmp, 'db') })
const openMs = performance.now() - t
t = performance.now()
const result = await importOsv(store, zips)
const importMs = performance.now() - t
if (result.imported !== n) {
  say(`FAIL: ${result.imported} of ${n} records imported (${result.invalid} invalid)`)
  failed = true
}
say(`## Import`)
say()
say(`| figure | value | baseline (read + parse + validate, no database) | ratio | target | |`)
say(`|---|---|---|---|---|---|`)
say(`| import ${n.toLocaleString('en')} records | ${(importMs / 1000).toFixed(1)} s (${Math.round(result.imported / (importMs / 1000)).toLocaleString('en')} records/s) | ${(baselineMs / 1000).toFixed(1)} s | ${(importMs / baselineMs).toFixed(2)}× | < ${TARGET.importS} s | ${verdict(importMs / 1000 < TARGET.importS)} |`)
say(`| open a fresh data directory (initdb, not in the import figure) | ${(openMs / 1000).toFixed(1)} s | | | | |`)
say()

// ------------------------------------------------------------------ match
const baseRuns = []
const collectRuns = []
const matchRuns = []
let last
for (let run = 0; run < RUNS + 1; run++) {
  let s = performance.now()
  const lock = JSON.parse(fs.readFileSync(path.join(lockDir, 'package-lock.json'), 'utf8'))
  const stanzas = fs.readFileSync(path.join(rootfs, 'var/lib/dpkg/status'), 'utf8').split(/\n\n+/)
  const base = performance.now() - s
  if (!lock.packages || !stanzas.length) throw new Error('baseline read nothing')
  s = performance.now()
  const collected = await collect([lockDir, rootfs])
  const c = performance.now() - s
  s = performance.now()
  const assessed = await assessComponents(collected.components, { store })
  const m = performance.now() - s
  if (run > 0) {
    // the first run warms the code paths and the database's caches
    baseRuns.push(base)
    collectRuns.push(c)
    matchRuns.push(m)
  }
  last = { collected, assessed }
}
await store.close()
const comps = last.collected.components
const byEco = {}
for (const c of comps) byEco[c.ecosystem] = (byEco[c.ecosystem] ?? 0) + 1
const fails = last.assessed.findings.filter((f) => f.status === 'fail')
const debFails = fails.filter((f) => f.evidence.ecosystem === 'Debian').length
const total = median(collectRuns) + median(matchRuns)
say(`## Match after load (median of ${RUNS} runs, in-process, open store)`)
say()
say(`components: ${comps.length.toLocaleString('en')} (${Object.entries(byEco).map(([e, k]) => `${e} ${k}`).join(', ')}); vulnerability findings: ${fails.length.toLocaleString('en')} (${debFails} Debian)`)
say()
say(`| figure | value | baseline (read + JSON.parse lockfile, read + split status) | ratio | target | |`)
say(`|---|---|---|---|---|---|`)
say(`| read inputs into components | ${median(collectRuns).toFixed(0)} ms | ${median(baseRuns).toFixed(0)} ms | ${(median(collectRuns) / median(baseRuns)).toFixed(1)}× | | |`)
say(`| lookup + version evaluation + findings | ${median(matchRuns).toFixed(0)} ms | | | | |`)
say(`| total: components → findings | ${total.toFixed(0)} ms | ${median(baseRuns).toFixed(0)} ms | ${(total / median(baseRuns)).toFixed(1)}× | < ${TARGET.matchMs} ms | ${verdict(total < TARGET.matchMs)} |`)
if (debFails !== installed && useHost) {
  // every installed package's source has one affected Debian 12 record
  say(`FAIL: expected ${installed} Debian findings (one per installed package), got ${debFails}`)
  failed = true
}
if (RECORD) {
  fs.writeFileSync(path.join(ROOT, 'bench', 'RESULTS-vulns.md'), `${out.join('\n')}\n\nRecorded by \`node bench/vulns.mjs --record\`.\n`)
  process.stderr.write('· wrote bench/RESULTS-vulns.md\n')
}
process.exitCode = failed ? 1 : 0
