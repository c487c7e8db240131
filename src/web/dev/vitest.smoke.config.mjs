// Runs only the dev smoke against the real server (see real-server.smoke.ts).
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: { include: ['src/web/dev/*.smoke.ts'], testTimeout: 240_000, hookTimeout: 120_000, pool: 'forks' },
})
