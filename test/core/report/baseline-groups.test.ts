import { describe, expect, it } from 'vitest'
import { compareRuns } from '#core/compare/index.ts'
import { compareBaselineGroups, sampleRunRow } from '#core/report/baseline-groups.ts'
import { compareWithBaseline } from '#core/report/reference-comparisons.ts'
import type { BaselineSampleRow } from '#core/report/report-model.ts'
import { REPORT_SEED } from '#core/report/report-sets.ts'

const KEY_A = 'iperf3/3|tcp|p1|d5-30|forward|blk131072|omit2|cc=cubic|link1500|nic?|hw=lab-netns'
const KEY_B = 'iperf3/3|tcp|p4|d5-30|forward|blk131072|omit2|cc=cubic|link1500|nic?|hw=lab-netns'
const PINNED = JSON.stringify({ cpu_pin: '0,0' })

/** Rows as the query gives them: one scenario measured with two keys, each with its bare metal. */
function rows(): BaselineSampleRow[] {
  const out: BaselineSampleRow[] = []
  const add = (key: string, role: 'scenario' | 'baseline', values: number[], cpu: number) =>
    values.forEach((v, i) =>
      out.push({
        platform: 'openstack',
        scenario: 'os-s3',
        hardware_profile: 'lab-netns',
        comparison_key: key,
        role,
        run_id: `${key.slice(13, 15)}-${role}-${i}`,
        throughput_bps: v,
        direction: 'forward',
        cpu_local_percent: cpu,
        cpu_remote_percent: cpu,
        software: PINNED,
      }),
    )
  add(KEY_A, 'scenario', [3.7e9, 3.8e9, 3.75e9, 3.72e9, 3.79e9], 33)
  add(KEY_A, 'baseline', [5.6e9, 5.7e9, 5.69e9, 5.65e9, 5.72e9], 47)
  add(KEY_B, 'scenario', [4.1e9, 4.0e9, 4.2e9], 10)
  add(KEY_B, 'baseline', [4.3e9, 4.25e9, 4.35e9], 10)
  return out
}

describe('compareBaselineGroups: the one grouping of the report and the notebook', () => {
  it('compares each comparison key of a scenario with its own bare metal, never mixed', () => {
    // Prepare
    const input = rows()

    // Act
    const groups = compareBaselineGroups(input)
    const summaries = compareWithBaseline(input)

    // Assess
    expect(groups.map((g) => g.comparison_key)).toEqual([KEY_A, KEY_B])
    for (const [i, key] of [KEY_A, KEY_B].entries()) {
      const own = input.filter((r) => r.comparison_key === key)
      const expected = compareRuns({
        baseline: own.filter((r) => r.role === 'baseline').map(sampleRunRow),
        candidate: own.filter((r) => r.role === 'scenario').map(sampleRunRow),
        metric: 'throughput_bps',
        seed: REPORT_SEED,
      })
      expect(groups[i].result).toEqual(expected)
      expect(groups[i].result.refused).toBeNull()
      // the report's row is that comparison's figures, not a second computation
      expect(summaries[i]).toMatchObject({
        comparison_key: key,
        n: expected.candidate.n,
        baseline_n: expected.baseline.n,
        ratio: {
          estimate: expected.ratio!.estimate,
          ci_low: expected.ratio!.ci_low,
          ci_high: expected.ratio!.ci_high,
        },
        overhead: expected.overhead,
        verdict: expected.verdict.verdict,
        limited_by: expected.candidate.bottleneck!.limited_by,
        baseline_limited_by: expected.baseline.bottleneck!.limited_by,
      })
    }
    // geometric means by hand: KEY_A ratio = exp(mean ln scenario − mean ln baseline)
    const lnMean = (xs: number[]) => xs.reduce((s, x) => s + Math.log(x), 0) / xs.length
    const gm = Math.exp(
      lnMean([3.7e9, 3.8e9, 3.75e9, 3.72e9, 3.79e9]) -
        lnMean([5.6e9, 5.7e9, 5.69e9, 5.65e9, 5.72e9]),
    )
    expect(summaries[0].ratio!.estimate).toBeCloseTo(gm, 12)
  })

  it('carries the bottleneck columns, so pinned lab runs are CPU-bound and the advice says so', () => {
    // Prepare: KEY_A pinned to one core at 33% + 33% and 47% + 47% (≥ 50% together); KEY_B at 20%
    const input = rows()

    // Act
    const [a, b] = compareWithBaseline(input)

    // Assess
    expect([a.limited_by, a.baseline_limited_by]).toEqual(['cpu', 'cpu'])
    expect(a.limit_advice.join(' ')).toMatch(/^both sides are CPU-bound/)
    expect([b.limited_by, b.baseline_limited_by]).toEqual(['unknown', 'unknown'])
    expect(b.limit_advice).toEqual([])
    // 3 runs a side: the interval exists (none below 3), and an overlapping one is not WORSE
    expect(b.ratio!.ci_low).not.toBeNull()
    expect(b.verdict).not.toBe('WORSE')
  })
})
