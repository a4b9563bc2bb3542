import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startLocalStack } from '#functions/local/stack.ts'
import type { LocalStack } from '#functions/local/stack.ts'
import { ARTIFACTS, ensureNotebookBuilt, launchGuardedBrowser, openNotebook } from '../helpers/notebook-browser.ts'

/**
 * The notebook as a user meets it: `npm start`'s stack with the bundled sample data, served at
 * `/`, reading the lake through `/v1/datasets` and `/v1/files/...` range requests.
 */
describe('the notebook on the local stack with its sample data', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'netlake-e2e-stack-'))
  let stack: LocalStack
  let browser: Browser
  let page: Page
  let foreign: string[]
  let pageErrors: string[]
  const fileRequests: Array<{ method: string; status: number; range: string | null }> = []

  beforeAll(async () => {
    ensureNotebookBuilt()
    stack = await startLocalStack({ dataDir, port: 0, log: () => undefined })
    mkdirSync(ARTIFACTS, { recursive: true })
    ;({ browser, page, foreign, pageErrors } = await launchGuardedBrowser())
    page.on('response', (response) => {
      if (response.url().includes('/v1/files/')) fileRequests.push({ method: response.request().method(), status: response.status(), range: response.request().headers().range ?? null })
    })
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await stack?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('draws the 8 sample scenarios on the throughput page, counting each test once', async () => {
    // Act
    await openNotebook(page, `${stack.url}/?page=throughput`, 'stack-throughput')
    // Assess: 8 scenarios, one client-side iperf3 run each (server documents left out)
    expect(await page.locator('figure.chart svg g[aria-label="bar"] rect').count()).toBe(8)
    expect(await page.locator('table.result tbody tr').count()).toBe(8)
    const ns = await page.locator('table.result tbody tr td:nth-child(3)').allTextContents()
    expect(ns).toEqual(Array(8).fill('1'))
  }, 90_000)

  it('runs a SQL cell over the lake and shows the 32 sample runs', async () => {
    await openNotebook(page, `${stack.url}/?page=sql`)
    await page.locator('.cell .cm-content').first().click()
    await page.keyboard.press('Control+A')
    await page.keyboard.insertText('SELECT count(*)::INTEGER AS n FROM runs')
    await page.keyboard.press('Control+Enter')
    await page.waitForSelector('.cell table.result tbody tr')
    expect(await page.locator('.cell table.result tbody tr td').first().textContent()).toBe('32')
    await page.screenshot({ path: path.join(ARTIFACTS, 'stack-sql.png'), fullPage: true })
  }, 60_000)

  it('read Parquet only with range requests from the API, and nothing from any other host', () => {
    const gets = fileRequests.filter((r) => r.method === 'GET')
    expect(gets.length).toBeGreaterThan(0)
    expect(gets.every((r) => r.status === 206 && r.range !== null)).toBe(true)
    expect(foreign).toEqual([])
    expect(pageErrors).toEqual([])
  })
})
