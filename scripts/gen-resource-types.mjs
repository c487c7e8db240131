#!/usr/bin/env node
// Regenerates src/sources/cloudformation/resource-types.json, the list of CloudFormation
// resource types PhiWall knows, from the L1 constructs of the installed aws-cdk-lib (which is
// generated from the CloudFormation resource specification). Run after upgrading aws-cdk-lib.
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const root = path.dirname(require.resolve('aws-cdk-lib/package.json'))
const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version
const types = new Set()
for (const dir of fs.readdirSync(root)) {
  const lib = path.join(root, dir, 'lib')
  if (!fs.existsSync(lib)) continue
  for (const f of fs.readdirSync(lib)) {
    if (!f.endsWith('.generated.js')) continue
    const text = fs.readFileSync(path.join(lib, f), 'utf8')
    for (const m of text.matchAll(/CFN_RESOURCE_TYPE_NAME\s*=\s*"([A-Za-z0-9:]+)"/g)) types.add(m[1])
  }
}
// SAM resource types newer than the CDK's SAM module
for (const t of ['AWS::Serverless::Connector', 'AWS::Serverless::GraphQLApi', 'AWS::Serverless::CapacityProvider']) types.add(t)
const out = { source: `aws-cdk-lib@${version} L1 constructs (CloudFormation resource specification)`, types: [...types].sort() }
const dest = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'src', 'sources', 'cloudformation', 'resource-types.json')
fs.writeFileSync(dest, JSON.stringify(out, null, 0) + '\n')
console.log(`wrote ${out.types.length} types to ${dest}`)
