import { describe, expect, it } from 'vitest'
import { buildReport } from '#core/report/build-report.ts'
import type { WindowRunRow } from '#core/report/report-model.ts'
import { renderReportHtml } from '#core/report/render-report-html.ts'
import { renderReportMarkdown } from '#core/report/render-report-md.ts'
import { runReport } from '#functions/report/run-report.ts'
import { createMemoryLake } from '../../helpers/memory-lake.ts'

const KEY_A = 'iperf3/3|tcp|p1|d10|forward|blk131072|omit1|cc=cubic|link1500|nic10000000000|hw=r740'
const KEY_B = 'iperf3/3|tcp|p4|d10|forward|blk131072|omit1|cc=cubic|link1500|nic10000000000|hw=r740'

function runs(scenario: string, key: string, values: number[], status = 'ok'): WindowRunRow[] {
  return values.map((v, i) => ({
    run_id: `${scenario}-${key.length}-${v}-${i}-${status}`,
    tool: 'iperf3',
    test: 'tcp',
    status,
    platform: 'openstack',
    scenario,
    hardware_profile: 'r740',
    comparison_key: key,
    throughput_bps: status === 'ok' ? v : null,
    latency_s: null,
    ceiling_fraction: null,
    started_at: null,
    date: null,
  }))
}

const base = {
  reportId: 'w-2026-11-19-2026-11-25',
  createdAt: '2026-11-26T10:00:00.000Z',
  window: { from: '2026-11-19', to: '2026-11-25' },
  previous: { from: '2026-11-12', to: '2026-11-18', windows: 1 },
  baselineSamples: [],
}

describe('buildReport', () => {
  it('judges no change across comparison keys or below the minimum n, and says why', () => {
    // Prepare: os-s1 changed -P between windows; os-s3 has 3 runs a side; os-s4 is unstable
    const previous = [
      ...runs('os-s1', KEY_A, [9e9, 9.1e9, 9.2e9, 9.3e9, 9.4e9]),
      ...runs('os-s3', KEY_A, [5e9, 5e9, 5e9]),
    ]
    const current = [
      ...runs('os-s1', KEY_B, [4e9, 4.1e9, 4.2e9, 4.3e9, 4.4e9]),
      ...runs('os-s3', KEY_A, [2e9, 2e9, 2e9]),
      ...runs('os-s4', KEY_A, [1e9, 2e9, 3e9, 4e9, 5e9]),
      ...runs('os-s4', KEY_A, [0], 'error'),
    ]
    // Act
    const model = buildReport({ ...base, current, previousRuns: previous })
    // Assess
    expect(model.changes.map((c) => [c.scenario, c.verdict])).toEqual([
      ['os-s1', 'key-mismatch'],
      ['os-s3', 'insufficient-data'],
      ['os-s4', 'insufficient-data'],
    ])
    expect(model.totals).toEqual({
      runs: 14,
      failed: 1,
      groups: 3,
      regressions: 0,
      improvements: 0,
    })
    expect(model.notes).toEqual([
      'Few repetitions (n < 5: no verdict, CIs unreliable): os-s3 (openstack, r740) throughput n = 3.',
      'Unstable: os-s4 (openstack, r740) throughput CV 0.527 > 0.1.',
      'Not compared with the previous window: os-s1 (openstack, r740) throughput: comparison keys differ between the windows: parallel streams differs: p1 vs p4.',
      'New in this window (no runs in the previous window): os-s4 (openstack, r740) throughput.',
      'Failed runs (status error): 1 in the window (os-s4 iperf3 ×1).',
    ])
    expect(model.changes.find((c) => c.scenario === 'os-s4')!.note).toBe(
      'no runs in the previous window',
    )
  })

  it('gives the real reason when the previous window is empty, even for a group mixing keys', () => {
    // Prepare: os-s1 is new and was run with two settings in this window
    const current = [
      ...runs('os-s1', KEY_A, [4e9, 4.1e9, 4.2e9]),
      ...runs('os-s1', KEY_B, [8e9, 8.1e9, 8.2e9]),
    ]
    // Act
    const model = buildReport({ ...base, current, previousRuns: [] })
    const md = renderReportMarkdown(model)
    // Assess
    expect(model.changes.map((c) => [c.verdict, c.note])).toEqual([
      ['insufficient-data', 'no runs in the previous window'],
    ])
    expect(md).toContain('new (no runs in the previous window)')
    expect(md).not.toMatch(/keys differ\b(?! between| within)|allowKeyMismatch/)
    expect(model.notes.map((n) => n.split(':')[0])).toEqual([
      'Unstable',
      'Comparison keys mixed within a group (its figures mix settings)',
      'New in this window (no runs in the previous window)',
    ])
  })

  it('prints "–" for a CI that cannot be computed (a side with one run), never a zero-width interval', () => {
    // Prepare: one os-s3 run against one bare-metal run of the same key
    const baselineSamples = [
      {
        platform: 'openstack',
        scenario: 'os-s3',
        hardware_profile: 'r740',
        comparison_key: KEY_A,
        role: 'scenario' as const,
        run_id: 's',
        throughput_bps: 5.84e9,
      },
      {
        platform: 'openstack',
        scenario: 'os-s3',
        hardware_profile: 'r740',
        comparison_key: KEY_A,
        role: 'baseline' as const,
        run_id: 'b',
        throughput_bps: 1e10,
      },
    ]
    // Act
    const model = buildReport({
      ...base,
      current: runs('os-s3', KEY_A, [5.84e9]),
      previousRuns: runs('os-s3', KEY_A, [6e9]),
      baselineSamples,
    })
    const md = renderReportMarkdown(model)
    // Assess
    expect(model.overhead[0].overhead!.ci_low).toBe(model.overhead[0].overhead!.ci_high)
    expect(md).toContain('| 41.6% (95% CI –) |')
    // one run a side: no interval for the change either (the API gives none below 3 a side)
    expect(model.changes.find((c) => c.metric === 'throughput_bps')?.ratio ?? null).toBeNull()
    expect(md).not.toContain('41.6% to 41.6%')
    expect(md).not.toContain('−2.7% to −2.7%')
  })

  it('renders a window without data as an empty report without charts', async () => {
    // Prepare
    const lake = await createMemoryLake()
    // Act
    const record = await runReport(lake, { from: '2026-11-19', to: '2026-11-25' })
    // Assess
    expect(record).toMatchObject({ regressions: 0, improvements: 0 })
    const html = new TextDecoder().decode((await lake.reports.get(record.keys.html)) as Uint8Array)
    expect(html).not.toContain('<svg')
    expect(html.match(/No data in this window\./g)).toHaveLength(6)
    const model = buildReport({ ...base, current: [], previousRuns: [] })
    expect(renderReportMarkdown(model).match(/_No data in this window\._/g)).toHaveLength(6)
    expect(renderReportHtml(model)).toBe(html)
  }, 20_000)

  it('names the files it was told were left out, in one line for one and folded for more', () => {
    // Prepare
    const one = [{ key: 'curated/runs/a.parquet', reason: 'does not end with PAR1 (truncated?)' }]
    const two = [...one, { key: 'curated/runs/b<x>.parquet', reason: '3 bytes is too short' }]
    const current = runs('os-s1', KEY_A, [9e9, 9.1e9, 9.2e9])
    // Act
    const clean = buildReport({ ...base, current, previousRuns: [] })
    const single = buildReport({ ...base, current, previousRuns: [], skippedFiles: one })
    const double = buildReport({ ...base, current, previousRuns: [], skippedFiles: two })
    // Assess: the list is in the JSON; the figures do not change
    expect(clean.skipped_files).toEqual([])
    expect(single.skipped_files).toEqual(one)
    expect(double.skipped_files).toEqual(two)
    expect({ ...single, skipped_files: [] }).toEqual(clean)
    const sentence = `1 file could not be read and was left out: ${one[0].key} (${one[0].reason}); see`
    const md1 = renderReportMarkdown(single)
    expect(md1).toContain(`> **Warning:** ${sentence} \`netlake doctor\``)
    // near the top: before the first table
    expect(md1.indexOf(one[0].key)).toBeLessThan(md1.indexOf('\n## '))
    expect(renderReportMarkdown(clean)).not.toContain('could not be read')
    const html1 = renderReportHtml(single)
    expect(html1).toContain(
      `<p class="skipped" data-skipped="1"><b>Warning:</b> ${sentence} <code>netlake doctor</code></p>`,
    )
    expect(html1.indexOf('class="skipped"')).toBeLessThan(html1.indexOf('<h2>'))
    expect(renderReportHtml(clean)).not.toContain('class="skipped"')
    const md2 = renderReportMarkdown(double)
    expect(md2).toContain(
      '<details><summary><b>Warning:</b> 2 files could not be read and were left out; see <code>netlake doctor</code></summary>',
    )
    expect(md2).toContain(`- ${two[1].key} (${two[1].reason})`)
    const html2 = renderReportHtml(double)
    expect(html2).toContain('<details class="skipped" data-skipped="2">')
    expect(html2).toContain(`<li>curated/runs/b&lt;x&gt;.parquet (${two[1].reason})</li>`)
  })
})
