import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { beforeAll, describe, expect, it } from 'vitest'
import { startLocalReportJob } from '#local/report-timer.ts'
import { marked } from 'marked'
import type { Tokens } from 'marked'
import { runReport } from '#functions/report/run-report.ts'
import { produceReport } from '#functions/report/produce-report.ts'
import { createApi } from '#functions/api/app.ts'
import { createToken } from '#functions/api/tokens.ts'
import { defaultScenarioCatalog } from '#core/compare/scenario-catalog.ts'
import { CPU_BOUND_ADVICE } from '#core/compare/advice.ts'
import { formatChangeCi, formatLimits, formatRatio } from '#core/report/format.ts'
import type { ReportSummary } from '#functions/report/run-report.ts'
import { formatBps, formatLatency } from '#core/report/format.ts'
import type { ReportModel } from '#core/report/report-model.ts'
import type { ReportRecord } from '#functions/ports.ts'
import {
  CURRENT,
  PREVIOUS,
  REPETITION_FACTORS,
  SCENARIOS,
  SHIFT,
  createReportLake,
  fixtureBps,
  fixtureLatencyUs,
} from './report-lake.ts'

const text = (bytes: Uint8Array | null) => new TextDecoder().decode(bytes as Uint8Array)

describe('runReport over a memory lake with two windows of lab data', () => {
  let lake: Awaited<ReturnType<typeof createReportLake>>
  let record: ReportRecord
  let model: ReportModel
  let html: string
  let md: string
  const notified: ReportSummary[] = []

  beforeAll(async () => {
    lake = await createReportLake()
    record = await runReport(
      { ...lake, notify: async (s) => void notified.push(s) },
      { ...CURRENT },
    )
    model = JSON.parse(text(await lake.reports.get(record.keys.json)))
    html = text(await lake.reports.get(record.keys.html))
    md = text(await lake.reports.get(record.keys.md))
  }, 60_000)

  it('flags exactly the scenario whose throughput dropped 20%, by its CI, and notifies once', () => {
    // Assess
    const flagged = model.changes
      .filter((c) => c.verdict === 'regression')
      .map((c) => `${c.scenario}/${c.metric}`)
    expect(flagged).toEqual(['os-s1/throughput_bps'])
    expect(record).toMatchObject({
      report_id: 'w-2026-11-19-2026-11-25',
      window_from: CURRENT.from,
      window_to: CURRENT.to,
      regressions: 1,
      improvements: 0,
    })
    const drop = model.changes.find((c) => c.scenario === 'os-s1' && c.metric === 'throughput_bps')!
    expect(drop.ratio!.estimate).toBeCloseTo(0.8, 12)
    expect(drop.ratio!.ci_high).toBeLessThan(0.95)
    const noise = model.changes.find(
      (c) => c.scenario === 'kv-s2' && c.metric === 'throughput_bps',
    )!
    expect(noise.ratio!.estimate).toBeCloseTo(1.02, 12)
    expect(noise.ratio!.ci_low).toBeGreaterThan(0.95)
    expect(noise.ratio!.ci_high).toBeGreaterThan(1.05)
    expect(noise.verdict).toBe('inconclusive')
    expect(model.previous).toEqual({ ...PREVIOUS, windows: 1 })
    expect(notified.map((s) => s.regressions.map((r) => `${r.scenario}/${r.metric}`))).toEqual([
      ['os-s1/throughput_bps'],
    ])
  })

  it('holds per scenario the exact medians, n without server documents, and the failed run', () => {
    // Assess
    const throughput = Object.fromEntries(
      model.groups.filter((g) => g.metric === 'throughput_bps').map((g) => [g.scenario, g]),
    )
    const latency = Object.fromEntries(
      model.groups.filter((g) => g.metric === 'latency_s').map((g) => [g.scenario, g]),
    )
    for (const scenario of SCENARIOS) {
      expect(throughput[scenario].stats!.median).toBeCloseTo(
        fixtureBps(scenario) * (SHIFT[scenario] ?? 1),
        3,
      )
      expect(throughput[scenario].n).toBe(REPETITION_FACTORS.length)
      expect(latency[scenario].stats!.median).toBeCloseTo(fixtureLatencyUs(scenario) * 1e-6, 12)
    }
    expect(throughput['os-s3'].failed).toBe(1)
    expect(model.totals).toEqual({
      runs: 51,
      failed: 1,
      groups: 10,
      regressions: 1,
      improvements: 0,
    })
    expect(model.notes).toContain('Failed runs (status error): 1 in the window (os-s3 iperf3 ×1).')
  })

  it('compares with matched bare metal and OpenStack with KubeVirt on the same comparison key', () => {
    // Assess
    const overhead = Object.fromEntries(model.overhead.map((o) => [o.scenario, o]))
    expect(Object.keys(overhead).sort()).toEqual(['kv-s1', 'kv-s2', 'os-s1', 'os-s3'])
    expect(overhead['os-s3'].baseline_n).toBe(5)
    expect(overhead['os-s3'].overhead!.estimate).toBeCloseTo(
      1 - fixtureBps('os-s3') / fixtureBps('baseline'),
      12,
    )
    const pairs = model.platforms.map(
      (p) => `${p.metric} ${p.openstack_scenario}/${p.kubevirt_scenario} ${p.refused}`,
    )
    expect(pairs).toEqual([
      'throughput_bps os-s3/kv-s1 null',
      'throughput_bps os-s1/kv-s2 null',
      'latency_s os-s3/kv-s1 null',
      'latency_s os-s1/kv-s2 null',
    ])
    const sameNode = model.platforms.find(
      (p) => p.metric === 'throughput_bps' && p.label === 'same node',
    )!
    expect(sameNode.ratio!.estimate).toBeCloseTo(fixtureBps('kv-s1') / fixtureBps('os-s3'), 12)
  })

  it('renders HTML with four SVG charts, one history per series, the figures of the JSON, and no external URL', () => {
    // Assess: 5 throughput histories of 10 runs over both windows (qperf rows carry no start time)
    const histories = model.history!
    expect(histories.map((h) => `${h.scenario} ${h.metric} ${h.series.points.length}`)).toEqual(
      [...new Set(model.groups.map((g) => g.scenario))]
        .sort()
        .map((scenario) => `${scenario} throughput_bps 10`),
    )
    // os-s1 is 20% slower in the current window: the detector puts the step on its first run there
    const os1 = histories.find((h) => h.scenario === 'os-s1')!
    expect(os1.series.change_points.map((c) => c.index)).toEqual([5])
    expect(os1.series.change_points[0].at.slice(0, 10)).toBe(model.window.from)
    expect(html.match(/<svg[\s>]/g)).toHaveLength(4 + histories.length)
    expect([...html.matchAll(/<figure id="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'chart-throughput_bps',
      'chart-latency_s',
      'chart-change',
      'chart-overhead',
      ...histories.map((_, i) => `chart-history-${i}`),
    ])
    for (const g of model.groups) {
      expect(html).toContain(
        g.metric === 'throughput_bps' ? formatBps(g.stats!.median) : formatLatency(g.stats!.median),
      )
    }
    expect(html).toContain('<tr class="regression"><td class="short">os-s1</td>')
    // once in the summary table (first), once in the change table
    expect(html.match(/<tr class="regression">/g)).toHaveLength(2)
    expect(html.indexOf('id="table-summary"')).toBeLessThan(html.indexOf('<figure'))
    expect(html.indexOf('<figure')).toBeLessThan(html.indexOf('<h2>Call-outs</h2>'))
    expect(html).not.toMatch(/(src|href)=|url\(|@import|<script/i)
  })

  it('renders Markdown whose tables parse with one row per group and change', () => {
    // Act
    const tables = marked.lexer(md).filter((t): t is Tokens.Table => t.type === 'table')
    // Assess
    expect(tables).toHaveLength(6)
    const [summary, throughput, latency, change] = tables
    expect(summary.header.map((h) => h.text)).toEqual([
      'Scenario',
      'Platform',
      'Hardware profile',
      'Metric',
      'n',
      'Median',
      'Ratio to bare metal [95% CI]',
      'Verdict vs bare metal',
      'Limited by (this / bare metal)',
      'Change vs previous window [95% CI]',
      'Verdict',
      'Flags',
    ])
    expect(summary.rows).toHaveLength(model.groups.length)
    const os1 = summary.rows.find((r) => r[0].text === 'os-s1' && r[3].text === 'throughput')!
    const change1 = model.changes.find(
      (c) => c.scenario === 'os-s1' && c.metric === 'throughput_bps',
    )!
    expect(os1[9].text).toBe(formatChangeCi(change1.ratio))
    // the figure itself, as read off the rendered report: −20% by construction, Welch t 95% CI
    expect(os1[9].text).toBe('−20.0% [−22.7%, −17.2%]')
    expect(os1[10].text).toBe('**REGRESSION**')
    expect(throughput.header.map((h) => h.text)).toEqual([
      'Scenario',
      'Platform',
      'Hardware profile',
      'n',
      'Failed',
      'Median',
      'p5',
      'p95',
      'CV',
      'Stable',
    ])
    expect(throughput.rows.map((r) => [r[0].text, r[3].text, r[4].text, r[5].text])).toEqual(
      ['baseline', 'os-s1', 'os-s3', 'kv-s1', 'kv-s2'].map((s) => [
        s,
        '5',
        s === 'os-s3' ? '1' : '0',
        formatBps(fixtureBps(s) * (SHIFT[s] ?? 1)),
      ]),
    )
    expect(latency.rows.map((r) => r[5].text)).toEqual(
      ['baseline', 'os-s1', 'os-s3', 'kv-s1', 'kv-s2'].map((s) =>
        formatLatency(fixtureLatencyUs(s) * 1e-6),
      ),
    )
    expect(change.rows).toHaveLength(10)
    expect(
      change.rows
        .filter((r) => r[8].text.includes('REGRESSION'))
        .map((r) => [r[0].text, r[3].text]),
    ).toEqual([['os-s1', 'throughput']])
    expect(marked.parse(md)).toContain('<td><strong>REGRESSION</strong></td>')
  })

  it('says the CPU-bound advice the overhead rows share once under the table, each row keeping its CPU per Gbit/s', () => {
    // Prepare
    const overheadTable = marked
      .lexer(md)
      .filter((t): t is Tokens.Table => t.type === 'table')
      .find((t) => t.header[10]?.text === 'What the bottlenecks mean')!
    const shared = `${CPU_BOUND_ADVICE}; compare `
    const count = (haystack: string) => haystack.split(CPU_BOUND_ADVICE).length - 1
    // Assess: every lab row is CPU-bound on both sides, so the API advises it for each of them
    expect(model.overhead.map((o) => o.scenario)).toEqual(['kv-s1', 'kv-s2', 'os-s1', 'os-s3'])
    for (const o of model.overhead) {
      const line = o.limit_advice.find((l) => l.startsWith(shared))!
      expect(line, o.scenario).toBeDefined()
      const row = overheadTable.rows.find((r) => r[0].text === o.scenario)!
      // the figures of the API's advice line, bare metal → scenario
      const [base, cand] = /baseline ([\d.]+), candidate ([\d.]+) %/.exec(line)!.slice(1)
      expect(row[10].text, o.scenario).toBe(`CPU per Gbit/s: ${base} → ${cand}`)
      expect([Number(base), Number(cand)], o.scenario).toEqual(
        [o.baseline_cpu_per_gbps!, o.cpu_per_gbps!].map((x) => Number(x.toPrecision(3))),
      )
    }
    expect(count(md)).toBe(1)
    expect(count(html)).toBe(1)
    expect(md.indexOf(CPU_BOUND_ADVICE)).toBeGreaterThan(md.indexOf('## Throughput overhead'))
    expect(html).toMatch(
      new RegExp(`</table>\\n<p class="table-note">Rows limited by cpu / cpu: ${CPU_BOUND_ADVICE}`),
    )
  })

  it('shows for a selection the ratio, CI, verdict and limited_by that GET /v1/compare gives over the same lake', async () => {
    // Prepare: a report over both windows (every run the API sees), unstored, and the API
    const files: Uint8Array[] = []
    for (const partition of await lake.catalog.listPartitions('runs'))
      for (const file of partition.files) files.push((await lake.curated.get(file.key))!)
    const both = { from: PREVIOUS.from, to: CURRENT.to }
    const now = new Date('2026-11-26T10:00:00Z')
    const api = createApi({
      ...lake.deps,
      clock: { now: () => now },
      reports: lake.reports,
      scenarios: defaultScenarioCatalog(),
      readParquet: lake.readParquet,
      fileUrl: async (bucket, key) => `/v1/files/${bucket}/${key}`,
    })
    const { token } = await createToken(lake.catalog, { scopes: ['reader'], now })
    const compare = async (query: Record<string, string>) => {
      const response = await api.request(`/v1/compare?${new URLSearchParams(query)}`, {
        headers: { Authorization: `Bearer ${token}` },
      })
      expect(response.status, JSON.stringify(query)).toBe(200)
      return response.json()
    }

    // Act
    const report = await produceReport(files, both, now)
    const overheadAnswers = await Promise.all(
      report.model.overhead.map((o) =>
        compare({ candidate: o.scenario, hardware_profile: o.hardware_profile }),
      ),
    )
    const latencyAnswers = await Promise.all(
      report.model.latency_overhead.map((o) =>
        compare({
          candidate: o.scenario,
          hardware_profile: o.hardware_profile,
          metric: 'latency_s',
        }),
      ),
    )
    const pairAnswers = await Promise.all(
      report.model.platforms.map((p) =>
        compare({
          candidate: p.kubevirt_scenario,
          baseline: p.openstack_scenario,
          metric: p.metric,
          hardware_profile: p.hardware_profile,
        }),
      ),
    )

    // Assess: the same numbers, not close ones (one compareRuns over the same runs)
    const tables = marked.lexer(report.md).filter((t): t is Tokens.Table => t.type === 'table')
    const summary = tables[0]
    const overheadTable = tables.find((t) => t.header[6]?.text === 'Ratio [95% CI]')!
    expect(report.model.overhead).toHaveLength(4)
    for (const [i, o] of report.model.overhead.entries()) {
      const body = overheadAnswers[i]
      expect(o.ratio, o.scenario).toEqual(
        body.ratio && {
          estimate: body.ratio.estimate,
          ci_low: body.ratio.ci_low,
          ci_high: body.ratio.ci_high,
        },
      )
      expect(o.overhead, o.scenario).toEqual(body.overhead)
      expect([o.n, o.baseline_n], o.scenario).toEqual([body.candidate.n, body.baseline.n])
      expect(o.verdict, o.scenario).toBe(body.verdict.verdict)
      expect(o.limited_by, o.scenario).toBe(body.candidate.bottleneck.limited_by)
      expect(o.baseline_limited_by, o.scenario).toBe(body.baseline.bottleneck.limited_by)
      expect([o.baseline_cpu_per_gbps, o.cpu_per_gbps], o.scenario).toEqual([
        body.baseline.bottleneck.cpu_percent_per_gbps_median,
        body.candidate.bottleneck.cpu_percent_per_gbps_median,
      ])
      for (const line of o.limit_advice) expect(body.advice, o.scenario).toContain(line)
      // and the rendered tables print those figures
      const row = summary.rows.find((r) => r[0].text === o.scenario && r[3].text === 'throughput')!
      expect(row[6].text, o.scenario).toBe(formatRatio(body.ratio))
      expect(row[7].text, o.scenario).toBe(body.verdict.verdict)
      expect(row[8].text, o.scenario).toBe(
        formatLimits(body.candidate.bottleneck.limited_by, body.baseline.bottleneck.limited_by),
      )
      const detail = overheadTable.rows.find((r) => r[0].text === o.scenario)!
      expect(detail[6].text, o.scenario).toBe(formatRatio(body.ratio))
      expect(detail[8].text, o.scenario).toBe(`${body.verdict.verdict} (±5.0%)`)
    }
    // latency rows: vs the matched bare metal of GET /v1/compare?metric=latency_s (band 10%)
    expect(report.model.latency_overhead.map((o) => o.scenario).sort()).toEqual([
      'kv-s1',
      'kv-s2',
      'os-s1',
      'os-s3',
    ])
    for (const [i, o] of report.model.latency_overhead.entries()) {
      const body = latencyAnswers[i]
      expect(body.metric, o.scenario).toBe('latency_s')
      expect(o.ratio, o.scenario).toEqual(
        body.ratio && {
          estimate: body.ratio.estimate,
          ci_low: body.ratio.ci_low,
          ci_high: body.ratio.ci_high,
        },
      )
      expect(o.overhead, o.scenario).toEqual(body.overhead)
      expect([o.n, o.baseline_n], o.scenario).toEqual([body.candidate.n, body.baseline.n])
      expect([o.verdict, o.band], o.scenario).toEqual([body.verdict.verdict, body.verdict.band])
      expect([o.limited_by, o.baseline_limited_by], o.scenario).toEqual([
        body.candidate.bottleneck?.limited_by ?? null,
        body.baseline.bottleneck?.limited_by ?? null,
      ])
      const row = summary.rows.find((r) => r[0].text === o.scenario && r[3].text === 'latency')!
      expect(row[6].text, o.scenario).toBe(formatRatio(body.ratio))
      expect(row[7].text, o.scenario).toBe(body.verdict.verdict)
      expect(row[8].text, o.scenario).toBe(
        formatLimits(
          body.candidate.bottleneck?.limited_by ?? null,
          body.baseline.bottleneck?.limited_by ?? null,
        ),
      )
    }
    // bare metal's latency row is the baseline itself
    const bareLatency = summary.rows.find(
      (r) => r[0].text === 'baseline' && r[3].text === 'latency',
    )!
    expect(bareLatency[6].text).toBe('baseline')
    expect(report.model.platforms).toHaveLength(4)
    for (const [i, p] of report.model.platforms.entries()) {
      const body = pairAnswers[i]
      const name = `${p.metric} ${p.kubevirt_scenario}/${p.openstack_scenario}`
      expect(p.ratio, name).toEqual({
        estimate: body.ratio.estimate,
        ci_low: body.ratio.ci_low,
        ci_high: body.ratio.ci_high,
      })
      expect(p.verdict, name).toBe(body.verdict.verdict)
      expect(p.kubevirt_limited_by, name).toBe(body.candidate.bottleneck?.limited_by ?? null)
      expect(p.openstack_limited_by, name).toBe(body.baseline.bottleneck?.limited_by ?? null)
    }
    // the lab's paths are CPU-bound, and the selection must exercise more than one verdict
    expect(new Set(overheadAnswers.map((b) => b.candidate.bottleneck.limited_by))).toEqual(
      new Set(['cpu']),
    )
    expect(
      [...new Set([...overheadAnswers, ...pairAnswers].map((b) => b.verdict.verdict))].sort(),
    ).toEqual(['INCONCLUSIVE', 'WORSE'])
    expect(latencyAnswers.every((b) => b.ratio !== null && b.ratio.ci_low !== null)).toBe(true)
  }, 30_000)

  it('runs from the local timer and POSTs the regression to a webhook', async () => {
    // Prepare
    const posts: Array<{ text: string; regressions: unknown[] }> = []
    const server = createServer((req, res) => {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        posts.push(JSON.parse(body))
        res.writeHead(204).end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
    const reports: ReportRecord[] = []
    try {
      // Act: the job runs once at start (window: the 7 days before the lake clock's day)
      const job = startLocalReportJob(lake, { webhookUrl: url, onReport: (r) => reports.push(r) })
      await job.stop()
      // Assess
      expect(reports.map((r) => r.report_id)).toEqual(['w-2026-11-19-2026-11-25'])
      expect(posts).toHaveLength(1)
      expect(posts[0].text.split('\n').slice(0, 2)).toEqual([
        'netlake report 2026-11-19 to 2026-11-25: 1 regression(s)',
        '- os-s1 (openstack, lab-netns) throughput_bps: -20.0% (95% CI -22.7% to -17.2%)',
      ])
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  }, 30_000)

  it('replaces the report when run again for the same window', async () => {
    // Act
    const again = await runReport(lake, { ...CURRENT })
    // Assess
    const listed = await lake.catalog.listReports(10)
    expect(listed.items).toEqual([again])
    expect(again.keys).toEqual(record.keys)
    const stored = []
    for await (const o of lake.reports.list('reports/')) stored.push(o.key)
    expect(stored.sort()).toEqual(Object.values(record.keys).sort())
    expect(text(await lake.reports.get(again.keys.md))).toBe(md)
  })

  it('leaves out a truncated runs file, names it in the JSON, HTML and Markdown, and reads the rest', async () => {
    // Prepare: one current-window runs file cut short (restored afterwards)
    const partition = (await lake.catalog.listPartitions('runs')).find(
      (p) => p.date >= CURRENT.from && p.date <= CURRENT.to,
    )!
    const key = partition.files[0].key
    const whole = (await lake.curated.get(key)) as Uint8Array
    const rowsInFile = (await lake.readParquet(whole)).length
    const reason = 'does not end with the Parquet magic PAR1 (truncated?)'
    const warn = console.warn
    const warned: string[] = []
    console.warn = (line: string) => void warned.push(line)
    let again: ReportRecord
    try {
      await lake.curated.put(key, whole.subarray(0, whole.byteLength - 10))
      // Act
      again = await runReport(lake, { ...CURRENT })
    } finally {
      console.warn = warn
      await lake.curated.put(key, whole)
    }
    // Assess
    const skippedModel: ReportModel = JSON.parse(text(await lake.reports.get(again.keys.json)))
    expect(skippedModel.skipped_files).toEqual([{ key, reason }])
    expect(rowsInFile).toBeGreaterThan(0)
    expect(skippedModel.totals.runs).toBe(model.totals.runs - rowsInFile)
    const notice = `1 file could not be read and was left out: ${key} (${reason}); see`
    expect(text(await lake.reports.get(again.keys.md))).toContain(notice)
    expect(text(await lake.reports.get(again.keys.html))).toContain(notice)
    expect(model.skipped_files).toEqual([])
    expect(warned.map((l) => JSON.parse(l))).toEqual([
      { level: 'warn', msg: 'report', skipped: key, reason },
    ])
    await runReport(lake, { ...CURRENT }) // the stored report as before this test
  }, 30_000)
})
