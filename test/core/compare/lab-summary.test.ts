import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { compareRuns } from '#core/compare/compare-runs.ts'
import { tcpRun } from './run-fixtures.ts'

/** One row per scenario from the lab's summary.tsv (one real run each). */
function labRuns() {
  const text = readFileSync(new URL('../../fixtures/lab/summary.tsv', import.meta.url), 'utf8')
  const [header, ...lines] = text.trim().split('\n')
  const columns = header.split('\t')
  return lines.map((line) => {
    const cells = Object.fromEntries(line.split('\t').map((v, i) => [columns[i], v]))
    const scenario = cells.scenario
    return tcpRun({
      scenario,
      platform:
        scenario === 'baseline'
          ? 'baremetal'
          : scenario.startsWith('kv')
            ? 'kubevirt'
            : 'openstack',
      mtu: scenario === 'baseline' ? 1500 : 1450,
      nic_speed_bps: null,
      hardware_profile: 'lab-2vcpu',
      duration_s: 3,
      throughput_bps: Number(cells.iperf3_gbps) * 1e9,
    })
  })
}

describe('compareRuns on the lab summary', () => {
  it('gives point estimates from one run per scenario but no interval, verdict or overhead CI', () => {
    // Prepare
    const runs = labRuns()
    const baseline = runs.filter((r) => r.scenario === 'baseline')

    // Act
    const s1 = compareRuns({
      baseline,
      candidate: runs.filter((r) => r.scenario === 'os-s1'),
      metric: 'throughput_bps',
    })

    // Assess
    expect(s1.refused).toBeNull()
    expect(s1.point_estimates.ratio_of_medians).toBeCloseTo(2.99 / 5.69, 12)
    expect(s1.point_estimates.ratio_of_geometric_means).toBeCloseTo(2.99 / 5.69, 12)
    expect([s1.ratio, s1.median_ratio, s1.overhead]).toEqual([null, null, null])
    expect(s1.ratio_unavailable).toBe(
      'baseline has 1 run(s), candidate 1: an interval needs at least 3 runs per side',
    )
    expect(s1.verdict.verdict).toBe('INCONCLUSIVE')
    expect(s1.baseline.ceiling_fraction_median).toBeNull()
    expect(s1.advice).toContain(
      'baseline n=1 < 3: no interval and no verdict; run at least 5 repetitions.',
    )
    expect(s1.hops!.only_in_b.map((h) => h.kind)).toContain('vxlan')
  })
})
