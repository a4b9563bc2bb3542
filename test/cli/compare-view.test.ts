import { describe, expect, it } from 'vitest'
import { compareRuns } from '#core/compare/compare-runs.ts'
import {
  compareRow,
  groupAdvice,
  hopsThatDiffer,
  limitedByCell,
  verdictCell,
} from '#cli/compare-view.ts'
import type { RunRow } from '#schemas/tables.ts'
import { tcpRun } from '../core/compare/run-fixtures.ts'

const side = (scenario: string, platform: string, bps: number[], extra: Partial<RunRow> = {}) =>
  bps.map((throughput_bps, i) =>
    tcpRun({ throughput_bps, run_id: `${scenario}-${i}`, scenario, platform, ...extra }),
  )
const baseline = side('baseline', 'baremetal', [9.3e9, 9.4e9, 9.35e9, 9.38e9, 9.36e9])

describe('compare view: one line a network engineer reads at a glance', () => {
  it('shows WORSE when every candidate run is far below every baseline run, with the ratio and overhead', () => {
    // Prepare: medians 5.05e9 / 9.36e9 = 0.53953 (python3 statistics.median), overhead 46.05%
    const candidate = side('os-s1', 'openstack', [5.0e9, 5.2e9, 4.9e9, 5.1e9, 5.05e9], {
      mtu: 1450,
    })
    // Act
    const result = compareRuns({ baseline, candidate, metric: 'throughput_bps' })
    const row = compareRow('os-s1', result)
    // Assess
    expect(result.verdict.verdict).toBe('WORSE') // the whole 95% CI lies below 0.95
    expect(row).toMatchObject({
      scenario: 'os-s1',
      n: '5',
      median: '5.05 Gbit/s',
      baseline: 'baseline',
      'base n': '5',
      'base median': '9.36 Gbit/s',
    })
    expect(row['ratio [95% CI]']).toMatch(/^0\.540 \[0\.\d{3}, 0\.\d{3}\]$/)
    expect(row['overhead [95% CI]']).toMatch(/^46\.0% \[\d\d\.\d%, \d\d\.\d%\]$/)
    expect(row.verdict).toBe('WORSE')
    expect(row['hops that differ']).toContain('+vxlan ×2')
    expect(row.p).toBe(result.verdict.p_value!.toPrecision(2))
  })

  it('shows SAME when the 90% CI lies inside the band, INCONCLUSIVE with the runs a side the API advises otherwise, and flags small n', () => {
    // Prepare: tight interleaved values (medians 9.3e9 / 9.36e9 = 0.9936), then a noisy set
    const tight = side('os-s3', 'openstack', [9.2e9, 9.5e9, 9.3e9], { mtu: 1450 })
    const noisy = side('os-s3', 'openstack', [8.4e9, 9.6e9, 9.9e9], { mtu: 1450 })
    // Act
    const same = compareRuns({ baseline, candidate: tight, metric: 'throughput_bps' })
    const open = compareRuns({ baseline, candidate: noisy, metric: 'throughput_bps' })
    // Assess
    expect(same.ratio!.ci90_low).toBeGreaterThan(0.95)
    expect(same.ratio!.ci90_high).toBeLessThan(1.05)
    expect(compareRow('os-s3', same).verdict).toBe('SAME ⚠ n<5')
    expect(open.ratio!.ci_low).toBeLessThan(0.95)
    expect(open.ratio!.ci_high).toBeGreaterThan(1.05)
    expect(open.verdict.runs_per_side_needed).not.toBeNull()
    expect(compareRow('os-s3', open).verdict).toBe(
      `INCONCLUSIVE (~${open.verdict.runs_per_side_needed} runs a side) ⚠ n<5`,
    )
  })

  it('shows BETTER for lower latency, and marks a refused comparison', () => {
    // Prepare
    const lat = (scenario: string, values: number[], extra: Partial<RunRow> = {}) =>
      values.map((latency_s, i) =>
        tcpRun({
          tool: 'qperf',
          tool_version: '0.4.11',
          test: 'tcp_lat',
          msg_size_bytes: 1,
          duration_s: 2,
          latency_s,
          run_id: `${scenario}-l${i}`,
          scenario,
          ...extra,
        }),
      )
    // Act
    const faster = compareRuns({
      baseline: lat('a', [6e-6, 6.1e-6, 6.2e-6, 6.3e-6, 6.4e-6]),
      candidate: lat('b', [3e-6, 3.1e-6, 3.2e-6, 3.3e-6, 3.4e-6]),
      metric: 'latency_s',
    })
    const refused = compareRuns({
      baseline,
      candidate: side('x', 'openstack', [5e9, 5e9, 5e9, 5e9, 5e9], { streams: 4 }),
      metric: 'throughput_bps',
    })
    // Assess
    expect(verdictCell(faster)).toBe('BETTER')
    expect(limitedByCell(faster)).toBe('–') // latency: no bottleneck labels
    expect(compareRow('b', faster).median).toBe('3.20 µs')
    expect(verdictCell(refused)).toBe(`${refused.verdict.verdict} (refused)`)
    expect(compareRow('x', refused)['ratio [95% CI]']).toBe('–')
  })

  it('counts differing hop kinds in path order and groups repeated advice', () => {
    // Prepare
    const s1 = compareRuns({
      baseline,
      candidate: side('os-s1', 'openstack', [5e9, 5.1e9], { mtu: 1450 }),
      metric: 'throughput_bps',
    })
    const s3 = compareRuns({
      baseline,
      candidate: side('os-s3', 'openstack', [5e9, 5.1e9, 5.2e9, 5.3e9, 5.4e9], { mtu: 1450 }),
      metric: 'throughput_bps',
    })
    // Act
    const hops = hopsThatDiffer(s1)
    const advice = groupAdvice([
      ['os-s1', s1],
      ['os-s3', s3],
    ])
    // Assess
    const kinds = s1.hops!.only_in_b.map((h) => h.kind)
    expect(
      hops
        .split(', ')
        .filter((h) => h.startsWith('+'))
        .map((h) => h.slice(1).split(' ')[0]),
    ).toEqual([...new Set(kinds)])
    // advice only os-s1 gets (its n = 2 warning) names it; advice both get is printed once, bare
    const onlyS1 = s1.advice.filter((a) => !s3.advice.includes(a))
    expect(onlyS1.length).toBeGreaterThanOrEqual(1)
    expect(advice.filter((a) => a.startsWith('os-s1: '))).toEqual(onlyS1.map((a) => `os-s1: ${a}`))
    expect(advice.filter((a) => s1.advice.includes(a) && s3.advice.includes(a))).toEqual(
      s1.advice.filter((a) => s3.advice.includes(a)),
    )
    expect(advice.some((a) => a.startsWith('os-s3: '))).toBe(false)
  })

  it('prints the verdict, its p and limited_by exactly as the API document gives them', () => {
    // Prepare: an API answer whose verdict no CLI rule would derive from its ratio
    const result = compareRuns({
      baseline,
      candidate: side('os-s1', 'openstack', [5.0e9, 5.2e9, 4.9e9, 5.1e9, 5.05e9], { mtu: 1450 }),
      metric: 'throughput_bps',
    })
    const answer = structuredClone(result)
    answer.verdict = { ...answer.verdict, verdict: 'SAME', p_value: 0.0123, holm_p_value: 0.0456 }
    answer.baseline.bottleneck = { ...answer.baseline.bottleneck!, limited_by: 'ceiling' }
    answer.candidate.bottleneck = { ...answer.candidate.bottleneck!, limited_by: 'cpu' }

    // Act
    const row = compareRow('os-s1', answer)

    // Assess
    expect(row.verdict).toBe('SAME')
    expect(row.p).toBe('0.046') // the Holm-adjusted p when the API gives one
    expect(row['limited by']).toBe('ceiling → cpu')
    answer.candidate.bottleneck = { ...answer.candidate.bottleneck!, limited_by: 'ceiling' }
    expect(compareRow('os-s1', answer)['limited by']).toBe('ceiling')
  })
})
