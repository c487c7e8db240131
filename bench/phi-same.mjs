// Prints a SHA-256 of every hit detectStructured and detectAll return on the bench/phi corpus, the
// repository's PHI test data and ../shared/corpus/phi: two builds that print the same digests
// find the same hits. Used to check that a speed change keeps the results.
// Usage: node bench/phi-same.mjs [path/to/phi/index.js]   (default dist/phi/index.js)
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { buildCorpus, DEFAULT_SEED } from './phi/generate.mjs'

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
const modPath = process.argv[2] ? pathToFileURL(path.resolve(process.argv[2])).href : pathToFileURL(path.join(ROOT, 'dist/phi/index.js')).href
const { detectStructured, detectAll } = await import(modPath)
const ctxFor = (kind) => (kind.startsWith('note-') ? { kind: 'text' } : kind === 'app-log' || /^infra-(ci|vpc|access|service|k8s)/.test(kind) ? { kind: 'log' } : undefined)
const texts = buildCorpus({ seed: DEFAULT_SEED, mb: 20 }).files.map((f) => [f.text, ctxFor(f.kind)])
const walk = (d) => (fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)])) : [])
for (const f of [...walk(path.join(ROOT, 'src/phi')), ...walk(path.join(ROOT, '../shared/corpus/phi'))].filter((f) => /testdata|corpus/.test(f)).sort()) {
  const buf = fs.readFileSync(f)
  if (buf.length > 5e6 || buf.includes(0)) continue
  const text = buf.toString('utf8')
  texts.push([text, undefined], [text, { kind: 'log' }])
  for (const line of text.split('\n').slice(0, 2000)) texts.push([line, undefined])
}
for (const [name, fn] of [['detectStructured', detectStructured], ['detectAll', detectAll]]) {
  const h = createHash('sha256')
  let n = 0
  for (const [t, c] of texts) for (const x of fn(t, c)) { h.update(JSON.stringify(x)); n++ }
  console.log(name.padEnd(17), n, 'hits', h.digest('hex').slice(0, 16))
}
