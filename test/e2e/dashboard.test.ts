/**
 * The dashboard, end to end, in Debian's Chromium (playwright-core, headless): the first admin signs
 * in with the one-time password, changes it and enrols TOTP; creates an API token in Settings and
 * uploads a scan of the example app with `phiwall scan --upload`; sees the findings and the
 * topology; suppresses a finding; reviews baseline edges from agent flows, simulates and approves
 * the policy; sees the audit entries with a verified chain. An auditor cannot change anything; an
 * app-team user sees only the team's workloads. Screenshots of each page go to
 * test-artifacts/screenshots/. Under CI=true a missing Chromium fails the test.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient, bin, root, startServe, totpFor, type ServeProcess } from './server-support.js'

const CHROMIUM = '/usr/bin/chromium'
const haveChromium = fs.existsSync(CHROMIUM)
const SHOTS = path.join(root, 'test-artifacts', 'screenshots')
const ADMIN_PASSWORD = 'a long admin passphrase for the test'
/** Pages load while other test files keep both cores busy: wait up to 20 s. */
const POLL = { timeout: 20_000, interval: 100 }

describe.skipIf(!haveChromium && process.env['CI'] !== 'true')('dashboard in Chromium', () => {
  let server: ServeProcess
  let browser: Browser
  let adminCtx: BrowserContext
  let page: Page
  const consoleErrors: string[] = []
  let adminTotp: ReturnType<typeof totpFor>
  const lastStep = new Map<ReturnType<typeof totpFor>, number>()

  /** A TOTP code of this user for a step after the last one it used (a code is accepted once; the server allows ±1 step). */
  function nextCode(totp: ReturnType<typeof totpFor>): string {
    const step = Math.max(Math.floor(Date.now() / 30_000), (lastStep.get(totp) ?? 0) + 1)
    lastStep.set(totp, step)
    return totp.generate({ timestamp: step * 30_000 })
  }

  async function shot(p: Page, name: string): Promise<void> {
    fs.mkdirSync(SHOTS, { recursive: true })
    await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })
  }

  async function go(p: Page, link: string): Promise<void> {
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click()
    await p.getByRole('heading', { level: 1 }).first().waitFor()
  }

  /** The first sign-in of a user with a one-time password, in the browser; returns its TOTP generator. */
  async function firstBrowserSignIn(p: Page, username: string, oneTime: string, newPassword: string, shots = false): Promise<ReturnType<typeof totpFor>> {
    await p.goto(server.url)
    await p.getByLabel('Username').fill(username)
    await p.getByLabel('Password', { exact: true }).fill(oneTime)
    if (shots) await shot(p, '01-sign-in')
    await p.getByRole('button', { name: 'Sign in' }).click()
    await p.getByLabel('Current password').fill(oneTime)
    await p.getByLabel('New password', { exact: true }).fill(newPassword)
    await p.getByLabel('Confirm new password').fill(newPassword)
    await p.getByRole('button', { name: 'Change password' }).click()
    const secret = (await p.locator('code.secret').first().textContent())!.replace(/\s+/g, '')
    expect(await p.getByRole('img').first().getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/)
    if (shots) await shot(p, '02-enrol-totp')
    const totp = totpFor(secret, username)
    await p.getByLabel('Verification code').fill(nextCode(totp))
    await p.getByRole('button', { name: 'Verify' }).click()
    await expect.poll(async () => p.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').count(), POLL).toBe(10)
    await p.getByLabel('I have saved them').check()
    await p.getByRole('button', { name: 'Continue' }).click()
    await p.getByRole('navigation', { name: 'Main' }).waitFor()
    return totp
  }

  beforeAll(async () => {
    server = await startServe()
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] })
    adminCtx = await browser.newContext({ viewport: { width: 1366, height: 768 } })
    page = await adminCtx.newPage()
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text())
    })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('signs the first admin in: one-time password → new password → TOTP enrolment → overview', async () => {
    adminTotp = await firstBrowserSignIn(page, server.admin.username, server.admin.password, ADMIN_PASSWORD, true)
    await expect.poll(() => page.getByRole('main').textContent(), POLL).toMatch(/No scan yet/i)
    await shot(page, '03-overview-empty')
  })

  let token = ''
  it('creates an API token in Settings and takes `phiwall scan --upload` with it', async () => {
    await go(page, 'Settings')
    await page.getByLabel('Token name').fill('ci-clinic-intake')
    await page.getByRole('checkbox', { name: /^scans:write/ }).check()
    await page.getByRole('checkbox', { name: /^flows:write/ }).check()
    await page.getByRole('checkbox', { name: /^read/ }).check()
    await page.getByRole('button', { name: 'Create token' }).click()
    token = (await page.getByLabel('New token secret').textContent())!.trim()
    expect(token).toMatch(/^pw_/)
    await shot(page, '04-settings-token')
    const r = spawnSync(process.execPath, [bin, 'scan', 'examples/clinic-intake', '--upload', server.url, '--source-name', 'clinic-intake', '--fail-on', 'none', '--no-progress', '-q'], { cwd: root, encoding: 'utf8', env: { ...process.env, PHIWALL_TOKEN: token } })
    expect(r.stderr).toMatch(/Uploaded to/)
    expect(r.status).toBe(0)
  })

  it('shows the posture, the findings and the topology of the upload', async () => {
    await go(page, 'Overview')
    await expect.poll(() => page.getByRole('main').textContent(), POLL).toMatch(/164\.3\d\d/)
    await expect.poll(() => page.getByRole('region', { name: 'Recent scans' }).textContent(), POLL).toContain('clinic-intake')
    await shot(page, '05-overview')
    // UPDATE_DOCS_SCREENSHOTS=1 refreshes the README's pictures (one laptop screen each)
    if (process.env['UPDATE_DOCS_SCREENSHOTS']) await page.screenshot({ path: path.join(root, 'docs/img/dashboard-overview.png') })
    await go(page, 'Findings')
    await page.getByRole('button', { name: /^Suppress / }).first().waitFor()
    expect(await page.getByRole('row').count()).toBeGreaterThan(5)
    await shot(page, '06-findings')
    await go(page, 'Topology')
    await page.locator('canvas').first().waitFor()
    await shot(page, '07-topology')
    if (process.env['UPDATE_DOCS_SCREENSHOTS']) await page.screenshot({ path: path.join(root, 'docs/img/dashboard-topology.png') })
    await go(page, 'Inventory')
    await expect.poll(() => page.getByRole('main').textContent(), POLL).toContain('ProcessIntake')
    await shot(page, '08-inventory')
  })

  it('suppresses a finding with a reason and an expiry', async () => {
    await go(page, 'Findings')
    await page.getByRole('button', { name: /^Suppress / }).first().click()
    await page.getByRole('dialog').getByLabel('Reason').fill('Accepted by the privacy officer until the Q3 migration (ticket SEC-481).')
    await page.getByRole('dialog').getByRole('button', { name: 'Suppress' }).click()
    await page.getByRole('button', { name: /^Unsuppress / }).first().waitFor()
  })

  it('reviews baseline edges from agent flows, simulates and approves the policy', async () => {
    const flows = new ApiClient(server.url, token)
    for (const file of fs.readdirSync(path.join(root, 'examples/clinic-intake/flows/agent'))) {
      const content = fs.readFileSync(path.join(root, 'examples/clinic-intake/flows/agent', file), 'utf8')
      const r = await flows.request('POST', '/api/v1/ingest/flows', { uploadId: `e2e-${file}`, format: 'agent', name: file, content })
      expect(r.status, JSON.stringify(r.json)).toBeLessThan(300)
    }
    await go(page, 'Segmentation')
    await page.getByRole('checkbox', { name: 'Select all edges shown' }).check()
    await page.getByRole('group', { name: 'Review selected edges' }).getByRole('button', { name: /^Allow/ }).click()
    await page.getByRole('dialog').getByLabel('Reason').fill('Observed during the 7-day learning window; matches the interface design.')
    await page.getByRole('dialog').getByRole('button', { name: /^Allow \d+ edges?/ }).click()
    // the review is done when the dialog closes and the selection clears; the baseline and the
    // policy then reload: let them settle before typing into the exception form below
    await page.getByRole('dialog').waitFor({ state: 'hidden' })
    await page.getByRole('group', { name: 'Review selected edges' }).getByText('0 selected').waitFor()
    await page.waitForLoadState('networkidle')
    // a PHI workload gets one recorded internet-egress exception, with who, why and until when
    const form = page.getByRole('form', { name: 'Record an egress exception' })
    const workloadSelect = form.getByRole('combobox', { name: 'Workload' })
    const firstPhi = await workloadSelect.locator('option').nth(1).getAttribute('value')
    await workloadSelect.selectOption(firstPhi!)
    await form.getByLabel('Destination').fill('fqdn:api.clearinghouse.example')
    await form.getByLabel('Port').fill('443')
    await form.getByLabel('Reason').fill('Claims submission to the clearinghouse under BAA-2291, approved by the privacy officer.')
    await form.getByRole('button', { name: 'Record exception' }).click()
    await expect.poll(() => page.getByRole('region', { name: 'PHI egress exceptions' }).textContent(), POLL).toContain('api.clearinghouse.example:443')
    await page.getByRole('button', { name: 'Simulate' }).click()
    await page.getByRole('button', { name: 'Approve policy' }).and(page.locator(':not([disabled])')).waitFor()
    await page.getByRole('button', { name: 'Approve policy' }).click()
    await page.getByRole('dialog').getByLabel('Reason').fill('Simulation shows no legitimate traffic dropped.')
    await page.getByRole('dialog').getByRole('button', { name: /Approve/ }).click()
    await expect.poll(() => page.getByRole('main').textContent(), POLL).toMatch(/Approved by admin/)
    await shot(page, '09-segmentation')
    if (process.env['UPDATE_DOCS_SCREENSHOTS']) {
      await page.getByRole('heading', { name: 'Policy' }).scrollIntoViewIfNeeded()
      await page.screenshot({ path: path.join(root, 'docs/img/dashboard-segmentation.png') })
    }
    await go(page, 'Alerts')
    await shot(page, '10-alerts')
    await go(page, 'Vulnerabilities')
    await shot(page, '11-vulnerabilities')
    await go(page, 'Reports')
    await shot(page, '12-reports')
  })

  it('shows the audit entries with a verified chain', async () => {
    await go(page, 'Audit trail')
    await expect.poll(() => page.getByRole('main').textContent(), POLL).toMatch(/Chain verified/)
    // the badge and the table load separately: wait for the newest entry
    await expect.poll(() => page.getByRole('main').textContent(), POLL).toContain('policy.approve')
    const text = (await page.getByRole('main').textContent())!
    for (const action of ['user.login', 'user.totp.enrol', 'token.create', 'scan.upload', 'finding.suppress', 'edge.review', 'workload.exception', 'policy.approve']) expect(text).toContain(action)
    expect(text).not.toContain(token)
    await shot(page, '13-audit')
  })

  async function createUser(username: string, role: string, team?: string): Promise<string> {
    await go(page, 'Settings')
    await page.getByLabel('New username').fill(username)
    await page.getByRole('combobox', { name: 'Role', exact: true }).first().selectOption(role)
    if (team) await page.getByRole('textbox', { name: 'Team', exact: true }).first().fill(team)
    await page.getByRole('button', { name: 'Add user' }).click()
    await page.getByText(`User ${username} created.`).waitFor()
    const pw = (await page.getByLabel('One-time password').textContent())!.trim()
    await page.getByRole('button', { name: 'Done' }).click()
    expect(pw.length).toBeGreaterThanOrEqual(16)
    return pw
  }

  it('an auditor sees everything and can change nothing', async () => {
    const oneTime = await createUser('avery.auditor', 'auditor')
    await shot(page, '14-settings-users')
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } })
    const p = await ctx.newPage()
    await firstBrowserSignIn(p, 'avery.auditor', oneTime, 'auditor passphrase long enough')
    await go(p, 'Findings')
    await expect.poll(async () => p.getByRole('row').count(), POLL).toBeGreaterThan(5)
    expect(await p.getByRole('button', { name: /^Suppress / }).count()).toBe(0)
    // the API refuses even when the page is bypassed (with the session cookie and a valid CSRF token)
    const status = await p.evaluate(async () => {
      const me = (await (await fetch("/api/v1/auth/me")).json()) as { csrfToken: string }
      const list = (await (await fetch("/api/v1/findings?status=fail&limit=1")).json()) as { items: { id: string }[] }
      const r = await fetch(`/api/v1/findings/${encodeURIComponent(list.items[0]!.id)}/suppress`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({ reason: 'auditor trying to change things', expiresAt: new Date(Date.now() + 86400000).toISOString() }),
      })
      return r.status
    })
    expect(status).toBe(403)
    await go(p, 'Audit trail')
    await expect.poll(() => p.getByRole('main').textContent(), POLL).toMatch(/Chain verified/)
    await ctx.close()
  })

  it("an app-team user sees only the team's workloads", async () => {
    const oneTime = await createUser('pat.messaging', 'app-team', 'patient-messaging')
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } })
    const p = await ctx.newPage()
    await firstBrowserSignIn(p, 'pat.messaging', oneTime, 'app team passphrase long enough')
    const owners = await p.evaluate(async () => {
      const r = (await (await fetch("/api/v1/resources?limit=500")).json()) as { items: { owner: string | null }[] }
      return [...new Set((r.items as { owner: string | null }[]).map((x) => x.owner))]
    })
    expect(owners).toEqual(['patient-messaging'])
    await go(p, 'Inventory')
    const text = (await p.getByRole('main').textContent())!
    expect(text).not.toContain('ProcessIntake')
    await shot(p, '15-inventory-app-team')
    await ctx.close()
  })

  it('never violated the Content-Security-Policy', () => {
    expect(consoleErrors.filter((e) => /Content.Security.Policy|Refused to/i.test(e))).toEqual([])
  })
})
