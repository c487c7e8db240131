import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { collect } from '../../sources/index.js'
import { buildInventory } from '../build.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

describe('Compose relations', () => {
  it('links services by the names in their environment, depends_on and links; networks, volumes, secrets; PHI follows calls to data stores', async () => {
    const c = await collect([path.join(root, 'src/sources/compose/testdata/clinic')], { components: false })
    const inv = buildInventory(c.documents)
    const byId = new Map(inv.resources.map((r) => [r.id, r]))
    const short = (id: string): string => {
      const r = byId.get(id)!
      return `${r.type.split('::')[2]} ${r.sourceId}${r.location.file.includes('override') ? ' (override)' : ''}`
    }
    const edges = inv.edges.map((e) => `${short(e.from)} -${e.kind}${e.port !== undefined ? `:${e.port}` : ''}-> ${short(e.to)}`)
    expect(edges).toEqual(
      expect.arrayContaining([
        'Service api -network:5432-> Service postgres',
        'Service api -uses-> Service postgres',
        'Service api -network:6379-> Service redis',
        'Service worker -network:1025-> Service mailhog',
        'Service worker -network:5432-> Service postgres',
        'Service nginx -network:8080-> Service api',
        'Service api -placed-in-> Network frontend',
        'Service api -placed-in-> Network backend',
        'Service api -reads-> Secret db_password',
        'Service postgres -writes-> Volume pgdata',
        'Service worker -writes-> Volume exports',
      ]),
    )
    // override files patch the base file's services: edges point at the base declaration
    expect(edges.filter((e) => / -(network|uses)(:\d+)?-> .*\(override\)$/.test(e))).toEqual([])
    // mailhog (a development mail catcher) is not a data store, so a call to it passes no PHI
    const mailhog = inv.resources.find((r) => r.sourceId === 'mailhog')!
    expect(mailhog.holdsPhi).toBe('unknown')
  })
})
