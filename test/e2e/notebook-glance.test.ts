import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { RunRowSchema, type RunRow } from '#schemas/tables.ts'
import { comparisonKey } from '#core/compare/comparison-key.ts'
import {
  labRows,
  replicateRows,
  writeLabParquet,
  type LabRows,
} from '../helpers/notebook-fixtures.ts'
import { startNotebookServer, type NotebookServer } from '../helpers/notebook-server.ts'
import {
  ARTIFACTS,
  DIST,
  ensureNotebookBuilt,
  launchGuardedBrowser,
  openNotebook,
} from '../helpers/notebook-browser.ts'

const COPIES = 4 // 2 repetitions per hardware profile: too few for an overhead CI

/** Median as R's type 7 / DuckDB's quantile_cont(x, 0.5), computed here on its own. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = (s.length - 1) / 2
  return (s[Math.floor(mid)] + s[Math.ceil(mid)]) / 2
}

describe('notebook at a glance: overlay, profiles, schema panel, missing values (headless Chromium)', () => {
  let rows: LabRows
  let dataDir: string
  let server: NotebookServer
  let browser: Browser
  let page: Page
  let pageErrors: string[]

  beforeAll(async () => {
    ensureNotebookBuilt()
    rows = replicateRows(labRows(), COPIES)
    // each repetition's intervals a little faster than the previous one's, so overlaid lines part
    const repetition = new Map(rows.runs.map((r) => [r.run_id, r.repetition ?? 0]))
    rows.intervals = rows.intervals.map((i) => ({
      ...i,
      bits_per_second:
        i.bits_per_second === null
          ? null
          : i.bits_per_second * (1 + repetition.get(i.run_id)! / 10),
    }))
    // os-s2b and bare metal measured a second way (64-byte messages) on one profile: a second
    // comparison key for one scenario, which must be its own bar, not stacked on the first
    const small = rows.runs
      .filter(
        (r) =>
          r.tool === 'qperf' &&
          r.hardware_profile === 'one-box-2vcpu' &&
          (r.scenario === 'os-s2b' || r.scenario === 'baseline'),
      )
      .map((r) => {
        const copy: RunRow = {
          ...r,
          run_id: `m64${r.run_id!.slice(3)}`,
          msg_size_bytes: 64,
          latency_s: r.latency_s === null ? null : r.latency_s * 0.8,
        }
        copy.comparison_key = comparisonKey(copy)
        return copy
      })
    rows.runs.push(...small)
    dataDir = mkdtempSync(path.join(tmpdir(), 'netlake-notebook-glance-'))
    const files = await writeLabParquet(dataDir, rows)
    server = await startNotebookServer({ distDir: DIST, dataDir, files })
    mkdirSync(ARTIFACTS, { recursive: true })
    ;({ browser, page, pageErrors } = await launchGuardedBrowser())
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  const open = (query: string, shot: string) =>
    openNotebook(page, `${server.url}/${query}`, `glance-${shot}`)
  const ok = (tool: string) =>
    rows.runs.filter((r) => r.tool === tool && r.status === 'ok' && r.role !== 'server')

  it('time-series page overlays every repetition of the run, omitted intervals hollow', async () => {
    // Prepare
    const run = ok('iperf3').find((r) => r.scenario === 'kv-s2' && r.repetition === 1)!
    const group = ok('iperf3').filter(
      (r) =>
        r.platform === run.platform &&
        r.scenario === run.scenario &&
        r.hardware_profile === run.hardware_profile &&
        r.comparison_key === run.comparison_key,
    )
    const ids = new Set(group.map((r) => r.run_id))
    const sums = rows.intervals.filter((i) => ids.has(i.run_id) && i.stream === -1)

    // Act
    await open(`?page=timeseries&run=${run.run_id}`, 'timeseries-before')
    const overlay = page.locator('figure.chart[data-panel="repetitions"]')
    await overlay.waitFor()
    await overlay.scrollIntoViewIfNeeded()
    await page.screenshot({
      path: path.join(ARTIFACTS, 'glance-timeseries-overlay.png'),
      fullPage: true,
    })
    const shown = JSON.parse((await overlay.getAttribute('data-runs'))!) as string[]
    const lines = await overlay.locator('svg g[aria-label="line"] path').count()
    const hollow = await overlay.locator('svg g[aria-label="dot"][fill="white"] circle').count()
    const options = await page
      .locator('select[name="run"] option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))

    // Assess
    expect(ids.size).toBe(COPIES / 2)
    expect(new Set(shown)).toEqual(ids)
    expect(lines).toBe(ids.size)
    expect(hollow).toBe(sums.filter((i) => i.omitted).length)
    expect(hollow).toBeGreaterThan(0)
    const started = new Map(ok('iperf3').map((r) => [r.run_id, r.started_at ?? '']))
    const times = options.map((id) => started.get(id)!)
    expect(times).toEqual([...times].sort().reverse()) // newest first
  }, 90_000)

  it('latency page: one chart per hardware profile, medians equal to the runs', async () => {
    // Prepare
    const runs = ok('qperf').filter((r) => r.test === 'tcp_lat' && r.latency_s !== null)
    const profiles = [...new Set(runs.map((r) => r.hardware_profile!))].sort()

    // Act
    await open('?page=latency', 'latency')
    const charts = await page.locator('figure.chart[data-profile]').evaluateAll((els) =>
      els.map((e) => ({
        profile: e.getAttribute('data-profile')!,
        values: JSON.parse(e.getAttribute('data-values')!) as Array<{
          platform: string
          scenario: string
          comparison_key: string
          label: string
          median: number
          baseline: number | null
          n: number
        }>,
      })),
    )
    const bars = await page
      .locator('figure.chart[data-profile="one-box-2vcpu"] svg g[aria-label="bar"] rect')
      .evaluateAll((els) => els.map((e) => e.getAttribute('y')))

    // Assess
    expect(profiles).toHaveLength(2)
    expect(charts.map((c) => c.profile).sort()).toEqual(profiles)
    for (const chart of charts) {
      const mine = runs.filter((r) => r.hardware_profile === chart.profile)
      const groups = new Set(mine.map((r) => `${r.scenario}|${r.comparison_key}`))
      expect(chart.values).toHaveLength(groups.size)
      expect(new Set(chart.values.map((v) => v.label)).size).toBe(groups.size)
      for (const v of chart.values) {
        const xs = mine
          .filter((r) => r.scenario === v.scenario && r.comparison_key === v.comparison_key)
          .map((r) => r.latency_s! * 1e6)
        const base = mine
          .filter((r) => r.platform === 'baremetal' && r.comparison_key === v.comparison_key)
          .map((r) => r.latency_s! * 1e6)
        expect(v.n).toBe(xs.length)
        expect(v.median).toBeCloseTo(median(xs), 9)
        expect(v.baseline).toBeCloseTo(median(base), 9)
      }
    }
    const two = charts.find((c) => c.profile === 'one-box-2vcpu')!.values
    expect(
      two
        .filter((v) => v.scenario === 'os-s2b')
        .map((v) => v.label)
        .sort(),
    ).toEqual(['os-s2b · msg1', 'os-s2b · msg64'])
    expect(new Set(bars).size).toBe(bars.length) // one row per bar: nothing stacks
  }, 90_000)

  it('platforms page: one pair of charts per hardware profile, medians equal to the runs', async () => {
    // Prepare
    const tcp = ok('iperf3')
    const profiles = [...new Set(tcp.map((r) => r.hardware_profile!))].sort()

    // Act
    await open('?page=platforms', 'platforms')
    const sections = await page.locator('section.profile[data-profile]').evaluateAll((els) =>
      els.map((e) => ({
        profile: e.getAttribute('data-profile')!,
        charts: e.querySelectorAll('figure.chart').length,
        values: JSON.parse(e.getAttribute('data-values')!) as Array<{
          platform: string
          scenario: string
          gbps: number | null
        }>,
      })),
    )

    const mixed = await page
      .locator('section.profile[data-profile="one-box-2vcpu"] [data-state="mixed-keys"]')
      .textContent()
    const unmixed = await page
      .locator('section.profile[data-profile="one-box-4vcpu"] [data-state="mixed-keys"]')
      .count()

    // Assess
    expect(mixed).toContain('baremetal · baseline, openstack · os-s2b')
    expect(unmixed).toBe(0)
    expect(sections.map((s) => s.profile).sort()).toEqual(profiles)
    for (const s of sections) {
      expect(s.charts).toBe(2)
      for (const v of s.values.filter((x) => x.gbps !== null)) {
        const xs = tcp
          .filter(
            (r) =>
              r.hardware_profile === s.profile &&
              r.platform === v.platform &&
              r.scenario === v.scenario,
          )
          .map((r) => r.throughput_bps!)
        expect(v.gbps! * 1e9).toBeCloseTo(median(xs), 0)
      }
    }
  }, 90_000)

  it('SQL cells: a schema panel lists tables and views with units; the editor completes their names', async () => {
    // Act
    await open('?page=sql', 'sql-schema-before')
    await page.click('.schema-panel > summary')
    await page.click('.schema-object[data-object="tcp_throughput_runs"] > summary')
    const objects = await page
      .locator('.schema-object')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-object')))
    const columns = await page
      .locator('.schema-object[data-object="runs"] tr[data-column]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-column')))
    const unit = await page
      .locator(
        '.schema-object[data-object="tcp_throughput_runs"] tr[data-column="throughput_bps"] td.unit',
      )
      .textContent()
    await page.screenshot({ path: path.join(ARTIFACTS, 'glance-sql-schema.png'), fullPage: true })
    await page.click('.cell .cm-content')
    await page.keyboard.press('Control+A')
    await page.keyboard.type('SELECT * FROM tcp_thr')
    // the popup follows the typing: wait until it has caught up with the last characters
    await page
      .locator('.cm-tooltip-autocomplete .cm-completionLabel', { hasText: /^tcp_/ })
      .first()
      .waitFor({ timeout: 10_000 })
    const tables = await page
      .locator('.cm-tooltip-autocomplete .cm-completionLabel')
      .allTextContents()
    await page.keyboard.press('Escape')
    await page.keyboard.press('Control+A')
    await page.keyboard.type('SELECT tcp_throughput_runs.throughput_')
    await page
      .locator('.cm-tooltip-autocomplete .cm-completionLabel', { hasText: /^throughput_/ })
      .first()
      .waitFor({ timeout: 10_000 })
    await page.screenshot({ path: path.join(ARTIFACTS, 'glance-sql-completion.png') })
    const completed = await page
      .locator('.cm-tooltip-autocomplete li')
      .evaluateAll((els) =>
        els.map((e) => [
          e.querySelector('.cm-completionLabel')?.textContent,
          e.querySelector('.cm-completionDetail')?.textContent,
        ]),
      )

    // Assess
    expect(objects).toEqual([
      'client_runs',
      'tcp_throughput_runs',
      'tcp_latency_runs',
      'client_intervals',
      'runs',
      'intervals',
      'metrics',
    ])
    expect(columns).toEqual(Object.keys(RunRowSchema.shape))
    expect(unit).toBe('bit/s')
    expect(tables).toContain('tcp_throughput_runs')
    expect(completed).toContainEqual(['throughput_bps', 'DOUBLE · bit/s'])
  }, 90_000)

  it('page tables show – where a CI cannot be computed (n = 2 a side), never NULL', async () => {
    // Act
    await open('?page=overhead', 'overhead-no-ci')
    const header = await page.locator('table.result thead th .name').allTextContents()
    const cells = await page
      .locator('table.result tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)))
    const low = header.indexOf('ci_low_overhead')

    // Assess
    expect(low).toBeGreaterThan(-1)
    expect(cells.length).toBeGreaterThan(0)
    expect(cells.map((r) => r[low])).toEqual(cells.map(() => '–'))
    expect(cells.flat()).not.toContain('NULL')
  }, 90_000)

  it('threw no page errors', () => {
    expect(pageErrors).toEqual([])
  })
})
