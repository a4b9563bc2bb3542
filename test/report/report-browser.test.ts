import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium } from 'playwright-core'
import type { Browser } from 'playwright-core'
import { runReport } from '#functions/report/run-report.ts'
import { CURRENT, createReportLake } from './report-lake.ts'
import { canRun } from '../helpers/requires.ts'

const ready = canRun('test/report/report-browser.test.ts', { programs: ['/usr/bin/chromium'] })

const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts')

describe.skipIf(!ready)('report.html in headless Chromium', () => {
  let browser: Browser
  let html: string

  beforeAll(async () => {
    const lake = await createReportLake()
    const record = await runReport(lake, { ...CURRENT })
    html = new TextDecoder().decode((await lake.reports.get(record.keys.html)) as Uint8Array)
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
  })

  it('renders its charts and tables without a single network request', async () => {
    // Prepare
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } })
    const requests: string[] = []
    await context.route('**/*', (route) => {
      requests.push(route.request().url())
      return route.abort()
    })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    // Act
    await page.setContent(html, { waitUntil: 'load' })
    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: path.join(ARTIFACTS, 'report.png'), fullPage: true })
    const charts = await page.$$eval('figure > svg', (svgs) =>
      svgs.map((s) => {
        const box = s.getBoundingClientRect()
        return { width: Math.round(box.width), marks: s.querySelectorAll('circle').length }
      }),
    )
    const summary = await page.textContent('p.summary')
    const regressionRows = await page.$$eval('tr.regression', (rows) =>
      rows.map((r) => r.querySelector('td')?.textContent),
    )
    // Assess
    expect(requests).toEqual([])
    expect(errors).toEqual([])
    expect(charts.map((c) => c.width)).toEqual([760, 760, 760, 760])
    // 5 medians (+5 previous medians) per metric chart, 10 changes, 4 overheads
    expect(charts.map((c) => c.marks)).toEqual([10, 10, 10, 4])
    expect(summary).toBe('1 regression(s), 0 improvement(s) over 51 runs (1 failed).')
    expect(regressionRows).toEqual(['os-s1'])
    await context.close()
  }, 30_000)
})
