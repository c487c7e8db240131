#!/usr/bin/env node
// Dev-only visual check: drives the dashboard served by mock-server.mjs with playwright-core and
// Debian's Chromium, screenshots every page to /tmp/web-shots/, exercises the main flows through
// accessible names, and fails on console errors or CSP violations.
//
//   node src/web/dev/mock-server.mjs 5178 &  node src/web/dev/shots.mjs http://127.0.0.1:5178
import fs from 'node:fs'
import { chromium } from 'playwright-core'

const base = process.argv[2] ?? 'http://127.0.0.1:5178'
const only = process.argv[3] // optional: a scenario name
const out = '/tmp/web-shots'
fs.mkdirSync(out, { recursive: true })
const problems = []

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] })

async function newPage(name) {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true })
  const page = await ctx.newPage()
  currentPage = page
  page.on('console', (m) => {
    if ((m.type() === 'error' && !/Failed to load resource: the server responded with a status of (400|401|403|409)/.test(m.text())) || /Content.Security.Policy|Refused to/i.test(m.text())) problems.push(`[${name}] console ${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`[${name}] page error: ${e.message}`))
  return { ctx, page }
}

async function shot(page, file, full = true) {
  await page.waitForTimeout(150)
  await page.screenshot({ path: `${out}/${file}.png`, fullPage: full })
}

async function signIn(page, username) {
  await page.goto(base + '/')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill('correct horse battery')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByLabel('Authentication code').fill('123456')
  await page.getByRole('button', { name: 'Verify', exact: true }).click()
  await page.getByRole('navigation', { name: 'Main' }).waitFor()
}

let currentPage = null
async function step(name, fn) {
  try {
    await fn()
    console.log(`ok   ${name}`)
  } catch (e) {
    problems.push(`[${name}] ${e instanceof Error ? e.message.split('\n').slice(0, 4).join(' | ') : e}`)
    if (currentPage) await currentPage.screenshot({ path: `${out}/fail-${name.replace(/\W+/g, '-')}.png` }).catch(() => undefined)
    console.log(`FAIL ${name}: ${e instanceof Error ? e.message.split('\n').slice(0, 4).join(' | ') : e}`)
  }
}

const scenarios = {
  async admin() {
    const { ctx, page } = await newPage('admin')
    await page.goto(base + '/findings')
    await step('sign-in page', async () => {
      await page.getByRole('heading', { name: 'Sign in to PhiWall' }).waitFor()
      await shot(page, '00-signin')
      await page.getByLabel('Username').fill('admin')
      await page.getByLabel('Password').fill('wrong password')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor()
      await page.getByLabel('Password').fill('correct horse battery')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.getByLabel('Authentication code').waitFor()
      await shot(page, '01-totp')
      await page.getByLabel('Authentication code').fill('000000')
      await page.getByRole('button', { name: 'Verify', exact: true }).click()
      await page.getByText('That code is not valid.').waitFor()
      await page.getByRole('button', { name: 'Use a recovery code instead' }).click()
      await page.getByLabel('Recovery code').fill('ABCD-EFGH-2345')
      await page.getByRole('button', { name: 'Verify', exact: true }).click()
      // returns to the page asked for before signing in
      await page.getByRole('heading', { name: 'Findings', level: 1 }).waitFor()
    })
    await step('overview', async () => {
      await page.getByRole('link', { name: 'Overview', exact: true }).click()
      await page.getByRole('heading', { name: 'HIPAA Security Rule controls' }).waitFor()
      await page.getByText('Chain').count()
      await shot(page, '10-overview')
    })
    await step('inventory', async () => {
      await page.getByRole('link', { name: 'Inventory', exact: true }).click()
      await page.getByRole('cell', { name: 'aws:dynamodb:table' }).first().waitFor()
      await page.getByText('Showing 50 of 76 resources').waitFor()
      await page.getByRole('button', { name: 'Load more' }).click()
      await page.getByText('Showing 76 of 76 resources').waitFor()
      await page.getByLabel('PHI').selectOption('yes')
      await page.getByText('Showing 6 of 6 resources').waitFor()
      await page.getByLabel('Search').fill('patients')
      await page.getByText('Showing 1 of 1 resources').waitFor()
      await shot(page, '20-inventory')
    })
    await step('topology', async () => {
      await page.getByRole('link', { name: 'Topology', exact: true }).click()
      await page.locator('.graph canvas').first().waitFor()
      await page.waitForTimeout(400)
      await shot(page, '30-topology', false)
      const graph = page.getByRole('application')
      await graph.focus()
      await page.keyboard.press('ArrowRight')
      await page.keyboard.press('ArrowRight')
      await page.keyboard.press('Enter')
      await page.getByRole('complementary').waitFor()
      await shot(page, '31-topology-details', false)
      await page.getByRole('button', { name: 'Show as list' }).click()
      await page.getByRole('button', { name: 'Show details of patients' }).click()
      await page.getByRole('heading', { name: 'patients' }).waitFor()
      await shot(page, '32-topology-list')
      await page.getByRole('button', { name: 'Show graph' }).click()
      await page.getByLabel('Environment', { exact: true }).selectOption('staging')
      await page.getByText(/^2 nodes, 1 edges/).waitFor()
    })
    await step('findings', async () => {
      await page.getByRole('link', { name: 'Findings', exact: true }).click()
      await page.getByRole('rowheader', { name: /S3 bucket blocks public read access/ }).waitFor()
      await page.getByRole('button', { name: /Details of S3 bucket blocks public read access/ }).click()
      await page.getByText('NIST CSF:').first().waitFor()
      await shot(page, '40-findings')
      await page.getByRole('button', { name: 'Suppress S3 bucket blocks public read access on clinic-lab-results' }).click()
      const dialog = page.getByRole('dialog', { name: 'Suppress finding' })
      await dialog.waitFor()
      await dialog.getByLabel('Reason').fill('too short')
      await dialog.getByRole('button', { name: 'Suppress', exact: true }).click()
      await dialog.getByText(/The reason must be at least 10 characters/).waitFor()
      await shot(page, '41-suppress-dialog', false)
      await dialog.getByLabel('Reason').fill('Bucket serves anonymised lab samples; reviewed by the privacy officer.')
      await dialog.getByRole('button', { name: 'Suppress', exact: true }).click()
      await dialog.waitFor({ state: 'hidden' })
      await page.getByRole('button', { name: 'Unsuppress S3 bucket blocks public read access on clinic-lab-results' }).click()
      await page.getByRole('button', { name: 'Suppress S3 bucket blocks public read access on clinic-lab-results' }).waitFor()
    })
    await step('vulnerabilities', async () => {
      await page.getByRole('link', { name: 'Vulnerabilities', exact: true }).click()
      await page.getByRole('rowheader', { name: 'GHSA-jf85-cpcp-j695' }).waitFor()
      await shot(page, '50-vulns')
    })
    await step('segmentation', async () => {
      await page.getByRole('link', { name: 'Segmentation', exact: true }).click()
      await page.getByRole('heading', { name: '1. Baseline edges' }).waitFor()
      await page.getByRole('checkbox', { name: /Select intake-api → api\.segment\.io/ }).check()
      await page.getByRole('button', { name: 'Deny', exact: true }).click()
      const dlg = page.getByRole('dialog')
      await dlg.getByLabel('Reason').fill('Analytics must not receive PHI')
      await shot(page, '61-review-dialog', false)
      await dlg.getByRole('button', { name: 'Deny 1 edge' }).click()
      await dlg.waitFor({ state: 'hidden' })
      await page.getByRole('checkbox', { name: 'Select all edges shown' }).check()
      await page.getByRole('button', { name: 'Allow', exact: true }).click()
      await page.getByRole('dialog').getByLabel('Reason').fill('Reviewed with the scheduling team')
      await page.getByRole('dialog').getByRole('button', { name: /^Allow \d+ edges$/ }).click()
      await page.getByRole('dialog').waitFor({ state: 'hidden' })
      await page.getByRole('combobox', { name: 'Mode for intake-api' }).selectOption('enforce')
      await page.getByRole('alert').filter({ hasText: 'simulate the policy and approve it first' }).waitFor()
      await page.getByRole('button', { name: 'Simulate' }).click()
      await page.getByRole('heading', { name: 'Simulation result' }).waitFor()
      await page.getByRole('button', { name: 'Approve policy' }).click()
      await page.getByRole('dialog', { name: 'Approve policy' }).getByLabel('Reason').fill('Simulation reviewed: only the denied analytics edge drops')
      await page.getByRole('dialog', { name: 'Approve policy' }).getByRole('button', { name: 'Approve', exact: true }).click()
      await page.getByText('Approved', { exact: true }).waitFor()
      await page.getByRole('combobox', { name: 'Mode for intake-api' }).selectOption('enforce')
      await page.waitForTimeout(300)
      const dl = page.waitForEvent('download')
      await page.getByRole('button', { name: 'Export Cilium' }).click()
      const d = await dl
      if (!d.suggestedFilename().endsWith('.yaml')) throw new Error(`download named ${d.suggestedFilename()}`)
      await shot(page, '60-segmentation')
    })
    await step('alerts', async () => {
      await page.getByRole('link', { name: 'Alerts', exact: true }).click()
      await page.getByRole('button', { name: /^Acknowledge clinic\/scheduler-api/ }).waitFor()
      await page.getByLabel('Sort by').selectOption('count')
      await shot(page, '70-alerts')
      await page.getByRole('button', { name: /^Acknowledge clinic\/scheduler-api/ }).click()
      await page.getByRole('button', { name: /^Acknowledge clinic\/scheduler-api/ }).waitFor({ state: 'detached' })
    })
    await step('audit', async () => {
      await page.getByRole('link', { name: 'Audit trail', exact: true }).click()
      await page.getByText(/Chain verified: \d+ entries/).waitFor()
      await page.getByText('Showing 50 events').waitFor()
      await page.getByRole('button', { name: 'Load more' }).click()
      await page.getByText('Showing 100 events').waitFor()
      await shot(page, '80-audit')
    })
    await step('reports', async () => {
      await page.getByRole('link', { name: 'Reports', exact: true }).click()
      await page.getByRole('link', { name: 'Download SARIF' }).waitFor()
      const href = await page.getByRole('link', { name: 'Download Evidence bundle' }).getAttribute('href')
      if (href !== '/api/v1/reports/latest?format=bundle') throw new Error(`bundle href ${href}`)
      await shot(page, '90-reports')
    })
    await step('settings', async () => {
      await page.getByRole('link', { name: 'Settings', exact: true }).click()
      await page.getByLabel('Token name').fill('ci-nightly')
      await page.getByRole('button', { name: 'Create token' }).click()
      await page.getByLabel('New token secret').waitFor()
      await page.getByLabel('New username').fill('Bad Name')
      await page.getByRole('button', { name: 'Add user' }).click()
      await page.getByText('Usernames are 3–32').waitFor()
      await page.getByLabel('New username').fill('dana')
      await page.getByRole('button', { name: 'Add user' }).click()
      await page.getByLabel('One-time password').waitFor()
      await page.getByRole('button', { name: 'Unlock auditor' }).click()
      await page.getByRole('button', { name: 'Unlock auditor' }).waitFor({ state: 'detached' })
      await page.getByRole('button', { name: 'Run clinic-infra now' }).click()
      await page.getByText('Scan stored.').waitFor({ timeout: 10_000 })
      await shot(page, '95-settings')
      await page.getByRole('button', { name: 'Revoke token ci-infra-scan' }).click()
      await page.getByRole('dialog', { name: 'Revoke token' }).getByRole('button', { name: 'Revoke' }).click()
      await page.getByRole('rowheader', { name: 'ci-infra-scan' }).waitFor({ state: 'detached' })
    })
    await step('sign out', async () => {
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.getByText('You have signed out.').waitFor()
    })
    await ctx.close()
  },

  async newbie() {
    const { ctx, page } = await newPage('newbie')
    await step('first sign-in', async () => {
      await page.goto(base + '/')
      await page.getByLabel('Username').fill('newbie')
      await page.getByLabel('Password').fill('correct horse battery')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.getByLabel('Current password').fill('correct horse battery')
      await page.getByLabel('New password', { exact: true }).fill('short')
      await page.getByRole('button', { name: 'Change password' }).click()
      await page.getByText('Use at least 12 characters').waitFor()
      await shot(page, '02-password')
      await page.getByLabel('New password', { exact: true }).fill('granite-kettle-sunrise')
      await page.getByLabel('Confirm new password').fill('granite-kettle-sunrise')
      await page.getByRole('button', { name: 'Change password' }).click()
      await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor()
      await shot(page, '03-enrol')
      await page.getByLabel('Verification code').fill('123456')
      await page.getByRole('button', { name: 'Verify', exact: true }).click()
      await page.getByRole('list', { name: 'Recovery codes' }).waitFor()
      await shot(page, '04-recovery')
      await page.getByLabel('I have saved them').check()
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.getByRole('navigation', { name: 'Main' }).waitFor()
    })
    await ctx.close()
  },

  async auditor() {
    const { ctx, page } = await newPage('auditor')
    await step('auditor read-only', async () => {
      await signIn(page, 'auditor')
      await page.getByRole('link', { name: 'Findings', exact: true }).click()
      await page.getByRole('rowheader', { name: /S3 bucket blocks public read access/ }).waitFor()
      if ((await page.getByRole('button', { name: /^Suppress/ }).count()) !== 0) throw new Error('auditor sees Suppress')
      await page.getByRole('link', { name: 'Segmentation', exact: true }).click()
      await page.getByRole('heading', { name: '1. Baseline edges' }).waitFor()
      if ((await page.getByRole('button', { name: 'Allow', exact: true }).count()) !== 0) throw new Error('auditor sees Allow')
      await page.getByRole('link', { name: 'Settings', exact: true }).click()
      await page.getByRole('heading', { name: 'API tokens' }).waitFor()
      if ((await page.getByRole('heading', { name: 'Users' }).count()) !== 0) throw new Error('auditor sees Users')
    })
    await step('app-team 403', async () => {
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.getByText('You have signed out.').waitFor()
      await signIn(page, 'appteam')
      await page.getByRole('link', { name: 'Audit trail', exact: true }).click()
      await page.getByText('Your role does not allow this.').waitFor()
      await shot(page, '81-audit-forbidden')
    })
    await ctx.close()
  },

  async empty() {
    const { ctx, page } = await newPage('empty')
    await step('empty overview', async () => {
      await signIn(page, 'admin')
      await page.getByText('No scan yet', { exact: true }).waitFor()
      await shot(page, '11-overview-empty')
      await page.getByRole('link', { name: 'Findings', exact: true }).click()
      await page.getByText('No failing findings').waitFor()
    })
    await ctx.close()
  },
}

for (const [name, fn] of Object.entries(scenarios)) if (!only || only === name) await fn()
await browser.close()
if (problems.length) {
  console.log('\nPROBLEMS:\n' + problems.join('\n'))
  process.exit(1)
}
console.log('\nall good; screenshots in ' + out)
