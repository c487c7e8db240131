import { migrate, type Store } from '../../store/index.js'
import { VULNDB_MIGRATIONS } from './schema.js'

const ready = new WeakSet<Store>()

/** Creates or upgrades the vulndb tables once per store object. */
export async function ensureVulnDb(store: Store): Promise<void> {
  if (ready.has(store)) return
  await migrate(store, 'vulndb', VULNDB_MIGRATIONS)
  ready.add(store)
}
