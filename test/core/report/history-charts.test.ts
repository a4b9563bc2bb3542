import { describe, expect, it } from 'vitest'
import { historySeries, renderHistoryCharts } from '#core/report/history-charts.ts'
import type { WindowRunRow } from '#core/report/report-model.ts'
import { REFERENCE_COLORS, platformColor } from '#core/palette.ts'
import { formatBitRate } from '#core/units.ts'

const KEY = 'iperf3/3|tcp|p1|d5-30|forward|blk131072|omit2|cc=cubic|link1500|nic10G|hw=r740'

/** Daily os-s1 runs; `level(i)` gives the rate of day i, with a fixed ±0.5% wobble. */
function days(count: number, level: (i: number) => number): WindowRunRow[] {
  return Array.from({ length: count }, (_, i) => ({
    run_id: `run-${String(i).padStart(2, '0')}`,
    tool: 'iperf3',
    test: 'tcp',
    status: 'ok',
    platform: 'openstack',
    scenario: 'os-s1',
    hardware_profile: 'r740',
    comparison_key: KEY,
    throughput_bps: level(i) * (1 + (i % 2 ? 0.005 : -0.005)),
    latency_s: null,
    ceiling_fraction: null,
    started_at: `2026-03-${String(i + 1).padStart(2, '0')}T10:00:00.000Z`,
    date: `2026-03-${String(i + 1).padStart(2, '0')}`,
  }))
}

describe('history charts', () => {
  it('finds the step of a 12-day series and draws it as a red rule on the day it happened', () => {
    // Prepare: 9.4 Gbit/s for six days, then 8.0
    const rows = days(12, (i) => (i < 6 ? 9.4e9 : 8.0e9))

    // Act
    const histories = historySeries(rows)
    const [chart] = renderHistoryCharts(histories)

    // Assess
    expect(histories).toHaveLength(1)
    expect(histories[0].series.change_points.map((c) => c.index)).toEqual([6])
    expect(histories[0].series.change_points[0].at).toBe('2026-03-07T10:00:00.000Z')
    expect(chart.title).toContain('2026-03-07: ')
    expect(chart.title).toContain(`${formatBitRate(9.4e9)} → ${formatBitRate(8.0e9)}`)
    expect(chart.svg).toContain(`stroke="${REFERENCE_COLORS.regression}"`)
    expect(chart.svg).toContain(`fill="${platformColor('openstack')}"`)
    expect(chart.svg.startsWith('<svg')).toBe(true)
  })

  it('charts a flat series without a change point and skips series under 6 runs', () => {
    // Prepare
    const flat = days(10, () => 9.4e9)
    const short = days(5, () => 9.4e9).map((r) => ({ ...r, scenario: 'os-s3' }))

    // Act
    const histories = historySeries([...flat, ...short])
    const charts = renderHistoryCharts(histories)

    // Assess
    expect(histories.map((h) => h.scenario)).toEqual(['os-s1'])
    expect(charts[0].title).toMatch(/\(10 runs\): no change point$/)
    expect(charts[0].svg).not.toContain(`stroke="${REFERENCE_COLORS.regression}"`)
  })
})
