import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium } from 'playwright-core'
import type { Browser } from 'playwright-core'
import { runReport } from '#functions/report/run-report.ts'
import { platformColor } from '#core/palette.ts'
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
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-first-screen.png') })
    const charts = await page.$$eval('figure > svg', (svgs) =>
      svgs.map((s) => {
        const box = s.getBoundingClientRect()
        return { width: Math.round(box.width), marks: s.querySelectorAll('circle').length }
      }),
    )
    const summary = await page.textContent('p.summary')
    const summaryTableBottom = await page.$eval(
      '#table-summary',
      (t) => t.getBoundingClientRect().bottom,
    )
    const firstChartTop = await page.$eval('figure', (f) => f.getBoundingClientRect().top)
    const fills = await page.$$eval('#chart-throughput_bps svg circle[fill]', (cs) =>
      cs.map((c) => c.getAttribute('fill')),
    )
    const legend = await page.$$eval('ul.legend li[data-platform]', (lis) =>
      lis.map((li) => [li.getAttribute('data-platform'), li.getAttribute('data-color')]),
    )
    // the overhead table with the note said once under it
    const overheadClip = await page.$eval('#table-overhead', (t) => {
      const note = t.nextElementSibling
      const box = t.getBoundingClientRect()
      const bottom = note?.matches('p.table-note')
        ? note.getBoundingClientRect().bottom
        : box.bottom
      return {
        x: box.left + window.scrollX,
        y: box.top + window.scrollY,
        width: box.width,
        height: bottom - box.top,
      }
    })
    await page.screenshot({
      path: path.join(ARTIFACTS, 'report-overhead-table.png'),
      clip: overheadClip,
      fullPage: true,
    })
    await page.locator('#table-platforms').screenshot({
      path: path.join(ARTIFACTS, 'report-platforms-table.png'),
    })
    const summaryRight = await page.$eval('#table-summary', (t) => t.getBoundingClientRect().right)
    const verdicts = await page.$$eval('#table-summary b.verdict', (bs) =>
      bs.map((b) => b.textContent),
    )
    const regressionRows = await page.$$eval('tr.regression', (rows) =>
      rows.map((r) => r.querySelector('td')?.textContent),
    )
    // Assess
    expect(requests).toEqual([])
    expect(errors).toEqual([])
    expect(charts.map((c) => c.width)).toEqual(Array<number>(9).fill(760))
    // 5 medians (+5 previous medians) per metric chart, 10 changes, 4 overheads, then one
    // throughput history per scenario with its 10 runs of the two windows
    expect(charts.map((c) => c.marks)).toEqual([10, 10, 10, 4, 10, 10, 10, 10, 10])
    expect(summary).toBe('1 regression(s), 0 improvement(s) over 51 runs (1 failed).')
    expect(regressionRows).toEqual(['os-s1', 'os-s1'])
    // the answer is on the first screen: the summary table ends above the fold, before any chart
    expect(summaryTableBottom).toBeLessThan(900)
    expect(summaryTableBottom).toBeLessThan(firstChartTop)
    // ...and fits its width: the verdicts vs bare metal (bold) and the regression are in view
    expect(summaryRight).toBeLessThanOrEqual(1200)
    // (throughput rows, then latency rows: every lab path is 57-101% slower than bare metal's 3.74 us)
    expect(verdicts).toEqual([
      'WORSE',
      'REGRESSION',
      'WORSE',
      'WORSE',
      'WORSE',
      ...Array<string>(4).fill('WORSE'),
    ])
    // one palette: the report's platform colours are the notebook's (functions/core/palette.ts)
    expect(legend).toEqual(['baremetal', 'openstack', 'kubevirt'].map((p) => [p, platformColor(p)]))
    expect([...new Set(fills)].sort()).toEqual(
      ['baremetal', 'openstack', 'kubevirt'].map(platformColor).sort(),
    )
    await context.close()
  }, 30_000)
})
