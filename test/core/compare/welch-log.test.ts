import { describe, expect, it } from 'vitest'
import { geometricMeanRatio, pAbove, pBelow } from '#core/compare/welch-log.ts'

// References: scipy 1.17.1, r = stats.ttest_ind(np.log(c), np.log(b), equal_var=False);
// np.exp(r.confidence_interval(0.95)), np.exp(r.confidence_interval(0.90)), r.df; one-sided
// p-values with stats.ttest_ind(np.log(c) - np.log(bound), np.log(b), equal_var=False, alternative=...).
const rel = (got: number, want: number, tol = 1e-10) =>
  expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * Math.abs(want))

describe('geometricMeanRatio', () => {
  it('matches scipy Welch t on logs: estimate, 95% and 90% intervals, df, one-sided p', () => {
    // Prepare
    const b = [9.3e9, 9.4e9, 9.35e9, 9.38e9, 9.36e9]
    const c = [5.0e9, 5.2e9, 4.9e9, 5.1e9, 5.05e9]

    // Act
    const { ratio, reason } = geometricMeanRatio(b, c)

    // Assess
    expect(reason).toBeNull()
    rel(ratio!.estimate, 0.5395428931777462)
    rel(ratio!.ci_low, 0.525023657101474)
    rel(ratio!.ci_high, 0.5544636506205075)
    rel(ratio!.ci90_low, 0.5282862982326406)
    rel(ratio!.ci90_high, 0.5510393408886382)
    rel(ratio!.df!, 4.264756332695697)
    rel(pBelow(ratio!, 0.95), 1.3826452006646343e-7, 1e-8)
    rel(pAbove(ratio!, 1.5), 0.999999988903107)
  })

  it('handles unequal sizes (3 vs 4) with fractional df', () => {
    // Prepare
    const b = [3.7e-6, 3.9e-6, 3.75e-6]
    const c = [6.7e-6, 7.4e-6, 6.74e-6, 6.9e-6]

    // Act
    const { ratio } = geometricMeanRatio(b, c)

    // Assess
    rel(ratio!.estimate, 1.8320529063755782)
    rel(ratio!.ci_low, 1.7051098469269232)
    rel(ratio!.ci_high, 1.9684467002571073)
    rel(ratio!.df!, 4.883363861704839)
    rel(pAbove(ratio!, 1.5), 0.0004414588432072659, 1e-8)
  })

  it('gives no interval below 3 runs per side, or with a value ≤ 0, and says why', () => {
    // Act
    const one = geometricMeanRatio([5e9], [3e9])
    const two = geometricMeanRatio([5e9, 5.1e9, 5.2e9], [3e9, 3.1e9])
    const zero = geometricMeanRatio([5e9, 0, 5.2e9], [3e9, 3.1e9, 3.2e9])

    // Assess
    expect(one).toEqual({
      ratio: null,
      reason: 'baseline has 1 run(s), candidate 1: an interval needs at least 3 runs per side',
    })
    expect(two.reason).toMatch(/candidate 2/)
    expect(zero.ratio).toBeNull()
    expect(zero.reason).toMatch(/≤ 0/)
  })

  it('gives a zero-width interval and null df for constant sides', () => {
    // Act
    const { ratio } = geometricMeanRatio([8, 8, 8], [4, 4, 4])

    // Assess
    expect(ratio).toMatchObject({ df: null, log_se: 0 })
    expect([ratio!.ci_low, ratio!.ci_high]).toEqual([ratio!.estimate, ratio!.estimate])
    expect(ratio!.estimate).toBeCloseTo(0.5, 14)
    expect(pBelow(ratio!, 0.95)).toBe(0)
    expect(pAbove(ratio!, 0.95)).toBe(1)
  })

  it('swapping the sides inverts the ratio and its interval', () => {
    // Prepare
    const b = [9.1, 9.4, 8.8, 9.6]
    const c = [5.2, 5.6, 4.9, 5.1, 5.3]

    // Act
    const ab = geometricMeanRatio(b, c).ratio!
    const ba = geometricMeanRatio(c, b).ratio!

    // Assess
    expect(ba.estimate).toBeCloseTo(1 / ab.estimate, 14)
    expect(ba.ci_low).toBeCloseTo(1 / ab.ci_high, 14)
    expect(ba.ci_high).toBeCloseTo(1 / ab.ci_low, 14)
  })
})
