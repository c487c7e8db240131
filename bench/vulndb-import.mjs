#!/usr/bin/env node
// Benchmark: import 200,000 OSV records into a fresh PGlite data directory, and look up 3,700 packages.
//
//   npx tsc -p tsconfig.build.json && node bench/vulndb-import.mjs [--records 200000]
//
// The records are synthesised from the real ones in ../shared/vulndb (new ids, same shapes), written
// (package names suffixed after the first copy), written as four per-ecosystem-style zips (deflated, like the OSV export), then imported with importOsv.
// A baseline measured in the same run — reading the same zips, JSON.parse and zod validation, no
// database — shows what the database costs on top (the ratio). PHIWALL_DIST points at another build.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const dist = path.resolve(process.env.PHIWALL_DIST ?? path.join(here, '..', 'dist'))
const load = (p) => import(pathToFileURL(path.join(dist, p)).href)
const { openStore } = await load('store/index.js')
const { importOsv, lookupAdvisories } = await load('vulns/db/index.js')
const { readOsvInputs } = await load('vulns/db/read.js')
const { osvRecordSchema } = await load('vulns/osv.js')

const argIndex = process.argv.indexOf('--records')
const TOTAL = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 200_000
const SHARDS = 4 // a zip without ZIP64 holds at most 65,535 entries
const vulndb = path.resolve(process.env.PHIWALL_VULNDB ?? path.join(here, '..', '..', 'shared', 'vulndb'))
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-bench-vulndb-'))

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

// 1. the real records
const real = []
await readOsvInputs(['Go', 'crates.io', 'PyPI', 'npm'].map((e) => path.join(vulndb, e, 'all.zip')), [], async (raw) => {
  real.push(JSON.parse(raw.text))
})
// 2. synthesise: new ids (and aliases), same shapes, pretty-printed like the export
const shards = Array.from({ length: SHARDS }, () => [])
let bytes = 0
for (let i = 0; i < TOTAL; i++) {
  const base = real[i % real.length]
  const id = `SYN-${String(i).padStart(6, '0')}-${base.id}`
  const copy = Math.floor(i / real.length) // copy 0 keeps the real package names, so lookups stay realistic
  const affected = base.affected?.map((a) => (a.package && copy > 0 ? { ...a, package: { ...a.package, name: `${a.package.name}-syn${copy}` } } : a))
  const text = JSON.stringify({ ...base, id, aliases: (base.aliases ?? []).map((a) => `${a}-${i}`), ...(affected ? { affected } : {}) }, null, 2)
  bytes += text.length
  shards[i % SHARDS].push([`${id}.json`, text])
}
const zips = shards.map((entries, i) => {
  const file = path.join(tmp, `synthetic-${i}.zip`)
  writeZip(file, entries)
  return file
})
shards.length = 0
console.log(`synthesised ${TOTAL.toLocaleString('en')} records from ${real.length.toLocaleString('en')} real ones (${(bytes / 1e6).toFixed(0)} MB of JSON in ${SHARDS} zips)`)

// 3. baseline: read + JSON.parse + zod validation, no database
let t = performance.now()
let valid = 0
await readOsvInputs(zips, [], async (raw) => {
  if (osvRecordSchema.safeParse(JSON.parse(raw.text)).success) valid++
})
const baselineMs = performance.now() - t
console.log(`baseline (read + parse + validate, no database): ${(baselineMs / 1000).toFixed(2)} s, ${Math.round(valid / (baselineMs / 1000)).toLocaleString('en')} records/s`)

// 4. the import into a fresh PGlite data directory (initdb included)
t = performance.now()
const store = await openStore({ dataDir: path.join(tmp, 'db') })
const openMs = performance.now() - t
t = performance.now()
const result = await importOsv(store, zips)
const importMs = performance.now() - t
console.log(`open fresh PGlite (initdb): ${(openMs / 1000).toFixed(2)} s`)
console.log(`import: ${result.imported.toLocaleString('en')} imported, ${result.invalid} invalid in ${(importMs / 1000).toFixed(2)} s = ${Math.round(result.imported / (importMs / 1000)).toLocaleString('en')} records/s; ${(importMs / baselineMs).toFixed(2)}× the baseline`)

// 5. lookup of 3,700 packages (names from the records, plus misses)
const names = new Map()
for (const r of real) for (const a of r.affected ?? []) if (a.package) names.set(`${a.package.ecosystem}\u0000${a.package.name}`, { ecosystem: a.package.ecosystem, name: a.package.name })
const packages = [...names.values()].slice(0, 3000)
for (let i = packages.length; i < 3700; i++) packages.push({ ecosystem: 'npm', name: `no-such-package-${i}` })
await lookupAdvisories(store, packages.slice(0, 10)) // warm up
t = performance.now()
const found = await lookupAdvisories(store, packages)
const lookupMs = performance.now() - t
let advisories = 0
for (const list of found.values()) advisories += list.length
console.log(`lookup: ${packages.length.toLocaleString('en')} packages → ${advisories.toLocaleString('en')} advisories in ${lookupMs.toFixed(0)} ms`)
await store.close()
fs.rmSync(tmp, { recursive: true, force: true })
if (result.imported !== TOTAL) {
  console.error(`expected ${TOTAL} records imported`)
  process.exitCode = 1
}
