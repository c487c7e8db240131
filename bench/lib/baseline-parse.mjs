#!/usr/bin/env node
// I/O baselines for the scan benchmark, run as a child process like the scan itself:
//   node bench/lib/baseline-parse.mjs json PATH...   read every *.json under PATH and JSON.parse it
//   node bench/lib/baseline-parse.mjs yaml PATH...   read every template under PATH and parse it
//                                                    (js-yaml with the CloudFormation short-form
//                                                    tags, as PhiWall's reader does; JSON.parse for .json)
// The floor a scanner cannot go under: process start + reading + parsing the same bytes.
import fs from 'node:fs'
import path from 'node:path'
import yaml from 'js-yaml'

const [mode, ...inputs] = process.argv.slice(2)
if (!['json', 'yaml'].includes(mode) || !inputs.length) {
  process.stderr.write('usage: baseline-parse.mjs json|yaml PATH...\n')
  process.exit(2)
}

const TAGS = {
  Ref: 'Ref', Condition: 'Condition', GetAtt: 'Fn::GetAtt', Sub: 'Fn::Sub', Join: 'Fn::Join', If: 'Fn::If',
  Equals: 'Fn::Equals', And: 'Fn::And', Or: 'Fn::Or', Not: 'Fn::Not', Select: 'Fn::Select', Split: 'Fn::Split',
  FindInMap: 'Fn::FindInMap', GetAZs: 'Fn::GetAZs', ImportValue: 'Fn::ImportValue', Base64: 'Fn::Base64', Cidr: 'Fn::Cidr',
}
const types = []
for (const [short, long] of Object.entries(TAGS)) {
  for (const kind of ['scalar', 'sequence', 'mapping']) {
    types.push(new yaml.Type(`!${short}`, {
      kind,
      construct: (d) => (long === 'Fn::GetAtt' && typeof d === 'string' ? { [long]: d.split('.', 2) } : { [long]: d }),
    }))
  }
}
const schema = yaml.DEFAULT_SCHEMA.extend(types)

const EXT = mode === 'json' ? ['.json'] : ['.json', '.yaml', '.yml']
function* walk(p) {
  const st = fs.statSync(p)
  if (st.isFile()) {
    yield p
    return
  }
  for (const e of fs.readdirSync(p, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const q = path.join(p, e.name)
    if (e.isDirectory()) yield* walk(q)
    else if (EXT.includes(path.extname(e.name))) yield q
  }
}

let files = 0
let keys = 0
for (const input of inputs) {
  for (const f of walk(input)) {
    const text = fs.readFileSync(f, 'utf8')
    const doc = f.endsWith('.json') ? JSON.parse(text) : yaml.load(text, { schema })
    keys += Object.keys(doc?.Resources ?? doc?.resources?.Resources ?? doc ?? {}).length
    files++
  }
}
// printed so the work cannot be optimised away; the bench sends stdout to /dev/null
process.stdout.write(`${files} files, ${keys} top-level resources\n`)
