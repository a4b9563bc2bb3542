import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { compareRuns, matchBaseline } from '#core/compare/compare-runs.ts'
import type { RunRow } from '#schemas/tables.ts'
import { tcpRun } from './run-fixtures.ts'

const bareMetal = (bps: number[], extra: Partial<RunRow> = {}) =>
  bps.map((throughput_bps, i) =>
    tcpRun({ throughput_bps, run_id: `bm-${i}-${throughput_bps}`, ...extra }),
  )
const overlay = (bps: number[], extra: Partial<RunRow> = {}) =>
  bps.map((throughput_bps, i) =>
    tcpRun({
      throughput_bps,
      run_id: `s1-${i}`,
      platform: 'openstack',
      scenario: 'os-s1',
      mtu: 1450,
      ...extra,
    }),
  )
const qperfLat = (latency: number[], extra: Partial<RunRow>) =>
  latency.map((latency_s) =>
    tcpRun({
      tool: 'qperf',
      tool_version: '0.4.11',
      test: 'tcp_lat',
      msg_size_bytes: 1,
      duration_s: 2,
      latency_s,
      ...extra,
    }),
  )

describe('compareRuns: throughput', () => {
  const baseline = bareMetal([9.3e9, 9.4e9, 9.35e9, 9.38e9, 9.36e9])
  const candidate = overlay([5.0e9, 5.2e9, 4.9e9, 5.1e9, 5.05e9])

  it('gives medians, ratio and overhead with CIs, exact p, ceilings and hops', () => {
    // Act
    const result = compareRuns({ baseline, candidate, metric: 'throughput_bps', seed: 7 })

    // Assess
    expect(result.refused).toBeNull()
    expect(result.key_mismatch).toBe(false)
    expect(result.baseline.stats!.median).toBe(9.36e9)
    expect(result.candidate.stats!.median).toBe(5.05e9)
    expect(result.ratio!.estimate).toBeCloseTo(5.05 / 9.36, 12)
    expect(result.overhead!.estimate).toBeCloseTo(1 - 5.05 / 9.36, 12)
    expect(result.overhead!.ci_low).toBeCloseTo(1 - result.ratio!.ci_high, 12)
    expect(result.overhead!.ci_high).toBeCloseTo(1 - result.ratio!.ci_low, 12)
    expect(result.ratio!.ci_low).toBeGreaterThanOrEqual(4.9 / 9.4)
    expect(result.ratio!.ci_high).toBeLessThanOrEqual(5.2 / 9.3)
    expect(result.mann_whitney).toMatchObject({ u: 0, method: 'exact' })
    expect(result.mann_whitney!.p_value).toBeCloseTo(2 / 252, 12)
    expect(result.baseline.ceiling_fraction_median).toBeCloseTo(9.36e9 / ((10e9 * 1448) / 1538), 10)
    expect(result.candidate.ceiling_fraction_median).toBeCloseTo(
      5.05e9 / ((10e9 * 1398) / 1538),
      10,
    )
    expect(result.hops!.only_in_b.filter((h) => h.kind === 'vxlan')).toHaveLength(2)
    expect(result.advice).toEqual([])
    expect(result.better).toBe('higher')
  })

  it('is reproducible, JSON-serialisable and independent of run order', () => {
    // Prepare
    const input = { baseline, candidate, metric: 'throughput_bps' as const }

    // Act
    const a = compareRuns(input)
    const b = compareRuns({
      ...input,
      baseline: [...baseline].reverse(),
      candidate: [...candidate].reverse(),
    })
    const c = compareRuns({ ...input, seed: 99 })

    // Assess
    expect(b).toEqual(a)
    expect(JSON.parse(JSON.stringify(a))).toEqual(a)
    expect(c.ratio!.seed).toBe(99)
    expect(c.ratio!.estimate).toBe(a.ratio!.estimate)
  })

  it('refuses runs with different comparison keys, or flags them when allowed', () => {
    // Prepare
    const oneGig = overlay([0.9e9, 0.91e9, 0.92e9, 0.9e9, 0.93e9], { nic_speed_bps: 1e9 })

    // Act
    const refused = compareRuns({ baseline, candidate: oneGig, metric: 'throughput_bps' })
    const allowed = compareRuns({
      baseline,
      candidate: oneGig,
      metric: 'throughput_bps',
      allowKeyMismatch: true,
    })

    // Assess
    expect(refused.refused).toBe(
      'comparison keys differ: NIC speed differs: nic10G vs nic1G. Pass allowKeyMismatch to compare anyway.',
    )
    expect(refused.key_mismatch).toBe(true)
    expect([refused.ratio, refused.overhead, refused.mann_whitney]).toEqual([null, null, null])
    expect(refused.candidate.stats!.median).toBe(0.91e9)
    expect(allowed.refused).toBeNull()
    expect(allowed.key_mismatch).toBe(true)
    expect(allowed.ratio!.estimate).toBeCloseTo(0.91 / 9.36, 12)
    expect(allowed.advice[0]).toMatch(/^key mismatch allowed: NIC speed differs/)
  })

  it('advises on small n, unstable sets and excluded error runs', () => {
    // Prepare
    const small = bareMetal([9e9, 9.2e9, 9.1e9])
    const noisy = [
      ...overlay([3e9, 5e9, 4e9]),
      tcpRun({ status: 'error', platform: 'openstack', scenario: 'os-s1', mtu: 1450 }),
    ]

    // Act
    const result = compareRuns({ baseline: small, candidate: noisy, metric: 'throughput_bps' })

    // Assess
    expect(result.candidate).toMatchObject({ n: 3, excluded: 1 })
    expect(result.advice).toEqual([
      'baseline n=3 < 5: CI unreliable; run at least 5 repetitions.',
      'candidate n=3 < 5: CI unreliable; run at least 5 repetitions.',
      '1 candidate run(s) without a usable throughput_bps value (error status or missing) were left out.',
      'candidate is unstable: CV 0.25 > 0.1; pin CPUs, check for noisy neighbours or add repetitions.',
      'with n=3 and n=3 the smallest possible two-sided p is 0.1: the rank test cannot reach 0.05; add repetitions.',
    ])
  })

  it('gives overhead 0 with a zero-width CI for identical constant samples', () => {
    // Prepare
    const same = bareMetal([8e9, 8e9, 8e9, 8e9, 8e9])

    // Act
    const result = compareRuns({ baseline: same, candidate: same, metric: 'throughput_bps' })

    // Assess
    expect(result.overhead).toMatchObject({ estimate: 0, ci_low: 0, ci_high: 0 })
    expect(result.mann_whitney!.p_value).toBe(1)
    expect(result.hops).toMatchObject({ identical: true })
  })

  it('gives overhead 0 with a CI around 0 for identical varied samples (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e6, max: 1e11, noNaN: true }), { minLength: 1, maxLength: 10 }),
        (bps) => {
          // Prepare
          const runs = bareMetal(bps)

          // Act
          const result = compareRuns({
            baseline: runs,
            candidate: runs,
            metric: 'throughput_bps',
            resamples: 300,
          })

          // Assess
          expect(result.overhead!.estimate).toBe(0)
          expect(result.overhead!.ci_low).toBeLessThanOrEqual(0)
          expect(result.overhead!.ci_high).toBeGreaterThanOrEqual(0)
        },
      ),
      { numRuns: 30, seed: 20261126 },
    )
  })
})

describe('compareRuns: latency', () => {
  it('defines overhead as extra latency, candidate/baseline − 1', () => {
    // Prepare
    const baseline = qperfLat([3.7e-6, 3.8e-6, 3.75e-6, 3.72e-6, 3.74e-6], { scenario: 'baseline' })
    const candidate = qperfLat([6.7e-6, 6.8e-6, 6.74e-6, 6.9e-6, 6.71e-6], {
      platform: 'openstack',
      scenario: 'os-s1',
      mtu: 1450,
    })

    // Act
    const result = compareRuns({ baseline, candidate, metric: 'latency_s' })

    // Assess
    expect(result.better).toBe('lower')
    expect(result.ratio!.estimate).toBeCloseTo(6.74 / 3.74, 12)
    expect(result.overhead!.estimate).toBeCloseTo(6.74 / 3.74 - 1, 12)
    expect(result.overhead!.ci_low).toBeCloseTo(result.ratio!.ci_low - 1, 12)
    expect(result.overhead!.definition).toMatch(/^candidate\/baseline − 1/)
    expect(result.candidate.ceiling_fraction_median).toBeNull()
    expect(result.mann_whitney!.u).toBe(25)
  })
})

describe('matchBaseline', () => {
  it('picks bare-metal runs with the same hardware, NIC speed, link MTU and tool settings', () => {
    // Prepare
    const candidate = overlay([5e9, 5.1e9])
    const matching = bareMetal([9.3e9, 9.4e9])
    const byScenario = bareMetal([9.2e9], { platform: 'lab-host' })
    const others = [
      ...bareMetal([0.94e9], { nic_speed_bps: 1e9 }),
      ...bareMetal([9.9e9], { link_mtu: 9000, mtu: 9000 }),
      ...bareMetal([9.5e9], { streams: 4 }),
      ...bareMetal([9.1e9], { hardware_profile: 'other' }),
      ...overlay([4e9], { run_id: 'another-openstack-run' }),
    ]

    // Act
    const matched = matchBaseline(candidate, [...others, ...matching, ...byScenario, ...candidate])

    // Assess
    expect(matched.map((r) => r.throughput_bps)).toEqual([9.3e9, 9.4e9, 9.2e9])
  })
})
