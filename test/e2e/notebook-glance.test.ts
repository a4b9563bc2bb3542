import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { RunRowSchema, type RunRow } from '#schemas/tables.ts'
import { comparisonKey } from '#core/compare/comparison-key.ts'
import { labRows, replicateRows, type LabRows } from '../helpers/notebook-fixtures.ts'
import { ARTIFACTS } from '../helpers/notebook-browser.ts'
import { openNotebookLake, type NotebookLake } from '../helpers/notebook-lake.ts'
import type { RepetitionGroup } from '../../analytics/src/repetition-groups.ts'

const COPIES = 4 // 2 repetitions per hardware profile: too few for an overhead CI

/** Median as R's type 7 / DuckDB's quantile_cont(x, 0.5), computed here on its own. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = (s.length - 1) / 2
  return (s[Math.floor(mid)] + s[Math.ceil(mid)]) / 2
}

describe('notebook at a glance: overlay, profiles, schema panel, missing values (headless Chromium)', () => {
  let rows: LabRows
  let lake: NotebookLake
  let page: Page

  beforeAll(async () => {
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
    lake = await openNotebookLake('glance', rows)
    page = lake.page
  })

  afterAll(async () => {
    await lake?.close()
  })

  const open = (query: string, shot: string) => lake.open(query, shot)
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
    // each run omits its first omit_s seconds (-O), one hollow point per omitted interval
    const step = sums[0].end_s! - sums[0].start_s!
    expect(hollow).toBe(group.reduce((n, r) => n + Math.round(r.omit_s! / step), 0))
    expect(hollow).toBe(ids.size) // the lab ran -O 1 with 1 s intervals
    const started = new Map(ok('iperf3').map((r) => [r.run_id, r.started_at ?? '']))
    const times = options.map((id) => started.get(id)!)
    expect(times).toEqual([...times].sort().reverse()) // newest first
  }, 90_000)

  const stripGroups = (selector: string) =>
    page.locator(selector).evaluateAll((els) =>
      els.map((e) => ({
        profile:
          e.getAttribute('data-profile') ??
          e.closest('[data-profile]')!.getAttribute('data-profile')!,
        groups: JSON.parse(e.getAttribute('data-values')!) as RepetitionGroup[],
      })),
    )
  /** Every group holds exactly the runs of its (platform, scenario, profile, key): none mixes keys. */
  const expectOneKeyPerGroup = (
    charts: Array<{ profile: string; groups: RepetitionGroup[] }>,
    runs: RunRow[],
    metric: 'latency_s' | 'throughput_bps',
  ) => {
    for (const chart of charts) {
      const mine = runs.filter((r) => r.hardware_profile === chart.profile)
      const keys = new Set(mine.map((r) => `${r.platform}|${r.scenario}|${r.comparison_key}`))
      expect(
        chart.groups.map((g) => `${g.platform}|${g.scenario}|${g.comparison_key}`).sort(),
      ).toEqual([...keys].sort())
      expect(new Set(chart.groups.map((g) => g.label)).size).toBe(keys.size)
      for (const g of chart.groups) {
        const xs = mine
          .filter(
            (r) =>
              r.platform === g.platform &&
              r.scenario === g.scenario &&
              r.comparison_key === g.comparison_key,
          )
          .map((r) => r[metric] as number)
        const base = runs
          .filter((r) => r.platform === 'baremetal' && r.comparison_key === g.comparison_key)
          .map((r) => r[metric] as number)
        expect(
          [...g.values].sort((a, b) => a - b),
          g.label,
        ).toEqual(xs.sort((a, b) => a - b))
        expect(g.n, g.label).toBe(xs.length)
        // type-7 interpolation and (a + b) / 2 may differ in the last bit
        expect(g.median / median(xs) - 1, g.label).toBeCloseTo(0, 12)
        expect(g.baseline_median! / median(base) - 1, g.label).toBeCloseTo(0, 12)
        expect(g.ci_low, g.label).toBeNull() // 2 repetitions: no 95 % interval of a median
      }
    }
  }

  it('latency page: one strip chart per hardware profile, one row per comparison key, repetitions as points', async () => {
    // Prepare
    const runs = ok('qperf').filter((r) => r.test === 'tcp_lat' && r.latency_s !== null)
    const profiles = [...new Set(runs.map((r) => r.hardware_profile!))].sort()

    // Act
    await open('?page=latency', 'latency')
    const charts = await stripGroups('figure.chart[data-profile]')
    const dots = await page.locator('figure.chart svg g[aria-label="dot"] circle').count()
    const medians = await page
      .locator('figure.chart[data-profile="one-box-2vcpu"] svg g.median line')
      .evaluateAll((els) => els.map((e) => e.getAttribute('y1')))

    // Assess
    expect(profiles).toHaveLength(2)
    expect(charts.map((c) => c.profile).sort()).toEqual(profiles)
    expect(dots).toBe(runs.length)
    expectOneKeyPerGroup(charts, runs, 'latency_s')
    const two = charts.find((c) => c.profile === 'one-box-2vcpu')!.groups
    expect(
      two
        .filter((v) => v.scenario === 'os-s2b')
        .map((v) => v.label)
        .sort(),
    ).toEqual(['os-s2b · msg1', 'os-s2b · msg64'])
    expect(medians).toHaveLength(two.length)
    expect(new Set(medians).size).toBe(medians.length) // one row per group: nothing stacks
  }, 90_000)

  it('platforms page: one pair of strip charts per hardware profile, the two latency keys of os-s2b on two rows', async () => {
    // Prepare
    const three = new Set(['openstack', 'kubevirt', 'baremetal'])
    const tcp = ok('iperf3').filter((r) => three.has(r.platform!))
    const lat = ok('qperf').filter((r) => r.test === 'tcp_lat' && three.has(r.platform!))
    const profiles = [...new Set(tcp.map((r) => r.hardware_profile!))].sort()

    // Act
    await open('?page=platforms', 'platforms')
    const sections = await page
      .locator('section.profile[data-profile]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-profile')))
    const throughput = await stripGroups('figure.chart[data-metric="throughput_bps"]')
    const latency = await stripGroups('figure.chart[data-metric="latency_s"]')
    const dots = await page.locator('figure.chart svg g[aria-label="dot"] circle').count()

    // Assess
    expect(sections.sort()).toEqual(profiles)
    expect(throughput.map((c) => c.profile).sort()).toEqual(profiles)
    expect(latency.map((c) => c.profile).sort()).toEqual(profiles)
    expect(dots).toBe(tcp.length + lat.length)
    expectOneKeyPerGroup(throughput, tcp, 'throughput_bps')
    expectOneKeyPerGroup(latency, lat, 'latency_s')
    const s2b = latency
      .find((c) => c.profile === 'one-box-2vcpu')!
      .groups.filter((g) => g.scenario === 'os-s2b')
    expect(s2b.map((g) => g.label).sort()).toEqual(['os-s2b · msg1', 'os-s2b · msg64'])
    expect(s2b[0].median).not.toBe(s2b[1].median)
    expect(await page.locator('[data-state="mixed-keys"]').count()).toBe(0)
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
    // Prepare: one overhead row per virtual (scenario, profile, key) group with a matched baseline
    const tcp = ok('iperf3')
    const bareKeys = new Set(
      tcp.filter((r) => r.platform === 'baremetal').map((r) => r.comparison_key),
    )
    const groups = new Set(
      tcp
        .filter((r) => r.platform !== 'baremetal' && bareKeys.has(r.comparison_key))
        .map((r) => `${r.scenario}|${r.hardware_profile}|${r.comparison_key}`),
    )

    // Act
    await open('?page=overhead', 'overhead-no-ci')
    const header = await page.locator('table.result thead th .name').allTextContents()
    const cells = await page
      .locator('table.result tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)))
    const low = header.indexOf('ci_low_overhead')

    // Assess
    expect(low).toBeGreaterThan(-1)
    expect(groups.size).toBe(14) // 7 virtual scenarios × 2 hardware profiles
    expect(cells).toHaveLength(groups.size)
    expect(cells.map((r) => r[low])).toEqual(cells.map(() => '–'))
    expect(cells.flat()).not.toContain('NULL')
  }, 90_000)

  it('threw no page errors', () => {
    expect(lake.pageErrors).toEqual([])
  })
})
