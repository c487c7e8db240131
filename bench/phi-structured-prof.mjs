// Times detectStructured alone on the bench/phi corpus (same texts and contexts as bench/phi.mjs),
// for profiling: PROFILE=out.cpuprofile node bench/phi-structured-prof.mjs [dist/phi/index.js] [runs]
// (the profile covers the timed runs only, not the corpus generation)
import { performance } from 'node:perf_hooks'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { buildCorpus, DEFAULT_SEED } from './phi/generate.mjs'

const modPath = process.argv[2] ? pathToFileURL(resolve(process.argv[2])).href : new URL('../dist/phi/index.js', import.meta.url).href
const runs = Number(process.argv[3] ?? 5)
const { detectStructured } = await import(modPath)
const corpus = buildCorpus({ seed: DEFAULT_SEED, mb: 20 })
const ctxFor = (kind) => (kind.startsWith('note-') ? { kind: 'text' } : kind === 'app-log' || /^infra-(ci|vpc|access|service|k8s)/.test(kind) ? { kind: 'log' } : undefined)
const texts = corpus.files.map((f) => [f.text, ctxFor(f.kind)])
const mb = corpus.bytes / 1e6
const one = () => { let n = 0; const c0 = process.cpuUsage(); for (const [t, c] of texts) n += detectStructured(t, c).length; const c = process.cpuUsage(c0); return { cpu: (c.user + c.system) / 1e6, n } }
one()
let session
if (process.env.PROFILE) {
  const { Session } = await import('node:inspector/promises')
  session = new Session(); session.connect()
  await session.post('Profiler.enable'); await session.post('Profiler.setSamplingInterval', { interval: Number(process.env.PROFILE_INTERVAL ?? 1000) }); await session.post('Profiler.start')
}
const rs = []
for (let i = 0; i < runs; i++) rs.push(one())
if (session) { const { profile } = await session.post('Profiler.stop'); (await import('node:fs')).writeFileSync(process.env.PROFILE, JSON.stringify(profile)) }
rs.sort((a, b) => a.cpu - b.cpu)
console.log(`${mb.toFixed(1)} MB, hits ${rs[0].n}; MB/s per core: best ${(mb / rs[0].cpu).toFixed(1)}, median ${(mb / rs[rs.length >> 1].cpu).toFixed(1)}`)
