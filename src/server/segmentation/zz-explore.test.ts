import { it } from 'vitest'
import { scan } from '../../scan/index.js'
import { identitiesFromInventory, flowInventoryOf } from '../../flows/index.js'
it('explore', async () => {
  const r = await scan(['examples/clinic-intake'])
  const inv = r.inventory
  console.log('resources', inv.resources.length)
  const ids = identitiesFromInventory(inv)
  const owner = new Map(inv.resources.map((x) => [x.id, x.owner]))
  for (const i of ids) console.log(i.id, i.kind, i.holdsPhi, owner.get(i.resourceId!))
  const fi = flowInventoryOf(inv)
  console.log('declared', fi.declared.length, 'addresses', fi.addresses.length)
}, 120000)
