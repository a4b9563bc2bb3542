import { describe, expect, it } from 'vitest'
import { exactPValue, mannWhitneyU, uDistribution } from '#core/compare/mann-whitney.ts'

describe('mannWhitneyU', () => {
  it('reproduces the R wilcox.test example (Hollander & Wolfe): W = 35, p = 0.2544', () => {
    // Prepare: R ?wilcox.test; one-sided 'greater' p = 0.1272, two-sided twice that
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
    const y = [1.15, 0.88, 0.9, 0.74, 1.21]

    // Act
    const result = mannWhitneyU(x, y)!

    // Assess
    expect(result.u).toBe(35)
    expect(result.u_other).toBe(15)
    expect(result.method).toBe('exact')
    expect(result.p_value).toBeCloseTo(0.2544122544, 9)
  })

  it('gives p = 2/C(6,3) = 0.1 for complete separation of 3 vs 3', () => {
    // Prepare
    const x = [1, 2, 3]
    const y = [4, 5, 6]

    // Act
    const result = mannWhitneyU(x, y)!

    // Assess
    expect(result.u).toBe(0)
    expect(result.p_value).toBeCloseTo(0.1, 12)
    expect(mannWhitneyU(y, x)!.p_value).toBeCloseTo(0.1, 12)
  })

  it('uses the tie- and continuity-corrected normal approximation with ties', () => {
    // Prepare: midranks 1, 3, 3, 5, 8 for x → U = 5; var = 2.5 · (12 − 48/110); z = −9.5 / sqrt(var)
    const x = [1, 2, 2, 3, 5]
    const y = [2, 4, 5, 5, 6, 7]

    // Act
    const result = mannWhitneyU(x, y)!

    // Assess
    expect(result.u).toBe(5)
    expect(result.ties).toBe(true)
    expect(result.method).toBe('normal')
    expect(result.p_value).toBeCloseTo(0.0772487817, 8)
  })

  it('switches to the normal approximation at n = 50 without ties', () => {
    // Prepare
    const x = Array.from({ length: 60 }, (_, i) => i + 1)
    const y = Array.from({ length: 55 }, (_, i) => i + 11.5)

    // Act
    const result = mannWhitneyU(x, y)!

    // Assess
    expect(result.u).toBe(1225)
    expect(result.method).toBe('normal')
    expect(result.p_value).toBeCloseTo(0.0174662191, 8)
  })

  it('returns p = 1 when every value is equal, and null for an empty side', () => {
    // Prepare
    const same = [5, 5, 5]

    // Act
    const result = mannWhitneyU(same, same)!

    // Assess
    expect(result.p_value).toBe(1)
    expect(mannWhitneyU([], same)).toBeNull()
  })
})

describe('exact U distribution', () => {
  it('counts C(m + n, m) orderings, symmetric around mn/2', () => {
    // Prepare: m = 2, n = 3 → U = 0..6 with counts 1 1 2 2 2 1 1 (total 10)

    // Act
    const counts = Array.from(uDistribution(2, 3))

    // Assess
    expect(counts).toEqual([1, 1, 2, 2, 2, 1, 1])
    expect(exactPValue(0, 5, 5)).toBeCloseTo(2 / 252, 12)
    expect(exactPValue(3, 2, 3)).toBe(1)
  })
})
