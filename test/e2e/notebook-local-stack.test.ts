import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startLocalStack } from '#local/stack.ts'
import type { LocalStack } from '#local/stack.ts'
import {
  ARTIFACTS,
  ensureNotebookBuilt,
  launchGuardedBrowser,
  openNotebook,
  showNotebook,
} from '../helpers/notebook-browser.ts'
import { canRun } from '../helpers/requires.ts'

const ready = canRun('test/e2e/notebook-local-stack.test.ts', { programs: ['/usr/bin/chromium'] })

/**
 * The notebook as a user meets it: `npm start`'s stack with the bundled sample data, served at
 * `/`, reading the lake through `/v1/datasets` and `/v1/files/...` range requests.
 */
describe.skipIf(!ready)('the notebook on the local stack with its sample data', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'netlake-e2e-stack-'))
  let stack: LocalStack
  let browser: Browser
  let page: Page
  let foreign: string[]
  let pageErrors: string[]
  const fileRequests: Array<{
    method: string
    path: string
    status: number
    range: string | null
  }> = []
  let runsFiles = 0
  let runsRows = 0

  beforeAll(async () => {
    ensureNotebookBuilt()
    stack = await startLocalStack({ dataDir, port: 0, log: () => undefined })
    const runsTable: Array<{ rows: number }> = (
      await (await fetch(`${stack.url}/v1/datasets`)).json()
    ).tables.runs
    runsFiles = runsTable.length
    runsRows = runsTable.reduce((sum, file) => sum + file.rows, 0)
    mkdirSync(ARTIFACTS, { recursive: true })
    ;({ browser, page, foreign, pageErrors } = await launchGuardedBrowser())
    page.on('response', (response) => {
      if (response.url().includes('/v1/files/'))
        fileRequests.push({
          method: response.request().method(),
          path: new URL(response.url()).pathname,
          status: response.status(),
          range: response.request().headers().range ?? null,
        })
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
    expect(await page.locator('figure.chart svg g[aria-label="dot"] circle').count()).toBe(8)
    expect(await page.locator('table.result tbody tr').count()).toBe(8)
    const ns = await page.locator('table.result tbody tr td:nth-child(4)').allTextContents()
    expect(ns).toEqual(Array(8).fill('1'))
  }, 90_000)

  it('runs a SQL cell over the lake and shows the 32 sample runs', async () => {
    await showNotebook(page, `${stack.url}/?page=sql`)
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
    // count(*) FROM runs touched every runs file of the manifest, each only by ranges
    const runsFilesRead = new Set(
      gets.map((r) => r.path).filter((p) => p.includes('/curated/runs/')),
    )
    // batched ingest: fewer files than the 24 sample uploads, holding the 32 runs once
    expect(runsFiles).toBeLessThan(24)
    expect(runsRows).toBe(32)
    expect(runsFilesRead.size).toBe(runsFiles)
    expect(gets.every((r) => r.status === 206 && r.range !== null)).toBe(true)
    expect(foreign).toEqual([])
    expect(pageErrors).toEqual([])
  })

  it('shows the traffic path of each scenario from the scenario catalog', async () => {
    await showNotebook(page, `${stack.url}/?page=paths`, 'stack-paths')
    expect(await page.locator('section.scenario').count()).toBe(8)
    const kv2 = await page
      .locator('section.scenario[data-scenario="kv-s2"] li[data-kind="vxlan"]')
      .first()
      .textContent()
    expect(kv2).toContain('VNI 1')
    expect(kv2).toContain('UDP 8472')
  })
})

describe.skipIf(!ready)('the notebook when the API needs a token for reads (as in AWS)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'netlake-e2e-token-'))
  let stack: LocalStack
  let browser: Browser

  beforeAll(async () => {
    ensureNotebookBuilt()
    stack = await startLocalStack({
      dataDir,
      port: 0,
      anonymousLoopbackReads: false,
      log: () => undefined,
    })
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await stack?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('asks once for a reader token, keeps it, and reads Parquet through signed URLs', async () => {
    // Prepare: an admin mints a reader token, as `netlake token create --scope reader` does
    const admin = readFileSync(stack.tokenFile, 'utf8').trim()
    const minted = await fetch(`${stack.url}/v1/tokens`, {
      method: 'POST',
      body: JSON.stringify({ scopes: ['reader'] }),
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
    })
    const { token } = await minted.json()
    const guarded = await launchGuardedBrowser()
    browser = guarded.browser
    const prompts: string[] = []
    guarded.page.on('dialog', (dialog) => {
      prompts.push(dialog.message())
      void dialog.accept(token)
    })
    const anonymous = await fetch(`${stack.url}/v1/datasets`)
    // Act
    await openNotebook(guarded.page, `${stack.url}/?page=throughput`, 'stack-token-throughput')
    await openNotebook(guarded.page, `${stack.url}/?page=latency`)
    // Assess
    expect(anonymous.status).toBe(401)
    expect(prompts).toHaveLength(1)
    expect(prompts[0]).toContain('reader token')
    // the latency page (last opened) draws one median per scenario
    expect(await guarded.page.locator('figure.chart svg g.median line').count()).toBe(8)
    expect(guarded.foreign).toEqual([])
  }, 90_000)
})
