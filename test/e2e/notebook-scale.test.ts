import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { median } from '#core/compare/stats.ts'
import { geometricMeanRatio } from '#core/compare/welch-log.ts'
import { exactNumber, formatBitRate, formatPercent } from '#core/units.ts'
import {
  labRows,
  replicateRows,
  type LabRows,
  type WrittenFile,
} from '../helpers/notebook-fixtures.ts'
import type { NotebookServer } from '../helpers/notebook-server.ts'
import { openNotebookLake, type NotebookLake } from '../helpers/notebook-lake.ts'
import { ARTIFACTS, openNotebook, showNotebook } from '../helpers/notebook-browser.ts'
import { canRun } from '../helpers/requires.ts'

const ready = canRun('test/e2e/notebook-scale.test.ts', { programs: ['/usr/bin/chromium'] })

const COPIES = 500

describe.skipIf(!ready)('notebook over a synthetic lake of thousands of runs', () => {
  let rows: LabRows
  let lake: NotebookLake
  let files: WrittenFile[]
  let dataDir: string
  let server: NotebookServer
  let browser: Browser
  let page: Page
  let foreign: string[]

  beforeAll(async () => {
    // Synthetic physical labels so the line-rate ceiling is known: 10 GbE, 1500-byte link.
    const lab = labRows((scenario) => ({
      nic_speed_bps: 10e9,
      link_mtu: 1500,
      mtu: scenario === 'baseline' ? 1500 : 1450,
    }))
    rows = replicateRows(lab, COPIES)
    lake = await openNotebookLake('notebook-scale', rows)
    ;({ files, dataDir, server, browser, page, foreign } = lake)
  })

  afterAll(async () => {
    await lake?.close()
  })

  const tcpOf = (scenario: string, hardwareProfile?: string) =>
    rows.runs
      .filter((r) => r.tool === 'iperf3' && r.scenario === scenario)
      .filter((r) => hardwareProfile === undefined || r.hardware_profile === hardwareProfile)
      .map((r) => r.throughput_bps!)

  it('throughput page: one chart per hardware profile over 4,000 iperf3 runs, exact medians, ceilings marked', async () => {
    // Prepare
    const baselineMedian = median(tcpOf('baseline', 'one-box-2vcpu'))

    // Act
    await openNotebook(page, `${server.url}/?page=throughput`, 'notebook-scale-throughput')

    // Assess
    expect(rows.runs).toHaveLength(12_000)
    expect(
      await page
        .locator('figure.chart[data-profile]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-profile'))),
    ).toEqual(['one-box-2vcpu', 'one-box-4vcpu'])
    expect(await page.locator('figure.chart svg g[aria-label="dot"] circle').count()).toBe(4000)
    // per chart: 8 medians, each with its 95 % CI (250 repetitions), 7 matched baselines (bare
    // metal is its own reference) and 8 ceilings
    const marks = (label: string) => page.locator(`figure.chart svg g.${label} line`).count()
    expect(await marks('median')).toBe(16)
    expect(await marks('median-ci')).toBe(16)
    expect(await marks('baseline')).toBe(14)
    expect(await marks('ceiling')).toBe(16)
    expect(await page.locator('table.result tbody tr td:nth-child(4)').allTextContents()).toEqual(
      Array(16).fill(String(COPIES / 2)),
    )
    const first = await page.locator('table.result tbody tr:first-child td').allTextContents()
    expect(first.slice(0, 5)).toEqual([
      'baremetal',
      'baseline',
      'one-box-2vcpu',
      String(COPIES / 2),
      formatBitRate(baselineMedian),
    ])
    expect(
      await page.locator('table.result tbody tr:first-child td').nth(4).getAttribute('title'),
    ).toBe(exactNumber(baselineMedian))
    expect(await page.locator('#status').textContent()).toContain('12000 runs, 32000 intervals')
  })

  it('reads the larger Parquet files in ranges, never with one whole-file request', () => {
    // Prepare
    const large = files.filter((f) => f.bytes > 32 * 1024)
    const biggestRequest = (file: string) =>
      Math.max(0, ...server.requests.filter((r) => r.path === `/data/${file}`).map((r) => r.bytes))

    // Act
    const ratios = large.map((f) => biggestRequest(f.file) / f.bytes)

    // Assess
    expect(
      server.requests.filter(
        (r) => r.path.startsWith('/data/') && r.method === 'GET' && r.status !== 206,
      ),
    ).toEqual([])
    expect(large.map((f) => f.file)).toEqual([
      'runs-baremetal.parquet',
      'runs-kubevirt.parquet',
      'runs-openstack.parquet',
    ])
    expect(ratios.every((x) => x > 0 && x < 1)).toBe(true)
  })

  it('overhead page: the Welch-log CIs over 500 repetitions match functions/core/compare', async () => {
    // Prepare
    const ratio = geometricMeanRatio(
      tcpOf('baseline', 'one-box-4vcpu'),
      tcpOf('os-s2b', 'one-box-4vcpu'),
    ).ratio!

    // Act
    await showNotebook(page, `${server.url}/?page=overhead`, 'notebook-scale-overhead')

    // Assess
    expect(await page.locator('figure.chart svg g[aria-label="bar"] rect').count()).toBe(14)
    const medianOf = (s: string) => formatBitRate(median(tcpOf(s, 'one-box-4vcpu')))
    expect(await page.locator('ul.overhead-list li').allTextContents()).toContain(
      `os-s2b · one-box-4vcpu: ${formatPercent(1 - ratio.estimate)} (95% CI ${formatPercent(1 - ratio.ci_high)} to ${formatPercent(1 - ratio.ci_low)}); median ${medianOf('os-s2b')} vs bare metal ${medianOf('baseline')} (n = ${COPIES / 2}, baseline n = ${COPIES / 2})`,
    )
    expect(ratio.ci_high).toBeGreaterThan(ratio.ci_low)
  })

  it('a SQL cell over all 12,000 runs renders the first 500 rows and counts the rest', async () => {
    // Prepare
    await openNotebook(
      page,
      `${server.url}/?page=sql&sql=${encodeURIComponent('SELECT run_id, scenario, throughput_bps FROM runs ORDER BY run_id')}`,
    )

    // Act
    await page.click('.cell button.run')
    await page.waitForSelector('.cell table.result', { timeout: 30_000 })
    await page.screenshot({ path: path.join(ARTIFACTS, 'notebook-scale-sql.png') })

    // Assess
    expect(await page.locator('.cell table.result caption').textContent()).toMatch(
      /^12000 rows \(first 500 shown\)/,
    )
    expect(await page.locator('.cell table.result tbody tr').count()).toBe(500)
    expect(foreign).toEqual([])
  })
})
