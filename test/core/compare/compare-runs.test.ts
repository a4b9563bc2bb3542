import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { compareRuns, matchBaseline } from '#core/compare/compare-runs.ts'
import type { RunRow } from '#schemas/tables.ts'
import { CompareResultSchema } from '#schemas/api.ts'
import { emptyIntervalRow } from '#core/rows.ts'
import { tcpRun } from './run-fixtures.ts'

// Welch-log references: scipy 1.17.1, r = stats.ttest_ind(np.log(c), np.log(b), equal_var=False),
// np.exp(np.log(c).mean() - np.log(b).mean()), np.exp(r.confidence_interval(0.95)).
const rel = (got: number, want: number, tol = 1e-10) =>
  expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * Math.abs(want))

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

  it('gives the geometric-mean ratio with its Welch-log CI, overhead, verdict, cross-checks, ceilings and hops', () => {
    // Act
    const result = compareRuns({ baseline, candidate, metric: 'throughput_bps', seed: 7 })

    // Assess
    expect(CompareResultSchema.parse(result)).toEqual(result)
    expect(result.refused).toBeNull()
    expect(result.key_mismatch).toBe(false)
    expect(result.baseline.stats!.median).toBe(9.36e9)
    expect(result.candidate.stats!.median).toBe(5.05e9)
    rel(result.ratio!.estimate, 0.5395428931777462)
    rel(result.ratio!.ci_low, 0.525023657101474)
    rel(result.ratio!.ci_high, 0.5544636506205075)
    rel(result.point_estimates.ratio_of_geometric_means!, 0.5395428931777462)
    expect(result.overhead!.estimate).toBeCloseTo(1 - result.ratio!.estimate, 12)
    expect(result.overhead!.ci_low).toBeCloseTo(1 - result.ratio!.ci_high, 12)
    expect(result.overhead!.ci_high).toBeCloseTo(1 - result.ratio!.ci_low, 12)
    expect(result.verdict).toMatchObject({ verdict: 'WORSE', band: 0.05 })
    // cross-check: exact bootstrap of medians; resampled medians of 5 values are sample values
    expect(result.median_ratio).toMatchObject({
      method: 'exact',
      seed: null,
      upper_unbounded: false,
    })
    expect(result.median_ratio!.estimate).toBeCloseTo(5.05 / 9.36, 12)
    expect(result.median_ratio!.ci_low).toBeGreaterThanOrEqual(4.9 / 9.4)
    expect(result.median_ratio!.ci_high!).toBeLessThanOrEqual(5.2 / 9.3)
    // 9.36 Gbit/s is 99.4% of the 10G ceiling (10e9·1448/1538); 5.05 is 55.6% of 10e9·1398/1538
    expect(result.baseline.bottleneck!.limited_by).toBe('ceiling')
    expect(result.candidate.bottleneck!.limited_by).toBe('unknown')
    expect(result.mann_whitney).toMatchObject({ u: 0, method: 'exact' })
    expect(result.mann_whitney!.p_value).toBeCloseTo(2 / 252, 12)
    expect(result.baseline.ceiling_fraction_median).toBeCloseTo(9.36e9 / ((10e9 * 1448) / 1538), 10)
    expect(result.candidate.ceiling_fraction_median).toBeCloseTo(
      5.05e9 / ((10e9 * 1398) / 1538),
      10,
    )
    expect(result.hops!.only_in_b.filter((h) => h.kind === 'vxlan')).toHaveLength(2)
    expect(result.advice).toEqual([
      'baseline is at its line-rate ceiling, candidate has no identified limit: the ratio compares different bottlenecks, not only the two paths.',
    ])
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
    // 5 vs 5 takes the exact bootstrap: the seed cannot change anything
    expect(c).toEqual(a)
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
    expect(refused.verdict.verdict).toBe('INCONCLUSIVE')
    expect(refused.candidate.stats!.median).toBe(0.91e9)
    expect(allowed.refused).toBeNull()
    expect(allowed.key_mismatch).toBe(true)
    rel(allowed.ratio!.estimate, 0.09744941074772184)
    rel(allowed.ratio!.ci_high, 0.0991651018150273)
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
    rel(result.ratio!.ci_low, 0.22810012759103593)
    rel(result.ratio!.ci_high, 0.8114482338159064)
    expect(result.verdict.verdict).toBe('WORSE')
    expect(result.advice).toEqual([
      'baseline n=3 < 5: the interval is wide and the rank test weak; run at least 5 repetitions.',
      'candidate n=3 < 5: the interval is wide and the rank test weak; run at least 5 repetitions.',
      '1 candidate run(s) without a usable throughput_bps value (error status or missing) were left out.',
      'candidate is unstable: CV 0.25 > 0.1; pin CPUs, check for noisy neighbours or add repetitions.',
      'with n=3 and n=3 the smallest possible two-sided p is 0.1: the rank test cannot reach 0.05; add repetitions.',
      // 9.1 Gbit/s is 96.7% of the 10G ceiling at MTU 1500
      'baseline is at its line-rate ceiling, candidate has no identified limit: the ratio compares different bottlenecks, not only the two paths.',
    ])
  })

  it('gives overhead 0 with a zero-width CI for identical constant samples', () => {
    // Prepare
    const same = bareMetal([8e9, 8e9, 8e9, 8e9, 8e9])

    // Act
    const result = compareRuns({ baseline: same, candidate: same, metric: 'throughput_bps' })

    // Assess
    expect(result.overhead).toMatchObject({ estimate: 0, ci_low: 0, ci_high: 0 })
    expect(result.verdict.verdict).toBe('SAME')
    expect(result.mann_whitney!.p_value).toBe(1)
    expect(result.hops).toMatchObject({ identical: true })
  })

  it('gives overhead 0 with a CI around 0 for identical varied samples, none below 3 runs (property)', () => {
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
          if (bps.length < 3) {
            expect(result.overhead).toBeNull()
            expect(result.ratio_unavailable).toMatch(/at least 3 runs per side/)
            expect(result.median_ratio).toBeNull()
            return
          }
          expect(result.overhead!.estimate).toBe(0)
          expect(result.overhead!.ci_low).toBeLessThanOrEqual(0)
          expect(result.overhead!.ci_high).toBeGreaterThanOrEqual(0)
          expect(result.median_ratio!.ci_low).toBeLessThanOrEqual(1)
        },
      ),
      { numRuns: 30, seed: 20261126 },
    )
  })
})

describe('compareRuns: verdict band and bottlenecks', () => {
  it('takes the band per request: a 3% drop is SAME at ±5% and WORSE at ±1%', () => {
    // Prepare
    const base = bareMetal([9.3e9, 9.32e9, 9.31e9, 9.29e9, 9.3e9])
    const cand = overlay([9.02e9, 9.03e9, 9.01e9, 9.04e9, 9.02e9], { mtu: 1500 })

    // Act
    const wide = compareRuns({ baseline: base, candidate: cand, metric: 'throughput_bps' })
    const narrow = compareRuns({
      baseline: base,
      candidate: cand,
      metric: 'throughput_bps',
      band: 0.01,
    })

    // Assess
    expect(wide.verdict).toMatchObject({ verdict: 'SAME', band: 0.05 })
    expect(narrow.verdict).toMatchObject({ verdict: 'WORSE', band: 0.01, band_low: 0.99 })
    expect(narrow.method.verdict).toMatch(/^band ±1% on the ratio/)
  })

  it('says when both sides are CPU-bound, and when the sides are limited by different things', () => {
    // Prepare
    const cpu = { cpu_local_percent: 95, cpu_remote_percent: 20 }
    const base = bareMetal([5.6e9, 5.7e9, 5.8e9], cpu)
    const cpuCand = overlay([3.0e9, 2.9e9, 3.1e9], { ...cpu, mtu: 1450 })
    const lossyCand = overlay([3.0e9, 2.9e9, 3.1e9], {
      retransmits: 5000,
      sender_bytes: 1398e6,
      mtu: 1450,
    })

    // Act
    const both = compareRuns({ baseline: base, candidate: cpuCand, metric: 'throughput_bps' })
    const different = compareRuns({
      baseline: base,
      candidate: lossyCand,
      metric: 'throughput_bps',
    })

    // Assess: 115% of a core per 5.7 Gbit/s = 20.2; per 3.0 Gbit/s = 38.3
    expect(both.advice).toContain(
      'both sides are CPU-bound: throughput measures per-packet software cost on these hosts, not the network; compare CPU per Gbit/s (baseline 20.2, candidate 38.3 % of a core per Gbit/s).',
    )
    expect(different.candidate.bottleneck!.limited_by).toBe('loss')
    expect(different.advice).toContain(
      'baseline is CPU-bound, candidate is loss-limited: the ratio compares different bottlenecks, not only the two paths.',
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
    rel(result.ratio!.estimate, 1.8091593393765548)
    rel(result.ratio!.ci_low, 1.7798411025267051)
    rel(result.ratio!.ci_high, 1.8389605176590769)
    expect(result.median_ratio!.estimate).toBeCloseTo(6.74 / 3.74, 12)
    expect(result.verdict).toMatchObject({ verdict: 'WORSE', band: 0.1 })
    expect(result.baseline.bottleneck).toBeNull()
    expect(result.overhead!.estimate).toBeCloseTo(result.ratio!.estimate - 1, 12)
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

describe('compareRuns run qualification, drift and pairing', () => {
  it('qualifies runs from their intervals, names the drifting side and pairs labelled repetitions', () => {
    // Prepare: baseline repetitions fall steadily; candidate run s1-0 climbs for 2 s after a 1 s omit
    const baseline = bareMetal([9.6e9, 9.5e9, 9.4e9, 9.3e9, 9.1e9], { omit_s: 1 }).map((r, i) => ({
      ...r,
      repetition: i + 1,
    }))
    const candidate = overlay([8.0e9, 8.1e9, 7.9e9, 8.2e9, 8.0e9], { omit_s: 1 }).map((r, i) => ({
      ...r,
      repetition: 5 - i,
    }))
    const climb = [1.6e9, 2.2e9, 2.45e9, 2.5e9, 2.48e9, 2.52e9].map((bps, i) => ({
      ...emptyIntervalRow(),
      run_id: 's1-0',
      stream: -1,
      direction: 'forward',
      start_s: i,
      end_s: i + 1,
      bits_per_second: bps,
      omitted: false,
    }))

    // Act
    const result = compareRuns({
      baseline,
      candidate,
      metric: 'throughput_bps',
      intervals: climb,
    })

    // Assess
    expect(CompareResultSchema.safeParse(result).success).toBe(true)
    expect(result.candidate.qualification?.with_intervals).toBe(1)
    expect(result.candidate.qualification?.not_steady).toBe(1)
    expect(result.candidate.qualification?.suggested_omit_s).toBe(3)
    expect(result.baseline.drift?.rho).toBe(-1)
    expect(result.baseline.drift?.drifting).toBe(true)
    expect(result.candidate.drift?.drifting).toBe(false)
    // pairs by label: rep k of the candidate is index 5 − k
    const logs = [1, 2, 3, 4, 5].map((k) =>
      Math.log(candidate[5 - k].throughput_bps! / baseline[k - 1].throughput_bps!),
    )
    rel(result.paired!.estimate, Math.exp(logs.reduce((s, x) => s + x, 0) / 5), 1e-12)
    expect(result.advice.some((a) => a.includes('collect with --omit 3'))).toBe(true)
    expect(result.advice.some((a) => a.startsWith('baseline drifts with repetition order'))).toBe(
      true,
    )
    expect(result.advice.some((a) => a.startsWith('repetitions paired by label (5 pairs)'))).toBe(
      true,
    )
  })

  it('carries an MSS/MTU mismatch of the ceiling model into the advice', () => {
    // Prepare: candidate MSS clamped to 1398 with -M on a 1500 interface
    const baseline = bareMetal([9.4e9, 9.3e9, 9.5e9])
    const candidate = overlay([8.0e9, 8.1e9, 7.9e9], { mtu: 1500, tcp_mss_bytes: 1398 })

    // Act
    const result = compareRuns({ baseline, candidate, metric: 'throughput_bps' })

    // Assess
    expect(result.baseline.ceiling_notes).toEqual([])
    expect(result.candidate.ceiling_notes).toHaveLength(1)
    expect(result.candidate.ceiling_notes[0]).toMatch(
      /^3 run\(s\): mtu label 1500 disagrees with the TCP MSS 1398/,
    )
    expect(result.advice).toContain(`candidate ceiling model: ${result.candidate.ceiling_notes[0]}`)
  })
})
