import { describe, expect, it } from 'vitest'
import { changesOfRuns } from '#core/compare/change-series.ts'
import { tcpRun } from './run-fixtures.ts'

const day = (d: number) => new Date(Date.UTC(2026, 10, 1 + d)).toISOString()

describe('changesOfRuns', () => {
  it('orders by time, takes campaign medians, splits by comparison key and counts untimed runs', () => {
    // Prepare: campaigns given out of order; the 1G runs are a second key; one run has no time
    const runs = [
      ...[5, 4, 3, 2, 1, 0].flatMap((d) =>
        [0, 1, 2].map((r) =>
          tcpRun({
            run_id: `r${d}-${r}`,
            campaign: `c${d}`,
            started_at: day(d),
            throughput_bps: (d >= 3 ? 4e9 : 5e9) * (1 + 0.01 * (r - 1)),
          }),
        ),
      ),
      tcpRun({ run_id: 'untimed', campaign: 'c9', throughput_bps: 5e9 }),
      tcpRun({ run_id: 'g1', nic_speed_bps: 1e9, started_at: day(0), throughput_bps: 0.9e9 }),
    ]

    // Act
    const series = changesOfRuns({ runs, metric: 'throughput_bps', by: 'campaign' })

    // Assess
    expect(series).toHaveLength(2)
    const tenG = series.find((s) => s.comparison_key.includes('nic10G'))!
    expect(tenG.points.map((p) => [p.label, p.value, p.n])).toEqual([
      ['c0', 5e9, 3],
      ['c1', 5e9, 3],
      ['c2', 5e9, 3],
      ['c3', 4e9, 3],
      ['c4', 4e9, 3],
      ['c5', 4e9, 3],
    ])
    expect(tenG.untimed_runs).toBe(1)
    expect(tenG.change_points.map((c) => [c.index, c.label, c.at])).toEqual([[3, 'c3', day(3)]])
    expect(tenG.latest!.previous_n).toBe(5)
    const oneG = series.find((s) => s.comparison_key.includes('nic1G'))!
    expect(oneG.points).toHaveLength(1)
    expect(oneG.change_points).toEqual([])
  })
})
