// Dev-only end-to-end smoke of the built dashboard against the real server (not part of
// `npm test`): starts `phiwall serve` in-process on a temporary PGlite directory, signs in as the
// bootstrap admin (password change → TOTP enrolment → recovery codes), uploads a scan of
// examples/clinic-intake with a token created in Settings, visits every page, suppresses a
// finding, creates a user, and fails on console errors or unexpected API errors.
// Screenshots go to /tmp/web-shots/real-*.png.
//
//   npx vite build --config src/web/vite.config.ts
//   npx vitest run --config src/web/dev/vitest.smoke.config.mjs
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { it, expect } from 'vitest'
import { chromium } from 'playwright-core'
import { TOTP, Secret } from 'otpauth'
import { startServer } from '../../server/index.js'
import { uploadScan } from '../../server/index.js'
import { scan } from '../../scan/index.js'

it('dashboard against the real server', async () => {
  fs.mkdirSync('/tmp/web-shots', { recursive: true })
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-smoke-'))
  const server = await startServer({ port: 0, dataDir, webRoot: path.resolve(import.meta.dirname, '../../../dist/web'), noScheduler: true, log: () => undefined })
  const problems: string[] = []
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] })
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
    page.on('console', (m) => { if (m.type() === 'error' && !/status of (401|403|404|409)/.test(m.text())) problems.push(m.text()) })
    page.on('pageerror', (e) => problems.push('pageerror ' + e.message))
    page.on('response', (r) => { if (r.url().includes('/api/') && r.status() >= 400) problems.push(`${r.status()} ${r.request().method()} ${r.url()}`) })
    const admin = server.createdAdmin!
    await page.goto(server.url + '/')
    await page.getByLabel('Username').fill(admin.username)
    await page.getByLabel('Password').fill(admin.oneTimePassword)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByLabel('Current password').fill(admin.oneTimePassword)
    await page.getByLabel('New password', { exact: true }).fill('granite-kettle-sunrise-42')
    await page.getByLabel('Confirm new password').fill('granite-kettle-sunrise-42')
    await page.getByRole('button', { name: 'Change password' }).click()
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor()
    const secret = (await page.locator('code.secret').innerText()).replace(/\s+/g, '')
    const code = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate()
    await page.getByLabel('Verification code').fill(code)
    await page.getByRole('button', { name: 'Verify', exact: true }).click()
    await page.getByRole('list', { name: 'Recovery codes' }).waitFor()
    await page.getByLabel('I have saved them').check()
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('navigation', { name: 'Main' }).waitFor()
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    await page.getByLabel('Token name').fill('ci-nightly')
    await page.getByRole('button', { name: 'Create token' }).click()
    const token = (await page.getByLabel('New token secret').innerText()).trim()
    const result = await scan([path.resolve(import.meta.dirname, '../../../examples/clinic-intake')])
    const up = await uploadScan(result, { server: server.url, token, sourceName: 'clinic-intake' })
    console.log('UPLOAD', JSON.stringify(up))
    for (const name of ['Overview', 'Inventory', 'Topology', 'Findings', 'Vulnerabilities', 'Segmentation', 'Alerts', 'Audit trail', 'Reports', 'Settings']) {
      await page.getByRole('link', { name, exact: true }).click()
      await page.getByRole('heading', { name, level: 1 }).waitFor()
      await page.waitForTimeout(1200)
      await page.screenshot({ path: `/tmp/web-shots/real-${name.replace(/\W+/g, '-')}.png`, fullPage: true })
    }
    await page.getByRole('link', { name: 'Findings', exact: true }).click()
    const sup = page.getByRole('button', { name: /^Suppress / }).first()
    await sup.click()
    await page.getByRole('dialog', { name: 'Suppress finding' }).getByLabel('Reason').fill('Accepted risk RISK-12, reviewed by the privacy officer.')
    await page.getByRole('dialog', { name: 'Suppress finding' }).getByRole('button', { name: 'Suppress', exact: true }).click()
    await page.getByRole('button', { name: /^Unsuppress / }).first().waitFor()
    await page.getByRole('link', { name: 'Inventory', exact: true }).click()
    await page.getByLabel('PHI').selectOption('yes')
    await page.waitForTimeout(800)
    await page.screenshot({ path: `/tmp/web-shots/real-inventory-phi.png`, fullPage: true })
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    await page.getByLabel('New username').fill('dana')
    await page.getByRole('button', { name: 'Add user' }).click()
    await page.getByLabel('One-time password').waitFor()
    await page.getByRole('link', { name: 'Audit trail', exact: true }).click()
    await page.getByText(/Chain verified: \d+ entries/).waitFor()
    await page.screenshot({ path: `/tmp/web-shots/real-audit2.png`, fullPage: true })
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByText('You have signed out.').waitFor()
  } finally {
    await browser.close()
    await server.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
    console.log('PROBLEMS', JSON.stringify(problems, null, 1))
  }
  // the first GET /auth/me of a fresh page is 401 by design (no session yet)
  expect(problems.filter((p) => !/^401 GET .*\/api\/v1\/auth\/me$/.test(p))).toEqual([])
})
