import { describe, expect, it } from 'vitest'
import { detectChangePoints, latestVsPrevious } from '#core/compare/change-points.ts'
import { createPrng } from '#core/compare/prng.ts'

/** A seeded series around 5 Gbit/s with normal noise of the given CV and optional steps. */
function series(
  seed: number,
  n: number,
  cv: number,
  steps: Array<{ at: number; size: number }> = [],
): number[] {
  const prng = createPrng(seed)
  return Array.from({ length: n }, (_, i) => {
    const u = 1 - prng.next()
    const v = prng.next()
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    const level = steps.filter((s) => i >= s.at).reduce((l, s) => l * (1 + s.size), 1)
    return 5e9 * level * (1 + cv * z)
  })
}

describe('detectChangePoints', () => {
  it('finds a 10% step in a 40-point series with CV 3%, where it is and how large', () => {
    // Prepare
    const values = series(20261201, 40, 0.03, [{ at: 20, size: 0.1 }])

    // Act
    const found = detectChangePoints(values)

    // Assess
    expect(found).toHaveLength(1)
    expect(Math.abs(found[0].index - 20)).toBeLessThanOrEqual(1)
    expect(found[0].change!).toBeGreaterThan(0.07)
    expect(found[0].change!).toBeLessThan(0.13)
    expect(found[0].p_value).toBeLessThanOrEqual(0.001)
  })

  it('raises nothing on 20 flat 40-point series at p ≤ 0.001', () => {
    // Act
    const alarms = Array.from({ length: 20 }, (_, i) =>
      detectChangePoints(series(777 + i, 40, 0.03)),
    )

    // Assess
    expect(alarms.flat()).toEqual([])
  })

  it('finds two steps (up, then down) and respects the minimum magnitude', () => {
    // Prepare
    const twoSteps = series(42, 60, 0.02, [
      { at: 20, size: 0.15 },
      { at: 40, size: -0.2 },
    ])
    const small = series(43, 40, 0.005, [{ at: 25, size: 0.03 }])

    // Act
    const found = detectChangePoints(twoSteps)
    const kept = detectChangePoints(small)
    const filtered = detectChangePoints(small, { minMagnitude: 0.05 })

    // Assess
    expect(found.map((c) => c.index)).toEqual([20, 40])
    expect(Math.sign(found[0].change!)).toBe(1)
    expect(Math.sign(found[1].change!)).toBe(-1)
    expect(kept.map((c) => c.index)).toEqual([25])
    expect(filtered).toEqual([])
  })

  it('picks the split of the largest energy statistic; p is the pooled t-test p × candidate splits', () => {
    // Prepare: python3 (numpy): q̂ over splits 3..9 by brute force, best at 6 with q̂ = 4.84;
    // scipy.stats.ttest_ind(x[:6], x[6:], equal_var=True).pvalue = 3.421112462812464e-07, × 7 splits
    const x = [10.1, 9.9, 10.0, 10.2, 9.8, 10.1, 11.0, 11.2, 10.9, 11.1, 11.0, 10.8]

    // Act
    const [c] = detectChangePoints(x)

    // Assess
    expect(c.index).toBe(6)
    expect(c.q).toBeCloseTo(4.84, 10)
    expect(c.p_value / 2.394778723968725e-6).toBeCloseTo(1, 9)
    expect(c.mean_before).toBeCloseTo(10.016666666666667, 12)
    expect(c.mean_after).toBeCloseTo(11, 12)
  })

  it('returns nothing for series too short to split, and rejects non-finite values', () => {
    expect(detectChangePoints([1, 2, 3, 10, 11])).toEqual([])
    expect(() => detectChangePoints([1, Number.NaN, 3])).toThrow(RangeError)
  })
})

describe('latestVsPrevious', () => {
  it('matches a t prediction interval from scipy: 2·t.sf(|x − m| / (s·√(1 + 1/N)), N − 1)', () => {
    // Prepare
    const values = [5.0, 5.1, 4.9, 5.05, 4.95, 5.02, 5.4]

    // Act
    const check = latestVsPrevious(values, 10)!

    // Assess
    expect(check.previous_n).toBe(6)
    expect(check.p_value / 0.0035868254050246476).toBeCloseTo(1, 9)
    expect(check.change).toBeCloseTo(5.4 / (30.02 / 6) - 1, 12)
    expect(latestVsPrevious([1, 2, 3])).toBeNull()
  })
})
