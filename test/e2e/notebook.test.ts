import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { labRows, type LabRows, type WrittenFile } from '../helpers/notebook-fixtures.ts'
import { startNotebookServer, type NotebookServer } from '../helpers/notebook-server.ts'
import { openNotebookLake, type NotebookLake } from '../helpers/notebook-lake.ts'
import { exactNumber, formatBitRate, formatDuration, formatPercent } from '#core/units.ts'
import { ARTIFACTS, DIST, openNotebook } from '../helpers/notebook-browser.ts'
import { canRun } from '../helpers/requires.ts'

const ready = canRun('test/e2e/notebook.test.ts', { programs: ['/usr/bin/chromium'] })

describe.skipIf(!ready)('analytics notebook in headless Chromium', () => {
  let rows: LabRows
  let lake: NotebookLake
  let files: WrittenFile[]
  let dataDir: string
  let server: NotebookServer
  let browser: Browser
  let page: Page
  let foreign: string[]
  let pageErrors: string[]

  beforeAll(async () => {
    rows = labRows()
    lake = await openNotebookLake('notebook', rows)
    ;({ files, dataDir, server, browser, page, foreign } = lake)
    pageErrors = lake.pageErrors
  })

  afterAll(async () => {
    await lake?.close()
  })

  // The first view loads the notebook; the others are shown through history (no reload)
  const open = (query: string, shot: string) => lake.open(query, shot)

  const count = (selector: string) => page.locator(selector).count()
  const tcp = () =>
    rows.runs.filter((r) => r.tool === 'iperf3' && r.test === 'tcp' && r.status === 'ok')
  const throughputOf = (scenario: string) =>
    tcp().find((r) => r.scenario === scenario)!.throughput_bps!

  it('throughput page draws one point and one table row per scenario, fastest first', async () => {
    // Prepare
    const expectedOrder = [...tcp()]
      .sort((a, b) => b.throughput_bps! - a.throughput_bps!)
      .map((r) => r.scenario)

    // Act
    await open('?page=throughput', 'throughput')

    // Assess
    expect(await count('figure.chart svg g[aria-label="dot"] circle')).toBe(8)
    expect(await count('table.result tbody tr')).toBe(8)
    const scenarios = await page.locator('table.result tbody tr td:nth-child(2)').allTextContents()
    expect(scenarios).toEqual(expectedOrder)
    expect(expectedOrder[0]).toBe('baseline')
    await expect(page.locator('#status').getAttribute('data-state')).resolves.toBe('ready')
    expect(await page.locator('#status').textContent()).toContain(
      `Lake ready: ${rows.runs.length} runs, ${rows.intervals.length} intervals`,
    )
  })

  it('reads the Parquet files with HTTP range requests, never whole-file downloads', () => {
    // Prepare
    const data = server.requests.filter((r) => r.path.startsWith('/data/') && r.method === 'GET')

    // Act
    const full = data.filter((r) => r.range === null || r.status === 200)

    // Assess
    expect(data.length).toBeGreaterThanOrEqual(3)
    expect(full).toEqual([])
    expect(data.every((r) => r.status === 206)).toBe(true)
  })

  it('latency page draws the 8 qperf tcp_lat runs as points with their medians, bare metal lowest', async () => {
    // Prepare
    const lat = rows.runs.filter(
      (r) => r.tool === 'qperf' && r.test === 'tcp_lat' && r.status === 'ok',
    )

    // Act
    await open('?page=latency', 'latency')

    // Assess
    expect(lat).toHaveLength(8)
    expect(await count('figure.chart svg g[aria-label="dot"] circle')).toBe(lat.length)
    expect(await count('figure.chart svg g.median line')).toBe(lat.length)
    const header = await page.locator('table.result thead th .name').allTextContents()
    const column = (name: string) =>
      page.locator(`table.result tbody tr:first-child td:nth-child(${header.indexOf(name) + 1})`)
    expect(header.slice(0, 4)).toEqual([
      'hardware_profile',
      'platform',
      'scenario',
      'comparison_key',
    ])
    expect(await column('scenario').textContent()).toBe('baseline')
    const cell = column('median_latency_s')
    expect(await cell.textContent()).toBe(formatDuration(3.74e-6))
    expect(await cell.getAttribute('title')).toBe(exactNumber(3.74e-6))
    expect(await cell.textContent()).toBe('3.74 µs')
  })

  it('platform page shows throughput and latency side by side for all 8 platform/scenario pairs', async () => {
    // Act
    await open('?page=platforms', 'platforms')

    // Assess
    expect(await count('figure.chart')).toBe(2)
    expect(
      await count('figure.chart[data-metric="throughput_bps"] svg g[aria-label="dot"] circle'),
    ).toBe(8)
    expect(
      await count('figure.chart[data-metric="latency_s"] svg g[aria-label="dot"] circle'),
    ).toBe(8)
    expect(await count('figure.chart svg g.median line')).toBe(16)
  })

  it('overhead page gives 1 − scenario/baseline for the 7 virtual scenarios', async () => {
    // Prepare
    const expected = 1 - throughputOf('os-s2b') / throughputOf('baseline')

    // Act
    await open('?page=overhead', 'overhead')

    // Assess
    expect(await count('figure.chart svg g[aria-label="bar"] rect')).toBe(7)
    const items = await page.locator('ul.overhead-list li').allTextContents()
    expect(items).toHaveLength(7)
    // n = 1 a side: no spread to resample, so no CI is claimed
    expect(items).toContain(
      `os-s2b: ${formatPercent(expected)} (no CI: n = 1); median ${formatBitRate(throughputOf('os-s2b'))} vs bare metal ${formatBitRate(throughputOf('baseline'))} (n = 1, baseline n = 1)`,
    )
  })

  it('time-series page plots the 4 per-second sum intervals of the chosen run', async () => {
    // Prepare
    const run = tcp().find((r) => r.scenario === 'os-s1')!
    const sums = rows.intervals.filter((i) => i.run_id === run.run_id && i.stream === -1)

    // Act
    await open(`?page=timeseries&run=${run.run_id}`, 'timeseries')

    // Assess
    expect(sums).toHaveLength(4)
    expect(await page.locator('select[name="run"]').inputValue()).toBe(run.run_id)
    expect(await count('figure.chart svg g[aria-label="dot"] circle')).toBe(4)
    expect(await count('table.result tbody tr')).toBe(4)
  })

  it('profiles page shows each scenario for its hardware profile and campaign', async () => {
    // Act
    await open('?page=profiles&scenario=kv-s2', 'profiles')

    // Assess
    expect(await count('figure.chart svg g[aria-label="dot"] circle')).toBe(1)
    expect(await page.locator('table.result tbody tr td:nth-child(2)').allTextContents()).toEqual([
      'one-box-2vcpu',
    ])
    expect(await page.locator('select[name="scenario"]').inputValue()).toBe('kv-s2')
  })

  async function typeSql(sql: string): Promise<void> {
    const editor = page.locator('.cell .cm-content').first()
    await editor.click()
    await page.keyboard.press('Control+A')
    await page.keyboard.insertText(sql)
    await page.keyboard.press('Control+Enter')
  }

  it('a SQL cell runs on Ctrl-Enter and shows the result with column types, and the SQL is in the URL', async () => {
    // Prepare
    await open('?page=sql', 'sql-empty')
    const sql = "SELECT scenario, throughput_bps FROM runs WHERE tool = 'iperf3' ORDER BY scenario"

    // Act
    await typeSql(sql)
    await page.waitForSelector('.cell table.result')
    await page.screenshot({ path: path.join(ARTIFACTS, 'notebook-sql-result.png'), fullPage: true })

    // Assess
    expect(await count('.cell table.result tbody tr')).toBe(8)
    expect(await page.locator('.cell table.result th .type').allTextContents()).toEqual([
      'Utf8',
      'Float64',
    ])
    const first = await page.locator('.cell table.result tbody tr:first-child td').allTextContents()
    expect(first).toEqual(['baseline', formatBitRate(throughputOf('baseline'))])
    expect(
      await page.locator('.cell table.result tbody tr:first-child td').nth(1).getAttribute('title'),
    ).toBe(exactNumber(throughputOf('baseline')))
    expect(new URL(page.url()).searchParams.getAll('sql')).toEqual([sql])
  })

  it('a SQL error is shown inline with DuckDB’s message', async () => {
    // Act
    await typeSql('SELECT no_such_column FROM runs')
    await page.waitForSelector('.cell pre.error')
    await page.screenshot({ path: path.join(ARTIFACTS, 'notebook-sql-error.png'), fullPage: true })

    // Assess
    const message = await page.locator('.cell pre.error').textContent()
    expect(message).toContain('Binder Error')
    expect(message).toContain('no_such_column')
  })

  it('exports a cell as CSV and as Parquet (COPY TO in the wasm FS, then a download)', async () => {
    // Prepare
    await typeSql(
      "SELECT scenario, throughput_bps FROM runs WHERE tool = 'iperf3' ORDER BY scenario",
    )
    await page.waitForSelector('.cell table.result')

    // Act
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.click('.cell button.export-csv'),
    ])
    const [parquet] = await Promise.all([
      page.waitForEvent('download'),
      page.click('.cell button.export-parquet'),
    ])
    const csvText = readFileSync(await csv.path(), 'utf8')
      .trim()
      .split('\n')
    const parquetBytes = readFileSync(await parquet.path())

    // Assess
    expect(csv.suggestedFilename()).toBe('netlake-cell-1.csv')
    expect(csvText).toHaveLength(9)
    expect(csvText[0]).toBe('scenario,throughput_bps')
    expect(csvText[1]).toBe(`baseline,${throughputOf('baseline')}`)
    expect(parquet.suggestedFilename()).toBe('netlake-cell-1.parquet')
    expect(parquetBytes.subarray(0, 4).toString('latin1')).toBe('PAR1')
    expect(parquetBytes.subarray(-4).toString('latin1')).toBe('PAR1')
  })

  it('cancels a long query, says so inline, and the next query still works', async () => {
    // Prepare
    await typeSql('SELECT count(*) AS n FROM range(100000000000) t(i) WHERE i % 7 = 3')
    await page.waitForSelector('.cell .status.loading')

    // Act
    await page.click('.cell button.cancel')
    await page.waitForSelector('.cell pre.error', { timeout: 15_000 })
    const message = await page.locator('.cell pre.error').textContent()
    await typeSql("SELECT count(*) AS n FROM runs WHERE tool = 'qperf'")
    await page.waitForSelector('.cell table.result', { timeout: 20_000 })

    // Assess
    expect(await page.locator('.cell pre.error').count()).toBe(0)
    expect(message).toBe('query cancelled')
    expect(await page.locator('.cell table.result tbody td').allTextContents()).toEqual(['16'])
  })

  it('a filter change re-runs the page and lands in the URL', async () => {
    // Prepare
    await open('?page=throughput', 'throughput-before-filter')

    // Act
    await page.selectOption('select[name="platform"]', 'openstack')
    await page.waitForSelector('.page[data-rendered="true"] table.result')
    await page.screenshot({
      path: path.join(ARTIFACTS, 'notebook-throughput-openstack.png'),
      fullPage: true,
    })

    // Assess
    expect(new URL(page.url()).searchParams.get('platform')).toBe('openstack')
    expect(await count('figure.chart svg g[aria-label="dot"] circle')).toBe(5)
    expect(await page.locator('table.result tbody tr td:first-child').allTextContents()).toEqual(
      Array(5).fill('openstack'),
    )
  })

  it('an empty lake says so, and pages show their empty state instead of a chart', async () => {
    // Prepare
    const empty = await startNotebookServer({ distDir: DIST, dataDir, files: [] })

    try {
      // Act
      await openNotebook(page, `${empty.url}/?page=throughput`, 'notebook-empty')

      // Assess
      expect(await page.locator('#status').getAttribute('data-state')).toBe('empty')
      expect(await page.locator('#status').textContent()).toContain('The lake is empty')
      expect(await page.locator('.page .status.empty').textContent()).toBe(
        'No successful iperf3 TCP runs match these filters.',
      )
      expect(await count('figure.chart')).toBe(0)
    } finally {
      await empty.close()
    }
  })

  it('a lake with one corrupt Parquet file shows the other files and names the one it skipped', async () => {
    // Prepare: the openstack runs file, cut in half (no footer), in place of the whole one
    const whole = files.find((f) => f.table === 'runs' && f.file === 'runs-openstack.parquet')!
    const bytes = readFileSync(path.join(dataDir, whole.file))
    const broken = { ...whole, file: 'runs-openstack-broken.parquet', bytes: bytes.byteLength >> 1 }
    writeFileSync(path.join(dataDir, broken.file), bytes.subarray(0, broken.bytes))
    const lake = files.map((f) => (f === whole ? broken : f))
    const corrupt = await startNotebookServer({ distDir: DIST, dataDir, files: lake })
    const kept = tcp().filter((r) => r.platform !== 'openstack')
    const keptRuns = rows.runs.filter((r) => r.platform !== 'openstack').length

    try {
      // Act
      await openNotebook(page, `${corrupt.url}/?page=throughput`, 'notebook-corrupt-file')

      // Assess
      const status = page.locator('#status')
      expect(await status.getAttribute('data-state')).toBe('skipped')
      const text = (await status.textContent()) ?? ''
      expect(text).toContain(`Lake ready: ${keptRuns} runs, ${rows.intervals.length} intervals`)
      expect(text).toContain(
        'Skipped 1 Parquet file that cannot be read (netlake doctor lists them): curated/runs/runs-openstack-broken.parquet (DuckDB cannot read it',
      )
      expect(keptRuns).toBe(rows.runs.length - whole.rows) // the broken file's runs, and only them
      expect(await count('figure.chart svg g[aria-label="dot"] circle')).toBe(kept.length)
      const platforms = await page.locator('table.result tbody tr td:first-child').allTextContents()
      expect(platforms.sort()).toEqual(kept.map((r) => r.platform).sort())
    } finally {
      await corrupt.close()
    }
  })

  it('made no request to any host but loopback, and threw no page errors', () => {
    // Assess
    expect(foreign).toEqual([])
    expect(pageErrors).toEqual([])
  })
})
