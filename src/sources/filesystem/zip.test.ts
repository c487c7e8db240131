import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { detectFilesystemKind, readFilesystem } from './index.js'
import { zipBuffer } from './testdata/build.js'

let tmp: string
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-zip-'))
})
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

const pkg = (name: string, version: string): string => JSON.stringify({ name, version, license: 'MIT' })
const pom = (g: string, a: string, v: string): string => `#Created by Apache Maven 3.8.6\nversion=${v}\ngroupId=${g}\nartifactId=${a}\n`
const write = (name: string, buf: Buffer): string => {
  const p = path.join(tmp, name)
  fs.writeFileSync(p, buf)
  return p
}
const names = (r: Awaited<ReturnType<typeof readFilesystem>>): string[] => r.components.map((c) => `${c.foundBy}:${c.name}@${c.version}`).sort()

describe('Lambda deployment packages and jars', () => {
  it('reads a Node.js Lambda zip: node_modules at any depth, lockfile to the hook, a symlink, a path escape', async () => {
    const file = write(
      'intake-fn.zip',
      zipBuffer([
        { name: 'index.mjs', content: 'export const handler = async () => ({ statusCode: 200 })', deflate: true },
        { name: 'package-lock.json', content: '{"lockfileVersion":3}' },
        { name: 'node_modules/', content: '' },
        { name: 'node_modules/axios/package.json', content: pkg('axios', '1.6.0'), deflate: true },
        { name: 'node_modules/follow-redirects/package.json', content: pkg('follow-redirects', '1.15.3'), deflate: true },
        { name: 'node_modules/@aws-sdk/client-dynamodb/package.json', content: pkg('@aws-sdk/client-dynamodb', '3.484.0') },
        { name: 'node_modules/@aws-sdk/client-dynamodb/node_modules/uuid/package.json', content: pkg('uuid', '8.3.2') },
        { name: 'node_modules/.bin/uuid', content: '../uuid/dist/bin/uuid', mode: 0o120777 },
        { name: '../../home/user/.ssh/authorized_keys', content: 'ssh-ed25519 AAAA' },
      ]),
    )
    expect(await detectFilesystemKind(file)).toBe('zip')
    const hooked: string[] = []
    const r = await readFilesystem(file, { displayName: 'intake-fn.zip', extraFileFilter: (p) => /(?:^|\/)package-lock\.json$/.test(p), onFile: (f) => hooked.push(`${f.file}:${f.text}`) })
    expect(r.kind).toBe('zip')
    expect(names(r)).toEqual(['node_modules:@aws-sdk/client-dynamodb@3.484.0', 'node_modules:axios@1.6.0', 'node_modules:follow-redirects@1.15.3', 'node_modules:uuid@8.3.2'])
    expect(r.components.find((c) => c.name === 'uuid')!.locations).toEqual([{ file: 'intake-fn.zip!/node_modules/@aws-sdk/client-dynamodb/node_modules/uuid/package.json' }])
    expect(hooked).toEqual(['intake-fn.zip!/package-lock.json:{"lockfileVersion":3}'])
    expect(r.diagnostics).toEqual([{ code: 'PW_ERR_ARCHIVE_INVALID', level: 'error', message: 'intake-fn.zip has an entry that escapes the archive root ("../../home/user/.ssh/authorized_keys"); skipped.', file: 'intake-fn.zip' }])
  })

  it('reads a Python Lambda zip made by the zip tool', async () => {
    const src = path.join(tmp, 'py-src')
    const meta = (n: string, v: string): string => `Metadata-Version: 2.1\nName: ${n}\nVersion: ${v}\nSummary: x\n\nbody\n`
    const files: Record<string, string> = {
      'lambda_function.py': 'def lambda_handler(event, context):\n    return {}\n',
      'requests-2.31.0.dist-info/METADATA': meta('requests', '2.31.0'),
      'urllib3-1.26.18.dist-info/METADATA': meta('urllib3', '1.26.18'),
      'PyYAML-6.0.1.dist-info/METADATA': meta('PyYAML', '6.0.1'),
      'charset_normalizer-3.3.2.dist-info/METADATA': meta('charset-normalizer', '3.3.2'),
      'certifi-2023.7.22-py3.11.egg-info/PKG-INFO': meta('certifi', '2023.7.22'),
    }
    for (const [n, t] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(src, n)), { recursive: true })
      fs.writeFileSync(path.join(src, n), t)
    }
    let file: string
    try {
      file = path.join(tmp, 'py-fn.zip')
      execFileSync('zip', ['-q', '-r', file, '.'], { cwd: src })
    } catch {
      file = write('py-fn.zip', zipBuffer(Object.entries(files).map(([name, content]) => ({ name, content, deflate: true }))))
    }
    const r = await readFilesystem(file, { displayName: 'py-fn.zip' })
    expect(names(r)).toEqual(['dist-info:charset-normalizer@3.3.2', 'dist-info:pyyaml@6.0.1', 'dist-info:requests@2.31.0', 'dist-info:urllib3@1.26.18', 'egg-info:certifi@2023.7.22'])
    expect(r.diagnostics).toEqual([])
  })

  it('reads pom.properties of jars in the filesystem and of a fat jar’s nested jars', async () => {
    const jackson = zipBuffer([
      { name: 'META-INF/MANIFEST.MF', content: 'Manifest-Version: 1.0\n' },
      { name: 'META-INF/maven/com.fasterxml.jackson.core/jackson-databind/pom.properties', content: pom('com.fasterxml.jackson.core', 'jackson-databind', '2.13.0'), deflate: true },
    ])
    const app = zipBuffer([
      { name: 'META-INF/maven/org.example.clinic/intake/pom.properties', content: pom('org.example.clinic', 'intake', '1.4.2') },
      { name: 'BOOT-INF/lib/jackson-databind-2.13.0.jar', content: jackson },
      { name: 'BOOT-INF/classes/application.yml', content: 'server.port: 8080' },
    ])
    const log4j = zipBuffer([{ name: 'META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties', content: pom('org.apache.logging.log4j', 'log4j-core', '2.14.1'), deflate: true }])
    const file = write('java-fn.zip', zipBuffer([{ name: 'app.jar', content: app }, { name: 'lib/log4j-core-2.14.1.jar', content: log4j, deflate: true }]))
    const r = await readFilesystem(file, { displayName: 'java-fn.zip' })
    expect(names(r)).toEqual(['pom.properties:com.fasterxml.jackson.core:jackson-databind@2.13.0', 'pom.properties:org.apache.logging.log4j:log4j-core@2.14.1', 'pom.properties:org.example.clinic:intake@1.4.2'])
    expect(r.components.find((c) => c.name.endsWith('jackson-databind'))!.locations).toEqual([
      { file: 'java-fn.zip!/app.jar!/BOOT-INF/lib/jackson-databind-2.13.0.jar!/META-INF/maven/com.fasterxml.jackson.core/jackson-databind/pom.properties' },
    ])
    expect(r.components.find((c) => c.name.endsWith('log4j-core'))!.purl).toBe('pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1')
    expect(r.diagnostics).toEqual([])
  })

  it('skips a zip bomb and keeps reading; a truncated zip is one diagnostic', async () => {
    const bomb = Buffer.alloc(50 * 1024 * 1024, 0x20)
    const file = write('bomb.zip', zipBuffer([{ name: 'node_modules/huge/package.json', content: bomb, deflate: true }, { name: 'node_modules/ok/package.json', content: pkg('ok', '1.0.0') }]))
    const r = await readFilesystem(file, { displayName: 'bomb.zip' })
    expect(names(r)).toEqual(['node_modules:ok@1.0.0'])
    expect(r.diagnostics).toHaveLength(1)
    expect(r.diagnostics[0]).toMatchObject({ code: 'PW_ERR_ARCHIVE_INVALID', level: 'error', file: 'bomb.zip' })
    expect(r.diagnostics[0]!.message).toMatch(/^bomb\.zip: node_modules\/huge\/package\.json inflates \d+ times \(a zip bomb\?\); skipped\.$/)

    const whole = zipBuffer([{ name: 'node_modules/a/package.json', content: pkg('a', '1.0.0') }])
    const cut = write('cut.zip', whole.subarray(0, whole.length - 10))
    expect(await detectFilesystemKind(cut)).toBe('zip')
    const r2 = await readFilesystem(cut, { displayName: 'cut.zip' })
    expect(r2.components).toEqual([])
    expect(r2.diagnostics).toHaveLength(1)
    expect(r2.diagnostics[0]).toMatchObject({ code: 'PW_ERR_ARCHIVE_INVALID', level: 'error', file: 'cut.zip' })
    expect(r2.diagnostics[0]!.message).toMatch(/^cut\.zip is not a readable zip \(.+\); 0 entries read before it were kept\.$/)
  })

  it('an entry whose data is corrupt is skipped, the others are read', async () => {
    const buf = zipBuffer([{ name: 'node_modules/a/package.json', content: pkg('a', '1.0.0'), deflate: true }, { name: 'node_modules/b/package.json', content: pkg('b', '2.0.0') }])
    const at = 30 + 'node_modules/a/package.json'.length + 2
    buf[at] = buf[at]! ^ 0xff // flip a byte of a's deflate stream
    const r = await readFilesystem(write('corrupt.zip', buf), { displayName: 'corrupt.zip' })
    expect(names(r)).toEqual(['node_modules:b@2.0.0'])
    expect(r.diagnostics).toHaveLength(1)
    expect(r.diagnostics[0]!.message).toMatch(/^corrupt\.zip: node_modules\/a\/package\.json cannot be inflated \(.+\); skipped\.$/)
  })
})
