import { describe, expect, it } from 'vitest'
import { medianInterval } from '#core/compare/median-interval.ts'

/**
 * Expected figures from scipy 1.17: k = the largest order with 2·binom.cdf(k − 1, n, 0.5) ≤ 0.05,
 * coverage = 1 − 2·binom.cdf(k − 1, n, 0.5); median = numpy.median.
 */
describe('medianInterval (order-statistic interval of a median)', () => {
  it('takes x(2) and x(9) of ten values, coverage 0.978515625 as scipy gives', () => {
    // Prepare
    const values = [3.1, 2.7, 4.4, 3.9, 2.2, 5.0, 3.3, 4.1, 2.9, 3.6]

    // Act
    const result = medianInterval(values)

    // Assess
    expect(result).toEqual({ median: 3.45, ci_low: 2.7, ci_high: 4.4, coverage: 0.978515625 })
  })

  it('gives no interval for five runs (min–max covers only 93.75 %), [min, max] from six', () => {
    // Act
    const five = medianInterval([5, 1, 4, 2, 3])
    const six = medianInterval([6, 5, 1, 4, 2, 3])

    // Assess
    expect(five).toEqual({ median: 3, ci_low: null, ci_high: null, coverage: null })
    expect(six).toEqual({ median: 3.5, ci_low: 1, ci_high: 6, coverage: 0.96875 })
  })

  it('picks the orders scipy picks at n = 20, 101 and 500, in log space without underflow', () => {
    // Prepare
    const ramp = (n: number) => Array.from({ length: n }, (_, i) => n - i) // x(k) = k, reversed

    // Act
    const [a, b, c] = [20, 101, 500].map((n) => medianInterval(ramp(n))!)

    // Assess
    expect([a.ci_low, a.ci_high]).toEqual([6, 15])
    expect(a.coverage).toBeCloseTo(0.9586105346679688, 14)
    expect([b.ci_low, b.ci_high]).toEqual([41, 61])
    expect(b.coverage).toBeCloseTo(0.9539559330706572, 14)
    expect([c.ci_low, c.ci_high]).toEqual([228, 273])
    expect(c.coverage).toBeCloseTo(0.9559365304210727, 12)
  })

  it('ignores non-finite values and gives null for none', () => {
    // Act
    const none = medianInterval([Number.NaN])
    const some = medianInterval([2, Number.NaN, 1])

    // Assess
    expect(none).toBeNull()
    expect(some?.median).toBe(1.5)
  })
})
