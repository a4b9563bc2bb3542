import { describe, expect, it } from 'vitest'
import { applyHolm, holmAdjust, judgeRatio, runsPerSideNeeded } from '#core/compare/verdict.ts'
import type { Verdict } from '#core/compare/verdict.ts'
import { geometricMeanRatio, logMoments } from '#core/compare/welch-log.ts'

// One-sided p-values from scipy 1.17.1: stats.ttest_ind(np.log(c) - np.log(bound), np.log(b),
// equal_var=False, alternative='greater' | 'less').pvalue; TOST p = the larger of the two at 1 ± δ.
const rel = (got: number, want: number, tol = 1e-8) =>
  expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * Math.abs(want))

function judge(b: number[], c: number[], better: 'higher' | 'lower', band: number): Verdict {
  const { ratio, reason } = geometricMeanRatio(b, c)
  const spread = { baseline: logMoments(b).variance, candidate: logMoments(c).variance }
  return judgeRatio(ratio, better, band, reason, spread)
}

describe('judgeRatio', () => {
  it('WORSE for throughput when the whole 95% interval is below 1 − δ, with p = 2 × one-sided p', () => {
    // Act
    const v = judge(
      [9.3e9, 9.4e9, 9.35e9, 9.38e9, 9.36e9],
      [5.0e9, 5.2e9, 4.9e9, 5.1e9, 5.05e9],
      'higher',
      0.05,
    )

    // Assess
    expect(v).toMatchObject({
      verdict: 'WORSE',
      band: 0.05,
      band_low: 0.95,
      band_high: 1.05,
      runs_per_side_needed: null,
    })
    rel(v.p_value!, 2 * 1.3826452006646343e-7)
    expect(v.reason).toMatch(/^the 95% interval \[0\.525, 0\.5545\] lies entirely below/)
  })

  it('WORSE for latency above 1 + δ; BETTER for throughput above 1 + δ', () => {
    // Act
    const latency = judge(
      [3.7e-6, 3.9e-6, 3.75e-6],
      [6.7e-6, 7.4e-6, 6.74e-6, 6.9e-6],
      'lower',
      0.1,
    )
    const faster = judge([100, 101, 99, 100.5, 99.5], [120, 121, 119, 122, 118], 'higher', 0.05)

    // Assess
    expect(latency.verdict).toBe('WORSE')
    rel(latency.p_value!, 2 * 5.336788184247822e-6)
    expect(latency.reason).toMatch(/above/)
    expect(faster.verdict).toBe('BETTER')
    rel(faster.p_value!, 2 * 2.4531407181746754e-7)
  })

  it('SAME when the 90% interval is inside the band (TOST p)', () => {
    // Act
    const v = judge([100, 101, 99, 100.5, 99.5], [100.2, 100.8, 99.6, 100.1, 99.9], 'higher', 0.05)

    // Assess
    expect(v.verdict).toBe('SAME')
    rel(v.p_value!, 8.258296648724883e-6)
    expect(v.reason).toMatch(/90% interval .* inside .* \(TOST at 5%\)/)
  })

  it('INCONCLUSIVE across a band edge, with the runs per side that would resolve it', () => {
    // Act
    const v = judge([100, 110, 90], [97, 105, 92], 'higher', 0.05)

    // Assess
    expect(v.verdict).toBe('INCONCLUSIVE')
    rel(v.p_value!, 0.3318429506406215)
    // python3: smallest n with t.ppf(0.95, 2n − 2)·√((s²_b + s²_c)/n) < distance to the nearer edge
    expect(v.runs_per_side_needed).toBe(38)
  })

  it('INCONCLUSIVE with the reason when there is no interval; band checked', () => {
    // Act
    const v = judge([5e9], [3e9], 'higher', 0.05)

    // Assess
    expect(v).toMatchObject({ verdict: 'INCONCLUSIVE', p_value: null, runs_per_side_needed: null })
    expect(v.reason).toMatch(/^no interval: baseline has 1 run/)
    expect(() => judgeRatio(null, 'higher', 0, null)).toThrow(RangeError)
  })

  it('agrees with the interval positions on random data (the p-value and interval rules are one rule)', () => {
    // Prepare
    let state = 7
    const rnd = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648
    for (let k = 0; k < 200; k++) {
      const shift = 0.8 + 0.4 * rnd()
      const b = Array.from({ length: 4 }, () => 100 * (1 + 0.05 * (rnd() - 0.5)))
      const c = Array.from({ length: 5 }, () => 100 * shift * (1 + 0.05 * (rnd() - 0.5)))
      const r = geometricMeanRatio(b, c).ratio!

      // Act
      const v = judgeRatio(r, 'higher', 0.05, null)

      // Assess
      const expected =
        r.ci_high < 0.95
          ? 'WORSE'
          : r.ci_low > 1.05
            ? 'BETTER'
            : r.ci90_low > 0.95 && r.ci90_high < 1.05
              ? 'SAME'
              : 'INCONCLUSIVE'
      expect(v.verdict).toBe(expected)
    }
  })
})

describe('runsPerSideNeeded', () => {
  it('is null on a band edge or with no spread, and 3 when already resolved', () => {
    expect(runsPerSideNeeded(Math.log(0.95), { baseline: 0.01, candidate: 0.01 }, 0.05)).toBeNull()
    expect(runsPerSideNeeded(0, { baseline: 0, candidate: 0 }, 0.05)).toBeNull()
    expect(runsPerSideNeeded(0, { baseline: 1e-8, candidate: 1e-8 }, 0.05)).toBe(3)
  })
})

describe('Holm', () => {
  it("adjusts like R's p.adjust(p, 'holm'), computed by hand", () => {
    // Prepare: sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → running max 0.06
    const p = [0.01, 0.04, 0.03, 0.005]

    // Act
    const adjusted = holmAdjust(p)

    // Assess
    expect(adjusted.map((x) => Number(x.toFixed(12)))).toEqual([0.03, 0.06, 0.06, 0.02])
    expect(holmAdjust([0.5, 0.9])).toEqual([1, 1])
  })

  it('turns a verdict that does not survive the correction into INCONCLUSIVE, saying why', () => {
    // Prepare
    const base = judge(
      [100, 101, 99, 100.5, 99.5],
      [100.2, 100.8, 99.6, 100.1, 99.9],
      'higher',
      0.05,
    )
    const verdicts: Verdict[] = [
      { ...base, verdict: 'WORSE', p_value: 0.03 },
      { ...base, verdict: 'SAME', p_value: 0.001 },
      { ...base, verdict: 'INCONCLUSIVE', p_value: 0.4 },
    ]

    // Act
    const out = applyHolm(verdicts)

    // Assess: adjusted 0.001·3 = 0.003, 0.03·2 = 0.06, 0.4·1 → 0.4
    expect(out.map((v) => v.verdict)).toEqual(['INCONCLUSIVE', 'SAME', 'INCONCLUSIVE'])
    expect(out.map((v) => Number(v.holm_p_value!.toFixed(12)))).toEqual([0.06, 0.003, 0.4])
    expect(out[0].reason).toMatch(
      /^WORSE at p = 0\.03 alone, but not after Holm correction over 3 comparisons/,
    )
    expect(applyHolm([verdicts[0]])[0]).toEqual(verdicts[0])
  })
})
